#pragma once

#include <gtest/gtest.h>

#include "foldrank/result.h"

namespace foldrank::testing {

inline Status StatusOf(const Status& status) { return status; }
template <typename T>
Status StatusOf(const Result<T>& result) {
  return result.status();
}

}  // namespace foldrank::testing

// Assert/expect that a Status or Result is OK, printing the Status when it is not.
#define ASSERT_OK(expr)                                 \
  ASSERT_TRUE(::foldrank::testing::StatusOf(expr).ok()) \
      << ::foldrank::testing::StatusOf(expr).ToString()
#define EXPECT_OK(expr)                                 \
  EXPECT_TRUE(::foldrank::testing::StatusOf(expr).ok()) \
      << ::foldrank::testing::StatusOf(expr).ToString()
// Expect a failure with a given Status::Code.
#define EXPECT_CODE(expr, expected_code)                                 \
  EXPECT_EQ(::foldrank::testing::StatusOf(expr).code(), (expected_code)) \
      << ::foldrank::testing::StatusOf(expr).ToString()
