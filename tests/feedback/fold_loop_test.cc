#include "feedback/fold_loop.h"

#include <gtest/gtest.h>

#include <random>

#include "feedback/ledger_click_signals.h"
#include "feedback/sqlite_ledger.h"
#include "tests/feedback/feedback_test_util.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace foldrank {
namespace {

using testing::MakeClick;
using testing::MakeImpression;

constexpr std::int64_t kNow = 4'000'000'000'000;

TEST(FoldLoopTest, OneFolderAtATimeAndTheOtherFollowsItsVersions) {
  testing::TempDir dir;
  auto a_ledger = SqliteLedger::Open(dir.path() / "ledger.sqlite");
  auto b_ledger = SqliteLedger::Open(dir.path() / "ledger.sqlite");
  ASSERT_OK(a_ledger);
  ASSERT_OK(b_ledger);
  ModelStore a_models(std::make_shared<const Model>(Model::ColdStart()));
  ModelStore b_models(std::make_shared<const Model>(Model::ColdStart()));
  FoldLoopOptions a_options, b_options;
  a_options.holder = "a";
  b_options.holder = "b";
  LedgerClickSignals b_clicks;
  FoldLoop a(**a_ledger, a_options, a_models, nullptr);
  FoldLoop b(**b_ledger, b_options, b_models, &b_clicks);

  const Impression impression = MakeImpression("q1", {"x", "y"}, {0.2f, 0.8f}, 1000);
  ASSERT_OK((*a_ledger)->AppendImpressions(std::span<const Impression>(&impression, 1)));
  ASSERT_OK((*a_ledger)->RecordClick(MakeClick("e1", "q1", "y", 1)));

  auto a_step = a.Step(kNow);
  ASSERT_OK(a_step);
  EXPECT_TRUE(a_step->holds_lease);
  EXPECT_EQ(a_step->fold.clicks, 1u);
  EXPECT_EQ(a_models.Current()->version(), 2u);

  auto b_step = b.Step(kNow + 100);  // a's lease is still fresh.
  ASSERT_OK(b_step);
  EXPECT_FALSE(b_step->holds_lease);
  EXPECT_EQ(b_step->lease_holder, "a");
  EXPECT_EQ(b_models.Current()->version(), 2u);  // Picked up a's version.

  // a stops renewing: once the lease expires, b takes over.
  auto later = b.Step(kNow + a_options.lease_ms + 1);
  ASSERT_OK(later);
  EXPECT_TRUE(later->holds_lease);
}

TEST(FoldLoopTest, FollowsARollbackMadeElsewhere) {
  testing::TempDir dir;
  auto ledger = SqliteLedger::Open(dir.path() / "ledger.sqlite");
  ASSERT_OK(ledger);
  auto v2 = (*ledger)->StoreModel(Model::ColdStart(), 1);
  ASSERT_OK(v2);
  ASSERT_OK((*ledger)->Activate(2));
  ModelStore models(std::make_shared<const Model>(Model::ColdStart()));
  FoldLoop loop(**ledger, {}, models, nullptr);
  ASSERT_OK(loop.Step(kNow));
  EXPECT_EQ(models.Current()->version(), 2u);
  ASSERT_OK((*ledger)->Activate(1));  // 'foldrank model activate 1' in another process.
  ASSERT_OK(loop.Step(kNow + 10));
  EXPECT_EQ(models.Current()->version(), 1u);
}

// Another process's folds reach the click features through the count log, one
// fold's deltas at a time, including folds that count without a new model version;
// everything is loaded again only when deltas not yet applied were merged away
// (every 64th fold). Throughout, the features equal a fresh load of the ledger.
TEST(FoldLoopTest, FollowsAnotherProcesssCountsWithoutReloadingThem) {
  testing::TempDir dir;
  auto folder_ledger = SqliteLedger::Open(dir.path() / "ledger.sqlite");
  auto server_ledger = SqliteLedger::Open(dir.path() / "ledger.sqlite");
  ASSERT_OK(folder_ledger);
  ASSERT_OK(server_ledger);
  ModelStore models(std::make_shared<const Model>(Model::ColdStart()));
  LedgerClickSignals clicks;
  FoldLoop server(**server_ledger, {}, models, &clicks);
  ASSERT_OK(server.Step(kNow));
  EXPECT_EQ(clicks.size().reloads, 1u);

  std::mt19937 rng(11);
  auto expect_same_as_a_fresh_load = [&](int fold) {
    LedgerClickSignals fresh;
    ASSERT_OK(fresh.Reload(**server_ledger));
    ASSERT_EQ(clicks.size().pairs, fresh.size().pairs) << fold;
    for (int q = -1; q < 5; ++q) {
      for (int d = 0; d < 30; ++d) {
        const std::string query = q < 0 ? "" : "q" + std::to_string(q);
        const std::string doc = "d" + std::to_string(d);
        EXPECT_DOUBLE_EQ(clicks.Counts(query, doc).clicks, fresh.Counts(query, doc).clicks);
        EXPECT_NEAR(clicks.Counts(query, doc).expected, fresh.Counts(query, doc).expected, 1e-9);
      }
    }
  };
  for (int fold = 1; fold <= 70; ++fold) {
    FoldCommit commit;  // As another process's folder commits it: counts only.
    for (int i = 0; i < 5; ++i) {
      const std::string doc = "d" + std::to_string(rng() % 30);
      commit.counts.push_back({"q" + std::to_string(rng() % 5), doc, {1.0 * (rng() % 2), 0.5}});
      commit.counts.push_back({"", doc, {0, 0.5}});
    }
    ASSERT_OK((*folder_ledger)->CommitFold(commit));
    ASSERT_OK(server.Step(kNow + fold));
    expect_same_as_a_fresh_load(fold);
  }
  // The first load, and one after the 64th fold merged the log.
  EXPECT_EQ(clicks.size().reloads, 2u);
}

// A fold of its own that follows one made elsewhere (the lease changed hands in
// between) brings in both: the one it did not see from the count log.
TEST(FoldLoopTest, ItsOwnFoldAfterAnotherProcesssKeepsBothCounts) {
  testing::TempDir dir;
  auto other_ledger = SqliteLedger::Open(dir.path() / "ledger.sqlite");
  auto own_ledger = SqliteLedger::Open(dir.path() / "ledger.sqlite");
  ASSERT_OK(other_ledger);
  ASSERT_OK(own_ledger);
  ModelStore models(std::make_shared<const Model>(Model::ColdStart()));
  LedgerClickSignals clicks;
  FoldLoop loop(**own_ledger, {}, models, &clicks);
  ASSERT_OK(loop.Step(kNow));

  FoldCommit elsewhere;
  elsewhere.counts.push_back({"garden hose", "x", {1, 0.5}});
  ASSERT_OK((*other_ledger)->CommitFold(elsewhere));
  const Impression impression = MakeImpression("q1", {"x", "y"}, {0.2f, 0.8f}, 1000);
  ASSERT_OK((*own_ledger)->AppendImpressions(std::span<const Impression>(&impression, 1)));
  ASSERT_OK((*own_ledger)->RecordClick(MakeClick("e1", "q1", "y", 1)));
  auto step = loop.Step(kNow + 10);
  ASSERT_OK(step);
  ASSERT_EQ(step->fold.clicks, 1u);

  LedgerClickSignals fresh;
  ASSERT_OK(fresh.Reload(**own_ledger));
  for (const char* doc : {"x", "y"}) {
    for (const char* query : {"", "garden hose"}) {
      EXPECT_DOUBLE_EQ(clicks.Counts(query, doc).clicks, fresh.Counts(query, doc).clicks);
      EXPECT_DOUBLE_EQ(clicks.Counts(query, doc).expected, fresh.Counts(query, doc).expected);
    }
  }
  EXPECT_DOUBLE_EQ(clicks.Counts("garden hose", "x").clicks, 1.0);  // From elsewhere.
  EXPECT_DOUBLE_EQ(clicks.Counts("garden hose", "y").clicks, 1.0);  // Its own.
  EXPECT_EQ(clicks.size().reloads, 1u);
}

}  // namespace
}  // namespace foldrank
