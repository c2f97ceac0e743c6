#include "ranker/model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "tests/testing/status_matchers.h"

namespace foldrank {
namespace {

using Json = nlohmann::json;

FeatureMatrix RandomRows(std::size_t rows, unsigned seed) {
  FeatureMatrix x(rows);
  std::uint32_t state = seed;
  for (float& value : x.values()) {
    state = state * 1664525u + 1013904223u;
    value = static_cast<float>(state >> 8) / static_cast<float>(1u << 24);
  }
  return x;
}

const char* kSmallTrees = R"([
  {"nodeid":0,"split":"bm25_all","split_condition":0.5,"yes":1,"no":2,"missing":1,"cover":10,
   "children":[{"nodeid":1,"leaf":-1.0,"cover":6},
               {"nodeid":2,"split":"coverage_title","split_condition":0.25,"yes":3,"no":4,
                "missing":3,"cover":4,"children":[{"nodeid":3,"leaf":0.5,"cover":1},
                                                  {"nodeid":4,"leaf":2.0,"cover":3}]}]},
  {"nodeid":0,"leaf":0.25}
])";

Model TreeModel() {
  auto trees = TreeEnsemble::FromXgboostJson(kSmallTrees, 0.5f);
  EXPECT_TRUE(trees.has_value()) << trees.status().ToString();
  return Model::WithTreeBase(Model::ColdStart(), std::move(*trees), Normalization{}, "test");
}

TEST(ModelTest, ColdStartIsVersionOneWithAZeroDelta) {
  Model model = Model::ColdStart();
  EXPECT_EQ(model.version(), 1u);
  EXPECT_EQ(model.parent(), 0u);
  EXPECT_EQ(model.base_kind(), Model::BaseKind::kLinear);
  EXPECT_GT(model.base_linear().weights[Column(Feature::kBm25All)], 0);
  for (float w : model.delta().weights) EXPECT_EQ(w, 0);
}

TEST(ModelTest, ChildrenRecordTheirParent) {
  Model base = Model::ColdStart();
  LinearFunction delta;
  delta.weights[Column(Feature::kClickRateDoc)] = 0.5f;
  Model learned = base.WithDelta(delta, "fold");
  EXPECT_EQ(learned.version(), 2u);
  EXPECT_EQ(learned.parent(), 1u);
  EXPECT_EQ(learned.delta(), delta);
  EXPECT_EQ(learned.base_linear(), base.base_linear());
}

TEST(ModelTest, ScoreIsBasePlusDelta) {
  Model model = Model::ColdStart();
  LinearFunction delta;
  delta.weights[Column(Feature::kFreshness)] = 2.0f;
  delta.bias = 0.1f;
  model = model.WithDelta(delta, "test");
  FeatureMatrix x = RandomRows(7, 3);
  std::vector<float> scores(7);
  model.Score(x, scores);
  for (std::size_t r = 0; r < 7; ++r) {
    float expected = model.base_linear().bias + delta.bias;
    for (std::size_t f = 0; f < kFeatureCount; ++f) {
      expected += (model.base_linear().weights[f] + delta.weights[f]) * x.at(r, f);
    }
    EXPECT_NEAR(scores[r], expected, 1e-5);
  }
}

TEST(ModelTest, ExplanationAddsUpToTheScore) {
  for (const Model& model : {Model::ColdStart(), TreeModel()}) {
    LinearFunction delta;
    delta.weights[Column(Feature::kBm25Title)] = -0.3f;
    const Model with_delta = model.WithDelta(delta, "test");
    FeatureMatrix x = RandomRows(5, 11);
    std::vector<float> scores(5);
    with_delta.Score(x, scores);
    for (std::size_t r = 0; r < 5; ++r) {
      Explanation e = with_delta.Explain(x.row(r), x.row(r));
      EXPECT_NEAR(e.score, scores[r], 1e-5);
      float base = e.base_bias, delta_total = e.delta_bias;
      for (const FeatureExplanation& f : e.features) {
        base += f.base_contribution;
        delta_total += f.delta_contribution;
      }
      EXPECT_NEAR(base, e.base_total, 1e-5);
      EXPECT_NEAR(delta_total, e.delta_total, 1e-5);
      ASSERT_EQ(e.features.size(), kFeatureCount);
      EXPECT_EQ(e.features[0].name, "bm25_title");
    }
  }
}

