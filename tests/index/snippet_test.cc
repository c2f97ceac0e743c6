#include "index/snippet.h"

#include <gtest/gtest.h>

namespace foldrank {
namespace {

std::vector<std::string> Highlighted(const Snippet& snippet) {
  std::vector<std::string> words;
  for (const auto& [begin, end] : snippet.highlights) {
    words.push_back(snippet.text.substr(begin, end - begin));
  }
  return words;
}

TEST(SnippetTest, HighlightsEveryFormOfAQueryTerm) {
  Snippet snippet = MakeSnippet("Runners run; running is what a runner does.", {"run"});
  EXPECT_EQ(snippet.text, "Runners run; running is what a runner does.");
  EXPECT_EQ(Highlighted(snippet), (std::vector<std::string>{"run", "running"}));
  EXPECT_FALSE(snippet.truncated_front);
  EXPECT_FALSE(snippet.truncated_back);
}

TEST(SnippetTest, PicksThePassageWithTheMostDistinctTerms) {
  std::string text = "alpha intro. ";
  for (int i = 0; i < 40; ++i) text += "filler words here. ";
  text += "Here both cache and key appear together. ";
  for (int i = 0; i < 40; ++i) text += "more filler text. ";
  Snippet snippet = MakeSnippet(text, {"cach", "key"}, 80);
  EXPECT_NE(snippet.text.find("cache and key"), std::string::npos) << snippet.text;
  EXPECT_EQ(Highlighted(snippet), (std::vector<std::string>{"cache", "key"}));
  EXPECT_TRUE(snippet.truncated_front);
  EXPECT_TRUE(snippet.truncated_back);
  EXPECT_LE(snippet.text.size(), 80u);
}

TEST(SnippetTest, CutsAtWordBoundaries) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "lorem ipsum ";
  Snippet snippet = MakeSnippet(text + "target", {"target"}, 40);
  EXPECT_EQ(snippet.text.back(), 't');
  EXPECT_EQ(snippet.text.find(' '), 5u) << snippet.text;  // Starts on a whole word.
}

TEST(SnippetTest, WithoutMatchesShowsTheStart) {
  Snippet snippet = MakeSnippet("First words of a long text that goes on and on.", {"absent"}, 20);
  EXPECT_EQ(snippet.text, "First words of a");
  EXPECT_TRUE(snippet.highlights.empty());
  EXPECT_FALSE(snippet.truncated_front);
  EXPECT_TRUE(snippet.truncated_back);
}

TEST(SnippetTest, FoldsWhiteSpaceRuns) {
  Snippet snippet = MakeSnippet("line one\n\n   line\ttwo", {"two"});
  EXPECT_EQ(snippet.text, "line one line two");
  EXPECT_EQ(Highlighted(snippet), std::vector<std::string>{"two"});
}

TEST(SnippetTest, HighlightOffsetsAreUtf8Bytes) {
  Snippet snippet = MakeSnippet(
      "Caf\xC3\xA9 cr\xC3\xA8me br\xC3\xBBl\xC3\xA9"
      "e recipe",
      {"recip"});
  EXPECT_EQ(Highlighted(snippet), std::vector<std::string>{"recipe"});
  ASSERT_EQ(snippet.highlights.size(), 1u);
  EXPECT_EQ(snippet.highlights[0].first, snippet.text.size() - 6);
}

TEST(SnippetTest, InvalidUtf8IsReplacedNotFatal) {
  Snippet snippet = MakeSnippet("bad \xFF byte", {"byte"});
  EXPECT_EQ(snippet.text, "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(Highlighted(snippet), std::vector<std::string>{"byte"});
}

TEST(SnippetTest, EmptyTextGivesAnEmptySnippet) {
  Snippet snippet = MakeSnippet("", {"x"});
  EXPECT_TRUE(snippet.text.empty());
  EXPECT_TRUE(snippet.highlights.empty());
}

}  // namespace
}  // namespace foldrank
