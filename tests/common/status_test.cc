#include "foldrank/status.h"

#include <gtest/gtest.h>

#include "foldrank/result.h"

namespace foldrank {
namespace {

TEST(StatusTest, OkHasNoMessage) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), Status::Code::kOk);
  EXPECT_EQ(status.message(), "");
  EXPECT_EQ(status.ToString(), "OK");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status status = Status::NotFound("no such document");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), Status::Code::kNotFound);
  EXPECT_EQ(status.ToString(), "NotFound: no such document");
}

TEST(StatusTest, WithContextPrefixesTheMessageAndKeepsTheCode) {
  Status status = Status::InvalidArgument("bad field").WithContext("line 3");
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "line 3: bad field");
  EXPECT_TRUE(Status::Ok().WithContext("ignored").ok());
}

Result<int> Half(int value) {
  if (value % 2 != 0) return Status::InvalidArgument("odd");
  return value / 2;
}

Status HalveTwice(int value, int* out) {
  auto once = Half(value);
  FOLDRANK_RETURN_IF_ERROR(once.status());
  auto twice = Half(*once);
  FOLDRANK_RETURN_IF_ERROR(twice.status());
  *out = *twice;
  return Status::Ok();
}

TEST(ResultTest, HoldsAValueOrAnError) {
  auto good = Half(8);
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, 4);
  EXPECT_TRUE(good.status().ok());
  auto bad = Half(3);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "odd");
}

TEST(ResultTest, ReturnIfErrorStopsAtTheFirstFailure) {
  int out = 0;
  EXPECT_TRUE(HalveTwice(8, &out).ok());
  EXPECT_EQ(out, 2);
  EXPECT_EQ(HalveTwice(6, &out).message(), "odd");  // 6 -> 3 -> odd
}

TEST(ResultDeathTest, ValueOfAnErrorIsABug) {
  auto bad = Half(3);
  EXPECT_DEATH((void)bad.value(), "check failed");
}

}  // namespace
}  // namespace foldrank
