// IndexSnapshot::Statistics checked against values computed by hand.
#include "index/term_statistics.h"

#include <gtest/gtest.h>

#include "index/index.h"
#include "tests/index/index_test_util.h"

namespace foldrank {
namespace {

// Expected values below come from FruitCorpus() (index_test_util.h), analyzed as
// its comment shows.
class TermStatisticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto index = Index::Open(dir_.path(), testing::ManualOptions());
    ASSERT_OK(index);
    index_ = std::move(*index);
    for (const Document& document : testing::FruitCorpus()) ASSERT_OK(index_->Upsert(document));
    ASSERT_OK(index_->Refresh());
  }

  // Candidates for `query`, ordered by id so the expectations read top to bottom.
  std::vector<Candidate> CandidatesById(std::string_view query, std::vector<std::string>* terms) {
    auto result = index_->Snapshot()->Candidates(query, 10);
    EXPECT_TRUE(result.has_value());
    *terms = result->terms;
    std::vector<Candidate> candidates = result->candidates;
    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate& x, const Candidate& y) { return x.id < y.id; });
    return candidates;
  }

  testing::TempDir dir_;
  std::unique_ptr<Index> index_;
};

TEST_F(TermStatisticsTest, MatchesHandComputedValues) {
  std::vector<std::string> terms;
  auto candidates = CandidatesById("apples sweet", &terms);
  ASSERT_EQ(terms, (std::vector<std::string>{"appl", "sweet"}));
  ASSERT_EQ(candidates.size(), 3u);  // a, b (appl), c (sweet).
  auto stats = index_->Snapshot()->Statistics(terms, candidates);
  ASSERT_OK(stats);
  EXPECT_EQ(stats->doc_count, 3);

  const FieldStatistics& title = stats->field(TextField::kTitle);
  EXPECT_DOUBLE_EQ(title.average_length, (2 + 2 + 1) / 3.0);
  EXPECT_EQ(title.length, (std::vector<std::int32_t>{2, 2, 1}));
  EXPECT_EQ(title.doc_freq, (std::vector<std::int64_t>{2, 0}));
  EXPECT_EQ(stats->term_freq(TextField::kTitle, 0, 0), 1);
  EXPECT_EQ(stats->term_freq(TextField::kTitle, 2, 0), 0);

  const FieldStatistics& body = stats->field(TextField::kBody);
  EXPECT_DOUBLE_EQ(body.average_length, (4 + 3 + 4) / 3.0);
  EXPECT_EQ(body.length, (std::vector<std::int32_t>{4, 3, 4}));
  EXPECT_EQ(body.doc_freq, (std::vector<std::int64_t>{2, 2}));
  // Rows are candidates a, b, c; columns the terms appl, sweet.
  EXPECT_EQ(body.term_freq, (std::vector<std::int32_t>{2, 1, 1, 0, 0, 1}));

  const FieldStatistics& all = stats->field(TextField::kAll);
  EXPECT_DOUBLE_EQ(all.average_length, (7 + 5 + 7) / 3.0);
  EXPECT_EQ(all.length, (std::vector<std::int32_t>{7, 5, 7}));
  EXPECT_EQ(all.doc_freq, (std::vector<std::int64_t>{2, 2}));
  EXPECT_EQ(all.term_freq, (std::vector<std::int32_t>{3, 1, 2, 0, 0, 1}));
}

