#include "evaluation/counterfactual.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "evaluation/empirical_bernstein.h"
#include "ranker/serving_policy.h"
#include "tests/feedback/feedback_test_util.h"

namespace foldrank {
namespace {

using testing::MakeImpression;

// A linear model scoring `weight` * the quality feature (what MakeImpression sets).
// The base every model here builds on: fixed weights of the test's own (the cold
// start's of 2026-11), so that these figures do not move when the product's
// hand-set cold start does.
Model PinnedBase() {
  LinearFunction base;
  for (const auto& [feature, weight] : {std::pair{Feature::kBm25All, 1.0f},
                                        {Feature::kBm25Title, 0.6f},
                                        {Feature::kBm25Body, 0.2f},
                                        {Feature::kRetrievalScore, 0.3f},
                                        {Feature::kCoverageTitle, 0.4f},
                                        {Feature::kCoverageBody, 0.1f},
                                        {Feature::kPhraseInTitle, 0.2f},
                                        {Feature::kProximityBody, 0.15f},
                                        {Feature::kLogTitleLength, -0.1f},
                                        {Feature::kLogPopularity, 0.25f},
                                        {Feature::kFreshness, 0.05f}}) {
    base.weights[Column(feature)] = weight;
  }
  return Model::WithLinearBase(Model::ColdStart(), base, "test");
}

Model QualityModel(float weight) {
  LinearFunction delta;
  delta.weights[Column(Feature::kBm25Title)] = weight;
  return PinnedBase().WithDelta(delta, "test");
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

// Plackett-Luce pages as the server logs them: a pool of 8 sampled with the scores
// of a logging model that sees relevance through noise (feature kBm25Body), the
// first 4 shown with their selection probabilities, the other 4 recorded as
// unshown. Users click at position p with probability relevance / (p + 1).
struct PoolLog {
  std::vector<SettledImpression> log;
  double truth = 0;  // E[DCG of QualityModel(1) - DCG of the logging model], whole pool.
};

PoolLog LogPlackettLucePages(int count, std::uint64_t seed) {
  LinearFunction noisy;
  noisy.weights[Column(Feature::kBm25Body)] = 1;
  const Model logging = PinnedBase().WithDelta(noisy, "test");
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::normal_distribution<float> noise(0, 0.4f);
  const ServingPolicy policy{.temperature = 0.5, .sample_depth = 8};
  PoolLog out;
  for (int i = 0; i < count; ++i) {
    FeatureMatrix features(8);
    std::vector<float> relevance(8);
    for (std::size_t d = 0; d < 8; ++d) {
      relevance[d] = static_cast<float>(unit(rng));
      features.row(d)[Column(Feature::kBm25Title)] = relevance[d];
      features.row(d)[Column(Feature::kBm25Body)] = relevance[d] + noise(rng);
    }
    std::vector<float> scores(8);
    logging.Score(features, scores);
    const std::vector<Placement> order = OrderCandidates(scores, policy, rng);
    SettledImpression settled;
    Impression& impression = settled.impression;
    impression.query_id = "q" + std::to_string(i);
    impression.query = "query " + std::to_string(i % 40);
    impression.temperature = policy.temperature;
    impression.sample_depth = 8;
    auto row = [&](std::size_t d) {
      const auto r = features.row(d);
      return std::vector<float>(r.begin(), r.end());
    };
    std::vector<std::size_t> unshown;
    for (std::size_t p = 0; p < order.size(); ++p) {
      const std::size_t d = order[p].candidate;
      if (p >= 4) {
        unshown.push_back(d);
        continue;
      }
      impression.results.push_back({static_cast<std::int32_t>(p), "d" + std::to_string(d),
                                    scores[d], order[p].probability, row(d), 0});
      if (unit(rng) < relevance[d] / (p + 1.0)) {
        settled.clicks.push_back({0, "d" + std::to_string(d), static_cast<std::int32_t>(p), 0, 0});
      }
    }
    std::sort(unshown.begin(), unshown.end(),
              [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    for (std::size_t d : unshown)
      impression.unshown.push_back({"d" + std::to_string(d), scores[d], row(d)});
    // The truth: both models rank the whole pool.
    auto dcg = [&](std::span<const float> by) {
      std::vector<std::size_t> ranked(8);
      std::iota(ranked.begin(), ranked.end(), 0);
      std::stable_sort(ranked.begin(), ranked.end(),
                       [&](std::size_t a, std::size_t b) { return by[a] > by[b]; });
      double total = 0;
      for (std::size_t r = 0; r < ranked.size(); ++r) {
        total += relevance[ranked[r]] / std::log2(2.0 + static_cast<double>(r));
      }
      return total;
    };
    out.truth += dcg(relevance) - dcg(scores);
    out.log.push_back(std::move(settled));
  }
  out.truth /= count;
  return out;
}

TEST(CounterfactualTest, PlackettLucePagesAreJudgedOnTheirWholeSampledPool) {
  // The candidate ranks by relevance and so brings documents from below the page;
  // only the pool and the served probabilities say how often users could have
  // clicked those, and so what they are worth.
  const PoolLog pool = LogPlackettLucePages(20'000, 9);
  LinearFunction noisy;
  noisy.weights[Column(Feature::kBm25Body)] = 1;
  const Model logging = PinnedBase().WithDelta(noisy, "test");
  CounterfactualOptions options;
  options.min_propensity = 0.002;  // Every pooled document is within reach here.
  const CounterfactualReport report =
      EvaluateCounterfactual(pool.log, QualityModel(1), logging, PositionBias::Prior(), options);
  EXPECT_EQ(report.policy_aware, 20'000u);
  EXPECT_EQ(report.by_position, 0u);
  EXPECT_NEAR(report.segments[0].difference, pool.truth, 0.05 * pool.truth);
  EXPECT_LT(report.segments[0].lower, pool.truth);
  EXPECT_GT(report.segments[0].upper, pool.truth);
  EXPECT_EQ(report.segments[0].decision, "better");

  // Without the pool, the estimate only sees the shown four re-ordered: it misses
  // most of the candidate's gain.
  std::vector<SettledImpression> shown_only = pool.log;
  for (SettledImpression& settled : shown_only) {
    settled.impression.unshown.clear();
    settled.impression.sample_depth = 0;
  }
  const CounterfactualReport by_position =
      EvaluateCounterfactual(shown_only, QualityModel(1), logging, PositionBias::Prior(), options);
  EXPECT_EQ(by_position.by_position, 20'000u);
  EXPECT_LT(by_position.segments[0].difference, 0.7 * pool.truth);
  std::printf("true difference %.4f; policy-aware %.4f [%.4f, %.4f]; shown only %.4f\n", pool.truth,
              report.segments[0].difference, report.segments[0].lower, report.segments[0].upper,
              by_position.segments[0].difference);
}

TEST(CounterfactualTest, APoolThatDisagreesWithTheServedProbabilitiesIsNotUsed) {
  PoolLog pool = LogPlackettLucePages(20, 10);
  pool.log[3].impression.unshown[0].score += 0.5f;  // Not the pool the page was drawn from.
  pool.log[5].impression.unshown.pop_back();        // Incomplete.
  pool.log[7].impression.results[2].probability *= 0.9;
  pool.log[8].impression.experiment = 4;  // A team draft: no sampling at all.
  pool.log[9].impression.unshown[1].score = std::numeric_limits<float>::quiet_NaN();
  const CounterfactualReport report =
      EvaluateCounterfactual(pool.log, QualityModel(1), QualityModel(-1), PositionBias::Prior());
  EXPECT_EQ(report.policy_aware, 15u);
  EXPECT_EQ(report.by_position, 5u);
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
