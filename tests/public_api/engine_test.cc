// The public API as an embedder sees it: this binary includes only <foldrank/...>
// and links only libfoldrank.so (tests/CMakeLists.txt), so anything the API
// forgot to export or declare fails here first.

#include <foldrank/engine.h>
#include <foldrank/version.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

namespace {

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "foldrank-api-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Open(foldrank::EngineOptions options = Manual()) {
    auto engine = foldrank::Engine::Open(dir_, options);
    ASSERT_TRUE(engine.has_value()) << engine.error().ToString();
    engine_ = std::move(*engine);
    for (const char* line :
         {R"({"id": "a", "title": "Garden hoses", "body": "a hose for the garden"})",
          R"({"id": "b", "title": "Garden tools", "body": "rakes and a hose reel"})",
          R"({"id": "c", "title": "Kitchen", "body": "pots and pans"})"}) {
      auto document = foldrank::ParseDocument(line);
      ASSERT_TRUE(document.has_value()) << document.error().ToString();
      ASSERT_TRUE(engine_->Upsert(*document).ok());
    }
    ASSERT_TRUE(engine_->Refresh().ok());
  }
  static foldrank::EngineOptions Manual() {
    foldrank::EngineOptions options;
    options.fold_in_background = false;
    options.settle_ms = 0;
    return options;
  }
  foldrank::SearchPage Search(const std::string& text) {
    foldrank::SearchQuery query;
    query.text = text;
    query.temperature = 0;  // Deterministic, so positions are known.
    query.randpair_share = 0;
    auto page = engine_->Search(query);
    EXPECT_TRUE(page.has_value()) << page.error().ToString();
    return page.has_value() ? *page : foldrank::SearchPage{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<foldrank::Engine> engine_;
};

TEST_F(EngineTest, BadOptionsAreRefusedBeforeAnythingIsOpened) {
  foldrank::EngineOptions options;
  options.certification = "sometimes";
  auto engine = foldrank::Engine::Open(dir_ / "data", options);
  ASSERT_FALSE(engine.has_value());
  EXPECT_EQ(engine.error().code(), foldrank::Status::Code::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "data"));  // Nothing half-built.
  options = {};
  options.canary_share = 0;
  EXPECT_FALSE(foldrank::CheckEngineOptions(options).ok());
}

TEST_F(EngineTest, SearchClickFoldMakesANewVersion) {
  Open();
  const foldrank::SearchPage page = Search("garden hose");
  ASSERT_GE(page.results.size(), 2u);
  EXPECT_FALSE(page.query_id.empty());
  EXPECT_EQ(page.model_version, 1u);
  EXPECT_EQ(engine_->ServingVersion(), 1u);

  foldrank::Click click;
  click.event_id = "e1";
  click.query_id = page.query_id;
  click.doc_id = page.results[1].id;
  click.position = page.results[1].position;
  auto accepted = engine_->RecordClick(click);
  ASSERT_TRUE(accepted.has_value()) << accepted.error().ToString();
  EXPECT_EQ(*accepted, foldrank::ClickOutcome::kAccepted);
  auto again = engine_->RecordClick(click);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, foldrank::ClickOutcome::kDuplicate);

  auto fold = engine_->FoldNow();
  ASSERT_TRUE(fold.has_value()) << fold.error().ToString();
  EXPECT_TRUE(fold->holds_lease);
  EXPECT_EQ(fold->clicks, 1u);
  EXPECT_EQ(fold->model_version, 2u);
  EXPECT_EQ(engine_->ServingVersion(), 2u);

  auto history = engine_->ModelHistory(10);
  ASSERT_TRUE(history.has_value());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front().version, 2u);
  auto model = engine_->Model(2);
  ASSERT_TRUE(model.has_value());
  EXPECT_EQ(model->parent, 1u);
  EXPECT_EQ(model->origin, "fold");
  EXPECT_FALSE(model->delta_weights.empty());

  const foldrank::EngineStatus status = engine_->Report();
  EXPECT_EQ(status.model.version, 2u);
  EXPECT_EQ(status.ledger.clicks, 1u);
  EXPECT_EQ(status.ledger.unfolded_clicks, 0u);
  EXPECT_EQ(status.clicks.duplicate, 1u);
  EXPECT_EQ(status.documents, 3);
}

