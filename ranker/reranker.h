#pragma once

#include <memory>
#include <random>
#include <vector>

#include "ranker/click_signals.h"
#include "ranker/feature_extractor.h"
#include "ranker/model.h"
#include "ranker/model_store.h"
#include "ranker/serving_policy.h"

namespace foldrank {

// One query's candidates after reranking. Reuse one per thread: its buffers keep
// their capacity, so ranking stops allocating after warm-up.
struct RankedCandidates {
  std::shared_ptr<const Model> model;  // The model that scored them (its version is logged).
  FeatureMatrix raw;                   // Row i: candidate i, as retrieved.
  FeatureMatrix normalized;            // What the model saw.
  std::vector<float> scores;           // Per candidate.
  std::vector<Placement> order;        // The order to show, with probabilities.
  std::size_t swapped_with = 0;        // RandPair: order[0] and this swapped (0: none).
};

// Features -> normalization -> model -> serving policy, with the model read from a
// ModelStore once per query (a swap mid-query cannot mix two models). Thread-safe.
class Reranker {
 public:
  Reranker(const ModelStore& models, const ClickSignals& clicks);

  void Rank(const QueryEvidence& evidence, const ServingPolicy& policy, std::mt19937_64& rng,
            RankedCandidates& out) const;
  // The same with a given model instead of the current one (interleaving).
  void RankWith(std::shared_ptr<const Model> model, const QueryEvidence& evidence,
                const ServingPolicy& policy, std::mt19937_64& rng, RankedCandidates& out) const;

  // How candidate `c` of `ranked` got its score.
  static Explanation Explain(const RankedCandidates& ranked, std::size_t c);

 private:
  const ModelStore& models_;
  FeatureExtractor extractor_;
};

}  // namespace foldrank
