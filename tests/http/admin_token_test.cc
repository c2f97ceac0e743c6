#include "http/admin_token.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace foldrank::http {
namespace {

mode_t Mode(const std::filesystem::path& file) {
  struct stat info {};
  EXPECT_EQ(::stat(file.c_str(), &info), 0);
  return info.st_mode & 0777;
}

TEST(AdminTokenTest, MadeOnceOnlyTheOwnerReadsItAndTheSameLater) {
  testing::TempDir dir;
  const auto file = dir.path() / "admin-token";
  auto first = LoadOrCreateAdminToken(file);
  ASSERT_OK(first);
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->token.size(), 64u);
  EXPECT_EQ(Mode(file), 0600u);
  auto again = LoadOrCreateAdminToken(file);
  ASSERT_OK(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->token, first->token);
  testing::TempDir other;
  EXPECT_NE(LoadOrCreateAdminToken(other.path() / "admin-token")->token, first->token);
}

TEST(AdminTokenTest, AFileOthersCouldReadIsTightened) {
  testing::TempDir dir;
  const auto file = dir.path() / "admin-token";
  std::ofstream(file) << "an-operators-own-token-123\n";
  ::chmod(file.c_str(), 0644);
  auto loaded = LoadOrCreateAdminToken(file);
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->token, "an-operators-own-token-123");
  EXPECT_TRUE(loaded->tightened);
  EXPECT_EQ(Mode(file), 0600u);
}

TEST(AdminTokenTest, ADamagedFileIsAnErrorNeverReplaced) {
  testing::TempDir dir;
  const auto file = dir.path() / "admin-token";
  for (const std::string& content :
       {std::string(""), std::string("short"), std::string("has spaces in the token text"),
        std::string(300, 'x')}) {
    std::ofstream(file, std::ios::trunc) << content;
    auto loaded = LoadOrCreateAdminToken(file);
    ASSERT_FALSE(loaded) << content;
    EXPECT_EQ(loaded.error().code(), Status::Code::kCorruption);
  }
  EXPECT_EQ(std::filesystem::file_size(file), 300u);
}

}  // namespace
}  // namespace foldrank::http