TEST_F(EngineTest, ClicksThatCannotBeRightAreRefusedWithTheirReason) {
  Open();
  const foldrank::SearchPage page = Search("garden");
  ASSERT_FALSE(page.results.empty());
  foldrank::Click click;
  click.query_id = "no-such-query";
  click.doc_id = page.results[0].id;
  auto unknown = engine_->RecordClick(click);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code(), foldrank::Status::Code::kNotFound);

  click.query_id = page.query_id;
  click.doc_id = "c";  // Not on the page.
  auto not_shown = engine_->RecordClick(click);
  ASSERT_FALSE(not_shown.has_value());
  EXPECT_EQ(not_shown.error().code(), foldrank::Status::Code::kInvalidArgument);
}

TEST_F(EngineTest, ClicksWithoutAnEventIdEachCountOnce) {
  Open();
  const foldrank::SearchPage page = Search("garden");
  ASSERT_FALSE(page.results.empty());
  foldrank::Click click;  // No event id, no time: the engine fills both in.
  click.query_id = page.query_id;
  click.doc_id = page.results[0].id;
  click.position = page.results[0].position;
  for (int i = 0; i < 2; ++i) {
    auto outcome = engine_->RecordClick(click);
    ASSERT_TRUE(outcome.has_value()) << outcome.error().ToString();
    EXPECT_EQ(*outcome, foldrank::ClickOutcome::kAccepted);  // Not a duplicate of the first.
  }
  EXPECT_EQ(engine_->Report().ledger.clicks, 2u);
}

TEST_F(EngineTest, DocumentsAndModelsAnswerWithErrorValues) {
  Open();
  EXPECT_TRUE(engine_->Contains("a"));
  EXPECT_EQ(engine_->Delete("zzz").code(), foldrank::Status::Code::kNotFound);
  ASSERT_TRUE(engine_->Delete("a").ok());
  ASSERT_TRUE(engine_->Refresh().ok());
  EXPECT_FALSE(engine_->Contains("a"));
  EXPECT_EQ(engine_->DocumentCount(), 2);

  foldrank::SearchQuery empty;
  empty.text = "   ";
  auto searched = engine_->Search(empty);
  ASSERT_FALSE(searched.has_value());
  EXPECT_EQ(searched.error().code(), foldrank::Status::Code::kInvalidArgument);

  EXPECT_EQ(engine_->Model(99).error().code(), foldrank::Status::Code::kNotFound);
  EXPECT_EQ(engine_->Activate(99).code(), foldrank::Status::Code::kNotFound);
  EXPECT_EQ(engine_->ImportModel("{not json").error().code(),
            foldrank::Status::Code::kInvalidArgument);

  // A model exported as JSON imports as a new version, which can be pinned back.
  auto cold_start = engine_->ModelJson(1);
  ASSERT_TRUE(cold_start.has_value());
  auto imported = engine_->ImportModel(*cold_start);
  ASSERT_TRUE(imported.has_value()) << imported.error().ToString();
  EXPECT_EQ(*imported, 2u);
  EXPECT_TRUE(engine_->Activate(1).ok());
  EXPECT_EQ(engine_->ServingVersion(), 1u);
}

TEST_F(EngineTest, TheBackgroundFolderJudgesAnImportWithoutWaitingForTheCheck) {
  // The fold thread starts the check's evaluation on a thread of its own and takes
  // the decision at a later step: here, with no traffic yet, the bound cannot tell,
  // so a canary starts and the certified model serves meanwhile.
  foldrank::EngineOptions options;
  options.settle_ms = 0;
  options.fold_interval_ms = 20;
  Open(options);
  auto cold_start = engine_->ModelJson(1);
  ASSERT_TRUE(cold_start.has_value());
  auto imported = engine_->ImportModel(*cold_start);
  ASSERT_TRUE(imported.has_value()) << imported.error().ToString();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (engine_->Report().certification.canary == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const foldrank::EngineStatus status = engine_->Report();
  EXPECT_NE(status.certification.canary, 0u);
  EXPECT_NE(status.certification.last_decision.find("\"canary\""), std::string::npos)
      << status.certification.last_decision;
  EXPECT_NE(status.certification.last_decision.find("counterfactual"), std::string::npos);
  EXPECT_EQ(status.last_certification_error, "");
  EXPECT_EQ(engine_->ServingVersion(), 1u);  // Held back until judged.
  // A second import, then closing at once: a check in progress is cancelled and
  // waited for (the sanitizer builds watch this).
  ASSERT_TRUE(engine_->ImportModel(*cold_start).has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  engine_.reset();
}

TEST_F(EngineTest, TheLibraryKnowsItsVersion) {
  const std::string expected = std::to_string(FOLDRANK_VERSION_MAJOR) + "." +
                               std::to_string(FOLDRANK_VERSION_MINOR) + "." +
                               std::to_string(FOLDRANK_VERSION_PATCH);
  EXPECT_EQ(std::string(foldrank::Version()), expected);
}

}  // namespace
