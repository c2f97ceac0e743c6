#include "feedback/count_deltas_json.h"

#include <gtest/gtest.h>

#include <limits>

#include "tests/testing/status_matchers.h"

namespace foldrank {
namespace {

TEST(CountDeltasJsonTest, RoundTripsAnyTextAndEveryDoubleExactly) {
  const std::vector<FoldCommit::CountDelta> written = {
      {"garden hose", "hose-1", {1, 1.0 / 3}},
      {"quote \" and \\ slash", "tab\there\nnewline\x01", {0, 0.1 + 0.2}},
      {"ünïcödé ✓", "", {12345678, std::numeric_limits<double>::min()}},
      {"", "d", {-2, 1e300}}};
  const std::string json = WriteCountDeltasJson(written);
  std::vector<FoldCommit::CountDelta> read = {{"kept", "first", {1, 1}}};  // Appended to.
  ASSERT_OK(ReadCountDeltasJson(json, read));
  ASSERT_EQ(read.size(), written.size() + 1);
  for (std::size_t i = 0; i < written.size(); ++i) {
    EXPECT_EQ(read[i + 1].query, written[i].query);
    EXPECT_EQ(read[i + 1].doc_id, written[i].doc_id);
    EXPECT_EQ(read[i + 1].delta.clicks, written[i].delta.clicks);
    EXPECT_EQ(read[i + 1].delta.expected, written[i].delta.expected);  // Bit for bit.
  }
  std::vector<FoldCommit::CountDelta> none;
  ASSERT_OK(ReadCountDeltasJson(WriteCountDeltasJson({}), none));
  EXPECT_TRUE(none.empty());
}

TEST(CountDeltasJsonTest, AnythingElseIsCorruption) {
  for (const char* json :
       {"", "{}", "[", "[[\"q\",\"d\",1]]", "[[\"q\",\"d\",1,2]", "[[\"q\",\"d\",1,2]]x",
        "[[\"q\",\"d\",\"1\",2]]", "[[\"q\\x\",\"d\",1,2]]", "[[\"q\\u0041\",\"d\",1,2]]",
        "[[\"q,\"d\",1,2]]", "[[\"q\",\"d\",1,2],]"}) {
    std::vector<FoldCommit::CountDelta> read;
    EXPECT_EQ(ReadCountDeltasJson(json, read).code(), Status::Code::kCorruption) << json;
  }
}

}  // namespace
}  // namespace foldrank
