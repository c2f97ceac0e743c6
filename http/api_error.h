#pragma once

#include <string>
#include <string_view>

namespace foldrank::http {

// An error for the client: the HTTP status, a stable machine-readable code and a
// message for people. Rendered as {"error": code, "message": message}.
struct ApiError {
  ApiError(int status_in, std::string code_in, std::string_view message_in)
      : status(status_in), code(std::move(code_in)), message(message_in) {}
  int status = 400;
  std::string code;
  std::string message;
};

inline ApiError BadRequest(std::string code, std::string_view message) {
  return {400, std::move(code), message};
}

// The JSON body of an error response.
std::string ErrorBody(const ApiError& error);

}  // namespace foldrank::http
