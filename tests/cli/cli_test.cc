// The foldrank executable end to end: real processes on a temp data directory.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "common/clock.h"
#include "feedback/sqlite_ledger.h"
#include "tests/cli/cli_fixture.h"
#include "tests/feedback/feedback_test_util.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace foldrank {
namespace {

TEST_F(CliTest, IndexesSearchesAndDeletes) {
  const std::string file = WriteJsonl(
      "docs.jsonl",
      R"({"id":"vim","title":"Vim editor","body":"A modal text editor for the terminal"})"
      "\n"
      R"({"id":"nano","title":"Nano editor","body":"A small and friendly text editor"})"
      "\n");
  ProcessRun index = Foldrank({"index", "--data", Data(), file});
  EXPECT_EQ(index.exit_code, 0) << index.err;
  EXPECT_NE(index.out.find("accepted 2, rejected 0"), std::string::npos) << index.out;

  ProcessRun search = Foldrank({"search", "--data", Data(), "-k", "5", "modal", "terminal"});
  EXPECT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("1 hits"), std::string::npos) << search.out;
  EXPECT_NE(search.out.find("  1. vim  "), std::string::npos) << search.out;
  EXPECT_NE(search.out.find("Vim editor"), std::string::npos) << search.out;
  EXPECT_NE(search.out.find("[modal]"), std::string::npos) << search.out;  // Snippet highlight.

  ProcessRun deleted = Foldrank({"delete", "--data", Data(), "vim", "ghost"});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_NE(deleted.err.find("no document with id 'ghost'"), std::string::npos) << deleted.err;
  EXPECT_NE(deleted.out.find("deleted 1; the index holds 1 documents"), std::string::npos)
      << deleted.out;
  ProcessRun after = Foldrank({"search", "--data", Data(), "editor"});
  EXPECT_EQ(after.out.find("vim"), std::string::npos) << after.out;
  EXPECT_NE(after.out.find("nano"), std::string::npos) << after.out;
}

TEST_F(CliTest, BadLinesAreReportedByNumberAndTheRestLoads) {
  const std::string file =
      WriteJsonl("mixed.jsonl", R"({"id":"ok1","title":"fine"})"
                                "\n"
                                "this is not json\n"
                                R"({"title":"no id"})"
                                "\n"
                                R"({"id":"bad","popularity":-3})"
                                "\n"
                                R"({"id":"ok2","title":"also fine"})"
                                "\n"
                                R"j({"id":"trap","url":"javascript:alert(1)"})j"
                                "\n");
  ProcessRun index = Foldrank({"index", "--data", Data(), file});
  EXPECT_EQ(index.exit_code, 3);
  EXPECT_NE(index.out.find("accepted 2, rejected 4"), std::string::npos) << index.out;
  EXPECT_NE(index.err.find(file + ":6: rejected: field 'url'"), std::string::npos) << index.err;
  EXPECT_NE(index.err.find(file + ":2: rejected: not valid JSON"), std::string::npos) << index.err;
  EXPECT_NE(index.err.find(file + ":3: rejected: missing required field 'id'"), std::string::npos)
      << index.err;
  EXPECT_NE(index.err.find(file + ":4: rejected: field 'popularity'"), std::string::npos)
      << index.err;
  ProcessRun search = Foldrank({"search", "--data", Data(), "fine"});
  EXPECT_NE(search.out.find("ok1"), std::string::npos) << search.out;
  EXPECT_NE(search.out.find("ok2"), std::string::npos) << search.out;
}

TEST_F(CliTest, SameIdAgainReplacesAndStdinWorks) {
  ProcessRun first =
      Foldrank({"index", "--data", Data(), "-"}, R"({"id":"d","title":"first version"})");
  EXPECT_EQ(first.exit_code, 0) << first.err;
  ProcessRun second =
      Foldrank({"index", "--data", Data(), "-"}, R"({"id":"d","title":"second version"})");
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("the index holds 1 documents"), std::string::npos) << second.out;
  ProcessRun search = Foldrank({"search", "--data", Data(), "version"});
  EXPECT_NE(search.out.find("second version"), std::string::npos) << search.out;
  EXPECT_EQ(search.out.find("first version"), std::string::npos) << search.out;
}

