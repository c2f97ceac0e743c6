#pragma once

#include <type_traits>
#include <utility>
#include <variant>

#include "common/check.h"
#include "common/status.h"

namespace foldrank {

// Either a T or the Status that explains why there is none. Follows the
// std::expected API (has_value, operator bool, *, ->, value, error) so that C++23
// can replace it. A Result never holds an OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  static_assert(!std::is_same_v<T, Status>, "use Status directly");

  // Implicit on purpose: `return value;` and `return Status::NotFound(...);` both work.
  Result(T value) : storage_(std::in_place_index<0>, std::move(value)) {}        // NOLINT
  Result(Status status) : storage_(std::in_place_index<1>, std::move(status)) {  // NOLINT
    FOLDRANK_CHECK(!std::get<1>(storage_).ok());
  }

  bool has_value() const { return storage_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  // Requires has_value().
  T& value() & {
    FOLDRANK_CHECK(has_value());
    return std::get<0>(storage_);
  }
  const T& value() const& {
    FOLDRANK_CHECK(has_value());
    return std::get<0>(storage_);
  }
  T&& value() && {
    FOLDRANK_CHECK(has_value());
    return std::get<0>(std::move(storage_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Requires !has_value().
  const Status& error() const {
    FOLDRANK_CHECK(!has_value());
    return std::get<1>(storage_);
  }

  // The Status: OK when a value is held.
  Status status() const { return has_value() ? Status::Ok() : error(); }

 private:
  std::variant<T, Status> storage_;
};

}  // namespace foldrank

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define FOLDRANK_RETURN_IF_ERROR(expr)                   \
  do {                                                   \
    ::foldrank::Status foldrank_status_ = (expr);        \
    if (!foldrank_status_.ok()) return foldrank_status_; \
  } while (false)
