#include "feedback/ledger_click_signals.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "feedback/ids.h"
#include "feedback/query_key.h"

namespace foldrank {
namespace {

bool IsPair(std::uint64_t key) { return (key & 1) != 0; }

// How far a pair's feature is from the value it reads as without counts.
float Evidence(const ClickCounts& counts) {
  return std::abs(std::log(SmoothedClickRate(counts.clicks, counts.expected)));
}

void AddCounts(ClickCounts& sum, const ClickCounts& delta) {
  sum.clicks += delta.clicks;
  sum.expected += delta.expected;
}

}  // namespace

LedgerClickSignals::LedgerClickSignals(std::size_t max_pairs, std::array<std::uint64_t, 2> hash_key)
    : max_pairs_(max_pairs),
      hash_key_(hash_key),
      counts_(
          std::make_shared<const Snapshot>(Snapshot{std::make_shared<const CountMap>(), 0, {}})) {}

std::uint64_t LedgerClickSignals::DocumentKey(std::string_view doc_id) const {
  return SipHash24(hash_key_, doc_id) & ~std::uint64_t{1};
}

std::uint64_t LedgerClickSignals::QueryHash(std::string_view normalized_query) const {
  return SipHash24(hash_key_, normalized_query);
}

std::uint64_t LedgerClickSignals::PairKey(std::uint64_t query_hash, std::string_view doc_id) const {
  // The document hashed under a key derived from the query's hash: no concatenation,
  // so no allocation on the query path, and the query is hashed once per search.
  return SipHash24({hash_key_[0] ^ query_hash, ~hash_key_[1]}, doc_id) | 1;
}

void LedgerClickSignals::Add(CountMap& counts, const FoldCommit::CountDelta& row) const {
  if (!row.query.empty()) AddCounts(counts[PairKey(QueryHash(row.query), row.doc_id)], row.delta);
  AddCounts(counts[DocumentKey(row.doc_id)], row.delta);
}

std::size_t LedgerClickSignals::Bound(CountMap& counts) {
  std::size_t pairs = 0;
  for (const auto& entry : counts) pairs += IsPair(entry.first);
  if (max_pairs_ == 0 || pairs <= max_pairs_) return pairs;
  std::vector<std::pair<float, std::uint64_t>> by_evidence;  // (evidence, key) of each pair.
  by_evidence.reserve(pairs);
  for (const auto& [key, sum] : counts) {
    if (IsPair(key)) by_evidence.emplace_back(Evidence(sum), key);
  }
  // Down to 7/8 of the bound, so that the next merges need not drop again at once.
  const std::size_t drop = pairs - (max_pairs_ - max_pairs_ / 8);
  // By (evidence, key): ties go by key, whatever order the map holds them in.
  std::nth_element(by_evidence.begin(), by_evidence.begin() + drop, by_evidence.end());
  for (std::size_t i = 0; i < drop; ++i) counts.erase(by_evidence[i].second);
  dropped_.fetch_add(drop, std::memory_order_relaxed);
  return pairs - drop;
}

Result<std::int64_t> LedgerClickSignals::Reload(Ledger& ledger) {
  auto base = std::make_shared<CountMap>();
  // Bounded while it loads too: a ledger's counts can outgrow memory.
  const std::size_t limit = max_pairs_ == 0 ? 0 : 2 * max_pairs_;
  std::size_t pairs = 0;  // Held, at most: a pair logged twice counts twice.
  Result<std::int64_t> position = ledger.ForEachCount([&](const FoldCommit::CountDelta& row) {
    Add(*base, row);
    if (limit != 0 && !row.query.empty() && ++pairs > limit) pairs = Bound(*base);
  });
  if (!position) return position;
  const std::size_t pairs_left = Bound(*base);
  counts_.Publish(std::make_shared<const Snapshot>(Snapshot{std::move(base), pairs_left, {}}));
  reloads_.fetch_add(1, std::memory_order_relaxed);
  return position;
}

void LedgerClickSignals::Apply(std::span<const FoldCommit::CountDelta> deltas) {
  if (deltas.empty()) return;
  const std::shared_ptr<const Snapshot> current = counts_.Current();
  auto next = std::make_shared<Snapshot>(*current);  // Copies the overlay only.
  for (const FoldCommit::CountDelta& row : deltas) Add(next->overlay, row);
  if (next->overlay.size() >= std::max<std::size_t>(4096, next->base->size() / 4)) {
    auto merged = std::make_shared<CountMap>(*next->base);
    for (const auto& [key, delta] : next->overlay) AddCounts((*merged)[key], delta);
    next->base_pairs = Bound(*merged);
    next->base = std::move(merged);
    next->overlay.clear();
  }
  counts_.Publish(std::move(next));
}

LedgerClickSignals::Size LedgerClickSignals::size() const {
  const std::shared_ptr<const Snapshot> snapshot = counts_.Current();
  Size size{.pairs = snapshot->base_pairs,
            .documents = snapshot->base->size() - snapshot->base_pairs};
  for (const auto& entry : snapshot->overlay) {
    if (snapshot->base->count(entry.first) == 0)
      ++(IsPair(entry.first) ? size.pairs : size.documents);
  }
  size.dropped = dropped_.load(std::memory_order_relaxed);
  size.reloads = reloads_.load(std::memory_order_relaxed);
  return size;
}

ClickCounts LedgerClickSignals::Find(const Snapshot& snapshot, std::uint64_t key) {
  ClickCounts sum;
  if (auto found = snapshot.base->find(key); found != snapshot.base->end()) sum = found->second;
  if (auto found = snapshot.overlay.find(key); found != snapshot.overlay.end()) {
    AddCounts(sum, found->second);
  }
  return sum;
}

ClickCounts LedgerClickSignals::Counts(std::string_view normalized_query,
                                       std::string_view doc_id) const {
  const std::uint64_t key =
      normalized_query.empty() ? DocumentKey(doc_id) : PairKey(QueryHash(normalized_query), doc_id);
  return Find(*counts_.Current(), key);
}

void LedgerClickSignals::Lookup(std::string_view query, std::span<const Candidate> candidates,
                                std::span<float> doc_rate, std::span<float> query_doc_rate) const {
  const std::shared_ptr<const Snapshot> snapshot = counts_.Current();
  const std::string normalized = NormalizeQuery(query);
  const std::uint64_t query_hash = QueryHash(normalized);
  auto rate = [&](std::uint64_t key) {
    const ClickCounts counts = Find(*snapshot, key);
    return SmoothedClickRate(counts.clicks, counts.expected);  // 1 without counts.
  };
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    doc_rate[i] = rate(DocumentKey(candidates[i].id));
    query_doc_rate[i] = normalized.empty() ? 1.0f : rate(PairKey(query_hash, candidates[i].id));
  }
}

}  // namespace foldrank