TEST_F(CliTest, SearchReadsQueriesFromStdinWhenNoneAreGiven) {
  Foldrank({"index", "--data", Data(), "-"}, R"({"id":"a","title":"apples"})"
                                             "\n"
                                             R"({"id":"b","title":"bananas"})");
  ProcessRun search = Foldrank({"search", "--data", Data()}, "apple\n\nbanana\n");
  EXPECT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("hits for \"apple\""), std::string::npos) << search.out;
  EXPECT_NE(search.out.find("hits for \"banana\""), std::string::npos) << search.out;
}

// An index from before the analysis version it records (or another version) is
// refused with a clear error, and --rebuild rebuilds it from its stored documents.
TEST_F(CliTest, AnIndexFromAnotherAnalysisIsRefusedAndRebuilt) {
  Foldrank({"index", "--data", Data(), "-"}, R"({"id":"k","title":"Kinetics of gases"})"
                                             "\n"
                                             R"({"id":"h","title":"Heating"})");
  std::filesystem::remove(std::filesystem::path(Data()) / "index" / "analysis.json");
  ProcessRun refused = Foldrank({"search", "--data", Data(), "kinetic"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("--rebuild"), std::string::npos) << refused.err;
  ProcessRun rebuilt = Foldrank({"index", "--data", Data(), "--rebuild"});
  EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_NE(rebuilt.out.find("rebuilt 2 documents"), std::string::npos) << rebuilt.out;
  ProcessRun search = Foldrank({"search", "--data", Data(), "kinetic"});
  EXPECT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("1 hits"), std::string::npos) << search.out;
  EXPECT_EQ(Foldrank({"index", "--data", Data(), "--rebuild", "--language", "klingon"}).exit_code,
            1);
  EXPECT_EQ(Foldrank({"index", "--data", Data()}).exit_code, 2);  // Neither FILE nor --rebuild.
}

TEST_F(CliTest, LuceneSyntaxErrorsAreClearAndNonZero) {
  Foldrank({"index", "--data", Data(), "-"}, R"({"id":"a","title":"apples"})");
  ProcessRun search = Foldrank({"search", "--data", Data(), "--lucene", "title:(apples"});
  EXPECT_EQ(search.exit_code, 1);
  EXPECT_NE(search.err.find("not valid Lucene syntax"), std::string::npos) << search.err;
  EXPECT_NE(search.err.find("column"), std::string::npos) << search.err;
}

