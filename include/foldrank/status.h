#pragma once

// Status: the outcome of an operation. Part of the public API.
//
// Threading and ownership: a Status is an immutable value (copies share their
// message); use and copy it from any thread.

#include <memory>
#include <string>
#include <string_view>

namespace foldrank {

// The outcome of an operation that can fail for expected reasons (bad input, missing
// file, damaged data). Cheap to copy when OK: an OK Status owns no heap memory.
// Exceptions never cross a module border; Status (or Result<T>) does.
class [[nodiscard]] Status {
 public:
  // Adding a code? Map it in every switch over Code (-Wswitch finds them).
  enum class Code { kOk, kInvalidArgument, kNotFound, kUnavailable, kCorruption, kInternal };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message) {
    return Status(Code::kInvalidArgument, std::move(message));
  }
  static Status NotFound(std::string message) {
    return Status(Code::kNotFound, std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(Code::kUnavailable, std::move(message));
  }
  static Status Corruption(std::string message) {
    return Status(Code::kCorruption, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(Code::kInternal, std::move(message));
  }

  bool ok() const { return state_ == nullptr; }
  Code code() const { return state_ ? state_->code : Code::kOk; }
  // Empty when OK.
  std::string_view message() const { return state_ ? std::string_view(state_->message) : ""; }
  // "OK" or "<code name>: <message>", for logs and test failures.
  std::string ToString() const;

  // A copy whose message is "<context>: <message>"; OK stays OK.
  Status WithContext(std::string_view context) const;

 private:
  struct State {
    Code code;
    std::string message;
  };
  Status(Code code, std::string message)
      : state_(std::make_shared<const State>(State{code, std::move(message)})) {}

  std::shared_ptr<const State> state_;  // Null when OK.
};

// The name of a code, e.g. "InvalidArgument".
std::string_view CodeName(Status::Code code);

}  // namespace foldrank
