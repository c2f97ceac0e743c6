// Query handling of IndexSnapshot::Candidates: plain text, Lucene syntax, analysis.
#include <gtest/gtest.h>

#include "index/index.h"
#include "tests/index/index_test_util.h"

namespace foldrank {
namespace {

using testing::Contains;
using testing::Doc;
using testing::Ids;
using Code = Status::Code;

class QueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto index = Index::Open(dir_.path(), testing::ManualOptions());
    ASSERT_OK(index);
    index_ = std::move(*index);
    for (const Document& document :
         {Doc("run", "Running shoes", "Lightweight shoes for runners who run every day",
              {"sport", "c++"}),
          Doc("walk", "Walking boots", "Sturdy boots for long walks in the hills", {"outdoor"}),
          Doc("swim", "Swimming goggles", "Anti-fog goggles; the lenses resist scratches",
              {"sport", "water"}),
          Doc("read", "The reader's guide", "How to read more books and remember them")}) {
      ASSERT_OK(index_->Upsert(document));
    }
    ASSERT_OK(index_->Refresh());
  }
  testing::TempDir dir_;
  std::unique_ptr<Index> index_;
};

TEST_F(QueryTest, StemmingMatchesOtherFormsOfAWord) {
  EXPECT_EQ(Ids(*index_, "runs"), std::vector<std::string>{"run"});
  EXPECT_EQ(Ids(*index_, "walked"), std::vector<std::string>{"walk"});
  EXPECT_EQ(Ids(*index_, "SCRATCH"), std::vector<std::string>{"swim"});  // Case folded too.
}

TEST_F(QueryTest, StopWordsAreDroppedAndAloneMatchNothing) {
  auto only_stop_words = index_->Snapshot()->Candidates("the and of", 10);
  ASSERT_OK(only_stop_words);
  EXPECT_TRUE(only_stop_words->terms.empty());
  EXPECT_TRUE(only_stop_words->candidates.empty());
  auto mixed = index_->Snapshot()->Candidates("the boots", 10);
  ASSERT_OK(mixed);
  EXPECT_EQ(mixed->terms, std::vector<std::string>{"boot"});
}

TEST_F(QueryTest, PlainTextReportsDistinctAnalyzedTermsInOrder) {
  auto result = index_->Snapshot()->Candidates("Running runs shoes RUN", 10);
  ASSERT_OK(result);
  EXPECT_EQ(result->terms, (std::vector<std::string>{"run", "shoe"}));
}

TEST_F(QueryTest, AnyTermMatchesAndMoreMatchingTermsRankHigher) {
  auto ids = Ids(*index_, "boots goggles hills");
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0], "walk");  // Two of three terms.
  EXPECT_EQ(ids[1], "swim");
}

// Issue 23's example: the one document holding both words comes first, not the
// ones with the common word in a short title (retrieval searches title + tags + body
// as one field; title evidence is the reranker's).
TEST_F(QueryTest, ADocumentWithEveryWordOutranksTitlesWithOne) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(index_->Upsert(Doc("google-" + std::to_string(i), "Google tool " + std::to_string(i),
                                 "Client for one of the services, written in Python")));
  }
  ASSERT_OK(index_->Upsert(Doc("charts", "Interactive charts for web pages",
                               "Renders Highcharts graphs from Google spreadsheets and other "
                               "sources in a browser, with zoom and export")));
  ASSERT_OK(index_->Upsert(Doc("other-charts", "Charts", "Highcharts wrapper")));
  ASSERT_OK(index_->Refresh());
  auto ids = Ids(*index_, "highcharts google");
  ASSERT_GE(ids.size(), 7u);
  EXPECT_EQ(ids[0], "charts");
}

TEST_F(QueryTest, TagsAreSearchable) {
  EXPECT_EQ(Ids(*index_, "outdoor"), std::vector<std::string>{"walk"});
  auto exact = Ids(*index_, "tag:\"c++\"", 10, QueryMode::kLucene);
  EXPECT_EQ(exact, std::vector<std::string>{"run"});
  EXPECT_EQ(Ids(*index_, "id:walk", 10, QueryMode::kLucene), std::vector<std::string>{"walk"});
}

TEST_F(QueryTest, PlainTextNeverHasSyntaxErrors) {
  for (const char* text : {"title:(foo", "\"unbalanced", "a AND OR b", "*wild", "x^", "~", "((((",
                           "-", "a:b:c", "\\", "[1 TO", "&& ||", "boots!"}) {
    auto result = index_->Snapshot()->Candidates(text, 10);
    EXPECT_TRUE(result.has_value()) << text << ": " << result.status().ToString();
  }
}

