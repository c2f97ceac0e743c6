#include "ranker/serving_policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace foldrank {
namespace {

TEST(ServingPolicyTest, TemperatureZeroSortsByScoreWithStableTies) {
  std::mt19937_64 rng(1);
  const std::vector<float> scores = {0.5f, 2.0f, 0.5f, 1.0f};
  auto order = OrderCandidates(scores, {.temperature = 0}, rng);
  std::vector<std::size_t> placed;
  for (const Placement& p : order) {
    placed.push_back(p.candidate);
    EXPECT_EQ(p.probability, 1.0);
  }
  EXPECT_EQ(placed, (std::vector<std::size_t>{1, 3, 0, 2}));
}

TEST(ServingPolicyTest, SamplingPlacesEveryCandidateOnce) {
  std::mt19937_64 rng(7);
  std::vector<float> scores(50);
  for (std::size_t i = 0; i < scores.size(); ++i) scores[i] = static_cast<float>(i % 7);
  auto order = OrderCandidates(scores, {.temperature = 1.0, .sample_depth = 20}, rng);
  ASSERT_EQ(order.size(), 50u);
  std::vector<std::size_t> placed;
  for (const Placement& p : order) placed.push_back(p.candidate);
  std::sort(placed.begin(), placed.end());
  for (std::size_t i = 0; i < placed.size(); ++i) EXPECT_EQ(placed[i], i);
  for (std::size_t i = 20; i < order.size(); ++i) EXPECT_EQ(order[i].probability, 1.0);
}

TEST(ServingPolicyTest, RecordedProbabilitiesArePlackettLuce) {
  std::mt19937_64 rng(3);
  const std::vector<float> scores = {1.0f, 0.2f, 0.7f, -0.4f, 0.0f};
  const double temperature = 0.5;
  auto order = OrderCandidates(scores, {.temperature = temperature, .sample_depth = 5}, rng);
  std::vector<std::size_t> remaining = {0, 1, 2, 3, 4};
  for (const Placement& p : order) {
    double total = 0, chosen = 0;
    for (std::size_t c : remaining) {
      const double w = std::exp(scores[c] / temperature);
      total += w;
      if (c == p.candidate) chosen = w;
    }
    EXPECT_NEAR(p.probability, chosen / total, 1e-12);
    EXPECT_NEAR(PlackettLuceProbability(scores, remaining, p.candidate, temperature),
                chosen / total, 1e-12);
    remaining.erase(std::find(remaining.begin(), remaining.end(), p.candidate));
  }
}

TEST(ServingPolicyTest, ProbabilitiesOfEachStepSumToOne) {
  const std::vector<float> scores = {3.0f, -1.0f, 0.5f, 0.5f, 100.0f};
  std::vector<std::size_t> remaining = {0, 1, 2, 3, 4};
  for (double temperature : {0.01, 0.3, 1.0, 50.0}) {
    double sum = 0;
    for (std::size_t c : remaining)
      sum += PlackettLuceProbability(scores, remaining, c, temperature);
    EXPECT_NEAR(sum, 1.0, 1e-12) << temperature;
  }
}

TEST(ServingPolicyTest, WholeRankingProbabilitiesSumToOne) {
  // The product of step probabilities over all 4! orders of 4 candidates is a
  // distribution over rankings.
  const std::vector<float> scores = {0.9f, 0.1f, 0.4f, -0.3f};
  std::vector<std::size_t> permutation = {0, 1, 2, 3};
  double total = 0;
  do {
    std::vector<std::size_t> remaining = {0, 1, 2, 3};
    double probability = 1;
    for (std::size_t c : permutation) {
      probability *= PlackettLuceProbability(scores, remaining, c, 0.7);
      remaining.erase(std::find(remaining.begin(), remaining.end(), c));
    }
    total += probability;
  } while (std::next_permutation(permutation.begin(), permutation.end()));
  EXPECT_NEAR(total, 1.0, 1e-12);
}

TEST(ServingPolicyTest, EmpiricalFrequenciesMatchTheProbabilities) {
  const std::vector<float> scores = {1.0f, 0.5f, 0.0f, -0.5f};
  const double temperature = 0.8;
  std::mt19937_64 rng(12345);
  const int draws = 40000;
  std::map<std::size_t, int> first;
  std::map<std::pair<std::size_t, std::size_t>, int> first_two;
  for (int i = 0; i < draws; ++i) {
    auto order = OrderCandidates(scores, {.temperature = temperature, .sample_depth = 4}, rng);
    ++first[order[0].candidate];
    ++first_two[{order[0].candidate, order[1].candidate}];
  }
  const std::vector<std::size_t> all = {0, 1, 2, 3};
  for (std::size_t c : all) {
    const double p = PlackettLuceProbability(scores, all, c, temperature);
    const double observed = static_cast<double>(first[c]) / draws;
    EXPECT_NEAR(observed, p, 4 * std::sqrt(p * (1 - p) / draws)) << c;  // 4 sigma.
  }
  // Second position given the first: P(0 then 1).
  std::vector<std::size_t> after_zero = {1, 2, 3};
  const double p01 = PlackettLuceProbability(scores, all, 0, temperature) *
                     PlackettLuceProbability(scores, after_zero, 1, temperature);
  const double observed01 = static_cast<double>(first_two[{0, 1}]) / draws;
  EXPECT_NEAR(observed01, p01, 4 * std::sqrt(p01 * (1 - p01) / draws));
}

TEST(ServingPolicyTest, SameSeedSameOrder) {
  const std::vector<float> scores = {0.3f, 0.1f, 0.2f, 0.25f, 0.05f};
  std::mt19937_64 a(99), b(99);
  for (int i = 0; i < 10; ++i) {
    auto x = OrderCandidates(scores, {.temperature = 1.0}, a);
    auto y = OrderCandidates(scores, {.temperature = 1.0}, b);
    for (std::size_t k = 0; k < x.size(); ++k) EXPECT_EQ(x[k].candidate, y[k].candidate);
  }
}

TEST(ServingPolicyTest, ExtremeScoresStayFinite) {
  std::mt19937_64 rng(5);
  const std::vector<float> scores = {1e30f, -1e30f, 0.0f, 1e30f};
  auto order = OrderCandidates(scores, {.temperature = 1e-6}, rng);
  for (const Placement& p : order) {
    EXPECT_TRUE(std::isfinite(p.probability));
    EXPECT_GE(p.probability, 0.0);
  }
  EXPECT_TRUE(OrderCandidates(std::vector<float>{}, {.temperature = 1.0}, rng).empty());
}

TEST(ServingPolicyTest, RandPairSwapsTheTopWithEachPositionOfThePageEquallyOften) {
  std::mt19937_64 rng(11);
  const std::vector<float> scores = {5, 4, 3, 2, 1, 0};
  const ServingPolicy policy{.swap_share = 0.5, .swap_depth = 4};
  std::vector<int> swaps(6, 0);
  const int rounds = 20'000;
  for (int i = 0; i < rounds; ++i) {
    auto order = OrderCandidates(scores, policy, rng);
    const std::size_t k = SwapRandomPair(order, policy, rng);
    ++swaps[k];
    if (k == 0) {
      EXPECT_EQ(order[0].candidate, 0u);
      continue;
    }
    EXPECT_EQ(order[0].candidate, k);  // The page's first and k-th traded places.
    EXPECT_EQ(order[k].candidate, 0u);
    EXPECT_DOUBLE_EQ(order[0].probability, 0.5 / 3);
  }
  EXPECT_NEAR(swaps[0], rounds / 2, 400);
  for (int k = 1; k <= 3; ++k) EXPECT_NEAR(swaps[k], rounds / 6, 300);
  EXPECT_EQ(swaps[4] + swaps[5], 0);  // Never below the page.
}

TEST(ServingPolicyTest, RandPairOffDrawsNothing) {
  std::mt19937_64 a(3), b(3);
  const std::vector<float> scores = {1, 2, 3};
  auto order = OrderCandidates(scores, {}, a);
  EXPECT_EQ(SwapRandomPair(order, {}, a), 0u);
  EXPECT_EQ(a(), b());
}

}  // namespace
}  // namespace foldrank
