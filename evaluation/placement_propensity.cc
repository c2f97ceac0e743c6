#include "evaluation/placement_propensity.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "ranker/serving_policy.h"

namespace foldrank {

void EstimatePlacements(const SampledPage& page, const PositionBias& bias, std::size_t samples,
                        std::uint64_t seed, std::span<double> examination,
                        std::span<double> unprompted) {
  const std::size_t n = page.pool_scores.size();
  std::fill(examination.begin(), examination.end(), 0.0);
  std::fill(unprompted.begin(), unprompted.end(), 0.0);
  const std::size_t steps = std::min(page.shown, n);
  if (n == 0 || steps == 0 || samples == 0) return;
  // Weights as the policy computes them, shifted by the best score (same ratios).
  // The policy shifts by the best one left at each step; a document 745 * temperature
  // below the best underflows to 0 here and counts as never examined (out of reach).
  const float best = *std::max_element(page.pool_scores.begin(), page.pool_scores.end());
  std::vector<double> weight(n);
  for (std::size_t i = 0; i < n; ++i) {
    weight[i] = std::exp((static_cast<double>(page.pool_scores[i]) - best) / page.temperature);
  }
  // Step s of the draw lands on its position, or on its swap partner.
  std::vector<double> alpha(steps), beta(steps);
  for (std::size_t s = 0; s < steps; ++s) {
    const std::size_t position = SwappedPosition(s, page.swapped_with);
    const bool on_page = position < page.shown;
    alpha[s] = on_page ? bias.Alpha(static_cast<std::int32_t>(position)) : 0.0;
    beta[s] = on_page ? bias.Beta(static_cast<std::int32_t>(position)) : 0.0;
  }
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  // Rao-Blackwellized: at step s every remaining document i would be picked with
  // probability weight_i / total_s, adding weight_i * alpha_s / total_s to its
  // examination. Summed over the steps it stays, that is weight_i times a prefix
  // sum of alpha_s / total_s up to the step it was picked: one pass per step to
  // pick, and one per order to add up.
  std::vector<double> remaining(n);
  std::vector<std::size_t> picked_at(n);
  std::vector<double> alpha_sum(steps + 1), beta_sum(steps + 1);
  for (std::size_t sample = 0; sample < samples; ++sample) {
    std::copy(weight.begin(), weight.end(), remaining.begin());  // 0: placed.
    std::fill(picked_at.begin(), picked_at.end(), steps);
    double total = 0;
    for (double w : remaining) total += w;
    std::size_t s = 0;
    for (; s < steps && total > 0; ++s) {
      alpha_sum[s + 1] = alpha_sum[s] + alpha[s] / total;
      beta_sum[s + 1] = beta_sum[s] + beta[s] / total;
      double target = uniform(rng) * total;
      std::size_t pick = n;
      for (std::size_t i = 0; i < n; ++i) {
        if (remaining[i] == 0) continue;
        pick = i;  // Rounding can leave target past the end: the last one left.
        target -= remaining[i];
        if (target < 0) break;
      }
      if (pick == n) break;  // Nothing left with weight (only rounding in `total`).
      picked_at[pick] = s;
      const double before = total;
      total -= remaining[pick];
      remaining[pick] = 0;
      // Subtracting the largest weights cancels: recount what is left.
      if (total < 1e-6 * before) {
        total = 0;
        for (double w : remaining) total += w;
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      // Through its own step if picked on the page, else through the last step.
      const std::size_t through = picked_at[i] < s ? picked_at[i] + 1 : s;
      examination[i] += weight[i] * alpha_sum[through];
      unprompted[i] += weight[i] * beta_sum[through];
    }
  }
  const double scale = 1.0 / static_cast<double>(samples);
  for (std::size_t i = 0; i < n; ++i) {
    examination[i] *= scale;
    unprompted[i] *= scale;
  }
}

}  // namespace foldrank
