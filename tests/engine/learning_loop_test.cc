// The whole loop on real parts: a Lucene++ index, the ranker, a SQLite ledger.
// Users search, clicks are recorded against the query ids they were served, the
// folder learns, and the next searches are served by the new model.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <set>

#include "common/clock.h"
#include "engine/search_pipeline.h"
#include "evaluation/counterfactual.h"
#include "feedback/folder.h"
#include "feedback/ledger_click_signals.h"
#include "feedback/replay.h"
#include "feedback/sqlite_ledger.h"
#include "tests/index/index_test_util.h"

namespace foldrank {
namespace {

using testing::Doc;

class LearningLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto index = Index::Open(dir_.path() / "index", testing::ManualOptions());
    ASSERT_OK(index);
    index_ = std::move(*index);
    // Nine stale pages that match the text well, and the fresh one users want.
    for (int i = 0; i < 9; ++i) {
      Document d = Doc("stale" + std::to_string(i), "garden hose guide " + std::to_string(i),
                       "garden hose garden hose watering tips");
      d.updated_at = UnixSeconds() - 3 * 365 * 86400;
      ASSERT_OK(index_->Upsert(d));
    }
    Document wanted = Doc("wanted", "hose", "our new garden hose");
    wanted.updated_at = UnixSeconds();
    ASSERT_OK(index_->Upsert(wanted));
    ASSERT_OK(index_->Refresh());
    auto ledger = SqliteLedger::Open(dir_.path() / "ledger.sqlite");
    ASSERT_OK(ledger);
    ledger_ = std::move(*ledger);
  }

  // The wanted document's 0-based position under the deterministic policy.
  int PositionOfWanted(SearchPipeline& pipeline) {
    SearchRequest request;
    request.query = "garden hose";
    std::mt19937_64 rng(1);
    auto page = pipeline.Search(request, rng);
    EXPECT_TRUE(page.has_value());
    for (const SearchResult& r : page->results) {
      if (r.id == "wanted") return r.position;
    }
    return 99;
  }

  testing::TempDir dir_;
  std::unique_ptr<Index> index_;
  std::unique_ptr<SqliteLedger> ledger_;
};

TEST_F(LearningLoopTest, ClicksOnTheWantedDocumentMoveItUp) {
  ModelStore models(std::make_shared<const Model>(Model::ColdStart()));
  LedgerClickSignals click_signals;
  ImpressionLog log(*ledger_);
  SearchPipeline pipeline(*index_, models, click_signals, {&log, nullptr});
  const int before = PositionOfWanted(pipeline);
  ASSERT_GT(before, 2) << "the test needs the wanted document to start low";

  Folder folder(*ledger_, {});
  std::mt19937_64 rng(7);
  SearchRequest request;
  request.query = "garden hose";
  request.policy.temperature = 1.0;  // Explore, so clicks can teach without bias.
  int clicks = 0;
  for (int round = 0; round < 20; ++round) {
    for (int i = 0; i < 15; ++i) {
      auto page = pipeline.Search(request, rng);
      ASSERT_TRUE(page.has_value());
      ASSERT_FALSE(page->query_id.empty());
      log.Flush();  // The click must find its impression.
      for (const SearchResult& r : page->results) {
        // The simulated user scans the top 8 and clicks the document they want.
        if (r.position < 8 && r.id == "wanted") {
          Click click{NewRandomId(), page->query_id, r.id, r.position, 0, std::nullopt};
          auto outcome = ledger_->RecordClick(click);
          ASSERT_TRUE(outcome.has_value()) << outcome.status().ToString();
          ++clicks;
        }
      }
    }
    auto fold = folder.FoldOnce(/*now_ms=*/4'000'000'000'000);
    ASSERT_TRUE(fold.has_value()) << fold.status().ToString();
    if (fold->model) models.Publish(std::make_shared<const Model>(*fold->model));
    ASSERT_TRUE(click_signals.Reload(*ledger_).has_value());
  }
  ASSERT_GT(clicks, 10);
  const auto model = models.Current();
  EXPECT_GT(model->version(), 1u);
  EXPECT_GT(model->delta().weights[Column(Feature::kFreshness)], 0.0f);
  EXPECT_LT(PositionOfWanted(pipeline), before);
  log.Flush();
  EXPECT_EQ(log.counters().dropped, 0u);
  // Every folded version can be rebuilt from the ledger, bit for bit.
  auto replayed = Replay(*ledger_, LearnerOptions{});
  ASSERT_TRUE(replayed.has_value()) << replayed.status().ToString();
  EXPECT_EQ(replayed->size(), model->version() - 1);
  for (const ReplayedVersion& version : *replayed) EXPECT_TRUE(version.matches) << version.version;
  EXPECT_EQ(log.counters().written, log.counters().submitted);
}

