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

  // Folds the one late click of q1 (`late`, as Settled() returned it) on top of
  // `parent`; afterwards nothing is left to fold.
  void FoldLateClickAndExpectNothingLeft(const SettledImpression& late, const Model& parent) {
    FoldCommit catch_up;
    catch_up.model = parent.WithDelta({}, "fold");
    catch_up.folded_clicks = {late.clicks[0].seq};
    catch_up.late_impressions = {"q1"};
    ASSERT_OK(ledger_->CommitFold(catch_up));
    auto none = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
    ASSERT_OK(none);
    EXPECT_TRUE(none->empty());
  }

  // Runs `statements` with Python's sqlite3 module on the ledger (as `db`), then
  // commits: another SQLite client, as a site's own backend would be.
  void RunPython(const std::string& statements) {
    const auto script_path = dir_.path() / "client.py";
    std::ofstream(script_path) << "import sqlite3, sys\n"
                                  "db = sqlite3.connect(sys.argv[1])\n"
                               << statements << "db.commit()\n";
    const std::string command =
        "/usr/bin/python3 '" + script_path.string() + "' '" + path().string() + "'";
    ASSERT_EQ(std::system(command.c_str()), 0);
  }

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

// One group, one transaction: every click still gets its own outcome, in order,
// and only valid new ones are stored, whatever else the group holds.
TEST_F(SqliteLedgerTest, AGroupGivesEachClickItsOwnOutcome) {
  std::vector<Impression> impressions;
  for (int i = 0; i < 100; ++i) {
    impressions.push_back(
        MakeImpression("g" + std::to_string(i), {"a", "b", "c"}, {0.1f, 0.5f, 0.9f}, 2000 + i));
  }
  ASSERT_OK(ledger_->AppendImpressions(impressions));
  std::vector<Click> group;
  for (int i = 0; i < 100; ++i) {  // All valid and new.
    group.push_back(MakeClick("ok" + std::to_string(i), "g" + std::to_string(i), "b", 1));
  }
  auto first = ledger_->RecordClicks(group);
  ASSERT_EQ(first.size(), 100u);
  for (const auto& outcome : first) {
    ASSERT_OK(outcome);
    EXPECT_EQ(*outcome, ClickOutcome::kAccepted);
  }
  // 70 clicks: new ones with a repeat of the first group's, a wrong position, an
  // unknown query and an event id repeated within the group.
  std::vector<Click> mixed;
  for (int i = 0; i < 70; ++i) {
    mixed.push_back(MakeClick("new" + std::to_string(i), "g" + std::to_string(i), "c", 2));
  }
  mixed[3] = MakeClick("ok3", "g3", "b", 1);      // Stored by the first group.
  mixed[10] = MakeClick("bad10", "g10", "c", 0);  // c was shown at 2.
  mixed[20] = MakeClick("new19", "g19", "c", 2);  // Repeats mixed[19].
  mixed[66] = MakeClick("unknown", "nope", "a", 0);
  auto outcomes = ledger_->RecordClicks(mixed);
  ASSERT_EQ(outcomes.size(), 70u);
  for (int i = 0; i < 70; ++i) {
    if (i == 10 || i == 66) {
      ASSERT_FALSE(outcomes[i]) << i;
      continue;
    }
    ASSERT_OK(outcomes[i]);
    EXPECT_EQ(*outcomes[i], i == 3 || i == 20 ? ClickOutcome::kDuplicate : ClickOutcome::kAccepted)
        << i;
  }
  EXPECT_EQ(outcomes[10].error().code(), Code::kInvalidArgument);
  EXPECT_EQ(outcomes[66].error().code(), Code::kNotFound);
  const ClickTally tally = ledger_->click_tally();
  EXPECT_EQ(tally.accepted, 100u + 66u);
  EXPECT_EQ(tally.duplicate, 2u);
  EXPECT_EQ(tally.wrong_position, 1u);
  EXPECT_EQ(tally.unknown_query, 1u);
  EXPECT_EQ(tally.commits, 2u);  // One transaction a group.
  auto settled = ledger_->Settled(UnixMillis() + 10'000, 0, 1000);
  ASSERT_OK(settled);
  std::size_t stored = 0;
  for (const SettledImpression& s : *settled) stored += s.clicks.size();
  EXPECT_EQ(stored, 166u);
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

// A batch is loaded in three statements over a JSON list of its ids: ids that need
// escaping, each impression's results and clicks kept apart and in order.
TEST_F(SqliteLedgerTest, SettledLoadsABatchWithItsOwnResultsAndClicksInOrder) {
  const std::vector<Impression> more = {
      MakeImpression("q\"2\\", {"d", "e"}, {0.2f, 0.3f}, 2000),
      MakeImpression("q3\n", {"f", "a", "g", "h"}, {0.4f, 0.5f, 0.6f, 0.7f}, 3000)};
  ASSERT_OK(ledger_->AppendImpressions(more));
  ASSERT_OK(ledger_->RecordClick(MakeClick("e1", "q3\n", "h", 3)));
  ASSERT_OK(ledger_->RecordClick(MakeClick("e2", "q\"2\\", "e", 1)));
  ASSERT_OK(ledger_->RecordClick(MakeClick("e3", "q3\n", "a", 1)));
  auto settled = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(settled);
  ASSERT_EQ(settled->size(), 3u);
  const std::vector<std::string> ids = {"q1", "q\"2\\", "q3\n"};
  const std::vector<std::vector<std::string>> shown = {
      {"a", "b", "c"}, {"d", "e"}, {"f", "a", "g", "h"}};
  const std::vector<std::vector<std::string>> clicked = {{}, {"e"}, {"h", "a"}};
  for (std::size_t i = 0; i < 3; ++i) {
    const SettledImpression& one = (*settled)[i];
    EXPECT_EQ(one.impression.query_id, ids[i]);
    EXPECT_EQ(one.impression.created_ms, 1000 * static_cast<std::int64_t>(i + 1));
    EXPECT_TRUE(one.first_fold);
    std::vector<std::string> docs, clicks;
    for (const ShownResult& result : one.impression.results) {
      EXPECT_EQ(result.position, static_cast<std::int32_t>(docs.size()));
      docs.push_back(result.doc_id);
    }
    for (const PendingClick& click : one.clicks) clicks.push_back(click.doc_id);
    EXPECT_EQ(docs, shown[i]);
    EXPECT_EQ(clicks, clicked[i]);  // In the order they were stored.
  }
}

// A fold whose clicks or impressions another folder marked first is stale: it is
// refused whole, and the model it carried is not stored.
TEST_F(SqliteLedgerTest, AFoldOfClicksAlreadyFoldedIsRefusedWhole) {
  ASSERT_OK(ledger_->RecordClick(MakeClick("e1", "q1", "b", 1)));
  auto settled = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(settled);
  ASSERT_EQ(settled->size(), 1u);
  const std::int64_t seq = (*settled)[0].clicks.at(0).seq;
  FoldCommit first;
  first.folded_clicks = {seq};
  first.settled_impressions = {"q1"};
  ASSERT_OK(ledger_->CommitFold(first));

  FoldCommit again;
  again.model = Model::ColdStart().WithDelta({}, "fold");
  again.folded_clicks = {seq};
  Status clicks = ledger_->CommitFold(again);
  EXPECT_EQ(clicks.code(), Code::kUnavailable) << clicks.ToString();
  EXPECT_NE(clicks.message().find("folded by another folder"), std::string::npos);

  FoldCommit settle_again;
  settle_again.model = Model::ColdStart().WithDelta({}, "fold");
  settle_again.settled_impressions = {"q1"};
  Status impressions = ledger_->CommitFold(settle_again);
  EXPECT_EQ(impressions.code(), Code::kUnavailable) << impressions.ToString();

  auto active = ledger_->ActiveModel();
  ASSERT_OK(active);
  EXPECT_FALSE(active->model.has_value());  // Neither refused fold stored its model.
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

// Impressions another process logged (its own ledger connection) are not in this
// one's memory of what it showed: their clicks are checked against the ledger,
// with the same outcomes.
TEST_F(SqliteLedgerTest, ClicksOnAnotherProcesssImpressionsAreCheckedInTheLedger) {
  auto other = SqliteLedger::Open(path());
  ASSERT_OK(other);
  const Impression elsewhere = MakeImpression("q2", {"x", "y"}, {0.2f, 0.4f}, 1100);
  ASSERT_OK((*other)->AppendImpressions(std::span<const Impression>(&elsewhere, 1)));
  std::vector<Click> group = {MakeClick("o1", "q2", "y", 1), MakeClick("o1", "q2", "y", 1),
                              MakeClick("o2", "q2", "y", 0), MakeClick("o3", "q2", "a", 0)};
  auto outcomes = ledger_->RecordClicks(group);
  ASSERT_EQ(outcomes.size(), 4u);
  ASSERT_OK(outcomes[0]);
  EXPECT_EQ(*outcomes[0], ClickOutcome::kAccepted);
  ASSERT_OK(outcomes[1]);
  EXPECT_EQ(*outcomes[1], ClickOutcome::kDuplicate);
  ASSERT_FALSE(outcomes[2]);
  EXPECT_NE(outcomes[2].error().message().find("shown at position 1, not 0"), std::string::npos);
  ASSERT_FALSE(outcomes[3]);
  EXPECT_NE(outcomes[3].error().message().find("was not shown"), std::string::npos);
}

// This process showed q1, but someone deleted it from the ledger since (a prune by
// another process, a site's cleanup): the foreign key refuses the click, which is
// reported as unknown while the rest of its group is stored.
TEST_F(SqliteLedgerTest, AClickOnAnImpressionDeletedSinceItWasShownIsRefused) {
  const Impression kept = MakeImpression("q3", {"a"}, {0.3f}, 1200);
  ASSERT_OK(ledger_->AppendImpressions(std::span<const Impression>(&kept, 1)));
  RunPython(
      "db.execute('PRAGMA foreign_keys=ON')\n"
      "db.execute(\"DELETE FROM impressions WHERE query_id = 'q1'\")\n");
  std::vector<Click> group = {MakeClick("d1", "q1", "a", 0), MakeClick("d2", "q3", "a", 0)};
  auto outcomes = ledger_->RecordClicks(group);
  ASSERT_EQ(outcomes.size(), 2u);
  ASSERT_FALSE(outcomes[0]);
  EXPECT_EQ(outcomes[0].error().code(), Code::kNotFound);
  ASSERT_OK(outcomes[1]);
  EXPECT_EQ(*outcomes[1], ClickOutcome::kAccepted);
  auto settled = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(settled);
  ASSERT_EQ(settled->size(), 1u);
  EXPECT_EQ((*settled)[0].impression.query_id, "q3");
  EXPECT_EQ((*settled)[0].clicks.size(), 1u);
}

TEST_F(SqliteLedgerTest, ClicksFromAnotherSqliteClientAreTreatedAlike) {
  // A site's own backend writing to the public clicks table, through Python's sqlite3.
  RunPython(
      "db.execute(\"INSERT INTO clicks(event_id, query_id, doc_id, position, clicked_ms) "
      "VALUES ('site-1', 'q1', 'c', 2, 1500)\")\n");
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
  FoldLateClickAndExpectNothingLeft((*late)[0], *fold.model);
}

TEST_F(SqliteLedgerTest, ALateClickFromAnotherClientIsFoldedOnce) {
  FoldCommit first;
  first.settled_impressions = {"q1"};
  ASSERT_OK(ledger_->CommitFold(first));
  // The site's backend reports a click on the folded impression.
  RunPython(
      "db.execute(\"INSERT INTO clicks(event_id, query_id, doc_id, position, clicked_ms) "
      "VALUES ('site-late', 'q1', 'b', 1, 1500)\")\n");
  // Found before any fold looked at it ...
  auto late = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(late);
  ASSERT_EQ(late->size(), 1u);
  EXPECT_FALSE((*late)[0].first_fold);
  // ... and after a fold of something else scanned past it.
  const Impression other = MakeImpression("q2", {"d"}, {0.3f}, 2000);
  ASSERT_OK(ledger_->AppendImpressions(std::span<const Impression>(&other, 1)));
  FoldCommit unrelated;
  unrelated.settled_impressions = {"q2"};
  ASSERT_OK(ledger_->CommitFold(unrelated));
  late = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(late);
  ASSERT_EQ(late->size(), 1u);
  EXPECT_FALSE((*late)[0].first_fold);
  ASSERT_EQ((*late)[0].clicks.size(), 1u);
  FoldLateClickAndExpectNothingLeft((*late)[0], Model::ColdStart());
}

// Folds append their count deltas to a log that every 64th fold sums into
// click_counts; readers see the sum of both at every step.
TEST_F(SqliteLedgerTest, CountDeltasAreLoggedAndMergedWithoutChangingTheCounts) {
  for (int fold = 1; fold <= 65; ++fold) {
    FoldCommit commit;
    commit.counts = {{"apple", "d\"1", {1, 0.5}}, {"pear", "d\"1", {0, 0.25}}};
    ASSERT_OK(ledger_->CommitFold(commit));
    auto pair = ledger_->Counts("apple", "d\"1");
    ASSERT_OK(pair);
    EXPECT_EQ(pair->clicks, fold);
    EXPECT_EQ(pair->expected, 0.5 * fold);
    auto document = ledger_->Counts("", "d\"1");
    ASSERT_OK(document);
    EXPECT_EQ(document->expected, 0.75 * fold);
  }
  std::size_t rows = 0;
  ASSERT_OK(ledger_->ForEachCount([&](const FoldCommit::CountDelta&) { ++rows; }));
  EXPECT_EQ(rows, 4u);  // Two merged rows, two pending deltas.
  // The 64 folds before the last were merged, the last is pending.
  RunPython(
      "assert db.execute('SELECT COUNT(*) FROM click_count_deltas').fetchone()[0] == 1\n"
      "assert db.execute(\"SELECT clicks, expected FROM click_counts WHERE query = 'apple'\")"
      ".fetchall() == [(64.0, 32.0)]\n"
      "assert db.execute(\"SELECT doc_id, clicks, expected FROM click_counts_now WHERE query = "
      "'apple'\").fetchall() == [('d\\\"1', 65.0, 32.5)]\n");
}

// Two processes folding in turn (say a server, then `foldrank fold`): each one's
// sums of the log must follow the other's appends and merges.
TEST_F(SqliteLedgerTest, CountsStayExactWhenTwoLedgersFoldInTurn) {
  auto other = SqliteLedger::Open(path());
  ASSERT_OK(other);
  for (int fold = 1; fold <= 200; ++fold) {
    SqliteLedger& folder = (fold / 7) % 2 == 0 ? *ledger_ : **other;
    FoldCommit commit;
    commit.counts = {{"apple", "d", {1, 0.5}}};
    ASSERT_OK(folder.CommitFold(commit));
  }
  for (SqliteLedger* reader : {ledger_.get(), other->get()}) {
    auto pair = reader->Counts("apple", "d");
    ASSERT_OK(pair);
    EXPECT_EQ(pair->clicks, 200);
    EXPECT_EQ(pair->expected, 100);
  }
}

TEST_F(SqliteLedgerTest, MigratesASchemaTwoLedgerWithItsLateClicks) {
  // A version 2 ledger (late clicks kept by a trigger) with a folded impression and
  // a late click on it.
  FoldCommit first;
  first.settled_impressions = {"q1"};
  ASSERT_OK(ledger_->CommitFold(first));
  ledger_.reset();
  RunPython(
      "db.executescript(\"\"\"\n"
      "DROP VIEW click_counts_now;\n"
      "DROP VIEW click_count_pending;\n"
      "DROP TABLE click_count_deltas;\n"
      "DELETE FROM settings WHERE key = 'late_scan_seq';\n"
      "DROP INDEX impressions_by_user;\n"
      "ALTER TABLE impressions DROP COLUMN swapped_with;\n"
      "DROP INDEX impressions_by_experiment;\n"
      "ALTER TABLE impressions DROP COLUMN experiment;\n"
      "ALTER TABLE impression_results DROP COLUMN team;\n"
      "DROP TABLE experiments;\n"
      "DROP TABLE impression_pools;\n"
      "CREATE INDEX clicks_unfolded ON clicks(query_id) WHERE folded_by IS NULL;\n"
      "CREATE TRIGGER clicks_late AFTER INSERT ON clicks\n"
      "  WHEN (SELECT folded FROM impressions WHERE query_id = NEW.query_id) = 1\n"
      "  BEGIN INSERT OR IGNORE INTO late_impressions(query_id) VALUES (NEW.query_id); END;\n"
      "INSERT INTO clicks(event_id, query_id, doc_id, position, clicked_ms)\n"
      "  VALUES ('v2-late', 'q1', 'a', 0, 1500);\n"
      "PRAGMA user_version = 2;\n"
      "\"\"\")\n");
  auto reopened = SqliteLedger::Open(path());
  ASSERT_OK(reopened);
  ledger_ = std::move(*reopened);
  auto late = ledger_->Settled(UnixMillis() + 10'000, 0, 10);
  ASSERT_OK(late);
  ASSERT_EQ(late->size(), 1u);
  EXPECT_FALSE((*late)[0].first_fold);
  // The trigger is gone: a new click on the folded impression is found by the scan.
  RunPython(
      "assert db.execute(\"SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'\")"
      ".fetchone()[0] == 0\n"
      "assert db.execute('PRAGMA user_version').fetchone()[0] == 7\n");
}

TEST_F(SqliteLedgerTest, RecentImpressionsCarryTheirSwapAndEveryClick) {
  std::vector<Impression> impressions = {MakeImpression("old", {"a", "b"}, {0.2f, 0.1f}, 1000),
                                         MakeImpression("swap", {"b", "a"}, {0.1f, 0.2f}, 2000),
                                         MakeImpression("new", {"a", "b"}, {0.2f, 0.1f}, 3000)};
  impressions[1].swapped_with = 1;
  ASSERT_OK(ledger_->AppendImpressions(impressions));
  ASSERT_OK(ledger_->RecordClick(MakeClick("e1", "swap", "a", 1)));
  FoldCommit fold;
  fold.settled_impressions = {"old", "swap"};
  fold.folded_clicks = {1};
  ASSERT_OK(ledger_->CommitFold(fold));
  ASSERT_OK(ledger_->RecordClick(MakeClick("e2", "swap", "b", 0)));

  auto recent = ledger_->Recent(1500, 10, true);  // "old" is before the horizon.
  ASSERT_OK(recent);
  ASSERT_EQ(recent->size(), 2u);
  EXPECT_EQ((*recent)[0].impression.query_id, "swap");
  EXPECT_EQ((*recent)[0].impression.swapped_with, 1);
  EXPECT_EQ((*recent)[0].clicks.size(), 2u);  // One folded, one not.
  EXPECT_EQ((*recent)[1].impression.swapped_with, 0);
  auto newest = ledger_->Recent(0, 1, false);
  ASSERT_OK(newest);
  ASSERT_EQ(newest->size(), 1u);
  EXPECT_EQ((*newest)[0].impression.query_id, "new");
  RunPython(
      "assert db.execute(\"SELECT policy FROM impressions WHERE query_id = 'swap'\")"
      ".fetchone()[0] == 'randpair'\n");
}

TEST_F(SqliteLedgerTest, SampledPoolsAreStoredAndReadWithFeatures) {
  std::vector<Impression> impressions = {MakeImpression("pool", {"a", "b"}, {0.2f, 0.1f}, 1500),
                                         MakeImpression("all", {"a", "b"}, {0.2f, 0.1f}, 2000),
                                         MakeImpression("none", {"a", "b"}, {0.2f, 0.1f}, 3000)};
  impressions[0].sample_depth = 4;
  std::vector<float> features(kFeatureCount, 0.25f);
  impressions[0].unshown = {{"c", 0.5f, features}, {"d\"", -1.5f, features}};
  impressions[1].sample_depth = 2;  // The page held the whole pool: nothing unshown.
  ASSERT_OK(ledger_->AppendImpressions(impressions));

  auto recent = ledger_->Recent(1500, 10, true);  // Not the fixture's q1.
  ASSERT_OK(recent);
  ASSERT_EQ(recent->size(), 3u);
  const Impression& pooled = (*recent)[0].impression;
  EXPECT_EQ(pooled.sample_depth, 4u);
  ASSERT_EQ(pooled.unshown.size(), 2u);
  EXPECT_EQ(pooled.unshown[1].doc_id, "d\"");
  EXPECT_EQ(pooled.unshown[1].score, -1.5f);
  EXPECT_EQ(pooled.unshown[0].features, features);
  EXPECT_EQ((*recent)[1].impression.sample_depth, 2u);
  EXPECT_TRUE((*recent)[1].impression.unshown.empty());
  EXPECT_EQ((*recent)[2].impression.sample_depth, 0u);
  auto without_features = ledger_->Recent(1500, 10, false);
  ASSERT_OK(without_features);
  EXPECT_TRUE((*without_features)[0].impression.unshown.empty());

  // A row another client damaged leaves its impression without a pool, not an error.
  RunPython(
      "db.execute(\"UPDATE impression_pools SET scores = x'00' WHERE query_id = 'pool'\")\n"
      "db.commit()\n");
  recent = ledger_->Recent(1500, 10, true);
  ASSERT_OK(recent);
  EXPECT_EQ((*recent)[0].impression.sample_depth, 0u);
  EXPECT_TRUE((*recent)[0].impression.unshown.empty());

  // Pruning an impression takes its pool along.
  FoldCommit fold;
  fold.settled_impressions = {"pool", "all", "none"};
  ASSERT_OK(ledger_->CommitFold(fold));
  auto pruned = ledger_->Prune(10'000);
  ASSERT_OK(pruned);
  EXPECT_EQ(pruned->impressions, 3u);  // q1 was never folded.
  RunPython("assert db.execute('SELECT COUNT(*) FROM impression_pools').fetchone()[0] == 0\n");
}

TEST_F(SqliteLedgerTest, CreditsAnExperimentsClicksToTeams) {
  Experiment experiment;
  experiment.a = 2;
  experiment.b = 3;
  experiment.share = 0.25;
  experiment.max_impressions = 100;
  experiment.created_ms = 500;
  auto created = ledger_->CreateExperiment(experiment);
  ASSERT_OK(created);
  EXPECT_EQ(created->id, 1u);
  EXPECT_EQ(created->state, "running");
  // Four interleaved impressions (teams a, b, a) and one outside the experiment.
  std::vector<Impression> impressions;
  for (const char* id : {"x1", "x2", "x3", "x4", "plain"}) {
    impressions.push_back(MakeImpression(id, {"a", "b", "c"}, {0.3f, 0.2f, 0.1f}, 1000));
    if (std::string(id) != "plain") impressions.back().experiment = created->id;
    impressions.back().results[0].team = 1;
    impressions.back().results[1].team = 2;
    impressions.back().results[2].team = 1;
  }
  ASSERT_OK(ledger_->AppendImpressions(impressions));
  // x1: a wins (2 a clicks vs 1 b); x2: b wins; x3: tie; x4: no click; plain: ignored.
  for (const Click& click :
       {MakeClick("1", "x1", "a", 0), MakeClick("2", "x1", "c", 2), MakeClick("3", "x1", "b", 1),
        MakeClick("3b", "x1", "a", 0), MakeClick("4", "x2", "b", 1), MakeClick("5", "x3", "a", 0),
        MakeClick("6", "x3", "b", 1), MakeClick("7", "plain", "b", 1)}) {
    ASSERT_OK(ledger_->RecordClick(click));
  }
  auto counts = ledger_->CountExperiment(created->id);
  ASSERT_OK(counts);
  EXPECT_EQ(counts->impressions, 4u);
  EXPECT_EQ(counts->clicked, 3u);
  EXPECT_EQ(counts->wins_a, 1u);
  EXPECT_EQ(counts->wins_b, 1u);
  EXPECT_EQ(counts->ties, 1u);
  auto recent = ledger_->Recent(0, 10, false);
  ASSERT_OK(recent);
  const auto x1 = std::find_if(recent->begin(), recent->end(), [](const SettledImpression& s) {
    return s.impression.query_id == "x1";
  });
  ASSERT_NE(x1, recent->end());
  EXPECT_EQ(x1->impression.experiment, created->id);
  EXPECT_EQ(x1->impression.results[1].team, 2);

  ASSERT_OK(ledger_->StopExperiment(created->id, "stopped", 2000));
  EXPECT_EQ(ledger_->StopExperiment(created->id, "stopped", 2001).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(ledger_->StopExperiment(99, "stopped", 2001).code(), Status::Code::kNotFound);
  auto listed = ledger_->Experiments();
  ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].state, "stopped");
  EXPECT_EQ((*listed)[0].stopped_ms, 2000);
  EXPECT_EQ((*listed)[0].share, 0.25);
}

TEST_F(SqliteLedgerTest, KeepsSettings) {
  auto missing = ledger_->Setting("position_bias");
  ASSERT_OK(missing);
  EXPECT_FALSE(missing->has_value());
  ASSERT_OK(ledger_->PutSetting("position_bias", "{}"));
  ASSERT_OK(ledger_->PutSetting("position_bias", "{\"ranks\": []}"));
  auto stored = ledger_->Setting("position_bias");
  ASSERT_OK(stored);
  EXPECT_EQ(stored->value_or(""), "{\"ranks\": []}");
}

TEST_F(SqliteLedgerTest, CountsAUsersEarlierImpressionsOfTheSameQueryInTheWindow) {
  // mallory: "garden hose" at 1000 (q1 is anonymous), 2000, 2000, 5000, and another
  // query at 4000 (differently spelled: same normalized query at 4500).
  std::vector<Impression> impressions = {MakeImpression("m1", {"a"}, {0.1f}, 2000, "mallory"),
                                         MakeImpression("m2", {"a"}, {0.1f}, 2000, "mallory"),
                                         MakeImpression("other", {"a"}, {0.1f}, 4000, "mallory"),
                                         MakeImpression("spelled", {"a"}, {0.1f}, 4500, "mallory"),
                                         MakeImpression("m3", {"a"}, {0.1f}, 5000, "mallory"),
                                         MakeImpression("alice", {"a"}, {0.1f}, 5000, "alice")};
  impressions[2].query = "watering can";
  impressions[3].query = "  Garden HOSE";
  ASSERT_OK(ledger_->AppendImpressions(impressions));
  std::vector<SettledImpression> batch;
  for (const Impression& impression : impressions) {
    SettledImpression settled;
    settled.impression = impression;
    settled.clicks.push_back({});
    batch.push_back(settled);
  }
  batch.push_back(batch[0]);
  batch.back().clicks.clear();  // Without clicks: not counted.
  batch.back().earlier_by_user = 7;
  ASSERT_OK(ledger_->CountEarlierByUser(batch, 10'000));
  std::vector<std::uint32_t> earlier;
  for (const SettledImpression& settled : batch) earlier.push_back(settled.earlier_by_user);
  EXPECT_EQ(earlier, (std::vector<std::uint32_t>{0, 1, 0, 2, 3, 0, 0}));
  ASSERT_OK(ledger_->CountEarlierByUser(batch, 1'000));  // m3 sees only "spelled".
  EXPECT_EQ(batch[4].earlier_by_user, 1u);
  // A search created before m3 but logged after it (concurrent searches are logged a
  // little out of order) does not change what m3 counted: a replay counts the same.
  ASSERT_OK(ledger_->AppendImpressions({{MakeImpression("late", {"a"}, {0.1f}, 4900, "mallory")}}));
  ASSERT_OK(ledger_->CountEarlierByUser(batch, 10'000));
  earlier.clear();
  for (const SettledImpression& settled : batch) earlier.push_back(settled.earlier_by_user);
  EXPECT_EQ(earlier, (std::vector<std::uint32_t>{0, 1, 0, 2, 3, 0, 0}));
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

TEST_F(SqliteLedgerTest, StoreAndActivateOnlyOnTopOfTheModelItWasComputedFrom) {
  LinearFunction delta;
  delta.bias = 0.5f;
  auto v2 = ledger_->StoreAndActivate(Model::ColdStart().WithDelta(delta, "certified"), 1,
                                      R"({"learner_updates": 7})");
  ASSERT_OK(v2);
  EXPECT_EQ(v2->version(), 2u);
  EXPECT_EQ(ledger_->ActiveModel()->model->version(), 2u);
  EXPECT_EQ(ledger_->ActiveModel()->learner_updates, 7u);
  EXPECT_EQ(*ledger_->LearnerUpdates(2), 7u);
  // A fold lands on v2 while a certification computed a rebase of v2.
  FoldCommit fold;
  fold.model = v2->WithDelta({}, "fold");
  fold.learner_updates = 9;
  ASSERT_OK(ledger_->CommitFold(fold));
  EXPECT_EQ(fold.model->version(), 3u);
  // The rebase of v2 would drop v3's clicks: refused, and nothing is stored.
  EXPECT_CODE(ledger_->StoreAndActivate(v2->WithDelta(delta, "rebase"), 2, "{}"),
              Code::kUnavailable);
  EXPECT_EQ(*ledger_->ModelVersions(), (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(ledger_->ActiveModel()->model->version(), 3u);
  // Recomputed on top of v3, it goes in.
  auto v4 = ledger_->StoreAndActivate(fold.model->WithDelta(delta, "rebase"), 3,
                                      R"({"learner_updates": 9})");
  ASSERT_OK(v4);
  EXPECT_EQ(v4->version(), 4u);
  EXPECT_EQ(v4->parent(), 3u);
  EXPECT_EQ(ledger_->ActiveModel()->model->version(), 4u);
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
