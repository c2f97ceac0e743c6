#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "foldrank/result.h"

namespace foldrank::http {

// A request body parsed as JSON, at most kMaxJsonBodyDepth deep: deeper input is
// rejected while it is read, before it is built, because writing a JSON value back
// out (dump) recurses once per level, and a 64 KiB body can nest 32,000 deep (it
// crashed a PUT /documents under ThreadSanitizer's larger frames). InvalidArgument
// saying why.
inline constexpr int kMaxJsonBodyDepth = 64;
Result<nlohmann::json> ParseJsonBody(std::string_view body);

}  // namespace foldrank::http
