#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "feedback/records.h"

namespace foldrank {

// The affine click model per position: P(click at position p) = alpha_p * g + beta_p,
// where g is the document's click rate at position 0. Relevance is only identified
// up to an affine map, so position 0 is the reference (alpha 1, beta 0) and every
// other position is relative to it; plain position bias is beta = 0, alpha_p the
// examination ratio to the top. See docs/learning.md.
struct PositionEstimate {
  double alpha = 1, alpha_low = 1, alpha_high = 1;  // Point, and the interval.
  double beta = 0, beta_low = 0, beta_high = 0;
  std::uint64_t cells = 0;        // Swap cells that measured it (see below).
  std::uint64_t impressions = 0;  // Impressions those cells pooled.
  bool estimated = false;         // False: too few cells, the prior stands.
};

struct PositionBias {
  std::vector<PositionEstimate> positions;  // [p] for 0-based position p.
  double confidence = 0.95;                 // Of the intervals.
  std::uint64_t impressions = 0;            // Read to estimate it.
  std::uint64_t randomized = 0;             // RandPair impressions among them.
  std::int64_t estimated_ms = 0;            // 0: the prior, never estimated.

  // The prior until there is data: alpha_p = 1 / (p + 1), beta_p = 0 (examination
  // falling with rank, Joachims et al. WSDM 2017), for `depth` positions.
  static PositionBias Prior(std::size_t depth = 10);

  double Alpha(std::int32_t position) const;  // Past the last: the last one's.
  double Beta(std::int32_t position) const;
  // Expected clicks of a document shown at `position` that users would always click
  // at position 0 (alpha + beta, within [0.01, 1]): the click features' weight.
  double Examination(std::int32_t position) const;

  std::string ToJson() const;
  static Result<PositionBias> FromJson(const std::string& json);
};

struct PositionBiasOptions {
  std::size_t depth = 10;      // Positions estimated: 0 .. depth-1.
  std::size_t min_cells = 30;  // Fewer: that position keeps the prior.
  int bootstrap = 200;         // Resamples of cells for the intervals.
  double confidence = 0.95;
  std::uint64_t seed = 1;  // Of the bootstrap (reproducible estimates).
};

// Estimates the affine model from logged impressions and their clicks, by
// intervention harvesting across swaps: a swap cell is one (normalized query,
// position p, pair of documents) that was shown both ways round, A then B at
// positions 0 and p and B then A, whether because another model version ranked it so,
// exploration sampled it, or a RandPair swap was drawn. In each cell the document
// the model preferred in the cell's first impression is the "better" one (so the
// orientation never depends on the cell's clicks); then, over cells weighted by
// nA nB / (nA + nB),
//   alpha_p = sum w (clicks at p on better - clicks at p on other)
//           / sum w (clicks at 0 on better - clicks at 0 on other)      (rates)
//   beta_p  = (mean click rate at p - alpha_p * mean click rate at 0) over cells.
// Intervals are bootstrap percentiles over cells (queries are the independent unit).
PositionBias EstimatePositionBias(std::span<const SettledImpression> impressions,
                                  const PositionBiasOptions& options = {});

}  // namespace foldrank