TEST_F(CliTest, ErrorsExitNonZeroWithAMessage) {
  ProcessRun missing_index = Foldrank({"search", "--data", Data(), "x"});
  EXPECT_EQ(missing_index.exit_code, 1);
  EXPECT_NE(missing_index.err.find("NotFound"), std::string::npos) << missing_index.err;

  ProcessRun missing_file =
      Foldrank({"index", "--data", Data(), (dir_.path() / "nope.jsonl").string()});
  EXPECT_EQ(missing_file.exit_code, 1);
  EXPECT_NE(missing_file.err.find("cannot open"), std::string::npos) << missing_file.err;

  ProcessRun no_data = Foldrank({"search", "x"});
  EXPECT_EQ(no_data.exit_code, 2);
  EXPECT_NE(no_data.err.find("--data"), std::string::npos) << no_data.err;

  ProcessRun bad_k = Foldrank({"search", "--data", Data(), "-k", "0", "x"});
  EXPECT_EQ(bad_k.exit_code, 2);

  ProcessRun unknown = Foldrank({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown command 'frobnicate'"), std::string::npos) << unknown.err;
}

TEST_F(CliTest, EverySubcommandHasHelp) {
  for (const char* command : {"index", "search", "delete", "serve"}) {
    ProcessRun help = Foldrank({command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_NE(help.out.find(std::string("usage: foldrank ") + command), std::string::npos)
        << help.out;
    EXPECT_NE(help.out.find("--data"), std::string::npos) << help.out;
  }
  // Defaults as a person would type them.
  ProcessRun serve = Foldrank({"serve", "--help"});
  EXPECT_NE(serve.out.find("(=0.1)"), std::string::npos) << serve.out;
  EXPECT_EQ(serve.out.find("0000000"), std::string::npos) << serve.out;
  EXPECT_EQ(Foldrank({"evaluate", "--help"}).out.find("0000000"), std::string::npos);
  ProcessRun top = Foldrank({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("Commands:"), std::string::npos);
}

TEST_F(CliTest, SampleCorpusLoadsAndAnswersKnownItemQueries) {
  const std::string corpus =
      std::string(std::getenv("FOLDRANK_SOURCE_DIR")) + "/sample_corpus/quillstack.jsonl";
  ProcessRun index = Foldrank({"index", "--data", Data(), corpus});
  EXPECT_EQ(index.exit_code, 0) << index.err;
  EXPECT_NE(index.out.find("rejected 0"), std::string::npos) << index.out;
  ProcessRun search =
      Foldrank({"search", "--data", Data(), "-k", "3", "why is my cache always missing"});
  EXPECT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("  1. faq-why-is-my-cache-always-missing  "), std::string::npos)
      << search.out;
}

TEST_F(CliTest, ExplainShowsEveryFeaturesContribution) {
  Foldrank({"index", "--data", Data(), "-"},
           R"({"id":"a","title":"red apples","body":"sweet red apples"})");
  ProcessRun search = Foldrank({"search", "--data", Data(), "--explain", "red apples"});
  EXPECT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("model v1"), std::string::npos) << search.out;
  EXPECT_NE(search.out.find("= base"), std::string::npos) << search.out;
  for (const char* feature : {"bm25_title", "proximity_body", "click_rate_query_doc"}) {
    EXPECT_NE(search.out.find(feature), std::string::npos) << feature;
  }
}

class CliModelTest : public CliTest {
 protected:
  void SetUp() override {
    // "popular" is much more popular; the text favours "relevant".
    Foldrank(
        {"index", "--data", Data(), "-"},
        R"({"id":"relevant","title":"garden hose","body":"garden hose garden hose","popularity":1})"
        "\n"
        R"({"id":"popular","title":"hose reel","body":"a reel","popularity":5000})");
  }
  std::string TopHit(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"search", "--data", Data(), "-k", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("garden hose");
    ProcessRun search = Foldrank(args);
    EXPECT_EQ(search.exit_code, 0) << search.err;
    const auto at = search.out.find("  1. ");
    return at == std::string::npos
               ? ""
               : search.out.substr(at + 5, search.out.find(' ', at + 5) - at - 5);
  }
};

TEST_F(CliModelTest, ImportedLinearBaseChangesTheRankingAndRollsBack) {
  EXPECT_EQ(TopHit(), "relevant");
  const std::string model = WriteJsonl("popularity.json", R"({"weights":{"log_popularity":1}})");
  ProcessRun imported = Foldrank({"model", "import", "--data", Data(), model});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("imported as model v2 (parent v1), now active"), std::string::npos)
      << imported.out;
  EXPECT_EQ(TopHit(), "popular");
  ProcessRun list = Foldrank({"model", "list", "--data", Data()});
  EXPECT_NE(list.out.find("v2  import:linear, parent v1, linear base  [active]"), std::string::npos)
      << list.out;
  ProcessRun rollback = Foldrank({"model", "activate", "--data", Data(), "1"});
  EXPECT_EQ(rollback.exit_code, 0) << rollback.err;
  EXPECT_EQ(TopHit(), "relevant");
}

TEST_F(CliModelTest, BadModelsAreRejectedAndTheActiveModelStays) {
  const std::string good = WriteJsonl("good.json", R"({"weights":{"log_popularity":1}})");
  ASSERT_EQ(Foldrank({"model", "import", "--data", Data(), good}).exit_code, 0);
  for (const std::string& text :
       {std::string(R"({"weights":{"pagerank":1}})"),
        std::string(R"({"weights":{"bm25_all":1e999}})"), std::string("not json")}) {
    const std::string bad = WriteJsonl("bad.json", text);
    ProcessRun imported = Foldrank({"model", "import", "--data", Data(), bad});
    EXPECT_EQ(imported.exit_code, 1) << text;
    EXPECT_NE(imported.err.find("rejected, nothing changed"), std::string::npos) << imported.err;
  }
  ProcessRun trees = Foldrank({"model", "import", "--data", Data(), "--format", "xgboost",
                               WriteJsonl("t.json", R"([{"nodeid":0,"split":"nope"}])")});
  EXPECT_EQ(trees.exit_code, 1);
  EXPECT_NE(trees.err.find("unknown feature 'nope'"), std::string::npos) << trees.err;
  EXPECT_EQ(TopHit(), "popular");  // Still the good import.
  ProcessRun list = Foldrank({"model", "list", "--data", Data()});
  EXPECT_NE(list.out.find("v2  import:linear, parent v1, linear base  [active]"), std::string::npos)
      << list.out;
}

TEST_F(CliModelTest, XgboostDumpImportsAsATreeBase) {
  // One split on popularity: the more popular document wins.
  const std::string dump = WriteJsonl("trees.json", R"([{"nodeid":0,"split":"log_popularity",
      "split_condition":0.5,"yes":1,"no":2,"missing":1,
      "children":[{"nodeid":1,"leaf":-1},{"nodeid":2,"leaf":5}]}])");
  ProcessRun imported =
      Foldrank({"model", "import", "--data", Data(), "--format", "xgboost", dump});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(TopHit(), "popular");
  ProcessRun show = Foldrank({"model", "show", "--data", Data()});
  EXPECT_NE(show.out.find("\"kind\": \"trees\""), std::string::npos) << show.out;
}

