#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "foldrank/search.h"

namespace foldrank {

// The passage of at most about `max_chars` characters of `text` that holds the
// most distinct `terms` (analyzed terms, as in CandidateSet::terms), cut at word
// boundaries; the start of `text` when no term occurs. Terms are matched through
// the same analysis as the index, so "running" in the text highlights for "run".
// Invalid UTF-8 in `text` is replaced, never an error.
// `language` is the index's (IndexSnapshot::language()).
Snippet MakeSnippet(std::string_view text, const std::vector<std::string>& terms,
                    std::size_t max_chars = 200, std::string_view language = "english");

}  // namespace foldrank
