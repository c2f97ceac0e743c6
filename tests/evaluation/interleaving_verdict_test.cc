#include "evaluation/interleaving_verdict.h"

#include <gtest/gtest.h>

#include <random>

namespace foldrank {
namespace {

TEST(InterleavingVerdictTest, DecidesOnlyWithClearEvidence) {
  EXPECT_EQ(JudgeInterleaving({}).decision, "continue");
  ExperimentCounts few{20, 10, 7, 3, 0};
  EXPECT_EQ(JudgeInterleaving(few).decision, "continue");
  EXPECT_NEAR(JudgeInterleaving(few).preference, 0.4, 1e-12);
  ExperimentCounts many{4000, 2000, 1200, 700, 100};
  EXPECT_EQ(JudgeInterleaving(many).decision, "a");
  ExperimentCounts reversed{4000, 2000, 700, 1200, 100};
  EXPECT_EQ(JudgeInterleaving(reversed).decision, "b");
  EXPECT_LT(JudgeInterleaving(reversed).preference, 0);
}

TEST(InterleavingVerdictTest, EqualRankersAreRarelyCalledDifferentEvenWhenWatchedThroughout) {
  // The interval holds at every n at once: checking after every impression, over
  // 200 runs of 3,000 fair coin flips, it should (almost) never decide.
  std::mt19937_64 rng(8);
  std::bernoulli_distribution coin(0.5);
  int decided = 0;
  for (int run = 0; run < 200; ++run) {
    ExperimentCounts counts;
    for (int i = 0; i < 3000; ++i) {
      ++counts.impressions;
      ++counts.clicked;
      ++(coin(rng) ? counts.wins_a : counts.wins_b);
      if (JudgeInterleaving(counts).decision != "continue") {
        ++decided;
        break;
      }
    }
  }
  EXPECT_LE(decided, 10);  // At most 5% (the bound promises it; in practice far fewer).
}

}  // namespace
}  // namespace foldrank
