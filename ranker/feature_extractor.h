#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "index/candidates.h"
#include "index/term_statistics.h"
#include "ranker/click_signals.h"
#include "ranker/feature_matrix.h"

namespace foldrank {

// What the index knows about one query's candidates: the inputs of every feature.
struct QueryEvidence {
  std::string_view query;  // As the user typed it (for click lookups).
  const CandidateSet* candidates = nullptr;
  const TermStatistics* statistics = nullptr;  // For candidates->candidates, same order.
  std::span<const DocumentPriors> priors;      // Same order.
  std::int64_t now_unix_seconds = 0;           // For freshness.
};

// Turns a query's candidates into raw feature rows (see feature_set.h for each
// feature and the missing-value rule). Stateless and thread-safe; the matrix is the
// caller's, so a per-thread matrix makes extraction allocation-free after warm-up.
class FeatureExtractor {
 public:
  explicit FeatureExtractor(const ClickSignals& clicks) : clicks_(clicks) {}

  // Fills `out` with one row per candidate. InvalidArgument-free by construction:
  // evidence whose sizes disagree is a caller bug and aborts.
  void Extract(const QueryEvidence& evidence, FeatureMatrix& out) const;

  // BM25 constants (Robertson & Zaragoza 2009's usual defaults).
  static constexpr double kK1 = 1.2;
  static constexpr double kB = 0.75;
  // Freshness halves every this many days.
  static constexpr double kFreshnessHalfLifeDays = 180;

 private:
  const ClickSignals& clicks_;
};

// Smallest number of consecutive positions that holds every one of `lists` (each
// ascending); 0 if any list is empty. Exposed for tests.
std::int32_t SmallestCoveringWindow(std::span<const std::span<const std::int32_t>> lists);

// True if some position p has lists[i] containing p + i for every i. Exposed for tests.
bool HasPhrase(std::span<const std::span<const std::int32_t>> lists);

}  // namespace foldrank