TEST_F(CliModelTest, SearchWithAModelFile) {
  ProcessRun show = Foldrank({"model", "show", "--data", Data(), "1"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  std::string json = show.out;
  const std::string weight = "\"log_popularity\": 0.25";  // The cold-start weight.
  ASSERT_NE(json.find(weight), std::string::npos) << json;
  json.replace(json.find(weight), weight.size(), "\"log_popularity\": 50.0");
  EXPECT_EQ(TopHit({"--model", WriteJsonl("m.json", json)}), "popular");
  EXPECT_EQ(TopHit(), "relevant");  // The file did not change the active model.
  ProcessRun missing = Foldrank({"search", "--data", Data(), "--model", "/nonexistent", "x"});
  EXPECT_EQ(missing.exit_code, 1);
}

TEST_F(CliTest, EvaluateTellsABetterModelFromAWorseOneInTheLoggedClicks) {
  // A ledger with 600 logged impressions of 5 documents whose quality feature is their
  // relevance, clicked by position-biased users, and two candidate models: one ranks
  // by quality (v2), one against it (v3).
  std::filesystem::create_directories(Data());
  {
    auto ledger = SqliteLedger::Open(std::filesystem::path(Data()) / "ledger.sqlite");
    ASSERT_OK(ledger);
    std::mt19937_64 rng(9);
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<Impression> impressions;
    std::vector<Click> clicks;
    const std::int64_t now_ms = UnixMillis();
    for (int i = 0; i < 600; ++i) {
      std::vector<std::string> ids;
      std::vector<float> quality;
      for (int d = 0; d < 5; ++d) {
        ids.push_back("d" + std::to_string(d));
        quality.push_back(static_cast<float>(unit(rng)));
      }
      const std::string query_id = "q" + std::to_string(i);
      impressions.push_back(testing::MakeImpression(query_id, ids, quality, now_ms - 1000 + i));
      for (int p = 0; p < 5; ++p) {
        if (unit(rng) < quality[static_cast<std::size_t>(p)] / (p + 1.0)) {
          clicks.push_back(testing::MakeClick(query_id + "-" + std::to_string(p), query_id,
                                              ids[static_cast<std::size_t>(p)], p));
        }
      }
    }
    ASSERT_OK((*ledger)->AppendImpressions(impressions));
    for (const Click& click : clicks) ASSERT_OK((*ledger)->RecordClick(click));
    for (float weight : {5.0f, -5.0f}) {
      LinearFunction delta;
      delta.weights[Column(Feature::kBm25Title)] = weight;
      ASSERT_OK((*ledger)->StoreModel(Model::ColdStart().WithDelta(delta, "test"), 1));
    }
  }
  ProcessRun better =
      Foldrank({"evaluate", "--data", Data(), "--candidate", "2", "--baseline", "3", "--json"});
  ASSERT_EQ(better.exit_code, 0) << better.err;
  const nlohmann::json report = nlohmann::json::parse(better.out);
  ASSERT_EQ(report.at("segments").at(0).at("segment"), "all");
  EXPECT_EQ(report.at("segments").at(0).at("impressions"), 600);
  EXPECT_EQ(report.at("segments").at(0).at("decision"), "better");
  EXPECT_EQ(report.at("position_bias"), "prior");

  ProcessRun worse =
      Foldrank({"evaluate", "--data", Data(), "--candidate", "3", "--baseline", "2"});
  ASSERT_EQ(worse.exit_code, 0) << worse.err;
  EXPECT_NE(worse.out.find("worse"), std::string::npos) << worse.out;

  ProcessRun unknown = Foldrank({"evaluate", "--data", Data(), "--candidate", "77"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("77"), std::string::npos) << unknown.err;
  ProcessRun bad = Foldrank({"evaluate", "--data", Data(), "--candidate", "2", "--since", "soon"});
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
}  // namespace foldrank
