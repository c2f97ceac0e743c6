#pragma once

#include <string>
#include <string_view>

namespace foldrank {

// Lowercased, with runs of white space and control characters folded to one
// space: how click counts and the influence cap tell queries apart.
std::string NormalizeQuery(std::string_view query);

// Key of a (normalized query, document) click count, as the folder and the click
// features both build it; the unit separator never occurs in a normalized query.
inline constexpr char kCountKeySeparator = '\x1f';
inline std::string ClickCountKey(std::string_view normalized_query, std::string_view doc_id) {
  std::string key(normalized_query);
  key.push_back(kCountKeySeparator);
  key.append(doc_id);
  return key;
}

}  // namespace foldrank
