#include "common/strict_json.h"

#include <gtest/gtest.h>

namespace foldrank {
namespace {

TEST(StrictJsonTest, ParsesWhatIsValid) {
  StrictJson parsed = ParseStrictJson(R"({"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]})", 64);
  ASSERT_EQ(parsed.problem, StrictJson::Problem::kNone) << parsed.message;
  EXPECT_EQ(parsed.value["c"][1]["a"], 4);
}

TEST(StrictJsonTest, AKeyTwiceInOneObjectIsRefusedWhereverItIs) {
  for (const char* text :
       {R"({"position":5,"position":1})", R"({"a":{"x":1,"x":2}})", R"([{"k":1},{"k":1,"k":2}])"}) {
    StrictJson parsed = ParseStrictJson(text, 64);
    EXPECT_EQ(parsed.problem, StrictJson::Problem::kDuplicateKey) << text;
    EXPECT_NE(parsed.message.find("appears twice"), std::string::npos) << parsed.message;
    EXPECT_TRUE(parsed.value.is_null());
  }
}

TEST(StrictJsonTest, ErrorsAreOurWordsNotTheLibrarys) {
  for (const char* text : {"{", "", "  ", "[1,]", "{\"a\":\"\xff\"}", "nul"}) {
    StrictJson parsed = ParseStrictJson(text, 64);
    EXPECT_EQ(parsed.problem, StrictJson::Problem::kSyntax) << text;
    EXPECT_EQ(parsed.message.find("json.exception"), std::string::npos) << parsed.message;
    EXPECT_EQ(parsed.message.find("parse_error"), std::string::npos) << parsed.message;
  }
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  EXPECT_EQ(ParseStrictJson(deep, 64).problem, StrictJson::Problem::kTooDeep);
}

}  // namespace
}  // namespace foldrank