TEST_F(LearningLoopTest, SampledPagesLogTheirPoolForTheEvaluator) {
  // A first page of 4 drawn from the 10 best-scored: the 6 below the page are
  // logged with the scores and features they were sampled with, and the evaluator
  // finds the pool consistent with the served probabilities.
  ModelStore models(std::make_shared<const Model>(Model::ColdStart()));
  LedgerClickSignals click_signals;
  ImpressionLog log(*ledger_);
  SearchPipeline pipeline(*index_, models, click_signals, {&log, nullptr});
  std::mt19937_64 rng(3);
  SearchRequest request;
  request.query = "garden hose";
  request.page_size = 4;
  request.policy.temperature = 0.5;
  request.policy.swap_share = 0.3;  // RandPair swaps on some: the pool stays usable.
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(pipeline.Search(request, rng).has_value());
  request.offset = 4;  // A second page: not a sample of its own, no pool.
  ASSERT_TRUE(pipeline.Search(request, rng).has_value());
  request.offset = 0;
  request.policy.temperature = 0;  // Deterministic: nothing else could have been shown.
  ASSERT_TRUE(pipeline.Search(request, rng).has_value());
  log.Flush();

  auto recent = ledger_->Recent(0, 100, true);
  ASSERT_TRUE(recent.has_value()) << recent.status().ToString();
  ASSERT_EQ(recent->size(), 32u);
  int swapped = 0;
  for (std::size_t i = 0; i < 30; ++i) {
    const Impression& impression = (*recent)[i].impression;
    EXPECT_EQ(impression.sample_depth, 10u);
    ASSERT_EQ(impression.unshown.size(), 6u);
    std::set<std::string> pool;
    for (const ShownResult& r : impression.results) pool.insert(r.doc_id);
    for (std::size_t u = 0; u < impression.unshown.size(); ++u) {
      pool.insert(impression.unshown[u].doc_id);
      EXPECT_EQ(impression.unshown[u].features.size(), kFeatureCount);
      if (u > 0) {
        EXPECT_GE(impression.unshown[u - 1].score, impression.unshown[u].score);
      }
    }
    EXPECT_EQ(pool.size(), 10u);  // Every document, once.
    swapped += impression.swapped_with > 0;
  }
  EXPECT_GT(swapped, 0);
  for (std::size_t i = 30; i < 32; ++i) {
    EXPECT_EQ((*recent)[i].impression.sample_depth, 0u);
    EXPECT_TRUE((*recent)[i].impression.unshown.empty());
  }
  LinearFunction fresh;
  fresh.weights[Column(Feature::kFreshness)] = 1;
  const CounterfactualReport report =
      EvaluateCounterfactual(*recent, Model::ColdStart().WithDelta(fresh, "test"),
                             Model::ColdStart(), PositionBias::Prior());
  EXPECT_EQ(report.policy_aware, 30u);
  EXPECT_EQ(report.by_position, 1u);  // The deterministic page.
  EXPECT_EQ(report.skipped, 1u);      // The second page.
}

}  // namespace
}  // namespace foldrank
