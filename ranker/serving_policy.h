#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace foldrank {

// How a scored candidate list becomes the order users see.
struct ServingPolicy {
  // 0: deterministic, best score first. > 0: the top `sample_depth` positions are
  // filled by Plackett-Luce sampling without replacement, P(d) proportional to
  // exp(score_d / temperature) over the documents not yet placed; the exploration
  // that unbiased learning from clicks needs. Higher = more exploration.
  double temperature = 0;
  // How many of the best-scored candidates are sampled; the rest follow by score.
  std::size_t sample_depth = 20;
  // RandPair randomization, for position-bias estimates: in this share of rankings,
  // position 0 and a position drawn uniformly from 1..swap_depth-1 trade places.
  // 0: never.
  double swap_share = 0;
  std::size_t swap_depth = 10;
};

// One shown position: which candidate, and the probability with which it was
// chosen for this position given the positions above (1 where deterministic).
struct Placement {
  std::size_t candidate = 0;
  double probability = 1;
};

// Orders candidates by `scores` under `policy`. Ties keep candidate order
// (retrieval order). Every candidate is placed once. `rng` is only used when
// sampling; seed it for reproducible orders. Scores must be finite.
std::vector<Placement> OrderCandidates(std::span<const float> scores, const ServingPolicy& policy,
                                       std::mt19937_64& rng);

// With probability policy.swap_share, swaps order[0] with order[k], k uniform in
// 1..min(swap_depth, size)-1, and gives both the swap's probability. Returns k, or
// 0 when nothing was swapped. Draws from `rng` only when swap_share > 0.
std::size_t SwapRandomPair(std::vector<Placement>& order, const ServingPolicy& policy,
                           std::mt19937_64& rng);

// Where a RandPair swap of positions 0 and `swapped_with` (0: none) moves
// `position`; the swap undoes itself, so this also maps back.
constexpr std::size_t SwappedPosition(std::size_t position, std::size_t swapped_with) {
  if (swapped_with == 0) return position;
  return position == 0 ? swapped_with : position == swapped_with ? 0 : position;
}

// The Plackett-Luce probability that one sampling step with `temperature` picks
// `chosen` from the candidates in `remaining` (indexes into `scores`). Exposed for
// tests and for off-policy evaluators.
double PlackettLuceProbability(std::span<const float> scores,
                               std::span<const std::size_t> remaining, std::size_t chosen,
                               double temperature);

}  // namespace foldrank
