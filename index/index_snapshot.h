#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "foldrank/document.h"
#include "foldrank/result.h"
#include "index/candidates.h"
#include "index/term_statistics.h"

namespace foldrank {

// An immutable point-in-time view of the index. Everything read from one snapshot
// is consistent with everything else read from it, however the index changes
// meanwhile. Thread-safe: share one snapshot across any number of threads. Held by
// shared_ptr; the last holder releases its files.
class IndexSnapshot {
 public:
  ~IndexSnapshot();
  IndexSnapshot(const IndexSnapshot&) = delete;
  IndexSnapshot& operator=(const IndexSnapshot&) = delete;

  // The top `k` documents for `query`. InvalidArgument for empty text, k < 1, or
  // (kLucene only) a syntax error, whose message says where, or a wildcard that
  // expands past Lucene's clause limit. A query whose words are all stop words
  // matches nothing and is OK. Plain text of more than kMaxQueryTerms distinct terms
  // searches the kMaxQueryTerms rarest (CandidateSet::terms_dropped says how many
  // were left out). `terms` keeps at most kMaxQueryTerms (a wildcard can expand to
  // hundreds).
  Result<CandidateSet> Candidates(std::string_view query, int k,
                                  QueryMode mode = QueryMode::kPlain) const;

  // Term and length statistics of `terms` (analyzed, as in CandidateSet::terms) for
  // `candidates` (from this snapshot), in the given orders.
  Result<TermStatistics> Statistics(const std::vector<std::string>& terms,
                                    std::span<const Candidate> candidates) const;

  // Popularity and freshness of each candidate, in order.
  std::vector<DocumentPriors> Priors(std::span<const Candidate> candidates) const;

  // The stored document of a candidate from this snapshot.
  Result<Document> Fetch(const Candidate& candidate) const;

  // The document with this id; NotFound if there is none in this snapshot.
  Result<Document> Lookup(std::string_view id) const;
  // Whether this snapshot holds a live document with this id (no stored fields read).
  Result<bool> Contains(std::string_view id) const;

  std::int64_t doc_count() const;      // Live documents.
  std::int64_t segment_count() const;  // Lucene segments; search cost grows with them.
  std::uint64_t generation() const;    // Grows with every refresh that saw a change.
  std::int64_t opened_ms() const;      // When this snapshot was opened (Unix ms).
  // The analysis language of the index (index/analysis.h): what MakeSnippet needs.
  const std::string& language() const;

  static constexpr int kMaxQueryTerms = 64;

  struct Impl;  // Defined in index/; opaque to everyone else.
  explicit IndexSnapshot(std::unique_ptr<Impl> impl);

 private:
  // The live Lucene document number of `id`; NotFound if none.
  Result<std::int32_t> LiveDoc(std::string_view id) const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace foldrank
