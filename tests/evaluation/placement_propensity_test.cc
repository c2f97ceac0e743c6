#include "evaluation/placement_propensity.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace foldrank {
namespace {

// Exact examination and unprompted clicks by enumerating every order of the first
// `page.shown` picks of a small pool.
void Exact(const SampledPage& page, const PositionBias& bias, std::vector<double>& examination,
           std::vector<double>& unprompted) {
  const std::size_t n = page.pool_scores.size();
  examination.assign(n, 0);
  unprompted.assign(n, 0);
  std::vector<std::size_t> picked;
  auto landing = [&](std::size_t step) {
    if (page.swapped_with > 0 && step == 0) return page.swapped_with;
    if (page.swapped_with > 0 && step == page.swapped_with) return std::size_t{0};
    return step;
  };
  auto walk = [&](auto&& self, double probability) -> void {
    if (picked.size() == std::min(page.shown, n)) {
      for (std::size_t step = 0; step < picked.size(); ++step) {
        const auto position = static_cast<std::int32_t>(landing(step));
        examination[picked[step]] += probability * bias.Alpha(position);
        unprompted[picked[step]] += probability * bias.Beta(position);
      }
      return;
    }
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (std::find(picked.begin(), picked.end(), i) == picked.end()) {
        total += std::exp(page.pool_scores[i] / page.temperature);
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (std::find(picked.begin(), picked.end(), i) != picked.end()) continue;
      picked.push_back(i);
      self(self, probability * std::exp(page.pool_scores[i] / page.temperature) / total);
      picked.pop_back();
    }
  };
  walk(walk, 1.0);
}

PositionBias AffineBias() {
  PositionBias bias = PositionBias::Prior(4);
  for (std::size_t p = 1; p < bias.positions.size(); ++p) bias.positions[p].beta = 0.02 * p;
  return bias;
}

TEST(PlacementPropensityTest, MatchesTheExactPlacementsOfASmallPool) {
  const std::vector<float> scores = {1.2f, 0.9f, 0.4f, 0.1f, -0.5f, -1.0f};
  const PositionBias bias = AffineBias();
  for (std::size_t swapped_with : {0, 2}) {
    const SampledPage page{scores, 0.7, 3, swapped_with};
    std::vector<double> exact_examination, exact_unprompted;
    Exact(page, bias, exact_examination, exact_unprompted);
    std::vector<double> examination(scores.size()), unprompted(scores.size());
    EstimatePlacements(page, bias, 4000, 7, examination, unprompted);
    for (std::size_t i = 0; i < scores.size(); ++i) {
      // Rao-Blackwellized: even the document shown least (about 3% of pages) is
      // estimated within a few percent of itself.
      EXPECT_NEAR(examination[i], exact_examination[i], 0.02 * exact_examination[i] + 1e-4)
          << "document " << i << ", swap " << swapped_with;
      EXPECT_NEAR(unprompted[i], exact_unprompted[i], 0.02 * exact_unprompted[i] + 1e-4)
          << "document " << i << ", swap " << swapped_with;
    }
    // Every shown position is filled once per order.
    double alpha_total = 0;
    for (std::size_t p = 0; p < 3; ++p) alpha_total += bias.Alpha(static_cast<std::int32_t>(p));
    EXPECT_NEAR(std::accumulate(examination.begin(), examination.end(), 0.0), alpha_total, 1e-9);
  }
}

TEST(PlacementPropensityTest, IsReproducibleForASeedAndHandlesTinyPools) {
  const std::vector<float> scores = {0.3f, 0.2f, 0.1f, 0.0f};
  const PositionBias bias = PositionBias::Prior();
  std::vector<double> a(4), b(4), unprompted(4);
  EstimatePlacements({scores, 0.5, 2, 0}, bias, 50, 11, a, unprompted);
  EstimatePlacements({scores, 0.5, 2, 0}, bias, 50, 11, b, unprompted);
  EXPECT_EQ(a, b);
  // A page longer than the pool places every document somewhere on it.
  std::vector<double> one(1), one_unprompted(1);
  EstimatePlacements({std::span<const float>(scores).first(1), 0.5, 10, 0}, bias, 10, 1, one,
                     one_unprompted);
  EXPECT_DOUBLE_EQ(one[0], 1.0);
}

}  // namespace
}  // namespace foldrank
