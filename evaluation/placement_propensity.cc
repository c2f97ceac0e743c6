#include "evaluation/placement_propensity.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

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
  const float best = *std::max_element(page.pool_scores.begin(), page.pool_scores.end());
  std::vector<double> weight(n);
  for (std::size_t i = 0; i < n; ++i) {
    weight[i] = std::exp((static_cast<double>(page.pool_scores[i]) - best) / page.temperature);
  }
  // Step s of the draw lands on position `landing[s]` (the swap moves two of them).
  std::vector<double> alpha(steps), beta(steps);
  for (std::size_t s = 0; s < steps; ++s) {
    std::size_t position = s;
    if (page.swapped_with > 0 && s == 0) position = page.swapped_with;
    if (page.swapped_with > 0 && s == page.swapped_with) position = 0;
    const bool on_page = position < page.shown;
    alpha[s] = on_page ? bias.Alpha(static_cast<std::int32_t>(position)) : 0.0;
    beta[s] = on_page ? bias.Beta(static_cast<std::int32_t>(position)) : 0.0;
  }
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<double> remaining(n);
  for (std::size_t sample = 0; sample < samples; ++sample) {
    std::copy(weight.begin(), weight.end(), remaining.begin());  // 0: placed.
    for (std::size_t s = 0; s < steps; ++s) {
      double total = 0;
      for (double w : remaining) total += w;
      if (!(total > 0)) break;
      const double a = alpha[s] / total, b = beta[s] / total;
      for (std::size_t i = 0; i < n; ++i) {
        examination[i] += remaining[i] * a;
        unprompted[i] += remaining[i] * b;
      }
      double target = uniform(rng) * total;
      std::size_t pick = n;
      for (std::size_t i = 0; i < n; ++i) {
        if (remaining[i] == 0) continue;
        pick = i;  // Rounding can leave target past the end: the last one left.
        target -= remaining[i];
        if (target < 0) break;
      }
      remaining[pick] = 0;
    }
  }
  const double scale = 1.0 / static_cast<double>(samples);
  for (std::size_t i = 0; i < n; ++i) {
    examination[i] *= scale;
    unprompted[i] *= scale;
  }
}

}  // namespace foldrank
