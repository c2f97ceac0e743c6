#include "ranker/feature_extractor.h"

#include <gtest/gtest.h>

#include <cmath>

#include "index/index.h"
#include "tests/index/index_test_util.h"

namespace foldrank {
namespace {

using Positions = std::vector<std::int32_t>;

// FruitCorpus() (index_test_util.h): its comment shows each document analyzed.
class FeatureExtractorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto index = Index::Open(dir_.path(), testing::ManualOptions());
    ASSERT_OK(index);
    index_ = std::move(*index);
    std::vector<Document> corpus = testing::FruitCorpus();
    corpus[0].popularity = 9;
    corpus[0].updated_at = kNow - 180 * 86400;  // a is one half-life old.
    for (const Document& document : corpus) ASSERT_OK(index_->Upsert(document));
    ASSERT_OK(index_->Refresh());
  }

  // Features of `query`'s candidates; rows in id order (a, b, c as matched).
  FeatureMatrix Features(std::string_view query, const ClickSignals& clicks) {
    auto snapshot = index_->Snapshot();
    auto retrieved = snapshot->Candidates(query, 10);
    EXPECT_TRUE(retrieved.has_value());
    std::sort(retrieved->candidates.begin(), retrieved->candidates.end(),
              [](const Candidate& x, const Candidate& y) { return x.id < y.id; });
    candidates_ = *retrieved;
    auto stats = snapshot->Statistics(candidates_.terms, candidates_.candidates);
    EXPECT_TRUE(stats.has_value());
    stats_ = *stats;
    priors_ = snapshot->Priors(candidates_.candidates);
    FeatureMatrix out;
    FeatureExtractor(clicks).Extract({query, &candidates_, &stats_, priors_, kNow}, out);
    return out;
  }

  static double Idf(double df, double n) { return std::log(1 + (n - df + 0.5) / (df + 0.5)); }
  static double Tf(double tf, double length, double average) {
    return tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / average));
  }

  static constexpr std::int64_t kNow = 1'800'000'000;
  testing::TempDir dir_;
  std::unique_ptr<Index> index_;
  CandidateSet candidates_;
  TermStatistics stats_;
  std::vector<DocumentPriors> priors_;
};

TEST_F(FeatureExtractorTest, MatchesHandComputedValues) {
  NoClickSignals no_clicks;
  FeatureMatrix x = Features("apples sweet", no_clicks);
  ASSERT_EQ(x.rows(), 3u);  // a, b, c.
  const double n = 3;
  // Title: lengths 2, 2, 1 (average 5/3); appl in a and b (df 2), sweet nowhere.
  const double title_avg = 5.0 / 3;
  EXPECT_NEAR(x.at(0, Feature::kBm25Title), Idf(2, n) * Tf(1, 2, title_avg), 1e-5);
  EXPECT_NEAR(x.at(1, Feature::kBm25Title), Idf(2, n) * Tf(1, 2, title_avg), 1e-5);
  EXPECT_EQ(x.at(2, Feature::kBm25Title), 0);
  // Body: lengths 4, 3, 4 (average 11/3); appl tf 2, 1, 0 (df 2); sweet tf 1, 0, 1 (df 2).
  const double body_avg = 11.0 / 3;
  EXPECT_NEAR(x.at(0, Feature::kBm25Body),
              Idf(2, n) * Tf(2, 4, body_avg) + Idf(2, n) * Tf(1, 4, body_avg), 1e-5);
  EXPECT_NEAR(x.at(1, Feature::kBm25Body), Idf(2, n) * Tf(1, 3, body_avg), 1e-5);
  EXPECT_NEAR(x.at(2, Feature::kBm25Body), Idf(2, n) * Tf(1, 4, body_avg), 1e-5);
  // All: lengths 7, 5, 7 (average 19/3); appl tf 3, 2, 0; sweet tf 1, 0, 1.
  const double all_avg = 19.0 / 3;
  EXPECT_NEAR(x.at(0, Feature::kBm25All),
              Idf(2, n) * Tf(3, 7, all_avg) + Idf(2, n) * Tf(1, 7, all_avg), 1e-5);
  EXPECT_NEAR(x.at(2, Feature::kBm25All), Idf(2, n) * Tf(1, 7, all_avg), 1e-5);
  EXPECT_NEAR(x.at(0, Feature::kSumIdf), 2 * Idf(2, n), 1e-5);
  EXPECT_EQ(x.at(0, Feature::kQueryLength), 2);

  for (std::size_t c = 0; c < 3; ++c) {
    EXPECT_EQ(x.at(c, Feature::kRetrievalScore), candidates_.candidates[c].retrieval_score);
  }
  EXPECT_FLOAT_EQ(x.at(0, Feature::kCoverageTitle), 0.5f);
  EXPECT_FLOAT_EQ(x.at(0, Feature::kCoverageBody), 1.0f);
  EXPECT_FLOAT_EQ(x.at(1, Feature::kCoverageBody), 0.5f);
  EXPECT_FLOAT_EQ(x.at(2, Feature::kCoverageTitle), 0.0f);

  // a's body: apple at 1 and 6, sweet at 8 -> smallest window 6..8 = 3 positions.
  EXPECT_FLOAT_EQ(x.at(0, Feature::kProximityBody), 2.0f / 3);
  EXPECT_EQ(x.at(1, Feature::kProximityBody), 0);  // No "sweet" in b.
  EXPECT_EQ(x.at(0, Feature::kPhraseInTitle), 0);

  EXPECT_FLOAT_EQ(x.at(0, Feature::kLogTitleLength), std::log1p(2.0f));
  EXPECT_FLOAT_EQ(x.at(2, Feature::kLogBodyLength), std::log1p(4.0f));
  EXPECT_FLOAT_EQ(x.at(0, Feature::kLogPopularity), std::log1p(9.0f));
  EXPECT_EQ(x.at(1, Feature::kLogPopularity), 0);
  EXPECT_FLOAT_EQ(x.at(0, Feature::kFreshness), 0.5f);  // One half-life.
  EXPECT_EQ(x.at(1, Feature::kFreshness), kFeatureDefaults[Column(Feature::kFreshness)]);
  // No click data: the prior.
  EXPECT_EQ(x.at(0, Feature::kClickRateDoc), 1.0f);
  EXPECT_EQ(x.at(2, Feature::kClickRateQueryDoc), 1.0f);
}

