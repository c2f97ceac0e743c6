#pragma once

#include <string>
#include <string_view>

namespace foldrank {

// True if `text` is well-formed UTF-8 (no overlong forms, surrogates or code points
// above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` with each ill-formed sequence replaced by U+FFFD.
std::string SanitizeUtf8(std::string_view text);

// Appends the UTF-8 encoding of `code_point`; U+FFFD for a surrogate or a value
// above U+10FFFF.
void AppendUtf8(std::string& out, char32_t code_point);

}  // namespace foldrank
