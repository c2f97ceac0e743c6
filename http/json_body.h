#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "http/api_error.h"

namespace foldrank::http {

// A request body parsed as JSON (ParseStrictJson), at most kMaxJsonBodyDepth deep: a
// 64 KiB body can nest 32,000 deep, and writing that back out recursed past the
// stack under ThreadSanitizer's larger frames. On failure `error` is the client's
// error: 400 duplicate_key when an object names a key twice, else 400 `bad_code`
// (the route's own code for a body it cannot read), in our words.
inline constexpr int kMaxJsonBodyDepth = 64;
struct JsonBody {
  nlohmann::json value;
  std::optional<ApiError> error;
};
JsonBody ParseJsonBody(std::string_view body, std::string_view bad_code);

}  // namespace foldrank::http
