#include "ranker/model_files.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace foldrank {
namespace {

TEST(ModelFilesTest, WithoutModelsTheColdStartServes) {
  testing::TempDir dir;
  ModelFiles files(dir.path());
  auto active = files.LoadActive();
  ASSERT_OK(active);
  EXPECT_EQ(active->version(), 1u);
  EXPECT_EQ(active->origin(), "cold-start");
  EXPECT_TRUE(files.Versions().empty());
}

TEST(ModelFilesTest, SaveNumbersActivateSwitchesAndOldVersionsStay) {
  testing::TempDir dir;
  ModelFiles files(dir.path());
  LinearFunction delta;
  delta.bias = 0.25f;
  auto v2 = files.Save(Model::ColdStart().WithDelta(delta, "fold"), 1);
  ASSERT_OK(v2);
  EXPECT_EQ(v2->version(), 2u);
  EXPECT_EQ(v2->parent(), 1u);
  auto v3 = files.Save(*v2, 2);
  ASSERT_OK(v3);
  EXPECT_EQ(v3->version(), 3u);
  EXPECT_EQ(files.Versions(), (std::vector<std::uint64_t>{2, 3}));
  ASSERT_OK(files.Activate(3));
  EXPECT_EQ(files.LoadActive()->version(), 3u);
  ASSERT_OK(files.Activate(2));  // Rollback.
  auto active = files.LoadActive();
  ASSERT_OK(active);
  EXPECT_EQ(active->version(), 2u);
  EXPECT_EQ(active->delta().bias, 0.25f);
  EXPECT_CODE(files.Activate(9), Status::Code::kNotFound);
  EXPECT_EQ(files.LoadActive()->version(), 2u);  // A failed activation changes nothing.
  ASSERT_OK(files.Activate(1));                  // Back to the built-in cold start.
  EXPECT_EQ(files.LoadActive()->origin(), "cold-start");
}

TEST(ModelFilesTest, DamagedFilesAreCorruptionNamingTheFile) {
  testing::TempDir dir;
  ModelFiles files(dir.path());
  auto v2 = files.Save(Model::ColdStart(), 1);
  ASSERT_OK(v2);
  ASSERT_OK(files.Activate(2));
  std::ofstream(dir.path() / "models" / "model-000002.json", std::ios::trunc) << "{\"trunc";
  auto active = files.LoadActive();
  ASSERT_FALSE(active);
  EXPECT_EQ(active.error().code(), Status::Code::kCorruption);
  EXPECT_NE(active.error().message().find("model-000002.json"), std::string::npos);
}

}  // namespace
}  // namespace foldrank
