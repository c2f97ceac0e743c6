#include "feedback/ledger_click_signals.h"

#include "feedback/pdgd.h"

namespace foldrank {
LedgerClickSignals::LedgerClickSignals() : counts_(std::make_shared<const CountMap>()) {}

Status LedgerClickSignals::Reload(Ledger& ledger) {
  auto rows = ledger.AllCounts();
  if (!rows) return rows.error();
  auto counts = std::make_shared<CountMap>();
  counts->reserve(rows->size());
  for (const FoldCommit::CountDelta& row : *rows)
    (*counts)[ClickCountKey(row.query, row.doc_id)] = row.delta;
  counts_.Publish(std::move(counts));
  return Status::Ok();
}

void LedgerClickSignals::Lookup(std::string_view query, std::span<const Candidate> candidates,
                                std::span<float> doc_rate, std::span<float> query_doc_rate) const {
  const std::shared_ptr<const CountMap> counts = counts_.Current();
  const std::string normalized = NormalizeQuery(query);
  auto rate = [&](std::string_view q, const std::string& id) {
    auto found = counts->find(ClickCountKey(q, id));
    return found == counts->end() ? 1.0f
                                  : SmoothedClickRate(found->second.clicks, found->second.expected);
  };
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    doc_rate[i] = rate("", candidates[i].id);
    query_doc_rate[i] = rate(normalized, candidates[i].id);
  }
}

}  // namespace foldrank
