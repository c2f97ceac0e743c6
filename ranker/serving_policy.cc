#include "ranker/serving_policy.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/check.h"

namespace foldrank {
namespace {

// exp((s - max) / t) for the remaining candidates: shifting by the maximum keeps the
// exponentials in range for any scores and temperatures.
void Weights(std::span<const float> scores, std::span<const std::size_t> remaining,
             double temperature, std::vector<double>& weights) {
  float best = scores[remaining[0]];
  for (std::size_t c : remaining) best = std::max(best, scores[c]);
  weights.resize(remaining.size());
  for (std::size_t i = 0; i < remaining.size(); ++i) {
    weights[i] = std::exp((static_cast<double>(scores[remaining[i]]) - best) / temperature);
  }
}

}  // namespace

double PlackettLuceProbability(std::span<const float> scores,
                               std::span<const std::size_t> remaining, std::size_t chosen,
                               double temperature) {
  FOLDRANK_CHECK(!remaining.empty() && temperature > 0);
  std::vector<double> weights;
  Weights(scores, remaining, temperature, weights);
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  for (std::size_t i = 0; i < remaining.size(); ++i) {
    if (remaining[i] == chosen) return weights[i] / total;
  }
  return 0;
}

std::vector<Placement> OrderCandidates(std::span<const float> scores, const ServingPolicy& policy,
                                       std::mt19937_64& rng) {
  std::vector<std::size_t> by_score(scores.size());
  std::iota(by_score.begin(), by_score.end(), 0);
  std::stable_sort(by_score.begin(), by_score.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  std::vector<Placement> order;
  order.reserve(scores.size());
  const std::size_t sampled =
      policy.temperature > 0 ? std::min(policy.sample_depth, by_score.size()) : 0;
  if (sampled > 1) {
    // Sample the top `sampled` without replacement; `pool` holds the unplaced ones.
    std::vector<std::size_t> pool(by_score.begin(), by_score.begin() + sampled);
    std::vector<double> weights;
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    while (!pool.empty()) {
      Weights(scores, pool, policy.temperature, weights);
      const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
      double target = uniform(rng) * total;
      std::size_t pick = pool.size() - 1;  // Rounding can leave target past the end.
      for (std::size_t i = 0; i < pool.size(); ++i) {
        target -= weights[i];
        if (target < 0) {
          pick = i;
          break;
        }
      }
      order.push_back({pool[pick], weights[pick] / total});
      pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(pick));
    }
  } else if (sampled == 1) {
    order.push_back({by_score[0], 1.0});
  }
  for (std::size_t i = order.size(); i < by_score.size(); ++i) order.push_back({by_score[i], 1.0});
  return order;
}

std::size_t SwapRandomPair(std::vector<Placement>& order, const ServingPolicy& policy,
                           std::mt19937_64& rng) {
  const std::size_t depth = std::min(policy.swap_depth, order.size());
  if (policy.swap_share <= 0 || depth < 2) return 0;
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  if (uniform(rng) >= policy.swap_share) return 0;
  std::uniform_int_distribution<std::size_t> partner(1, depth - 1);
  const std::size_t k = partner(rng);
  std::swap(order[0].candidate, order[k].candidate);
  const double probability = std::min(1.0, policy.swap_share) / static_cast<double>(depth - 1);
  order[0].probability = order[k].probability = probability;
  return k;
}

}  // namespace foldrank
