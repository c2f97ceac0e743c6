#include "ranker/tree_ensemble.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace foldrank {
namespace {

const char* kTree = R"([
  {"nodeid":0,"split":"bm25_all","split_condition":0.5,"yes":1,"no":2,"missing":1,"cover":10,
   "children":[{"nodeid":1,"leaf":-1.0,"cover":6},
               {"nodeid":2,"split":"f4","split_condition":0.25,"yes":3,"no":4,"missing":3,
                "cover":4,"children":[{"nodeid":3,"leaf":0.5,"cover":1},
                                      {"nodeid":4,"leaf":2.0,"cover":3}]}]}
])";

std::array<float, kFeatureCount> Row(float bm25_all, float coverage_title) {
  std::array<float, kFeatureCount> row{};
  row[Column(Feature::kBm25All)] = bm25_all;
  row[Column(Feature::kCoverageTitle)] = coverage_title;
  return row;
}

TEST(TreeEnsembleTest, WalksSplitsWithXgboostsLessThanRule) {
  auto trees = TreeEnsemble::FromXgboostJson(kTree, 0.5f);
  ASSERT_OK(trees);
  EXPECT_EQ(trees->tree_count(), 1u);
  EXPECT_FLOAT_EQ(trees->Score(Row(0.2f, 0)), 0.5f - 1.0f);
  EXPECT_FLOAT_EQ(trees->Score(Row(0.5f, 0)), 0.5f + 0.5f);  // Equal goes right ("no").
  EXPECT_FLOAT_EQ(trees->Score(Row(0.9f, 0.3f)), 0.5f + 2.0f);
}

TEST(TreeEnsembleTest, PathContributionsAddUpToTheScore) {
  auto trees = TreeEnsemble::FromXgboostJson(kTree, 0.5f);
  ASSERT_OK(trees);
  // Expected values: node 2 = (0.5*1 + 2*3)/4 = 1.625; root = (-1*6 + 1.625*4)/10 = 0.05.
  std::array<float, kFeatureCount> contributions{};
  const auto row = Row(0.9f, 0.3f);
  const float bias = trees->Contributions(row, contributions);
  EXPECT_FLOAT_EQ(bias, 0.5f + 0.05f);
  EXPECT_FLOAT_EQ(contributions[Column(Feature::kBm25All)], 1.625f - 0.05f);
  EXPECT_FLOAT_EQ(contributions[Column(Feature::kCoverageTitle)], 2.0f - 1.625f);
  float total = bias;
  for (float c : contributions) total += c;
  EXPECT_FLOAT_EQ(total, trees->Score(row));
}

TEST(TreeEnsembleTest, RoundTripsThroughItsOwnDump) {
  auto trees = TreeEnsemble::FromXgboostJson(kTree, 0.5f);
  ASSERT_OK(trees);
  auto again = TreeEnsemble::FromXgboostJson(trees->ToXgboostJson(), trees->base_score());
  ASSERT_OK(again);
  for (float a : {0.1f, 0.5f, 0.7f}) {
    for (float c : {0.0f, 0.25f, 0.9f}) EXPECT_EQ(again->Score(Row(a, c)), trees->Score(Row(a, c)));
  }
}

TEST(TreeEnsembleTest, RejectsMalformedTrees) {
  for (const char* bad :
       {"{}", "[1]", R"([{"leaf":1}])", R"([{"nodeid":0,"split":"f99","split_condition":1,"yes":1,
          "no":2,"children":[{"nodeid":1,"leaf":1},{"nodeid":2,"leaf":2}]}])",
        R"([{"nodeid":0,"split":"f1","split_condition":1,"yes":1,"no":1,
          "children":[{"nodeid":1,"leaf":1}]}])",
        R"([{"nodeid":0,"split":"f1","split_condition":1,"yes":1,"no":2,
          "children":[{"nodeid":1,"leaf":1},{"nodeid":1,"leaf":2}]}])",
        R"([{"nodeid":0,"split":"f1","yes":1,"no":2,
          "children":[{"nodeid":1,"leaf":1},{"nodeid":2,"leaf":2}]}])"}) {
    auto trees = TreeEnsemble::FromXgboostJson(bad, 0);
    EXPECT_FALSE(trees) << bad;
  }
  std::string deep = R"({"nodeid":0,"leaf":1})";
  for (int i = 1; i < 100; ++i) {
    deep = R"({"nodeid":)" + std::to_string(i) + R"(,"split":"f0","split_condition":0.5,"yes":)" +
           std::to_string(i - 1) + R"(,"no":)" + std::to_string(1000 + i) + R"(,"children":[)" +
           deep + R"(,{"nodeid":)" + std::to_string(1000 + i) + R"(,"leaf":0}]})";
  }
  auto too_deep = TreeEnsemble::FromXgboostJson("[" + deep + "]", 0);
  ASSERT_FALSE(too_deep);
  EXPECT_NE(too_deep.error().message().find("deeper than"), std::string::npos);
}

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Parity with XGBoost itself: Debian's python3-xgboost trains a model over our
// feature names and predicts; our walker must give the same margins.
TEST(TreeEnsembleTest, ScoresLikeXgboost) {
  testing::TempDir dir;
  const std::string script =
      std::string(std::getenv("FOLDRANK_SOURCE_DIR")) + "/tests/ranker/xgboost_reference.py";
  const std::string command = "/usr/bin/python3 '" + script + "' '" + dir.path().string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0)
      << "needs Debian's python3-xgboost (scripts/setup.sh installs it)";
  const float base_score = std::strtof(Slurp(dir.path() / "base_score.txt").c_str(), nullptr);
  auto trees = TreeEnsemble::FromXgboostJson(Slurp(dir.path() / "trees.json"), base_score);
  ASSERT_OK(trees);
  EXPECT_EQ(trees->tree_count(), 25u);
  std::ifstream rows(dir.path() / "rows.txt"), margins(dir.path() / "margins.txt");
  int compared = 0;
  for (float expected; margins >> expected; ++compared) {
    std::array<float, kFeatureCount> row;
    for (float& value : row) ASSERT_TRUE(rows >> value);
    EXPECT_NEAR(trees->Score(row), expected, 1e-5f * std::max(1.0f, std::abs(expected)))
        << "row " << compared;
    std::array<float, kFeatureCount> contributions{};
    float total = trees->Contributions(row, contributions);
    for (float c : contributions) total += c;
    EXPECT_NEAR(total, expected, 1e-4f * std::max(1.0f, std::abs(expected)));
  }
  EXPECT_EQ(compared, 60);
}

}  // namespace
}  // namespace foldrank
