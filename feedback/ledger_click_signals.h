#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>

#include "common/snapshot_cell.h"
#include "feedback/ids.h"
#include "feedback/ledger.h"
#include "ranker/click_signals.h"

namespace foldrank {

// Click features from the ledger's click counts: an in-memory snapshot, read without
// locks by queries. The fold loop applies each fold's deltas (Apply), its own or
// those another process logged, and reloads everything (Reload) only at start and
// when deltas it had not applied were merged away.
//
// A snapshot is a large immutable base plus a small overlay of recent deltas, so
// that a fold copies only the overlay; the overlay is merged into a new base once it
// reaches a quarter of the base, which keeps the work per fold amortized O(delta).
//
// Memory is bounded: every (query, document) pair ever shown has a row in the
// ledger, but at most `max_pairs` are held here. When a merge or a reload finds more,
// the pairs whose smoothed click rate is nearest 1 (the value without data) are
// dropped down to 7/8 of the bound: the pairs whose feature says least, typically a
// tail query shown once and not clicked. A dropped pair reads as 1 until new folds
// count it again, from zero (the ledger keeps its full counts). Document rows (one
// per document clicked or shown) are never dropped.
class LedgerClickSignals final : public ClickSignals {
 public:
  // max_pairs == 0: no bound. `hash_key` keys the table's SipHash (which also
  // orders pairs of equal evidence at the bound): random by default, so that nobody
  // can choose colliding queries; fixed only where runs must repeat (the simulator).
  explicit LedgerClickSignals(std::size_t max_pairs = 0,
                              std::array<std::uint64_t, 2> hash_key = NewSipHashKey());

  // Loads every count from the ledger and publishes them; returns the count log's
  // position they are current to. On error the previous snapshot keeps serving.
  Result<std::int64_t> Reload(Ledger& ledger);

  // Adds one committed fold's count deltas. Not thread-safe against Reload or
  // another Apply (one folder thread calls both); readers may run concurrently.
  void Apply(std::span<const FoldCommit::CountDelta> deltas);

  void Lookup(std::string_view query, std::span<const Candidate> candidates,
              std::span<float> doc_rate, std::span<float> query_doc_rate) const override;

  // Counts held for a document (query empty) or a (normalized query, document) pair.
  ClickCounts Counts(std::string_view normalized_query, std::string_view doc_id) const;

  struct Size {
    std::size_t pairs = 0;      // (query, document) pairs held.
    std::size_t documents = 0;  // Document rows held.
    std::uint64_t dropped = 0;  // Pairs dropped to keep within max_pairs, ever.
    std::uint64_t reloads = 0;  // Full loads from the ledger, ever.
  };
  Size size() const;
  std::size_t max_pairs() const { return max_pairs_; }

  // Keyed by a 64-bit keyed hash of (query, document): odd for pairs, even for
  // documents. The hash key is random per process (unless fixed for repeatable
  // runs), so nobody can pick queries that collide; at a million pairs the chance of
  // any collision is about 1 in 10^7.
  using CountMap = std::unordered_map<std::uint64_t, ClickCounts>;

 private:
  struct Snapshot {
    std::shared_ptr<const CountMap> base;
    std::size_t base_pairs = 0;  // Of base's entries; the rest are documents.
    CountMap overlay;            // Deltas on top of base.
  };
  static ClickCounts Find(const Snapshot& snapshot, std::uint64_t key);
  std::uint64_t QueryHash(std::string_view normalized_query) const;
  std::uint64_t PairKey(std::uint64_t query_hash, std::string_view doc_id) const;
  std::uint64_t DocumentKey(std::string_view doc_id) const;
  void Add(CountMap& counts, const FoldCommit::CountDelta& row) const;
  // Drops the least informative pairs of `counts` when more than max_pairs_ are held.
  // Returns the pairs left.
  std::size_t Bound(CountMap& counts);

  const std::size_t max_pairs_;
  const std::array<std::uint64_t, 2> hash_key_;
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> reloads_{0};
  SnapshotCell<Snapshot> counts_;
};

}  // namespace foldrank
