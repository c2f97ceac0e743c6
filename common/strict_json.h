#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace foldrank {

// JSON as clients send it, parsed strictly: an object that names a key twice is
// refused (which of the two values counts is a guess nobody should rely on), and
// input nesting deeper than `max_depth` is refused while it is read, before it is
// built (writing a value back out recurses once per level). Messages are ours,
// never the JSON library's.
struct StrictJson {
  enum class Problem { kNone, kSyntax, kTooDeep, kDuplicateKey };
  Problem problem = Problem::kNone;
  std::string message;   // For people; empty when problem is kNone.
  nlohmann::json value;  // The parsed value when problem is kNone.
};
StrictJson ParseStrictJson(std::string_view text, int max_depth);

}  // namespace foldrank
