#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace foldrank {

// Appends `text` as a JSON string (quoted; quotes, backslashes and control
// characters escaped; other bytes as they are).
void AppendJsonString(std::string& json, std::string_view text);

// `texts` as a JSON array of strings: how a list is bound to one SQL parameter
// and read back with json_each.
std::string JsonStringArray(std::span<const std::string> texts);
std::string JsonIntegerArray(std::span<const std::int64_t> numbers);

}  // namespace foldrank
