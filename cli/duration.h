#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace foldrank::cli {

// "30d", "12h", "90m", "45s" -> milliseconds; nullopt for anything else.
std::optional<std::int64_t> ParseDuration(const std::string& text);

}  // namespace foldrank::cli
