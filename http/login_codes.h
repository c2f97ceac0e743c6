#pragma once

#include <mutex>
#include <string>
#include <string_view>

namespace foldrank::http {

// One-time sign-in codes for the admin page: at most one is valid at a time, and it
// signs in once. Thread-safe.
class LoginCodes {
 public:
  // A new random code (128 bits, hex), replacing any earlier one.
  std::string Issue();
  // True, once, for the valid code (which is then spent); false otherwise.
  bool Redeem(std::string_view code);

 private:
  std::mutex mu_;
  std::string code_;  // Guarded by mu_. Empty: none valid.
};

}  // namespace foldrank::http
