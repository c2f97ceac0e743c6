#pragma once

#include <memory>
#include <span>
#include <string>
#include <unordered_map>

#include "common/snapshot_cell.h"
#include "feedback/ledger.h"
#include "ranker/click_signals.h"

namespace foldrank {

// Click features from the ledger's click counts: an in-memory snapshot, read without
// locks by queries. The folder applies each fold's deltas (Apply) and reloads
// everything only when another process changed the ledger (Reload).
//
// A snapshot is a large immutable base plus a small overlay of recent deltas, so
// that a fold copies only the overlay; the overlay is merged into a new base once it
// reaches a quarter of the base, which keeps the work per fold amortized O(delta).
class LedgerClickSignals final : public ClickSignals {
 public:
  LedgerClickSignals();

  // Loads every count from the ledger and publishes them. On error the previous
  // snapshot keeps serving.
  Status Reload(Ledger& ledger);

  // Adds one committed fold's count deltas. Not thread-safe against Reload or
  // another Apply (one folder thread calls both); readers may run concurrently.
  void Apply(std::span<const FoldCommit::CountDelta> deltas);

  void Lookup(std::string_view query, std::span<const Candidate> candidates,
              std::span<float> doc_rate, std::span<float> query_doc_rate) const override;

  // (query, document) pairs and documents held, counted once however recent.
  std::size_t size() const;

  // Counts for a document (query empty) or a (normalized query, document) pair.
  ClickCounts Counts(std::string_view normalized_query, std::string_view doc_id) const;

  // Keyed by ClickCountKey; document-level rows under an empty query.
  using CountMap = std::unordered_map<std::string, ClickCounts>;

 private:
  struct Snapshot {
    std::shared_ptr<const CountMap> base;
    CountMap overlay;  // Deltas on top of base.
  };
  static ClickCounts Find(const Snapshot& snapshot, const std::string& key);

  SnapshotCell<Snapshot> counts_;
};

}  // namespace foldrank
