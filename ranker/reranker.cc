#include "ranker/reranker.h"

#include "common/check.h"

namespace foldrank {

Reranker::Reranker(const ModelStore& models, const ClickSignals& clicks)
    : models_(models), extractor_(clicks) {}

void Reranker::Rank(const QueryEvidence& evidence, const ServingPolicy& policy,
                    std::mt19937_64& rng, RankedCandidates& out) const {
  RankWith(models_.Current(), evidence, policy, rng, out);
}

void Reranker::RankWith(std::shared_ptr<const Model> model, const QueryEvidence& evidence,
                        const ServingPolicy& policy, std::mt19937_64& rng,
                        RankedCandidates& out) const {
  out.model = std::move(model);
  extractor_.Extract(evidence, out.raw);
  out.model->normalization().Apply(out.raw, out.normalized);
  out.scores.resize(out.raw.rows());
  out.model->Score(out.normalized, out.scores);
  out.order = OrderCandidates(out.scores, policy, rng);
  out.swapped_with = SwapRandomPair(out.order, policy, rng);
}

Explanation Reranker::Explain(const RankedCandidates& ranked, std::size_t c) {
  FOLDRANK_CHECK(ranked.model != nullptr && c < ranked.raw.rows());
  return ranked.model->Explain(ranked.raw.row(c), ranked.normalized.row(c));
}

}  // namespace foldrank
