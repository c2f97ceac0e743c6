#include "index/timestamp.h"

#include <gtest/gtest.h>

namespace foldrank {
namespace {

TEST(TimestampTest, ParsesUtcAndOffsets) {
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseRfc3339("2024-02-29T12:00:00Z"), 1709208000);  // Leap day.
  EXPECT_EQ(*ParseRfc3339("2024-02-29T13:30:00+01:30"), 1709208000);
  EXPECT_EQ(*ParseRfc3339("2024-02-29T07:00:00-05:00"), 1709208000);
  EXPECT_EQ(*ParseRfc3339("2024-02-29t12:00:00.999z"), 1709208000);  // Fraction truncated.
  EXPECT_EQ(*ParseRfc3339("2024-02-29 12:00:00Z"), 1709208000);
  EXPECT_EQ(*ParseRfc3339("2024-02-29"), 1709164800);  // Midnight UTC.
  EXPECT_EQ(*ParseRfc3339("1969-12-31T23:59:59Z"), -1);
}

TEST(TimestampTest, RejectsMalformedOrOutOfRangeFields) {
  for (const char* bad :
       {"", "2024", "2024-13-01", "2023-02-29", "2024-04-31", "2024-01-01T24:00:00Z",
        "2024-01-01T12:60:00Z", "2024-01-01T12:00:00", "2024-01-01T12:00:00+0100",
        "2024-01-01T12:00Z", "2024-01-01T12:00:00Zjunk", "2024-01-01T12:00:00.Z",
        "24-01-01T12:00:00Z", "2024/01/01"}) {
    auto parsed = ParseRfc3339(bad);
    EXPECT_FALSE(parsed) << bad;
    if (!parsed) {
      EXPECT_EQ(parsed.error().code(), Status::Code::kInvalidArgument);
    }
  }
}

TEST(TimestampTest, FormatIsTheInverseOfParse) {
  for (std::int64_t seconds : {0LL, 1709208000LL, -1LL, 253402300799LL, -62167219200LL}) {
    auto again = ParseRfc3339(FormatRfc3339(seconds));
    ASSERT_TRUE(again) << FormatRfc3339(seconds);
    EXPECT_EQ(*again, seconds);
  }
  EXPECT_EQ(FormatRfc3339(1709208000), "2024-02-29T12:00:00Z");
}

}  // namespace
}  // namespace foldrank
