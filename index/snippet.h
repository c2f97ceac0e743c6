#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace foldrank {

// A short passage of a document's text around the query's terms. Plain text, not
// HTML: `highlights` are [begin, end) byte ranges of `text` that matched, in order,
// so each front end escapes and marks them up its own way.
struct Snippet {
  std::string text;
  std::vector<std::pair<std::size_t, std::size_t>> highlights;
  bool truncated_front = false;  // Text was cut before the passage.
  bool truncated_back = false;   // Text was cut after the passage.
};

// The passage of at most about `max_chars` characters of `text` that holds the
// most distinct `terms` (analyzed terms, as in CandidateSet::terms), cut at word
// boundaries; the start of `text` when no term occurs. Terms are matched through
// the same analysis as the index, so "running" in the text highlights for "run".
// Invalid UTF-8 in `text` is replaced, never an error.
Snippet MakeSnippet(std::string_view text, const std::vector<std::string>& terms,
                    std::size_t max_chars = 200);

}  // namespace foldrank
