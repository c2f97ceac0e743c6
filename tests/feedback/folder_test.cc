#include "feedback/folder.h"

#include <gtest/gtest.h>

#include "feedback/replay.h"
#include "feedback/sqlite_ledger.h"
#include "tests/feedback/feedback_test_util.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace foldrank {
namespace {

using testing::MakeClick;
using testing::MakeImpression;

class FolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ledger = SqliteLedger::Open(dir_.path() / "ledger.sqlite");
    ASSERT_OK(ledger);
    ledger_ = std::move(*ledger);
  }
  void Show(const std::string& query_id) {
    const Impression impression =
        MakeImpression(query_id, {"weak", "strong", "other"}, {0.1f, 0.9f, 0.3f}, 1000);
    ASSERT_OK(ledger_->AppendImpressions(std::span<const Impression>(&impression, 1)));
  }
  // Far enough in the future that everything has settled.
  static constexpr std::int64_t kLater = 4'000'000'000'000;

  testing::TempDir dir_;
  std::unique_ptr<SqliteLedger> ledger_;
  FolderOptions options_;
};

TEST_F(FolderTest, FoldsSettledClicksIntoANewVersionExactlyOnce) {
  for (int i = 0; i < 5; ++i) {
    Show("q" + std::to_string(i));
    ASSERT_OK(ledger_->RecordClick(
        MakeClick("e" + std::to_string(i), "q" + std::to_string(i), "strong", 1)));
  }
  Folder folder(*ledger_, options_);
  auto first = folder.FoldOnce(kLater);
  ASSERT_OK(first);
  EXPECT_EQ(first->impressions, 5u);
  EXPECT_EQ(first->clicks, 5u);
  ASSERT_TRUE(first->model.has_value());
  EXPECT_EQ(first->model->version(), 2u);
  EXPECT_EQ(first->model->parent(), 1u);
  EXPECT_GT(first->model->delta().weights[Column(Feature::kBm25Title)], 0.0f);

  auto counts = ledger_->Counts("", "strong");
  ASSERT_OK(counts);
  EXPECT_EQ(counts->clicks, 5);
  EXPECT_DOUBLE_EQ(counts->expected, 5 * 0.5);  // Shown at position 1 five times.
  auto per_query = ledger_->Counts("garden hose", "weak");
  ASSERT_OK(per_query);
  EXPECT_DOUBLE_EQ(per_query->expected, 5 * 1.0);

  auto again = folder.FoldOnce(kLater);
  ASSERT_OK(again);
  EXPECT_EQ(again->impressions, 0u);
  EXPECT_EQ(again->clicks, 0u);
  EXPECT_FALSE(again->model.has_value());
  auto active = ledger_->ActiveModel();
  ASSERT_OK(active);
  EXPECT_EQ(active->model->version(), 2u);
  EXPECT_EQ(active->learner_updates, 5u);
}

TEST_F(FolderTest, ALateClickIsFoldedOnceWithoutRecountingItsImpression) {
  Show("q1");
  ASSERT_OK(ledger_->RecordClick(MakeClick("e1", "q1", "strong", 1)));
  Folder folder(*ledger_, options_);
  ASSERT_OK(folder.FoldOnce(kLater));
  ASSERT_OK(ledger_->RecordClick(MakeClick("e2", "q1", "other", 2)));  // Arrives late.
  auto late = folder.FoldOnce(kLater);
  ASSERT_OK(late);
  EXPECT_EQ(late->impressions, 0u);  // Not settled again...
  EXPECT_EQ(late->clicks, 1u);       // ...but its click is folded.
  ASSERT_TRUE(late->model.has_value());
  EXPECT_EQ(late->model->version(), 3u);
  auto counts = ledger_->Counts("", "other");
  ASSERT_OK(counts);
  EXPECT_EQ(counts->clicks, 1);
  EXPECT_DOUBLE_EQ(counts->expected, 1.0 / 3);  // Counted once, at the first fold.
  auto nothing = folder.FoldOnce(kLater);
  ASSERT_OK(nothing);
  EXPECT_EQ(nothing->clicks, 0u);
}

TEST_F(FolderTest, ImpressionsWithoutClicksSettleWithoutANewVersion) {
  Show("q1");
  Folder folder(*ledger_, options_);
  auto fold = folder.FoldOnce(kLater);
  ASSERT_OK(fold);
  EXPECT_EQ(fold->impressions, 1u);
  EXPECT_FALSE(fold->model.has_value());
  auto counts = ledger_->Counts("", "weak");
  ASSERT_OK(counts);
  EXPECT_DOUBLE_EQ(counts->expected, 1.0);
  auto active = ledger_->ActiveModel();
  ASSERT_OK(active);
  EXPECT_FALSE(active->model.has_value());
}

