#pragma once

// Result<T>: a value or the Status that explains why there is none. Part of the
// public API (every fallible call of <foldrank/engine.h> returns one).
//
// Threading and ownership: a Result owns its T (or Status) like std::variant does,
// with the same rules as the T it holds.

#include <foldrank/status.h>

#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

namespace foldrank {
namespace detail {

// Misuse of a Result (reading the value of an error, or the error of a value) is a
// bug in the caller: say so and stop.
inline void CheckResult(bool holds, const char* what) {
  if (!holds) [[unlikely]] {
    std::fprintf(stderr, "foldrank::Result: check failed: %s\n", what);
    std::abort();
  }
}

}  // namespace detail

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
    detail::CheckResult(!std::get<1>(storage_).ok(), "made from an OK Status");
  }

  bool has_value() const { return storage_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  // Requires has_value().
  T& value() & {
    detail::CheckResult(has_value(), "value() of an error");
    return std::get<0>(storage_);
  }
  const T& value() const& {
    detail::CheckResult(has_value(), "value() of an error");
    return std::get<0>(storage_);
  }
  T&& value() && {
    detail::CheckResult(has_value(), "value() of an error");
    return std::get<0>(std::move(storage_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Requires !has_value().
  const Status& error() const {
    detail::CheckResult(!has_value(), "error() of a value");
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
