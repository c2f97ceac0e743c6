#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace foldrank {

// The text fields that have exact lengths and statistics. `kAll` is title, tags and
// body as one field.
enum class TextField { kTitle = 0, kBody = 1, kAll = 2 };
inline constexpr std::size_t kTextFieldCount = 3;

// Statistics of one field, for the terms and candidates of a TermStatistics.
struct FieldStatistics {
  // Mean exact token count over live documents (0 when the index is empty).
  double average_length = 0;
  // Per term: documents containing it. Like all Lucene document frequencies, it
  // still counts replaced or deleted documents until their segment is merged.
  std::vector<std::int64_t> doc_freq;
  // Per candidate: exact token count of the field after analysis.
  std::vector<std::int32_t> length;
  // Occurrences, candidates x terms, row-major: term_freq[c * terms.size() + t].
  std::vector<std::int32_t> term_freq;
  // Title and body only (empty for kAll): the token positions of each occurrence,
  // ascending, for candidate c and term t (cell = c * terms.size() + t) at
  //   positions[position_ranges[2 * cell] .. position_ranges[2 * cell + 1]).
  // Positions count removed stop words, so "cat in hat" has cat at 0 and hat at 2.
  std::vector<std::int32_t> positions;
  std::vector<std::int32_t> position_ranges;
};

// What BM25-style features need for a query's candidates, read from one snapshot.
struct TermStatistics {
  std::int64_t doc_count = 0;      // Live documents in the snapshot.
  std::vector<std::string> terms;  // Analyzed terms, as in CandidateSet::terms.
  std::array<FieldStatistics, kTextFieldCount> fields;

  const FieldStatistics& field(TextField f) const { return fields[static_cast<std::size_t>(f)]; }
  std::int32_t term_freq(TextField f, std::size_t candidate, std::size_t term) const {
    return field(f).term_freq[candidate * terms.size() + term];
  }
  // Positions of `term` in field f (title or body) of `candidate`, ascending.
  std::span<const std::int32_t> positions(TextField f, std::size_t candidate,
                                          std::size_t term) const {
    const FieldStatistics& s = field(f);
    const std::size_t cell = candidate * terms.size() + term;
    return std::span<const std::int32_t>(s.positions)
        .subspan(s.position_ranges[2 * cell],
                 s.position_ranges[2 * cell + 1] - s.position_ranges[2 * cell]);
  }
};

// Per-document priors, cheap to read for every candidate.
struct DocumentPriors {
  double popularity = 0;
  std::optional<std::int64_t> updated_at;  // Unix seconds.
};

}  // namespace foldrank
