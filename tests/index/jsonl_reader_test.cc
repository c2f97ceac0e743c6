#include "index/jsonl_reader.h"

#include <gtest/gtest.h>

#include <sstream>

namespace foldrank {
namespace {

TEST(JsonlReaderTest, ReportsBadLinesByNumberAndKeepsReading) {
  std::istringstream in(
      "{\"id\":\"a\"}\n"
      "\n"
      "{\"title\":\"no id\"}\n"
      "   \r\n"
      "oops\n"
      "{\"id\":\"b\"}");  // No newline at the end.
  JsonlReader reader(in);
  std::vector<std::pair<std::int64_t, bool>> seen;
  std::vector<std::string> ids;
  while (auto line = reader.Next()) {
    seen.emplace_back(line->number, line->document.has_value());
    if (line->document) ids.push_back(line->document->id);
  }
  EXPECT_EQ(seen, (std::vector<std::pair<std::int64_t, bool>>{
                      {1, true}, {3, false}, {5, false}, {6, true}}));
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(reader.stream_status().ok());
}

TEST(JsonlReaderTest, AcceptsCrlfLineEndings) {
  std::istringstream in("{\"id\":\"a\"}\r\n{\"id\":\"b\"}\r\n");
  JsonlReader reader(in);
  int accepted = 0;
  while (auto line = reader.Next()) accepted += line->document.has_value();
  EXPECT_EQ(accepted, 2);
}

TEST(JsonlReaderTest, RejectsOverlongLinesAndGoesOn) {
  std::istringstream in("{\"id\":\"" + std::string(100, 'x') + "\"}\n{\"id\":\"short\"}\n");
  JsonlReader reader(in, /*max_line_bytes=*/50);
  auto first = reader.Next();
  ASSERT_TRUE(first.has_value());
  ASSERT_FALSE(first->document);
  EXPECT_NE(first->document.error().message().find("longer than 50 bytes"), std::string::npos);
  auto second = reader.Next();
  ASSERT_TRUE(second.has_value());
  ASSERT_TRUE(second->document);
  EXPECT_EQ(second->number, 2);
  EXPECT_EQ(second->document->id, "short");
  EXPECT_FALSE(reader.Next().has_value());
}

TEST(JsonlReaderTest, EmptyStreamYieldsNothing) {
  std::istringstream in("");
  JsonlReader reader(in);
  EXPECT_FALSE(reader.Next().has_value());
}

}  // namespace
}  // namespace foldrank
