#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "foldrank/result.h"

namespace foldrank::http {

// A request target split into its decoded path and query parameters.
struct Target {
  std::string path;
  std::map<std::string, std::string, std::less<>> params;
};

// Percent-decodes `text` ('+' is a space in query strings). InvalidArgument for a
// broken escape or a result that is not valid UTF-8.
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Percent-encodes `text` for a query-string value (unreserved characters stay).
std::string PercentEncode(std::string_view text);

// Splits "/path?a=1&b=2". InvalidArgument for bad escapes, invalid UTF-8, or a
// parameter given twice (ambiguous, so refused rather than guessed).
Result<Target> ParseTarget(std::string_view target);

// The same rules for an application/x-www-form-urlencoded body.
Result<std::map<std::string, std::string, std::less<>>> ParseForm(std::string_view body);

}  // namespace foldrank::http
