#include "feedback/ledger_click_signals.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "feedback/sqlite_ledger.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace foldrank {
namespace {

TEST(LedgerClickSignalsTest, DocumentRowsAreSumsOverQueries) {
  LedgerClickSignals signals;
  const std::vector<FoldCommit::CountDelta> deltas = {{"apple", "d1", {1, 0.5}},
                                                      {"pear", "d1", {2, 1.5}}};
  signals.Apply(deltas);
  EXPECT_EQ(signals.Counts("", "d1").clicks, 3);
  EXPECT_EQ(signals.Counts("", "d1").expected, 2);
  EXPECT_EQ(signals.Counts("pear", "d1").clicks, 2);
  EXPECT_EQ(signals.Counts("pear", "d2").clicks, 0);
  EXPECT_EQ(signals.size().pairs, 2u);      // (apple, d1), (pear, d1)
  EXPECT_EQ(signals.size().documents, 1u);  // and the document d1.

  const std::vector<Candidate> candidates = {{0, "d1", 1.0f}, {1, "d2", 0.5f}};
  float doc_rate[2], query_doc_rate[2];
  signals.Lookup("  Pear ", candidates, doc_rate, query_doc_rate);
  EXPECT_FLOAT_EQ(doc_rate[0], SmoothedClickRate(3, 2));
  EXPECT_FLOAT_EQ(query_doc_rate[0], SmoothedClickRate(2, 1.5));
  EXPECT_FLOAT_EQ(doc_rate[1], 1.0f);  // No counts: neutral.
  EXPECT_FLOAT_EQ(query_doc_rate[1], 1.0f);
}

// Many folds' deltas, applied one by one (through overlay merges), must read the
// same as a reload of what the ledger committed.
TEST(LedgerClickSignalsTest, AppliedDeltasMatchAReloadAcrossMerges) {
  testing::TempDir dir;
  auto ledger = SqliteLedger::Open(dir.path() / "ledger.sqlite");
  ASSERT_OK(ledger);
  LedgerClickSignals applied;
  std::mt19937 rng(7);
  for (int fold = 0; fold < 40; ++fold) {
    FoldCommit commit;
    std::map<std::pair<std::string, std::string>, ClickCounts> batch;
    for (int i = 0; i < 300; ++i) {
      auto& counts = batch[{"q" + std::to_string(rng() % 50), "d" + std::to_string(rng() % 400)}];
      counts.clicks += rng() % 2;
      counts.expected += 1.0 / (1 + rng() % 10);
    }
    for (const auto& [key, counts] : batch)
      commit.counts.push_back({key.first, key.second, counts});
    ASSERT_OK((*ledger)->CommitFold(commit));
    applied.Apply(commit.counts);
  }
  LedgerClickSignals reloaded;
  ASSERT_OK(reloaded.Reload(**ledger));
  EXPECT_EQ(applied.size().pairs, reloaded.size().pairs);
  EXPECT_EQ(applied.size().documents, reloaded.size().documents);
  for (int q = -1; q < 50; ++q) {
    for (int d = 0; d < 400; ++d) {
      const std::string query = q < 0 ? "" : "q" + std::to_string(q);
      const std::string doc = "d" + std::to_string(d);
      EXPECT_EQ(applied.Counts(query, doc).clicks, reloaded.Counts(query, doc).clicks);
      EXPECT_NEAR(applied.Counts(query, doc).expected, reloaded.Counts(query, doc).expected, 1e-9);
    }
  }
}

// Beyond the bound, the pairs whose rate says least go (here: shown once, never
// clicked) and those that say most stay (clicked often, or shown often unclicked);
// documents always stay.
TEST(LedgerClickSignalsTest, KeepsTheMostInformativePairsWithinTheBound) {
  LedgerClickSignals signals(/*max_pairs=*/1000);
  for (int fold = 0; fold < 50; ++fold) {
    std::vector<FoldCommit::CountDelta> deltas;
    for (int i = 0; i < 200; ++i) {
      const std::string n = std::to_string(fold * 200 + i);
      deltas.push_back({"tail " + n, "d" + std::to_string(i), {0, 0.1}});
    }
    deltas.push_back({"head", "loved", {3, 1}});
    deltas.push_back({"head", "ignored", {0, 2}});
    signals.Apply(deltas);
  }
  const LedgerClickSignals::Size size = signals.size();
  EXPECT_LE(size.pairs, 1000u + 4096u);  // The bound, plus an overlay not merged yet.
  EXPECT_GT(size.dropped, 0u);
  EXPECT_EQ(size.documents, 202u);  // d0-d199, loved, ignored.
  EXPECT_EQ(signals.Counts("head", "loved").clicks, 150);
  EXPECT_EQ(signals.Counts("head", "ignored").expected, 100);
  EXPECT_NEAR(signals.Counts("", "d0").expected, 5.0, 1e-9);
  int held = 0;
  for (int n = 0; n < 50 * 200; ++n) {
    held += signals.Counts("tail " + std::to_string(n), "d" + std::to_string(n % 200)).expected > 0;
  }
  EXPECT_EQ(static_cast<std::size_t>(held) + 2, size.pairs);
}

// Pairs of equal evidence go in hash order: with the same key, the same pairs stay
// (what makes bounded simulations repeat); a random key is what a server uses.
TEST(LedgerClickSignalsTest, TheSameHashKeyKeepsTheSamePairs) {
  const std::array<std::uint64_t, 2> key{7, 11};
  LedgerClickSignals first(/*max_pairs=*/100, key), second(/*max_pairs=*/100, key);
  std::vector<FoldCommit::CountDelta> deltas;
  // More than an overlay holds: the fold merges, and the bound applies.
  for (int i = 0; i < 5000; ++i) deltas.push_back({"q" + std::to_string(i), "d", {0, 0.5}});
  first.Apply(deltas);
  second.Apply(deltas);
  ASSERT_GT(first.size().dropped, 0u);
  ASSERT_EQ(first.size().pairs, second.size().pairs);
  for (int i = 0; i < 5000; ++i) {
    const std::string query = "q" + std::to_string(i);
    EXPECT_EQ(first.Counts(query, "d").expected, second.Counts(query, "d").expected) << query;
  }
}

// A reload bounds what it loads, and keeps the same pairs an Apply would have.
TEST(LedgerClickSignalsTest, AReloadOfALargerLedgerStaysWithinTheBound) {
  testing::TempDir dir;
  auto ledger = SqliteLedger::Open(dir.path() / "ledger.sqlite");
  ASSERT_OK(ledger);
  for (int fold = 0; fold < 5; ++fold) {
    FoldCommit commit;
    for (int i = 0; i < 1000; ++i) {
      commit.counts.push_back({"q" + std::to_string(fold * 1000 + i), "d", {0, 0.5}});
    }
    commit.counts.push_back({"head", "loved", {1, 0.1}});
    ASSERT_OK((*ledger)->CommitFold(commit));
  }
  LedgerClickSignals signals(/*max_pairs=*/800);
  ASSERT_OK(signals.Reload(**ledger));
  EXPECT_LE(signals.size().pairs, 800u);
  EXPECT_EQ(signals.size().dropped, 5001u - signals.size().pairs);
  EXPECT_EQ(signals.Counts("head", "loved").clicks, 5);
  EXPECT_EQ(signals.Counts("", "d").expected, 2500);  // Documents are never dropped.
}

}  // namespace
}  // namespace foldrank
