#include "feedback/sqlite_ledger.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include "common/clock.h"
#include "tests/feedback/feedback_test_util.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace foldrank {
namespace {

using testing::MakeClick;
using testing::MakeImpression;
using Code = Status::Code;

class SqliteLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ledger = SqliteLedger::Open(path());
    ASSERT_OK(ledger);
    ledger_ = std::move(*ledger);
    const Impression impression = MakeImpression("q1", {"a", "b", "c"}, {0.1f, 0.5f, 0.9f}, 1000);
    ASSERT_OK(ledger_->AppendImpressions(std::span<const Impression>(&impression, 1)));
  }
  std::filesystem::path path() const { return dir_.path() / "ledger.sqlite"; }

  testing::TempDir dir_;
  std::unique_ptr<SqliteLedger> ledger_;
};

TEST_F(SqliteLedgerTest, AcceptsAClickOnceAndAcknowledgesDuplicates) {
  auto first = ledger_->RecordClick(MakeClick("e1", "q1", "b", 1));
  ASSERT_OK(first);
  EXPECT_EQ(*first, ClickOutcome::kAccepted);
  auto again = ledger_->RecordClick(MakeClick("e1", "q1", "b", 1));
  ASSERT_OK(again);
  EXPECT_EQ(*again, ClickOutcome::kDuplicate);
  auto settled = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(settled);
  ASSERT_EQ(settled->size(), 1u);
  EXPECT_EQ((*settled)[0].clicks.size(), 1u);  // One row for the two reports.
}

TEST_F(SqliteLedgerTest, RejectsClicksThatDoNotMatchTheImpression) {
  auto unknown = ledger_->RecordClick(MakeClick("e2", "nope", "a", 0));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), Code::kNotFound);
  EXPECT_NE(unknown.error().message().find("unknown query id"), std::string::npos);

  auto not_shown = ledger_->RecordClick(MakeClick("e3", "q1", "zzz", 0));
  ASSERT_FALSE(not_shown);
  EXPECT_EQ(not_shown.error().code(), Code::kInvalidArgument);
  EXPECT_NE(not_shown.error().message().find("was not shown"), std::string::npos);

  auto wrong_position = ledger_->RecordClick(MakeClick("e4", "q1", "c", 0));
  ASSERT_FALSE(wrong_position);
  EXPECT_NE(wrong_position.error().message().find("shown at position 2, not 0"), std::string::npos)
      << wrong_position.error().ToString();
  auto settled = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(settled);
  EXPECT_TRUE((*settled)[0].clicks.empty());  // Nothing rejected was stored.
}

TEST_F(SqliteLedgerTest, StoresTheFeaturesThatWereUsed) {
  auto settled = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(settled);
  ASSERT_EQ(settled->size(), 1u);
  const Impression& impression = (*settled)[0].impression;
  EXPECT_EQ(impression.query, "garden hose");
  ASSERT_EQ(impression.results.size(), 3u);
  EXPECT_EQ(impression.results[2].doc_id, "c");
  ASSERT_EQ(impression.results[2].features.size(), kFeatureCount);
  EXPECT_EQ(impression.results[2].features[Column(Feature::kBm25Title)], 0.9f);
  EXPECT_DOUBLE_EQ(impression.results[1].probability, 0.5);
}

TEST_F(SqliteLedgerTest, ReopeningKeepsDataAndSchema) {
  ASSERT_OK(ledger_->RecordClick(MakeClick("e1", "q1", "a", 0)));
  ledger_.reset();
  auto reopened = SqliteLedger::Open(path());
  ASSERT_OK(reopened);
  auto settled = (*reopened)->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(settled);
  ASSERT_EQ(settled->size(), 1u);
  EXPECT_EQ((*settled)[0].clicks.size(), 1u);
}

TEST_F(SqliteLedgerTest, ClicksFromAnotherSqliteClientAreTreatedAlike) {
  // A site's own backend writing to the public clicks table, through Python's sqlite3.
  const std::string script =
      "import sqlite3, sys\n"
      "db = sqlite3.connect(sys.argv[1])\n"
      "db.execute(\"INSERT INTO clicks(event_id, query_id, doc_id, position, clicked_ms) "
      "VALUES ('site-1', 'q1', 'c', 2, 1500)\")\n"
      "db.commit()\n";
  const auto script_path = dir_.path() / "insert.py";
  std::ofstream(script_path) << script;
  const std::string command =
      "/usr/bin/python3 '" + script_path.string() + "' '" + path().string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  auto settled = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(settled);
  ASSERT_EQ((*settled)[0].clicks.size(), 1u);
  EXPECT_EQ((*settled)[0].clicks[0].doc_id, "c");
  EXPECT_EQ((*settled)[0].clicks[0].position, 2);
}

