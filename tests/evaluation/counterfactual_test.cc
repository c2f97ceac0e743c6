#include "evaluation/counterfactual.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "evaluation/empirical_bernstein.h"
#include "tests/feedback/feedback_test_util.h"

namespace foldrank {
namespace {

using testing::MakeImpression;

// A linear model scoring `weight` * the quality feature (what MakeImpression sets).
Model QualityModel(float weight) {
  LinearFunction delta;
  delta.weights[Column(Feature::kBm25Title)] = weight;
  return Model::ColdStart().WithDelta(delta, "test");
}

// Impressions of 5 documents whose quality feature equals their relevance, shown in
// a random order to position-biased users (examination 1 / (p + 1)).
std::vector<SettledImpression> Log(int count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<SettledImpression> log;
  for (int i = 0; i < count; ++i) {
    std::vector<std::string> ids;
    std::vector<float> relevance;
    for (int d = 0; d < 5; ++d) {
      ids.push_back("d" + std::to_string(d));
      relevance.push_back(static_cast<float>(unit(rng)));
    }
    SettledImpression settled;
    settled.impression = MakeImpression("q" + std::to_string(i), ids, relevance, i);
    settled.impression.query = "query " + std::to_string(i % 40);
    for (int p = 0; p < 5; ++p) {
      if (unit(rng) < relevance[static_cast<std::size_t>(p)] / (p + 1.0)) {
        settled.clicks.push_back({0, ids[static_cast<std::size_t>(p)], p, 0, 0});
      }
    }
    log.push_back(std::move(settled));
  }
  return log;
}

TEST(EmpiricalBernsteinTest, BoundsBracketTheMeanAndTightenWithSamples) {
  std::mt19937_64 rng(3);
  std::bernoulli_distribution coin(0.3);
  std::vector<double> samples;
  double width_at_100 = 0;
  for (int i = 0; i < 10'000; ++i) {
    samples.push_back(coin(rng) ? 1 : 0);
    if (samples.size() == 100) {
      const MeanBounds b = EmpiricalBernstein(samples, 1, 0.05);
      width_at_100 = b.upper - b.lower;
    }
  }
  const MeanBounds bounds = EmpiricalBernstein(samples, 1, 0.05);
  EXPECT_LT(bounds.lower, 0.3);
  EXPECT_GT(bounds.upper, 0.3);
  EXPECT_LT(bounds.upper - bounds.lower, width_at_100 / 5);
  const MeanBounds one = EmpiricalBernstein(std::vector<double>{0.5}, 1, 0.05);
  EXPECT_TRUE(std::isinf(one.lower) && std::isinf(one.upper));
}

TEST(CounterfactualTest, PrefersTheModelThatRanksRelevantDocumentsFirst) {
  const auto log = Log(4000, 1);
  const PositionBias bias = PositionBias::Prior();  // Matches the simulated users.
  const CounterfactualReport report =
      EvaluateCounterfactual(log, QualityModel(1), QualityModel(-1), bias);
  ASSERT_GE(report.segments.size(), 4u);
  EXPECT_EQ(report.segments[0].segment, "all");
  EXPECT_EQ(report.segments[0].impressions, 4000u);
  EXPECT_EQ(report.segments[0].queries, 40u);
  EXPECT_EQ(report.segments[0].decision, "better");
  EXPECT_GT(report.segments[0].lower, 0);
  EXPECT_GT(report.segments[0].candidate, report.segments[0].baseline);
  // The other way round: worse, by the same amount.
  const CounterfactualReport reverse =
      EvaluateCounterfactual(log, QualityModel(-1), QualityModel(1), bias);
  EXPECT_EQ(reverse.segments[0].decision, "worse");
  EXPECT_NEAR(reverse.segments[0].difference, -report.segments[0].difference, 1e-9);
  std::uint64_t in_segments = 0;
  for (std::size_t s = 1; s < report.segments.size(); ++s) {
    in_segments += report.segments[s].impressions;
  }
  EXPECT_EQ(in_segments, 4000u);
}

TEST(CounterfactualTest, TheSameRankingIsUndecidedWithZeroDifference) {
  const auto log = Log(500, 2);
  const CounterfactualReport report =
      EvaluateCounterfactual(log, QualityModel(2), QualityModel(1), PositionBias::Prior());
  EXPECT_EQ(report.segments[0].difference, 0);  // Same order: nothing to tell.
  EXPECT_EQ(report.segments[0].decision, "undecided");
}

TEST(CounterfactualTest, TheDebiasedEstimateMatchesTheTrueDifference) {
  // True expected DCG difference under the users' model, against the estimate.
  const auto log = Log(20'000, 4);
  const Model better = QualityModel(1), worse = QualityModel(-1);
  double truth = 0;
  for (const SettledImpression& settled : log) {
    std::vector<std::pair<float, double>> docs;  // (quality, relevance)
    for (const ShownResult& r : settled.impression.results) {
      docs.emplace_back(r.features[Column(Feature::kBm25Title)],
                        r.features[Column(Feature::kBm25Title)]);
    }
    auto dcg = [&](bool descending) {
      std::vector<double> relevance;
      for (const auto& d : docs) relevance.push_back(d.second);
      std::sort(relevance.begin(), relevance.end());
      if (descending) std::reverse(relevance.begin(), relevance.end());
      double total = 0;
      for (std::size_t r = 0; r < relevance.size(); ++r) {
        total += relevance[r] / std::log2(2.0 + static_cast<double>(r));
      }
      return total;
    };
    truth += dcg(true) - dcg(false);
  }
  truth /= static_cast<double>(log.size());
  const CounterfactualReport report =
      EvaluateCounterfactual(log, better, worse, PositionBias::Prior());
  EXPECT_NEAR(report.segments[0].difference, truth, 0.05 * truth);
  EXPECT_LT(report.segments[0].lower, truth);
  EXPECT_GT(report.segments[0].upper, truth);
}

TEST(CounterfactualTest, SkipsImpressionsWithoutFeatures) {
  auto log = Log(10, 5);
  log[3].impression.results[1].features.clear();
  const CounterfactualReport report =
      EvaluateCounterfactual(log, QualityModel(1), QualityModel(-1), PositionBias::Prior());
  EXPECT_EQ(report.skipped, 1u);
  EXPECT_EQ(report.segments[0].impressions, 9u);
}

}  // namespace
}  // namespace foldrank
