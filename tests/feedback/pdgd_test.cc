#include "feedback/pdgd.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "tests/feedback/feedback_test_util.h"

namespace foldrank {
namespace {

using testing::MakeImpression;

constexpr std::size_t kQuality = Column(Feature::kBm25Title);

// A model that scores every document 0, so the learner's first steps are easy to
// compute by hand.
Model FlatModel() {
  auto model = Model::FromJson(R"({"format":"foldrank-model","format_version":1,"version":1,
    "parent":0,"feature_set":{"name":"foldrank-features","version":1},
    "base":{"kind":"linear","weights":{}},"delta":{"weights":{}}})");
  EXPECT_TRUE(model.has_value());
  return *model;
}

SettledImpression Clicked(std::vector<float> quality, std::vector<std::int32_t> clicked_positions,
                          std::string user = "", std::string id = "q") {
  std::vector<std::string> docs;
  for (std::size_t i = 0; i < quality.size(); ++i) docs.push_back("d" + std::to_string(i));
  SettledImpression settled;
  settled.impression = MakeImpression(id, docs, quality, 0, std::move(user));
  for (std::int32_t position : clicked_positions) {
    settled.clicks.push_back({position, docs[static_cast<std::size_t>(position)], position, 0});
  }
  return settled;
}

TEST(PdgdTest, EqualScoresGiveTheHandComputedGradient) {
  // Scores all 0: rho = 1/2 and P(k>l) = 1/2 for every pair, so each pair adds
  // 1/2 * 1/4 * (x_k - x_l). Click at position 1 of 4: observed unclicked are 0 and 2.
  const SettledImpression settled = Clicked({0.2f, 1.0f, 0.4f, 0.8f}, {1});
  auto gradient = PdgdLearner().Gradient(FlatModel(), settled);
  EXPECT_NEAR(gradient[kQuality], 0.125 * ((1.0 - 0.2) + (1.0 - 0.4)), 1e-7);
  for (std::size_t f = 0; f < kFeatureCount; ++f) {
    if (f != kQuality) {
      EXPECT_EQ(gradient[f], 0.0);
    }
  }
}

TEST(PdgdTest, DocumentsBelowTheObservedOnesAreIgnored) {
  // Click at position 0: only position 1 counts as observed, position 3 does not.
  const SettledImpression settled = Clicked({0.5f, 0.1f, 0.9f, 0.0f}, {0});
  auto gradient = PdgdLearner().Gradient(FlatModel(), settled);
  EXPECT_NEAR(gradient[kQuality], 0.125 * (0.5 - 0.1), 1e-7);
}

TEST(PdgdTest, ClicksPullTheDeltaTowardTheClickedDocumentsFeatures) {
  std::vector<SettledImpression> batch;
  for (int i = 0; i < 20; ++i) {
    batch.push_back(Clicked({0.1f, 0.9f, 0.2f}, {1}, "", "q" + std::to_string(i)));
  }
  std::uint64_t updates = 0;
  const LinearFunction delta = PdgdLearner().Update(FlatModel(), batch, updates);
  EXPECT_GT(delta.weights[kQuality], 0.0f);
  EXPECT_EQ(updates, 20u);
  // Nothing learned without clicks.
  std::vector<SettledImpression> no_clicks = {Clicked({0.1f, 0.9f}, {})};
  std::uint64_t none = 0;
  EXPECT_EQ(PdgdLearner().Update(FlatModel(), no_clicks, none).weights[kQuality], 0.0f);
  EXPECT_EQ(none, 0u);
}

TEST(PdgdTest, RhoWeighsPairsByHowLikelyTheSwappedRankingWas) {
  // Once the model prefers d1 strongly, the ranking with d1 on top is likely and the
  // swapped ranking (as shown, d0 on top) is not: the shown order carries little
  // information and the pair's weight shrinks.
  LinearFunction delta;
  delta.weights[kQuality] = 8.0f;
  const Model confident = FlatModel().WithDelta(delta, "test");
  const SettledImpression settled = Clicked({0.0f, 1.0f}, {1});
  const double flat = PdgdLearner().Gradient(FlatModel(), settled)[kQuality];
  const double sure = PdgdLearner().Gradient(confident, settled)[kQuality];
  EXPECT_GT(flat, 0.0);
  EXPECT_GT(sure, 0.0);
  EXPECT_LT(sure, flat / 10);
}

TEST(PdgdTest, OneUsersFloodCountsNoMoreThanTheCap) {
  LearnerOptions options;
  options.max_impressions_per_user_query = 2;
  options.learning_rate_floor = options.learning_rate;  // Constant rate: comparable steps.
  std::vector<SettledImpression> flood, fair;
  for (int i = 0; i < 50; ++i) {
    flood.push_back(Clicked({0.1f, 0.9f}, {1}, "mallory", "f" + std::to_string(i)));
    flood.back().earlier_by_user = static_cast<std::uint32_t>(i);  // One query, over and over.
  }
  for (int i = 0; i < 2; ++i) {
    fair.push_back(Clicked({0.1f, 0.9f}, {1}, "alice", "a" + std::to_string(i)));
  }
  std::uint64_t u1 = 0, u2 = 0;
  const PdgdLearner learner(options);
  EXPECT_TRUE(learner.Counts(flood[1]));
  EXPECT_FALSE(learner.Counts(flood[2]));
  const float flooded = learner.Update(FlatModel(), flood, u1).weights[kQuality];
  const float honest = learner.Update(FlatModel(), fair, u2).weights[kQuality];
  EXPECT_EQ(flooded, honest);  // 50 impressions weigh as much as 2 ...
  EXPECT_EQ(u1, 2u);           // ... and the rest were not learned from.
}

TEST(PdgdTest, UpdatesAreDeterministicBitForBit) {
  std::vector<SettledImpression> batch = {Clicked({0.3f, 0.7f, 0.2f}, {1, 2}),
                                          Clicked({0.9f, 0.1f}, {0}, "u", "q2")};
  std::uint64_t a_updates = 5, b_updates = 5;
  const LinearFunction a = PdgdLearner().Update(FlatModel(), batch, a_updates);
  const LinearFunction b = PdgdLearner().Update(FlatModel(), batch, b_updates);
  EXPECT_EQ(std::memcmp(a.weights.data(), b.weights.data(), sizeof(float) * kFeatureCount), 0);
}

TEST(PdgdTest, AStepThatUnderflowsLeavesAPositiveZero) {
  // At a low temperature a pair's weight, rho * P(k>l) * P(l>k), can lie far below
  // float's smallest value: the step then rounds to zero, and it must be +0. The
  // model's JSON writes no zero weights, so a -0 came back as +0 and the stored
  // version differed from its replay in the sign bit (seen in a soak run).
  auto model = Model::FromJson(R"({"format":"foldrank-model","format_version":1,"version":1,
    "parent":0,"feature_set":{"name":"foldrank-features","version":1},
    "base":{"kind":"linear","weights":{"bm25_title":1}},"delta":{"weights":{}}})");
  ASSERT_TRUE(model.has_value());
  SettledImpression settled = Clicked({1.0f, 0.9f}, {1});  // Logits 1000 and 900.
  settled.impression.temperature = 0.001;
  std::uint64_t updates = 0;
  const LinearFunction delta =
      PdgdLearner().Update(*model, std::span<const SettledImpression>(&settled, 1), updates);
  EXPECT_EQ(updates, 1u);
  EXPECT_EQ(delta.weights[kQuality], 0.0f);
  EXPECT_FALSE(std::signbit(delta.weights[kQuality]));
  auto stored = Model::FromJson(model->WithDelta(delta, "fold").ToJson());
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(std::memcmp(stored->delta().weights.data(), delta.weights.data(),
                        sizeof(float) * kFeatureCount),
            0);
}

TEST(PdgdTest, NormalizeQueryFoldsCaseAndSpace) {
  EXPECT_EQ(NormalizeQuery("  Garden   HOSE\t"), "garden hose");
  EXPECT_EQ(NormalizeQuery(""), "");
  EXPECT_EQ(NormalizeQuery("a\x1f"
                           "b\x01"),
            "a b");
}

}  // namespace
}  // namespace foldrank
