#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "foldrank/result.h"

namespace foldrank {

// Parses an RFC 3339 date-time ("2024-05-01T12:30:00Z", "2024-05-01 12:30:00.25+02:00")
// into Unix seconds, truncating fractions. A bare date ("2024-05-01") is taken as
// midnight UTC. InvalidArgument naming the problem for anything else, including
// out-of-range fields (month 13, 25:00, Feb 30).
Result<std::int64_t> ParseRfc3339(std::string_view text);

// Unix seconds as "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatRfc3339(std::int64_t unix_seconds);

}  // namespace foldrank