TEST(ModelTest, JsonRoundTripKeepsEverything) {
  LinearFunction delta;
  delta.weights[Column(Feature::kClickRateQueryDoc)] = 0.123456789f;
  delta.bias = -1e-7f;
  for (const Model& model : {Model::ColdStart().WithDelta(delta, "fold"), TreeModel()}) {
    auto again = Model::FromJson(model.ToJson());
    ASSERT_OK(again);
    EXPECT_EQ(again->version(), model.version());
    EXPECT_EQ(again->parent(), model.parent());
    EXPECT_EQ(again->origin(), model.origin());
    EXPECT_EQ(again->created_at(), model.created_at());
    EXPECT_EQ(again->base_kind(), model.base_kind());
    EXPECT_EQ(again->base_linear(), model.base_linear());
    EXPECT_EQ(again->delta(), model.delta());
    EXPECT_EQ(again->normalization(), model.normalization());
    FeatureMatrix x = RandomRows(20, 5);
    std::vector<float> a(20), b(20);
    model.Score(x, a);
    again->Score(x, b);
    EXPECT_EQ(a, b);
    EXPECT_EQ(again->ToJson(), model.ToJson());
  }
}

TEST(ModelTest, ZScoreNormalizationRoundTrips) {
  Json json = Json::parse(Model::ColdStart().ToJson());
  json["normalization"] = {
      {"method", "zscore"}, {"mean", {{"bm25_all", 2.5}}}, {"scale", {{"bm25_all", 4.0}}}};
  auto model = Model::FromJson(json.dump());
  ASSERT_OK(model);
  EXPECT_EQ(model->normalization().method, Normalization::Method::kZScore);
  EXPECT_EQ(model->normalization().mean[Column(Feature::kBm25All)], 2.5f);
  EXPECT_EQ(model->normalization().scale[Column(Feature::kBm25All)], 4.0f);
  EXPECT_EQ(model->normalization().scale[0], 1.0f);
  auto again = Model::FromJson(model->ToJson());
  ASSERT_OK(again);
  EXPECT_EQ(again->normalization(), model->normalization());
}

struct BadModel {
  const char* what;
  std::function<void(Json&)> damage;
  const char* message_part;
};

TEST(ModelTest, BadModelsAreRejectedWithTheReason) {
  const std::vector<BadModel> cases = {
      {"other feature set", [](Json& j) { j["feature_set"]["name"] = "other"; },
       "feature set 'other'"},
      {"other feature set version", [](Json& j) { j["feature_set"]["version"] = 99; }, "v99"},
      {"reordered features",
       [](Json& j) { std::swap(j["feature_set"]["features"][0], j["feature_set"]["features"][1]); },
       "feature list differs"},
      {"unknown feature weight", [](Json& j) { j["delta"]["weights"]["pagerank"] = 1; },
       "unknown feature 'pagerank'"},
      {"infinite weight", [](Json& j) { j["base"]["weights"]["bm25_all"] = 1e300; }, "finite"},
      {"string weight", [](Json& j) { j["base"]["weights"]["bm25_all"] = "1"; }, "not a number"},
      {"bad base kind", [](Json& j) { j["base"]["kind"] = "neural"; }, "base.kind"},
      {"not a model", [](Json& j) { j.erase("format"); }, "not a foldrank model"},
      {"bad version", [](Json& j) { j["version"] = 0; }, "version >= 1"},
      {"bad normalization", [](Json& j) { j["normalization"]["method"] = "magic"; },
       "normalization.method"},
      {"zero scale",
       [](Json& j) {
         j["normalization"] = {{"method", "zscore"}, {"scale", {{"bm25_all", 0}}}};
       },
       "> 0"},
      {"tree with unknown feature",
       [](Json& j) {
         j["base"] = {{"kind", "trees"},
                      {"trees", Json::parse(R"([{"nodeid":0,"split":"nope","split_condition":1,
                        "yes":1,"no":2,"children":[{"nodeid":1,"leaf":1},{"nodeid":2,"leaf":2}]}])")}};
       },
       "unknown feature 'nope'"},
      {"tree with a dangling child",
       [](Json& j) {
         j["base"] = {{"kind", "trees"},
                      {"trees", Json::parse(R"([{"nodeid":0,"split":"f1","split_condition":1,
                        "yes":1,"no":7,"children":[{"nodeid":1,"leaf":1},{"nodeid":2,"leaf":2}]}])")}};
       },
       "'no' is not one of the node's children"},
      {"tree leaf without a value",
       [](Json& j) {
         j["base"] = {{"kind", "trees"}, {"trees", Json::parse(R"([{"nodeid":0}])")}};
       },
       "needs 'leaf'"},
  };
  const Json good = Json::parse(Model::ColdStart().ToJson());
  for (const BadModel& bad : cases) {
    Json json = good;
    bad.damage(json);
    auto model = Model::FromJson(json.dump());
    ASSERT_FALSE(model) << bad.what;
    EXPECT_EQ(model.error().code(), Status::Code::kInvalidArgument) << bad.what;
    EXPECT_NE(model.error().message().find(bad.message_part), std::string::npos)
        << bad.what << ": " << model.error().ToString();
  }
  EXPECT_CODE(Model::FromJson("{not json"), Status::Code::kInvalidArgument);
  EXPECT_CODE(Model::FromJson(R"({"weights":{"bm25_all":NaN}})"), Status::Code::kInvalidArgument);
}

