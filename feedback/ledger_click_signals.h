#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "common/snapshot_cell.h"
#include "feedback/ledger.h"
#include "ranker/click_signals.h"

namespace foldrank {

// Click features from the ledger's click counts: an in-memory snapshot that the
// folder replaces after each fold (Reload), read without locks by queries.
class LedgerClickSignals final : public ClickSignals {
 public:
  LedgerClickSignals();

  // Loads every count from the ledger and publishes them. On error the previous
  // snapshot keeps serving.
  Status Reload(Ledger& ledger);

  void Lookup(std::string_view query, std::span<const Candidate> candidates,
              std::span<float> doc_rate, std::span<float> query_doc_rate) const override;

  // Keyed by ClickCountKey.
  using CountMap = std::unordered_map<std::string, ClickCounts>;

 private:
  SnapshotCell<CountMap> counts_;
};

}  // namespace foldrank