TEST_F(SqliteLedgerTest, RecentClicksHoldTheImpressionBack) {
  ASSERT_OK(ledger_->RecordClick(MakeClick("e1", "q1", "a", 0)));
  auto now = ledger_->Settled(UnixMillis(), 60'000, 10);  // Clicked just now: not settled.
  ASSERT_OK(now);
  EXPECT_TRUE(now->empty());
  auto later = ledger_->Settled(UnixMillis() + 61'000, 60'000, 10);
  ASSERT_OK(later);
  EXPECT_EQ(later->size(), 1u);
}

TEST_F(SqliteLedgerTest, CommitFoldMarksClicksExactlyOnce) {
  ASSERT_OK(ledger_->RecordClick(MakeClick("e1", "q1", "b", 1)));
  auto settled = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(settled);
  FoldCommit fold;
  fold.model = Model::ColdStart().WithDelta({}, "fold");
  fold.folded_clicks = {(*settled)[0].clicks[0].seq};
  fold.settled_impressions = {"q1"};
  fold.counts = {{"query", "b", {1, 0.5}}};
  ASSERT_OK(ledger_->CommitFold(fold));
  // The same fold again (a second folder with the same view) must not commit.
  FoldCommit again = fold;
  again.model = fold.model->WithDelta({}, "fold");
  EXPECT_CODE(ledger_->CommitFold(again), Code::kUnavailable);
  auto counts = ledger_->Counts("", "b");
  ASSERT_OK(counts);
  EXPECT_EQ(counts->clicks, 1);  // Counted once.
  auto active = ledger_->ActiveModel();
  ASSERT_OK(active);
  ASSERT_TRUE(active->model.has_value());
  EXPECT_EQ(active->model->version(), 2u);
  auto left = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(left);
  EXPECT_TRUE(left->empty());
}

TEST_F(SqliteLedgerTest, AClickArrivingWhileAFoldRunsIsFoldedByTheNextOne) {
  ASSERT_OK(ledger_->RecordClick(MakeClick("e1", "q1", "b", 1)));
  auto settled = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(settled);
  ASSERT_EQ(settled->size(), 1u);
  // Lands after the fold loaded q1 and before it commits.
  ASSERT_OK(ledger_->RecordClick(MakeClick("e2", "q1", "c", 2)));
  FoldCommit fold;
  fold.model = Model::ColdStart().WithDelta({}, "fold");
  fold.folded_clicks = {(*settled)[0].clicks[0].seq};
  fold.settled_impressions = {"q1"};
  ASSERT_OK(ledger_->CommitFold(fold));
  auto late = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(late);
  ASSERT_EQ(late->size(), 1u);
  EXPECT_FALSE((*late)[0].first_fold);
  ASSERT_EQ((*late)[0].clicks.size(), 1u);
  EXPECT_EQ((*late)[0].clicks[0].doc_id, "c");
  FoldCommit catch_up;
  catch_up.model = fold.model->WithDelta({}, "fold");
  catch_up.folded_clicks = {(*late)[0].clicks[0].seq};
  catch_up.late_impressions = {"q1"};
  ASSERT_OK(ledger_->CommitFold(catch_up));
  auto none = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(SqliteLedgerTest, DocumentCountsAreTheSumOverQueries) {
  FoldCommit fold;
  fold.settled_impressions = {"q1"};
  fold.counts = {{"apple", "b", {1, 0.5}}, {"pear", "b", {2, 0.25}}, {"pear", "c", {0, 1}}};
  ASSERT_OK(ledger_->CommitFold(fold));
  auto document = ledger_->Counts("", "b");
  ASSERT_OK(document);
  EXPECT_EQ(document->clicks, 3);
  EXPECT_DOUBLE_EQ(document->expected, 0.75);
  auto pair = ledger_->Counts("pear", "b");
  ASSERT_OK(pair);
  EXPECT_EQ(pair->clicks, 2);
}

TEST_F(SqliteLedgerTest, ModelVersionsStoreActivateAndRollBack) {
  auto none = ledger_->ActiveModel();
  ASSERT_OK(none);
  EXPECT_FALSE(none->model.has_value());  // Cold start serves.
  LinearFunction delta;
  delta.bias = 0.25f;
  auto v2 = ledger_->StoreModel(Model::ColdStart().WithDelta(delta, "import"), 1);
  ASSERT_OK(v2);
  EXPECT_EQ(v2->version(), 2u);
  auto v3 = ledger_->StoreModel(*v2, 2);
  ASSERT_OK(v3);
  EXPECT_EQ(v3->version(), 3u);
  EXPECT_EQ(v3->parent(), 2u);
  auto versions = ledger_->ModelVersions();
  ASSERT_OK(versions);
  EXPECT_EQ(*versions, (std::vector<std::uint64_t>{2, 3}));
  ASSERT_OK(ledger_->Activate(3));
  EXPECT_EQ(ledger_->ActiveModel()->model->version(), 3u);
  ASSERT_OK(ledger_->Activate(2));  // Rollback.
  auto active = ledger_->ActiveModel();
  ASSERT_OK(active);
  EXPECT_EQ(active->model->version(), 2u);
  EXPECT_EQ(active->model->delta().bias, 0.25f);
  EXPECT_CODE(ledger_->Activate(9), Code::kNotFound);
  EXPECT_EQ(ledger_->ActiveModel()->model->version(), 2u);  // A failed activation changes nothing.
  ASSERT_OK(ledger_->Activate(1));                          // Back to the built-in cold start.
  EXPECT_FALSE(ledger_->ActiveModel()->model.has_value());
  EXPECT_EQ(ledger_->LoadModel(1)->origin(), "cold-start");
  EXPECT_CODE(ledger_->LoadModel(7), Code::kNotFound);
}

TEST_F(SqliteLedgerTest, AFoldAfterAnImportTakesTheNextFreeVersion) {
  auto imported = ledger_->StoreModel(Model::ColdStart(), 1);  // v2, not active.
  ASSERT_OK(imported);
  FoldCommit fold;
  fold.model = Model::ColdStart().WithDelta({}, "fold");  // Numbered 2 by WithDelta.
  ASSERT_OK(ledger_->CommitFold(fold));
  EXPECT_EQ(fold.model->version(), 3u);
  EXPECT_EQ(fold.model->parent(), 1u);
  EXPECT_EQ(ledger_->ActiveModel()->model->version(), 3u);
}

TEST(SqliteLedgerOpenTest, RefusesFilesThatAreNotLedgers) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "junk.sqlite") << std::string(4096, 'x');
  auto junk = SqliteLedger::Open(dir.path() / "junk.sqlite");
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().code(), Code::kCorruption) << junk.error().ToString();
}

}  // namespace
}  // namespace foldrank
