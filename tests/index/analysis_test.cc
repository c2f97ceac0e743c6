#include "index/analysis.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "index/index.h"
#include "tests/index/index_test_util.h"

namespace foldrank {
namespace {

using testing::Doc;
using testing::ManualOptions;
using Code = Status::Code;

// The ids of the documents `query` finds (any order).
std::vector<std::string> Found(Index& index, const std::string& query) {
  auto found = index.Snapshot()->Candidates(query, 50);
  EXPECT_OK(found);
  std::vector<std::string> ids;
  if (found) {
    for (const Candidate& candidate : found->candidates) ids.push_back(candidate.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

class AnalysisTest : public ::testing::Test {
 protected:
  std::unique_ptr<Index> Open(std::string language = "") {
    IndexOptions options = ManualOptions();
    options.language = std::move(language);
    auto index = Index::Open(dir_.path() / "index", options);
    EXPECT_OK(index);
    return index ? std::move(*index) : nullptr;
  }
  testing::TempDir dir_;
};

// Each pair: a word Lucene++'s PorterStemFilter stemmed apart from its other form
// (LUCENEPP.md), or a form Porter and Porter2 agree on.
TEST_F(AnalysisTest, EachFormOfAWordFindsTheOthers) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"kinetics", "kinetic"},          {"heating", "heated"},
      {"separation", "separate"},       {"relational", "relate"},
      {"generalization", "generalize"}, {"running", "runs"},
      {"indexing", "indexed"},          {"queries", "query"},
      {"libraries", "library"}};
  auto index = Open();
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    ASSERT_OK(index->Upsert(Doc("doc-" + std::to_string(i), "", "about " + pairs[i].first)));
  }
  ASSERT_OK(index->Refresh());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const std::vector<std::string> expected = {"doc-" + std::to_string(i)};
    EXPECT_EQ(Found(*index, pairs[i].second), expected) << pairs[i].second;
    EXPECT_EQ(Found(*index, pairs[i].first), expected) << pairs[i].first;
  }
  // "its" is a stop word, not the stem "i" of anything.
  EXPECT_TRUE(Found(*index, "its").empty());
}

TEST_F(AnalysisTest, UnicodeFormsFoldToTheirPlainLetters) {
  auto index = Open();
  ASSERT_OK(index->Upsert(Doc("cache", "Cache", "the build cache")));
  ASSERT_OK(index->Upsert(Doc("file", "File", "a config file")));
  ASSERT_OK(index->Upsert(Doc("caches", "Caches", "several caches")));
  ASSERT_OK(index->Upsert(Doc("cafe", "Café", "Straße naïve résumé")));
  ASSERT_OK(index->Refresh());
  EXPECT_EQ(Found(*index, "ＣＡＣＨＥ"), (std::vector<std::string>{"cache", "caches"}));
  EXPECT_EQ(Found(*index, "ﬁle"), (std::vector<std::string>{"file"}));
  EXPECT_EQ(Found(*index, "cachés"), (std::vector<std::string>{"cache", "caches"}));
  EXPECT_EQ(Found(*index, "CAFE"), (std::vector<std::string>{"cafe"}));
  EXPECT_EQ(Found(*index, "strasse"), (std::vector<std::string>{"cafe"}));
  EXPECT_EQ(Found(*index, "NAIVE resume"), (std::vector<std::string>{"cafe"}));
}

TEST_F(AnalysisTest, MarksOfOtherScriptsStay) {
  auto index = Open();
  // Hindi: the vowel signs are combining marks but letters of the word.
  ASSERT_OK(index->Upsert(Doc("hindi", "", "किताब")));
  ASSERT_OK(index->Upsert(Doc("other", "", "कतब")));
  ASSERT_OK(index->Refresh());
  EXPECT_EQ(Found(*index, "किताब"), (std::vector<std::string>{"hindi"}));
}

TEST_F(AnalysisTest, ALanguageIsRecordedAndItsStemmerUsed) {
  {
    auto index = Open("german");
    ASSERT_OK(index->Upsert(Doc("haus", "", "Die Häuser der Stadt")));
    ASSERT_OK(index->Commit());
  }
  auto record = ReadAnalysisRecord(dir_.path() / "index");
  ASSERT_OK(record);
  EXPECT_EQ(record->language, "german");
  EXPECT_EQ(record->version, kAnalysisVersion);
  auto index = Open();  // No language: the recorded one.
  ASSERT_OK(index->Refresh());
  EXPECT_EQ(Found(*index, "häuser"), (std::vector<std::string>{"haus"}));
  EXPECT_EQ(Found(*index, "Hauser"), (std::vector<std::string>{"haus"}));
  index.reset();
  auto other = Index::Open(dir_.path() / "index", {.language = "french"});
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code(), Code::kInvalidArgument);
  EXPECT_NE(other.error().message().find("--rebuild"), std::string::npos);
  EXPECT_CODE(Index::Open(dir_.path() / "x", {.language = "klingon"}), Code::kInvalidArgument);
}

TEST_F(AnalysisTest, AnIndexFromAnotherAnalysisIsRefusedClearlyAndRebuildsLosingNothing) {
  {
    auto index = Open();
    for (int i = 0; i < 50; ++i) {
      ASSERT_OK(index->Upsert(Doc("d" + std::to_string(i), "kinetics " + std::to_string(i),
                                  "body " + std::to_string(i), {"tag"})));
    }
    ASSERT_OK(index->Delete("d7"));
    ASSERT_OK(index->Commit());
  }
  // An index from before analysis records (version 1).
  std::filesystem::remove(dir_.path() / "index" / "analysis.json");
  auto refused = Index::Open(dir_.path() / "index", ManualOptions());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), Code::kInvalidArgument);
  EXPECT_NE(refused.error().message().find("analysis version 1"), std::string::npos)
      << refused.error().ToString();
  EXPECT_NE(refused.error().message().find("foldrank index --data DIR --rebuild"),
            std::string::npos);
  EXPECT_CODE(Index::Open(dir_.path() / "index", {.mode = IndexOptions::Mode::kReadOnly}),
              Code::kInvalidArgument);

  auto rebuilt = Index::Rebuild(dir_.path() / "index");
  ASSERT_OK(rebuilt);
  EXPECT_EQ(*rebuilt, 49);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "index.rebuild"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "index.old"));
  auto index = Open();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->Snapshot()->doc_count(), 49);
  EXPECT_EQ(Found(*index, "kinetic").size(), 49u);
  auto kept = index->Snapshot()->Lookup("d3");
  ASSERT_OK(kept);
  EXPECT_EQ(kept->title, "kinetics 3");
  EXPECT_EQ(kept->tags, std::vector<std::string>{"tag"});
  EXPECT_CODE(index->Snapshot()->Lookup("d7"), Code::kNotFound);
  // While a writer holds the index, a rebuild is refused and changes nothing.
  EXPECT_CODE(Index::Rebuild(dir_.path() / "index"), Code::kUnavailable);
  EXPECT_EQ(index->Snapshot()->doc_count(), 49);
}

}  // namespace
}  // namespace foldrank
