#include "index/snippet.h"

#include <algorithm>
#include <cwctype>

#include "common/utf8.h"
#include "index/internal/analyzer.h"
#include "index/internal/field_names.h"
#include "index/internal/guarded.h"

namespace foldrank {
namespace {

struct Match {
  int32_t begin = 0;  // Code point offsets into the text.
  int32_t end = 0;
  std::size_t term = 0;  // Index into the query's terms.
};

struct Window {
  int32_t begin = 0;
  int32_t end = 0;
};

// The tokens of `text` whose analyzed form is one of `terms`.
std::vector<Match> FindMatches(std::string_view language, const Lucene::String& text,
                               const std::vector<Lucene::String>& terms) {
  std::vector<AnalyzedToken> tokens;
  Analyze(language, text, tokens);
  std::vector<Match> matches;
  for (const AnalyzedToken& token : tokens) {
    auto found = std::find(terms.begin(), terms.end(), token.term);
    if (found != terms.end()) {
      matches.push_back(
          {token.start_offset, token.end_offset, static_cast<std::size_t>(found - terms.begin())});
    }
  }
  return matches;
}

// The match-anchored window of `width` code points with the most distinct terms,
// then the most matches; the earliest among equals.
Window BestWindow(const std::vector<Match>& matches, std::size_t term_count, int32_t width) {
  Window best{matches.front().begin, matches.front().begin + width};
  std::size_t best_distinct = 0, best_total = 0;
  std::vector<int> in_window(term_count, 0);
  std::size_t distinct = 0, last = 0;  // Window covers matches [first, last).
  for (std::size_t first = 0; first < matches.size(); ++first) {
    const int32_t limit = matches[first].begin + width;
    while (last < matches.size() && matches[last].end <= limit) {
      if (in_window[matches[last].term]++ == 0) ++distinct;
      ++last;
    }
    const std::size_t total = last - first;
    if (distinct > best_distinct || (distinct == best_distinct && total > best_total)) {
      best_distinct = distinct;
      best_total = total;
      best = {matches[first].begin, matches[last - 1].end};
    }
    if (last > first && --in_window[matches[first].term] == 0) --distinct;
    if (last == first) ++last;  // A single match wider than the window.
  }
  return best;
}

bool IsSpace(wchar_t c) { return std::iswspace(static_cast<wint_t>(c)) != 0; }

// Widens [begin, end) to about `width` code points, centred on the matches, then
// moves both ends to word boundaries so no word is cut in half.
Window Expand(const Lucene::String& text, Window core, int32_t width) {
  const int32_t length = static_cast<int32_t>(text.size());
  const int32_t spare = std::max<int32_t>(0, width - (core.end - core.begin));
  int32_t begin = std::max<int32_t>(0, core.begin - spare / 3);
  int32_t end = std::min<int32_t>(length, begin + std::max(width, core.end - core.begin));
  if (end == length) begin = std::max<int32_t>(0, std::min(core.begin, end - width));
  while (begin > 0 && begin < core.begin && !IsSpace(text[begin - 1])) ++begin;
  while (end < length && end > core.end && !IsSpace(text[end])) --end;
  return {begin, end};
}

}  // namespace

Snippet MakeSnippet(std::string_view text, const std::vector<std::string>& terms,
                    std::size_t max_chars, std::string_view language) {
  const std::string clean = SanitizeUtf8(text);
  const Lucene::String wide = Lucene::StringUtils::toUnicode(clean);
  std::vector<Lucene::String> wide_terms;
  for (const std::string& term : terms) wide_terms.push_back(Lucene::StringUtils::toUnicode(term));

  std::vector<Match> matches;
  if (!wide_terms.empty()) {
    // Analysis of sanitized text cannot fail in practice; if Lucene throws anyway, a
    // snippet without highlights is the graceful answer.
    Status analyzed = Guarded("snippet", [&]() -> Status {
      matches = FindMatches(language, wide, wide_terms);
      return Status::Ok();
    });
    if (!analyzed.ok()) matches.clear();
  }
  const int32_t width = static_cast<int32_t>(std::max<std::size_t>(max_chars, 1));
  // Without matches the passage grows from the start of the text.
  Window window{0, 0};
  if (!matches.empty()) window = BestWindow(matches, wide_terms.size(), width);
  window = Expand(wide, window, width);

  Snippet snippet;
  snippet.truncated_front = window.begin > 0;
  snippet.truncated_back = window.end < static_cast<int32_t>(wide.size());
  // Emit the window with runs of white space folded to one space, tracking where
  // each highlighted match lands in the output bytes.
  auto next_match = std::find_if(matches.begin(), matches.end(),
                                 [&](const Match& m) { return m.begin >= window.begin; });
  std::size_t open_at = 0;
  bool in_match = false, pending_space = false;
  for (int32_t i = window.begin; i < window.end; ++i) {
    if (in_match && i == next_match->end) {
      snippet.highlights.emplace_back(open_at, snippet.text.size());
      in_match = false;
      ++next_match;
    }
    if (IsSpace(wide[i])) {
      pending_space = !snippet.text.empty();
      continue;
    }
    if (pending_space) snippet.text.push_back(' ');
    pending_space = false;
    if (!in_match && next_match != matches.end() && i == next_match->begin &&
        next_match->end <= window.end) {
      open_at = snippet.text.size();
      in_match = true;
    }
    AppendUtf8(snippet.text, static_cast<char32_t>(wide[i]));
  }
  if (in_match) snippet.highlights.emplace_back(open_at, snippet.text.size());
  return snippet;
}

}  // namespace foldrank