TEST_F(FeatureExtractorTest, PhraseInTitleNeedsTheTermsInOrderAndAdjacent) {
  NoClickSignals no_clicks;
  FeatureMatrix in_order = Features("red apple", no_clicks);
  EXPECT_EQ(in_order.at(0, Feature::kPhraseInTitle), 1);  // a: "Red apple".
  EXPECT_EQ(in_order.at(1, Feature::kPhraseInTitle), 0);  // b: "Green apples".
  FeatureMatrix reversed = Features("apple red", no_clicks);
  EXPECT_EQ(reversed.at(0, Feature::kPhraseInTitle), 0);
}

class FixedClicks final : public ClickSignals {
 public:
  void Lookup(std::string_view query, std::span<const Candidate> candidates,
              std::span<float> doc_rate, std::span<float> query_doc_rate) const override {
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      doc_rate[i] = candidates[i].id == "b" ? 2.5f : 1.0f;
      query_doc_rate[i] = query == "sour" ? 4.0f : 1.0f;
    }
  }
};

TEST_F(FeatureExtractorTest, ClickFeaturesComeFromTheProvider) {
  FixedClicks clicks;
  FeatureMatrix x = Features("sour", clicks);
  ASSERT_EQ(x.rows(), 1u);
  EXPECT_EQ(x.at(0, Feature::kClickRateDoc), 2.5f);
  EXPECT_EQ(x.at(0, Feature::kClickRateQueryDoc), 4.0f);
}

TEST_F(FeatureExtractorTest, NoValueIsEverNonFinite) {
  NoClickSignals no_clicks;
  for (const char* query : {"apples sweet", "banana", "green sour soft yellow", "fruit"}) {
    FeatureMatrix x = Features(query, no_clicks);
    for (float value : x.values()) EXPECT_TRUE(std::isfinite(value)) << query;
  }
}

TEST(SmoothedClickRateTest, IsOneWithoutDataAndMovesWithEvidence) {
  EXPECT_FLOAT_EQ(SmoothedClickRate(0, 0), 1.0f);
  EXPECT_GT(SmoothedClickRate(10, 2), 1.0f);
  EXPECT_LT(SmoothedClickRate(0, 10), 1.0f);
  EXPECT_FLOAT_EQ(SmoothedClickRate(5, 5, 5), 1.0f);
}

TEST(WindowTest, SmallestCoveringWindow) {
  const Positions a = {1, 6}, b = {8}, c = {0, 7, 20};
  std::vector<std::span<const std::int32_t>> lists = {a, b};
  EXPECT_EQ(SmallestCoveringWindow(lists), 3);  // 6..8
  lists = {a, b, c};
  EXPECT_EQ(SmallestCoveringWindow(lists), 3);  // 6, 7, 8
  lists = {a};
  EXPECT_EQ(SmallestCoveringWindow(lists), 1);
  const Positions none;
  lists = {a, none};
  EXPECT_EQ(SmallestCoveringWindow(lists), 0);
}

TEST(WindowTest, HasPhrase) {
  const Positions red = {0, 5}, apple = {1, 3}, pie = {2};
  std::vector<std::span<const std::int32_t>> lists = {red, apple, pie};
  EXPECT_TRUE(HasPhrase(lists));
  lists = {apple, red};
  EXPECT_FALSE(HasPhrase(lists));
  lists = {pie};
  EXPECT_TRUE(HasPhrase(lists));
}

}  // namespace
}  // namespace foldrank
