#include "feedback/ledger_click_signals.h"

#include <algorithm>

#include "feedback/pdgd.h"

namespace foldrank {
namespace {

// Adds a (query, document) delta and its document-level share to `counts`.
void Add(LedgerClickSignals::CountMap& counts, const FoldCommit::CountDelta& row) {
  for (const std::string& key :
       {ClickCountKey(row.query, row.doc_id), ClickCountKey("", row.doc_id)}) {
    ClickCounts& sum = counts[key];
    sum.clicks += row.delta.clicks;
    sum.expected += row.delta.expected;
  }
}

}  // namespace

LedgerClickSignals::LedgerClickSignals()
    : counts_(std::make_shared<const Snapshot>(Snapshot{std::make_shared<const CountMap>(), {}})) {}

Status LedgerClickSignals::Reload(Ledger& ledger) {
  auto rows = ledger.AllCounts();
  if (!rows) return rows.error();
  auto base = std::make_shared<CountMap>();
  base->reserve(2 * rows->size());
  for (const FoldCommit::CountDelta& row : *rows) Add(*base, row);
  counts_.Publish(std::make_shared<const Snapshot>(Snapshot{std::move(base), {}}));
  return Status::Ok();
}

void LedgerClickSignals::Apply(std::span<const FoldCommit::CountDelta> deltas) {
  if (deltas.empty()) return;
  const std::shared_ptr<const Snapshot> current = counts_.Current();
  auto next = std::make_shared<Snapshot>(*current);  // Copies the overlay only.
  for (const FoldCommit::CountDelta& row : deltas) Add(next->overlay, row);
  if (next->overlay.size() >= std::max<std::size_t>(4096, next->base->size() / 4)) {
    auto merged = std::make_shared<CountMap>(*next->base);
    for (const auto& [key, delta] : next->overlay) {
      ClickCounts& sum = (*merged)[key];
      sum.clicks += delta.clicks;
      sum.expected += delta.expected;
    }
    next->base = std::move(merged);
    next->overlay.clear();
  }
  counts_.Publish(std::move(next));
}

std::size_t LedgerClickSignals::size() const {
  const std::shared_ptr<const Snapshot> snapshot = counts_.Current();
  std::size_t size = snapshot->base->size();
  for (const auto& entry : snapshot->overlay) size += snapshot->base->count(entry.first) == 0;
  return size;
}

ClickCounts LedgerClickSignals::Find(const Snapshot& snapshot, const std::string& key) {
  ClickCounts sum;
  if (auto found = snapshot.base->find(key); found != snapshot.base->end()) sum = found->second;
  if (auto found = snapshot.overlay.find(key); found != snapshot.overlay.end()) {
    sum.clicks += found->second.clicks;
    sum.expected += found->second.expected;
  }
  return sum;
}

ClickCounts LedgerClickSignals::Counts(std::string_view normalized_query,
                                       std::string_view doc_id) const {
  return Find(*counts_.Current(), ClickCountKey(normalized_query, doc_id));
}

void LedgerClickSignals::Lookup(std::string_view query, std::span<const Candidate> candidates,
                                std::span<float> doc_rate, std::span<float> query_doc_rate) const {
  const std::shared_ptr<const Snapshot> snapshot = counts_.Current();
  const std::string normalized = NormalizeQuery(query);
  auto rate = [&](std::string_view q, const std::string& id) {
    const ClickCounts counts = Find(*snapshot, ClickCountKey(q, id));
    return SmoothedClickRate(counts.clicks, counts.expected);  // 1 without counts.
  };
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    doc_rate[i] = rate("", candidates[i].id);
    query_doc_rate[i] = rate(normalized, candidates[i].id);
  }
}

}  // namespace foldrank
