#include "feedback/query_key.h"

#include <cctype>

namespace foldrank {

std::string NormalizeQuery(std::string_view query) {
  std::string normalized;
  bool space = false;
  for (char c : query) {
    // Control characters count as space: keys built from normalized queries use
    // \x1f as a separator.
    if (std::isspace(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) < 0x20) {
      space = !normalized.empty();
      continue;
    }
    if (space) normalized.push_back(' ');
    space = false;
    normalized.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return normalized;
}

}  // namespace foldrank