TEST(ModelTest, LinearFromJsonValidates) {
  auto linear = Model::LinearFromJson(R"({"bias":0.5,"weights":{"bm25_title":2}})");
  ASSERT_OK(linear);
  EXPECT_EQ(linear->bias, 0.5f);
  EXPECT_EQ(linear->weights[Column(Feature::kBm25Title)], 2.0f);
  EXPECT_CODE(Model::LinearFromJson(R"({"weights":{"x":1}})"), Status::Code::kInvalidArgument);
  EXPECT_CODE(Model::LinearFromJson(R"({"weights":[1,2]})"), Status::Code::kInvalidArgument);
}

TEST(NormalizationTest, PerQueryMinMaxScalesEachColumnToUnitRange) {
  FeatureMatrix raw(3);
  raw.at(0, Feature::kBm25All) = 2;
  raw.at(1, Feature::kBm25All) = 6;
  raw.at(2, Feature::kBm25All) = 4;
  for (std::size_t r = 0; r < 3; ++r) raw.at(r, Feature::kQueryLength) = 3;  // Constant.
  FeatureMatrix out;
  Normalization{}.Apply(raw, out);
  EXPECT_EQ(out.at(0, Feature::kBm25All), 0.0f);
  EXPECT_EQ(out.at(1, Feature::kBm25All), 1.0f);
  EXPECT_EQ(out.at(2, Feature::kBm25All), 0.5f);
  EXPECT_EQ(out.at(1, Feature::kQueryLength), 0.0f);
}

TEST(NormalizationTest, NoRowsIsNoWorkForEveryMethod) {
  // A query without candidates: nothing to read (this used to read row 0).
  for (auto method : {Normalization::Method::kPerQueryMinMax, Normalization::Method::kZScore,
                      Normalization::Method::kNone}) {
    Normalization normalization;
    normalization.method = method;
    FeatureMatrix raw(0), out(2);
    normalization.Apply(raw, out);
    EXPECT_EQ(out.rows(), 0u);
  }
}

TEST(NormalizationTest, ZScoreAndNone) {
  FeatureMatrix raw(1);
  raw.at(0, Feature::kBm25All) = 5;
  Normalization z;
  z.method = Normalization::Method::kZScore;
  z.scale.fill(1);
  z.mean[Column(Feature::kBm25All)] = 1;
  z.scale[Column(Feature::kBm25All)] = 2;
  FeatureMatrix out;
  z.Apply(raw, out);
  EXPECT_EQ(out.at(0, Feature::kBm25All), 2.0f);
  Normalization none;
  none.method = Normalization::Method::kNone;
  none.Apply(raw, out);
  EXPECT_EQ(out.at(0, Feature::kBm25All), 5.0f);
}

}  // namespace
}  // namespace foldrank
