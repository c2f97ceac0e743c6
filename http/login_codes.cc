#include "http/login_codes.h"

#include "common/random_bytes.h"
#include "http/request_guard.h"

namespace foldrank::http {

std::string LoginCodes::Issue() {
  std::string code = RandomHex(16);
  std::lock_guard<std::mutex> lock(mu_);
  code_ = code;
  return code;
}

bool LoginCodes::Redeem(std::string_view code) {
  std::lock_guard<std::mutex> lock(mu_);
  if (code_.empty() || !SameSecret(code, code_)) return false;
  code_.clear();
  return true;
}

}  // namespace foldrank::http
