#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "evaluation/position_bias.h"
#include "feedback/records.h"
#include "ranker/model.h"

namespace foldrank {

// One query segment's estimate of candidate minus baseline.
struct SegmentEstimate {
  std::string segment;  // "all", "head", "torso", "tail"
  std::uint64_t impressions = 0;
  std::uint64_t queries = 0;
  double baseline = 0;    // Estimated click-DCG of the baseline's ranking.
  double candidate = 0;   // ... and of the candidate's.
  double difference = 0;  // candidate - baseline, per impression.
  double lower = 0;       // One-sided bounds on the difference, each at `confidence`.
  double upper = 0;
  std::string decision;  // "better" (lower > 0), "worse" (upper < 0), "undecided".
};

struct CounterfactualReport {
  std::vector<SegmentEstimate> segments;  // all, head, torso, tail (those with data).
  double confidence = 0.95;
  std::uint64_t skipped = 0;  // Impressions without usable features.
  // Of the impressions used: those whose examination came from their logged
  // Plackett-Luce pool, and those taken as shown (deterministic or interleaved
  // pages, or logged without a pool).
  std::uint64_t policy_aware = 0;
  std::uint64_t by_position = 0;
};

struct CounterfactualOptions {
  double confidence = 0.95;  // Of each one-sided bound.
  std::size_t depth = 10;    // Ranks that count (click-DCG@depth).
  // Documents the logging policy examines less than this (in expectation) are out of
  // reach: left out of both rankings rather than weighted by up to its inverse.
  double min_propensity = 0.1;
  std::size_t placement_samples = 32;  // Sampled orders per pooled impression.
};

// Estimates, from logged impressions, how much more expected click-DCG the candidate
// model's ranking would earn than the baseline's, policy-aware (Oosterhuis & de
// Rijke, CIKM 2020): each impression's logged documents are ranked by both models on
// the features logged with them (what the serving model saw: no recomputation, no
// skew), and each document's click is de-biased by where the logging policy could
// have put it. For a Plackett-Luce page with its pool (Impression::unshown), that
// is every sampled document, shown or not, with
//   examination_d = E over the policy's draws of alpha at d's position
// (EstimatePlacements, from the logged scores and temperature, the RandPair swap
// held as logged); the pool is used only if the served selection probabilities
// agree with it. Otherwise (deterministic, interleaved, or no pool) the shown
// documents with alpha at the position shown, which is unbiased given that order.
// With the affine model, (click - unprompted_d) / examination_d is unbiased for
// d's click rate at position 0, and the per-impression difference
//   sum over d in reach of (1/log2(2 + rank_C(d)) - 1/log2(2 + rank_B(d))) * that
// (rank among the documents in reach: examination >= min_propensity) is averaged
// per segment, with empirical-Bernstein bounds (GENSPEC's relative bound: it bounds
// the difference itself, not each model's value). Segments: queries by logged
// frequency, the most frequent making up the first third of impressions (head),
// the next third (torso), the rest (tail). Documents the logging policy never
// sampled (below the pool, or never retrieved) are outside its reach. Impressions
// must come from models with the candidate's feature normalization (the caller
// filters).
CounterfactualReport EvaluateCounterfactual(std::span<const SettledImpression> impressions,
                                            const Model& candidate, const Model& baseline,
                                            const PositionBias& bias,
                                            const CounterfactualOptions& options = {});

// The same estimate, fed one impression at a time: it keeps a few numbers per
// impression (not its features), so a caller can stream impressions from the
// ledger. Holds references to the models and the bias: they must outlive it.
class CounterfactualEstimator {
 public:
  CounterfactualEstimator(const Model& candidate, const Model& baseline, const PositionBias& bias,
                          const CounterfactualOptions& options = {});
  ~CounterfactualEstimator();
  CounterfactualEstimator(const CounterfactualEstimator&) = delete;
  CounterfactualEstimator& operator=(const CounterfactualEstimator&) = delete;

  void Add(const SettledImpression& settled);
  // The report over every impression added so far.
  CounterfactualReport Report() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace foldrank