TEST_F(QueryTest, LuceneSyntaxSupportsFieldsPhrasesAndOperators) {
  EXPECT_EQ(Ids(*index_, "title:boots", 10, QueryMode::kLucene), std::vector<std::string>{"walk"});
  EXPECT_EQ(Ids(*index_, "body:\"long walks\"", 10, QueryMode::kLucene),
            std::vector<std::string>{"walk"});
  EXPECT_TRUE(Ids(*index_, "body:\"walks long\"", 10, QueryMode::kLucene).empty());
  EXPECT_EQ(Ids(*index_, "tags:sport AND -goggles", 10, QueryMode::kLucene),
            std::vector<std::string>{"run"});
  auto wildcard = Ids(*index_, "swim*", 10, QueryMode::kLucene);
  EXPECT_EQ(wildcard, std::vector<std::string>{"swim"});
}

TEST_F(QueryTest, LuceneSyntaxErrorsSayWhere) {
  auto result = index_->Snapshot()->Candidates("title:(boots", 10, QueryMode::kLucene);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), Code::kInvalidArgument);
  EXPECT_NE(result.error().message().find("column"), std::string::npos)
      << result.error().ToString();
  EXPECT_EQ(result.error().message().find("Was expecting"), std::string::npos);
}

TEST_F(QueryTest, LeadingWildcardIsAnErrorNotACrash) {
  auto result = index_->Snapshot()->Candidates("*oots", 10, QueryMode::kLucene);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), Code::kInvalidArgument);
}

// Found by fuzz/query_fuzz: well-formed syntax Lucene refuses to run (a fuzzy
// similarity must be below 1) was an internal error, so a 500 over HTTP.
TEST_F(QueryTest, AFuzzySimilarityOfOneIsTheQuerysFault) {
  auto result = index_->Snapshot()->Candidates("boots~1", 10, QueryMode::kLucene);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), Code::kInvalidArgument) << result.error().ToString();
  // In our words, saying what to write instead; never Lucene's parameter names.
  EXPECT_NE(result.error().message().find("fuzzy"), std::string::npos);
  EXPECT_EQ(result.error().message().find("minimumSimilarity"), std::string::npos);
}

TEST_F(QueryTest, RejectsEmptyQueriesBadKAndTooManyTerms) {
  auto snapshot = index_->Snapshot();
  EXPECT_CODE(snapshot->Candidates("", 10), Code::kInvalidArgument);
  EXPECT_CODE(snapshot->Candidates(" \t\n", 10), Code::kInvalidArgument);
  EXPECT_CODE(snapshot->Candidates("boots", 0), Code::kInvalidArgument);
  EXPECT_CODE(snapshot->Candidates("boots", -5), Code::kInvalidArgument);
}

// A pasted paragraph: past kMaxQueryTerms distinct terms, the rarest are searched.
TEST_F(QueryTest, AQueryOfTooManyTermsSearchesItsRarest) {
  std::string many = "boots ";
  for (int i = 0; i < IndexSnapshot::kMaxQueryTerms + 10; ++i) {
    many += "word" + std::to_string(i) + " ";
  }
  auto result = index_->Snapshot()->Candidates(many, 10);
  ASSERT_OK(result);
  EXPECT_EQ(result->terms.size(), static_cast<std::size_t>(IndexSnapshot::kMaxQueryTerms));
  EXPECT_EQ(result->terms_dropped, 11u);
  // "boots" is in the index, the made-up words are not: it is kept, they go first.
  EXPECT_NE(std::find(result->terms.begin(), result->terms.end(), "boot"), result->terms.end());
  ASSERT_EQ(result->candidates.size(), 1u);
  EXPECT_EQ(result->terms.front(), "boot");  // Query order is kept.
}

TEST_F(QueryTest, HugeKIsClampedToTheCollection) {
  auto result = index_->Snapshot()->Candidates("boots", 2'000'000'000);
  ASSERT_OK(result);
  EXPECT_EQ(result->candidates.size(), 1u);
  EXPECT_EQ(result->total_hits, 1);
}

TEST_F(QueryTest, TopKIsBestFirstAndCountsAllHits) {
  auto result = index_->Snapshot()->Candidates("sport boots goggles", 2);
  ASSERT_OK(result);
  EXPECT_EQ(result->candidates.size(), 2u);
  EXPECT_EQ(result->total_hits, 3);
  EXPECT_GE(result->candidates[0].retrieval_score, result->candidates[1].retrieval_score);
}

}  // namespace
}  // namespace foldrank
