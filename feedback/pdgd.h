#pragma once

#include <cstdint>
#include <span>
#include <utility>

#include "feedback/query_key.h"
#include "feedback/records.h"
#include "ranker/model.h"

namespace foldrank {

struct LearnerOptions {
  // Step size at update t: max(floor, rate / sqrt(1 + t / decay_updates)).
  double learning_rate = 0.05;
  double learning_rate_floor = 0.005;
  double decay_updates = 2000;
  // Proximal L2 pull of the delta toward zero (toward the base) per update.
  double l2 = 0.001;
  // Each impression's gradient is scaled down to at most this L2 norm.
  double max_gradient_norm = 1.0;
  // Influence cap: of one user's impressions for one (normalized) query, at most
  // this many within user_window_ms count, for the model and for click counts; later
  // ones count nothing. One user's click flood cannot move the model.
  int max_impressions_per_user_query = 2;
  std::int64_t user_window_ms = 3'600'000;
  // Off: every inferred pair weighs 1/2 instead of PDGD's rho, i.e. plain pairwise
  // learning from clicks, biased by position (a comparator for the simulator).
  bool debias = true;
};

// Pairwise Differentiable Gradient Descent (Oosterhuis & de Rijke, CIKM 2018) for
// the linear delta. For each impression with clicks: a clicked document is
// preferred over every unclicked document the user observed (ranked above the last
// click, plus the one after it); each pair's gradient of log P(k > l) under the
// Plackett-Luce model of the current scores is weighted by
//   rho = P(R*) / (P(R) + P(R*)),
// R the shown ranking and R* the same with the pair swapped, which makes the
// expected update unbiased with respect to position bias. Pure: no I/O, no clock;
// the same inputs give the same model bit for bit.
class PdgdLearner {
 public:
  explicit PdgdLearner(LearnerOptions options = {}) : options_(std::move(options)) {}

  // The delta after learning from `batch` on top of `model`; `updates` counts the
  // impressions learned from so far (for the rate schedule) and is advanced.
  // Impressions the influence cap rules out are skipped.
  LinearFunction Update(const Model& model, std::span<const SettledImpression> batch,
                        std::uint64_t& updates) const;

  // Whether `impression` counts under the influence cap (earlier_by_user filled).
  bool Counts(const SettledImpression& impression) const;

  // The step size after `updates` impressions (the schedule above, with its floor).
  double LearningRate(std::uint64_t updates) const;

  // The gradient of one impression (exposed for tests): sum over inferred pairs of
  // rho * P(k>l) * P(l>k) * (x_k - x_l), before clipping and weighting.
  std::array<double, kFeatureCount> Gradient(const Model& model,
                                             const SettledImpression& impression) const;

 private:
  LearnerOptions options_;
};

// The examination prior: the chance a user looks at 0-based position p, 1 / (p + 1),
// until position-bias estimates replace it. Used for expected clicks.
double ExaminationPrior(std::int32_t position);

}  // namespace foldrank
