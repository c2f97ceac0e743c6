#include "feedback/recently_shown.h"

#include <gtest/gtest.h>

#include <string>

namespace foldrank {
namespace {

TEST(RecentlyShownTest, KnowsExactlyWhichDocumentWasShownWhere) {
  RecentlyShown shown(16);
  shown.Add("q1", 0, "a");
  shown.Add("q1", 1, "b");
  EXPECT_TRUE(shown.Contains("q1", 0, "a"));
  EXPECT_TRUE(shown.Contains("q1", 1, "b"));
  EXPECT_FALSE(shown.Contains("q1", 1, "a"));  // Another position.
  EXPECT_FALSE(shown.Contains("q1", 0, "c"));  // Another document.
  EXPECT_FALSE(shown.Contains("q2", 0, "a"));  // Another impression.
  // The same characters split differently are another triple.
  shown.Add("q1a", 0, "");
  EXPECT_FALSE(shown.Contains("q1", 0, "aa"));
  EXPECT_FALSE(shown.Contains("q", 0, "1a"));
}

TEST(RecentlyShownTest, KeepsTheNewestCapacityAndForgetsTheOldest) {
  constexpr int kCapacity = 100;
  RecentlyShown shown(kCapacity);
  auto id = [](int i) { return "q" + std::to_string(i); };
  for (int i = 0; i < 1000; ++i) {
    shown.Add(id(i), i % 10, "doc");
    // The newest kCapacity are always held.
    for (int back = 0; back < kCapacity && back <= i; back += 7) {
      ASSERT_TRUE(shown.Contains(id(i - back), (i - back) % 10, "doc")) << i << " " << back;
    }
  }
  // At most twice the capacity: the first ones are gone.
  for (int i = 0; i < 1000 - 2 * kCapacity; ++i) {
    EXPECT_FALSE(shown.Contains(id(i), i % 10, "doc")) << i;
  }
}

TEST(RecentlyShownTest, AddingATripleAgainDoesNotCrowdOutOthers) {
  RecentlyShown shown(4);
  shown.Add("q1", 0, "a");
  for (int i = 0; i < 100; ++i) shown.Add("q2", 0, "b");
  EXPECT_TRUE(shown.Contains("q1", 0, "a"));
  EXPECT_TRUE(shown.Contains("q2", 0, "b"));
}

}  // namespace
}  // namespace foldrank
