#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "foldrank/search.h"

namespace foldrank {

// How query text is read.
// One retrieved document. `doc` is a handle that is valid only inside the
// IndexSnapshot that produced it: never persist it or pass it to another snapshot.
struct Candidate {
  std::int32_t doc = 0;
  std::string id;
  float retrieval_score = 0;  // Lucene's TF-IDF; comparable only within one query.
};

// The top-k answer to one query, with the analyzed terms the ranker needs.
struct CandidateSet {
  std::vector<std::string> terms;     // Distinct analyzed terms, in query order.
  std::vector<Candidate> candidates;  // Best first; at most k.
  std::int64_t total_hits = 0;        // All matching documents, not just the top k.
  // Distinct terms of plain text left out: past kMaxQueryTerms, the least
  // informative (the most documents hold them) are not searched.
  std::size_t terms_dropped = 0;
};

}  // namespace foldrank
