#include "foldrank/document.h"

#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace foldrank {
namespace {

using Code = Status::Code;

TEST(DocumentTest, ParsesEveryKnownField) {
  auto document = ParseDocument(
      R"({"id":"d1","title":"T","body":"B","url":"https://x.example/d1","tags":["a","b c"],)"
      R"("popularity":12.5,"updated_at":"2024-05-01T12:00:00Z"})");
  ASSERT_OK(document);
  EXPECT_EQ(document->id, "d1");
  EXPECT_EQ(document->title, "T");
  EXPECT_EQ(document->body, "B");
  EXPECT_EQ(document->url, "https://x.example/d1");
  EXPECT_EQ(document->tags, (std::vector<std::string>{"a", "b c"}));
  EXPECT_DOUBLE_EQ(document->popularity, 12.5);
  ASSERT_TRUE(document->updated_at.has_value());
  EXPECT_EQ(*document->updated_at, 1714564800);
  EXPECT_EQ(document->extra_json, "{}");
}

TEST(DocumentTest, OnlyIdIsRequired) {
  auto document = ParseDocument(R"({"id":"bare"})");
  ASSERT_OK(document);
  EXPECT_EQ(document->title, "");
  EXPECT_TRUE(document->tags.empty());
  EXPECT_EQ(document->popularity, 0);
  EXPECT_FALSE(document->updated_at.has_value());
}

TEST(DocumentTest, KeepsUnknownFieldsAsStoredData) {
  auto document = ParseDocument(R"({"id":"d","section":"games","meta":{"stars":4}})");
  ASSERT_OK(document);
  EXPECT_EQ(document->extra_json, R"({"meta":{"stars":4},"section":"games"})");
}

TEST(DocumentTest, NullCountsAsAbsent) {
  auto document = ParseDocument(R"({"id":"d","title":null,"updated_at":null})");
  ASSERT_OK(document);
  EXPECT_EQ(document->title, "");
  EXPECT_FALSE(document->updated_at.has_value());
}

TEST(DocumentTest, AcceptsUnixSecondsAndOffsets) {
  auto seconds = ParseDocument(R"({"id":"d","updated_at":1700000000})");
  ASSERT_OK(seconds);
  EXPECT_EQ(*seconds->updated_at, 1700000000);
  auto offset = ParseDocument(R"({"id":"d","updated_at":"2024-05-01T14:00:00+02:00"})");
  ASSERT_OK(offset);
  EXPECT_EQ(*offset->updated_at, 1714564800);
}

struct RejectCase {
  const char* json;
  const char* message_part;
  friend void PrintTo(const RejectCase& c, std::ostream* os) { *os << c.json; }
};

class DocumentRejectTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(DocumentRejectTest, RejectsWithAReasonThatNamesTheProblem) {
  auto document = ParseDocument(GetParam().json);
  ASSERT_FALSE(document) << GetParam().json;
  EXPECT_EQ(document.error().code(), Code::kInvalidArgument);
  EXPECT_NE(document.error().message().find(GetParam().message_part), std::string::npos)
      << document.error().ToString();
}

INSTANTIATE_TEST_SUITE_P(
    BadDocuments, DocumentRejectTest,
    ::testing::Values(
        RejectCase{"not json", "not valid JSON"}, RejectCase{R"({"id":"d")", "not valid JSON"},
        RejectCase{"[1,2]", "expected a JSON object, got array"},
        RejectCase{R"({"title":"no id"})", "missing required field 'id'"},
        RejectCase{R"({"id":""})", "'id' must not be empty"},
        RejectCase{R"({"id":42})", "'id' must be a string, got number"},
        RejectCase{R"({"id":"d","title":5})", "'title' must be a string"},
        RejectCase{R"({"id":"d","body":["x"]})", "'body' must be a string"},
        RejectCase{R"({"id":"d","url":{}})", "'url' must be a string"},
        RejectCase{R"({"id":"d","tags":"a,b"})", "'tags' must be an array"},
        RejectCase{R"({"id":"d","tags":["a",1]})", "'tags' must be an array"},
        RejectCase{R"({"id":"d","popularity":"high"})", "'popularity' must be a number"},
        RejectCase{R"({"id":"d","popularity":-1})", "'popularity' must be a finite"},
        RejectCase{R"({"id":"d","updated_at":"yesterday"})", "'updated_at'"},
        RejectCase{R"({"id":"d","updated_at":"2024-02-30T00:00:00Z"})", "day out of range"},
        RejectCase{R"({"id":"d","updated_at":true})", "'updated_at' must be"},
        RejectCase{R"({"id":"d","updated_at":1e300})", "outside years"},
        RejectCase{"{\"id\":\"bad\xFF\"}", "not valid JSON"},
        RejectCase{R"({"id":"d","title":"a","title":"b"})", "'title' appears twice"},
        RejectCase{R"j({"id":"d","url":"javascript:alert(1)"})j", "not a 'javascript:' URL"},
        RejectCase{R"j({"id":"d","url":"JavaScript:alert(1)"})j", "not a 'javascript:' URL"},
        RejectCase{R"j({"id":"d","url":"data:text/html,<script>1</script>"})j", "'data:'"},
        RejectCase{R"j({"id":"d","url":" javascript:alert(1)"})j", "space"},
        RejectCase{R"j({"id":"d","url":"java\tscript:alert(1)"})j", "control characters"},
        RejectCase{R"j({"id":"d","url":"http:/no-host"})j", "without a host"}));

TEST(DocumentTest, UrlsAreHttpHttpsOrRelative) {
  for (const char* url :
       {"", "https://example.org/a?b#c", "HTTP://EXAMPLE.ORG", "/docs/x", "docs/x.html", "?page=2",
        "#section", "//cdn.example/x", "./a:b", "https://example.org/a b"}) {
    EXPECT_OK(CheckDocumentUrl(url)) << url;
  }
  for (const char* url :
       {"javascript:alert(1)", "vbscript:x", "data:,x", "mailto:a@b", "file:///etc/passwd", "a:b",
        "https:", "http:///x", "https://a", "https://a\n", "https://a "}) {
    EXPECT_CODE(CheckDocumentUrl(url), Code::kInvalidArgument) << url;
  }
}

TEST(DocumentTest, RejectsOverlongIds) {
  const std::string json = R"({"id":")" + std::string(kMaxIdBytes + 1, 'x') + R"("})";
  auto document = ParseDocument(json);
  ASSERT_FALSE(document);
  EXPECT_NE(document.error().message().find("longer than"), std::string::npos);
}

TEST(DocumentTest, RejectsDeepNestingWithoutRecursingIntoIt) {
  const std::string json =
      R"({"id":"d","x":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
  auto document = ParseDocument(json);
  ASSERT_FALSE(document);
  EXPECT_NE(document.error().message().find("deeper than"), std::string::npos);
}

TEST(DocumentTest, JsonRoundTripIsLossless) {
  auto original = ParseDocument(
      R"({"id":"d\u00e9","title":"Caf\u00e9 \"quoted\"","body":"line\nbreak","tags":["x"],)"
      R"("popularity":3,"updated_at":1714564800,"author":"Ann"})");
  ASSERT_OK(original);
  auto again = ParseDocument(DocumentToJson(*original));
  ASSERT_OK(again);
  EXPECT_EQ(*again, *original);
}

}  // namespace
}  // namespace foldrank
