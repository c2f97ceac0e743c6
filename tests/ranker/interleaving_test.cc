#include "ranker/interleaving.h"

#include <gtest/gtest.h>

#include <set>

namespace foldrank {
namespace {

std::vector<Placement> Order(std::vector<std::size_t> candidates) {
  std::vector<Placement> order;
  for (std::size_t c : candidates) order.push_back({c, 1.0});
  return order;
}

TEST(InterleavingTest, TeamsAlternateFairlyAndEveryCandidateIsPlacedOnce) {
  const auto a = Order({0, 1, 2, 3, 4, 5});
  const auto b = Order({5, 4, 3, 2, 1, 0});
  std::mt19937_64 rng(1);
  int a_first = 0;
  for (int round = 0; round < 2000; ++round) {
    const auto drafted = TeamDraft(a, b, 4, rng);
    ASSERT_EQ(drafted.size(), 6u);
    std::set<std::size_t> seen;
    int picks_a = 0, picks_b = 0;
    for (std::size_t i = 0; i < drafted.size(); ++i) {
      EXPECT_TRUE(seen.insert(drafted[i].candidate).second);
      if (i < 4) {
        EXPECT_NE(drafted[i].team, Team::kNone);
        (drafted[i].team == Team::kA ? picks_a : picks_b) += 1;
      } else {
        EXPECT_EQ(drafted[i].team, Team::kNone);  // Past the page: a's order, no team.
      }
    }
    EXPECT_EQ(picks_a, 2);
    EXPECT_EQ(picks_b, 2);
    // Each team's first pick is its ranker's best.
    for (const TeamPlacement& p : drafted) {
      if (p.team == Team::kA) {
        EXPECT_EQ(p.candidate, 0u);
        break;
      }
    }
    a_first += drafted[0].team == Team::kA;
  }
  EXPECT_NEAR(a_first, 1000, 120);  // The coin decides who picks first.
}

TEST(InterleavingTest, AgreeingRankersGiveTheirCommonOrder) {
  const auto a = Order({2, 0, 1});
  std::mt19937_64 rng(4);
  const auto drafted = TeamDraft(a, a, 3, rng);
  ASSERT_EQ(drafted.size(), 3u);
  EXPECT_EQ(drafted[0].candidate, 2u);
  EXPECT_EQ(drafted[1].candidate, 0u);
  EXPECT_EQ(drafted[2].candidate, 1u);
}

}  // namespace
}  // namespace foldrank
