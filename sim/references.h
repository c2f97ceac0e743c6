#pragma once

#include <vector>

#include "engine/service.h"
#include "feedback/ledger.h"
#include "feedback/pdgd.h"
#include "foldrank/result.h"
#include "sim/intents.h"

namespace foldrank::sim {

// Two references for the learning curves, each with an advantage no online learner
// has. BestLinearModel: the best linear delta over foldrank's features for the
// hidden labels, fitted on the training intents' candidates as ranked before any
// click (an upper bound for a linear learner without click history). It minimizes
// the pairwise logistic loss (RankNet) of every pair of candidates with different
// grades, weighted by how often users have the intent and by the pair's gain
// difference 2^a - 2^b, by full-batch gradient descent. Returns the model in force
// with that delta.
Result<Model> BestLinearModel(const Service& service, const std::vector<Intent>& train,
                              const std::vector<double>& weights, int iterations = 300);

// foldrank's learner retrained from the base on the whole click log (every clicked
// impression of `ledger`, in creation order, `epochs` passes, influence cap as
// folds apply it): the batch retrain that incremental folding replaces. Returns
// `current` with that delta.
Result<Model> BatchRetrained(Ledger& ledger, const Model& current, const LearnerOptions& options,
                             int epochs);

}  // namespace foldrank::sim
