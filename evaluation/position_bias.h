#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "feedback/records.h"
#include "foldrank/result.h"

namespace foldrank {

// The affine click model per position: P(click at position p) = alpha_p * g + beta_p,
// where g is the document's click rate at position 0. Relevance is only identified
// up to an affine map, so position 0 is the reference (alpha 1, beta 0) and every
// other position is relative to it; plain position bias is beta = 0, alpha_p the
// examination ratio to the top. See docs/learning.md.
struct PositionEstimate {
  double alpha = 1, alpha_low = 1, alpha_high = 1;  // Point, and the interval.
  double beta = 0, beta_low = 0, beta_high = 0;
  std::uint64_t swaps = 0;        // RandPair impressions swapped at this position.
  std::uint64_t cells = 0;        // Harvested swap cells (see below).
  std::uint64_t impressions = 0;  // Impressions the estimate read.
  bool estimated = false;         // False: too few cells, the prior stands.
  std::string source = "prior";   // "randomized", "harvested" or "prior".
};

struct PositionBias {
  std::vector<PositionEstimate> positions;  // [p] for 0-based position p: in use.
  // From harvested swaps alone (for comparison; `positions` prefers the RandPair
  // bucket wherever it has enough cells, since only it is randomized).
  std::vector<PositionEstimate> harvested;
  double confidence = 0.95;       // Of the intervals.
  std::uint64_t impressions = 0;  // Read to estimate it.
  std::uint64_t randomized = 0;   // RandPair impressions among them.
  std::int64_t estimated_ms = 0;  // 0: the prior, never estimated.

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
  std::size_t depth = 10;       // Positions estimated: 0 .. depth-1.
  std::size_t min_swaps = 100;  // RandPair impressions swapped there; fewer: not used.
  std::size_t min_cells = 30;   // Harvested cells; fewer: not used.
  int bootstrap = 200;          // Resamples of cells for the intervals.
  double confidence = 0.95;
  std::uint64_t seed = 1;  // Of the bootstrap (reproducible estimates).
};

// Estimates the affine model from logged impressions and their clicks, in two ways:
//  - randomized (RandPair): impressions without a swap against impressions swapped
//    at p. The coin is independent of the past, so the pair that would have been
//    shown at (0, p) has the same distribution in both arms, even while the learner
//    adapts to clicks; with click rates C (control) and S (swapped),
//      alpha_p = (S at p - C at p) / (C at 0 - S at 0),
//      beta_p  = mean over both arms at p - alpha_p * mean at 0.
//    Intervals: bootstrap of both arms' click tables.
//  - harvested: swap cells, one (normalized query, position p, document pair) that
//    impressions without a swap showed both ways round at 0 and p (exploration
//    sampled it, or model versions differed). The cell's "better" document is the
//    one the model scored higher in its first impression (never the cell's clicks).
//    alpha_p = sum w (rate at p of better - of other) / sum w (rate at 0 of better -
//    of other), w = nA nB / (nA + nB), beta_p as above; intervals by bootstrap over
//    cells. Free and plentiful, but how long a learner keeps showing a pair depends
//    on its clicks, which biases it (docs/learning.md measures how much).
// `positions` uses the randomized estimate where it has enough swaps, else the
// harvested one, else the prior.
PositionBias EstimatePositionBias(std::span<const SettledImpression> impressions,
                                  const PositionBiasOptions& options = {});

// The same estimate, fed one impression at a time (its memory grows with the swap
// cells seen, not with the impressions), so a caller can stream from the ledger.
class PositionBiasEstimator {
 public:
  explicit PositionBiasEstimator(const PositionBiasOptions& options = {});
  ~PositionBiasEstimator();
  PositionBiasEstimator(const PositionBiasEstimator&) = delete;
  PositionBiasEstimator& operator=(const PositionBiasEstimator&) = delete;

  void Add(const SettledImpression& settled);
  // The estimate over every impression added so far.
  PositionBias Estimate() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace foldrank