TEST_F(FolderTest, PruneKeepsUnfoldedClicksCountsAndReplayability) {
  Show("old");
  ASSERT_OK(ledger_->RecordClick(MakeClick("e1", "old", "strong", 1)));
  Folder folder(*ledger_, options_);
  ASSERT_OK(folder.FoldOnce(kLater));                                  // v2 folds e1.
  ASSERT_OK(ledger_->RecordClick(MakeClick("e2", "old", "weak", 0)));  // Late, unfolded.
  Show("newer");
  auto kept = ledger_->Prune(/*cutoff_ms=*/kLater);
  ASSERT_OK(kept);
  EXPECT_EQ(kept->impressions, 0u);    // "old" has an unfolded click; "newer" is unsettled.
  ASSERT_OK(folder.FoldOnce(kLater));  // v3 folds e2, settles "newer".
  auto pruned = ledger_->Prune(kLater);
  ASSERT_OK(pruned);
  EXPECT_EQ(pruned->impressions, 2u);
  EXPECT_EQ(pruned->clicks, 2u);
  auto counts = ledger_->Counts("", "strong");
  ASSERT_OK(counts);
  EXPECT_EQ(counts->clicks, 1);  // Aggregates stay.
  EXPECT_EQ(*ledger_->ReplayableAfter(), 3u);
  auto replayed = Replay(*ledger_, {});
  ASSERT_OK(replayed);
  EXPECT_TRUE(replayed->empty());  // Nothing left to replay, and nothing reported as differing.
}

TEST_F(FolderTest, ASearchLoggedAfterTheFoldDoesNotChangeItsReplay) {
  // One user's searches for one query: the cap lets two count. "first" and the
  // clicked "third" are logged and folded; then "second", created between them but
  // logged late (concurrent searches reach the log out of creation order).
  auto show = [&](const std::string& query_id, std::int64_t created_ms) {
    const Impression impression = MakeImpression(query_id, {"weak", "strong", "other"},
                                                 {0.1f, 0.9f, 0.3f}, created_ms, "mallory");
    ASSERT_OK(ledger_->AppendImpressions(std::span<const Impression>(&impression, 1)));
  };
  show("first", 1000);
  show("third", 3000);
  ASSERT_OK(ledger_->RecordClick(MakeClick("e1", "third", "strong", 1)));
  Folder folder(*ledger_, options_);
  auto fold = folder.FoldOnce(kLater);
  ASSERT_OK(fold);
  ASSERT_TRUE(fold->model.has_value());  // "third" was the user's second: it counted.
  EXPECT_GT(fold->model->delta().weights[Column(Feature::kBm25Title)], 0.0f);
  show("second", 2000);
  auto replayed = Replay(*ledger_, {});
  ASSERT_OK(replayed);
  ASSERT_EQ(replayed->size(), 1u);
  EXPECT_TRUE(replayed->front().matches);
}

TEST_F(FolderTest, ClickOutcomesAreTallied) {
  Show("q1");
  ASSERT_OK(ledger_->RecordClick(MakeClick("e1", "q1", "strong", 1)));
  ASSERT_OK(ledger_->RecordClick(MakeClick("e1", "q1", "strong", 1)));
  EXPECT_FALSE(ledger_->RecordClick(MakeClick("e2", "nope", "strong", 1)));
  EXPECT_FALSE(ledger_->RecordClick(MakeClick("e3", "q1", "zzz", 1)));
  EXPECT_FALSE(ledger_->RecordClick(MakeClick("e4", "q1", "strong", 0)));
  const ClickTally tally = ledger_->click_tally();
  EXPECT_EQ(tally.accepted, 1u);
  EXPECT_EQ(tally.duplicate, 1u);
  EXPECT_EQ(tally.unknown_query, 1u);
  EXPECT_EQ(tally.not_shown, 1u);
  EXPECT_EQ(tally.wrong_position, 1u);
  EXPECT_EQ(tally.failed, 0u);
}

TEST_F(FolderTest, TwoFoldersNeverFoldAClickTwice) {
  Show("q1");
  ASSERT_OK(ledger_->RecordClick(MakeClick("e1", "q1", "strong", 1)));
  auto other = SqliteLedger::Open(dir_.path() / "ledger.sqlite");  // A second connection.
  ASSERT_OK(other);
  Folder first(*ledger_, options_), second(**other, options_);
  auto a = first.FoldOnce(kLater);
  auto b = second.FoldOnce(kLater);
  ASSERT_OK(a);
  // The second saw nothing left, or lost the race cleanly: never a double fold.
  if (b) {
    EXPECT_EQ(b->clicks, 0u);
  }
  auto counts = ledger_->Counts("", "strong");
  ASSERT_OK(counts);
  EXPECT_EQ(counts->clicks, 1);
}

}  // namespace
}  // namespace foldrank