TEST_F(TermStatisticsTest, PositionsCountRemovedStopWords) {
  std::vector<std::string> terms;
  auto candidates = CandidatesById("apples sweet", &terms);
  auto stats = index_->Snapshot()->Statistics(terms, candidates);
  ASSERT_OK(stats);
  using Positions = std::vector<std::int32_t>;
  auto positions = [&](TextField f, std::size_t c, std::size_t t) {
    auto span = stats->positions(f, c, t);
    return Positions(span.begin(), span.end());
  };
  // a's body: The(0) apple(1) is(2) red(3) and(4) the(5) apple(6) is(7) sweet(8).
  EXPECT_EQ(positions(TextField::kBody, 0, 0), (Positions{1, 6}));
  EXPECT_EQ(positions(TextField::kBody, 0, 1), (Positions{8}));
  EXPECT_EQ(positions(TextField::kTitle, 0, 0), (Positions{1}));  // Red(0) apple(1).
  EXPECT_EQ(positions(TextField::kTitle, 2, 0), Positions{});     // c has no apple.
  EXPECT_EQ(positions(TextField::kBody, 2, 1), (Positions{4}));   // ... yellow(3) sweet(4).
  EXPECT_TRUE(stats->field(TextField::kAll).positions.empty());
}

TEST_F(TermStatisticsTest, SegmentsDoNotChangeTheStatistics) {
  // The same documents, one refresh (hence one segment) each.
  testing::TempDir other_dir;
  auto split = Index::Open(other_dir.path(), testing::ManualOptions());
  ASSERT_OK(split);
  for (const Document& document : testing::FruitCorpus()) {
    ASSERT_OK((*split)->Upsert(document));
    ASSERT_OK((*split)->Refresh());
  }
  auto snapshot = (*split)->Snapshot();
  ASSERT_GE(snapshot->segment_count(), 3);
  std::vector<std::string> terms;
  auto one_segment = CandidatesById("apples sweet", &terms);
  auto expected = index_->Snapshot()->Statistics(terms, one_segment);
  ASSERT_OK(expected);
  auto retrieved = snapshot->Candidates("apples sweet", 10);
  ASSERT_OK(retrieved);
  std::vector<Candidate> many = retrieved->candidates;
  std::sort(many.begin(), many.end(),
            [](const Candidate& x, const Candidate& y) { return x.id < y.id; });
  auto actual = snapshot->Statistics(terms, many);
  ASSERT_OK(actual);
  for (TextField f : {TextField::kTitle, TextField::kBody, TextField::kAll}) {
    EXPECT_EQ(actual->field(f).doc_freq, expected->field(f).doc_freq);
    EXPECT_EQ(actual->field(f).term_freq, expected->field(f).term_freq);
    EXPECT_EQ(actual->field(f).length, expected->field(f).length);
    EXPECT_DOUBLE_EQ(actual->field(f).average_length, expected->field(f).average_length);
    for (std::size_t c = 0; c < many.size(); ++c) {
      for (std::size_t t = 0; t < terms.size(); ++t) {
        if (f == TextField::kAll) continue;
        auto a = actual->positions(f, c, t), e = expected->positions(f, c, t);
        EXPECT_TRUE(std::equal(a.begin(), a.end(), e.begin(), e.end()));
      }
    }
  }
}

TEST_F(TermStatisticsTest, AverageLengthsFollowDeletes) {
  ASSERT_OK(index_->Delete("b"));
  ASSERT_OK(index_->Refresh());
  std::vector<std::string> terms;
  auto candidates = CandidatesById("sweet", &terms);
  auto stats = index_->Snapshot()->Statistics(terms, candidates);
  ASSERT_OK(stats);
  EXPECT_EQ(stats->doc_count, 2);
  EXPECT_DOUBLE_EQ(stats->field(TextField::kBody).average_length, (4 + 4) / 2.0);
}

TEST_F(TermStatisticsTest, UnknownTermsHaveZeroFrequencies) {
  std::vector<std::string> terms;
  auto candidates = CandidatesById("banana", &terms);
  auto stats = index_->Snapshot()->Statistics({"banana", "zzz"}, candidates);
  ASSERT_OK(stats);
  EXPECT_EQ(stats->field(TextField::kBody).doc_freq, (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(stats->term_freq(TextField::kBody, 0, 1), 0);
}

TEST_F(TermStatisticsTest, CandidatesFromNowhereAreRejected) {
  std::vector<Candidate> bogus = {{999, "ghost", 0}};
  auto stats = index_->Snapshot()->Statistics({"appl"}, bogus);
  EXPECT_CODE(stats, Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace foldrank
