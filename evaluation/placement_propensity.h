#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "evaluation/position_bias.h"

namespace foldrank {

// A logged Plackett-Luce draw, as far as it decides where documents could land:
// the pool it sampled (the best-scored candidates), the page length and the
// RandPair swap applied after it.
struct SampledPage {
  std::span<const float> pool_scores;  // The serving model's scores of the pool.
  double temperature = 0;              // > 0.
  std::size_t shown = 0;               // Positions on the page, from 0.
  std::size_t swapped_with = 0;        // Positions 0 and this traded places; 0: none.
};

// Per pooled document d, over the policy's draws, in the affine click model
// E[click on d] = examination_d * g_d + unprompted_d (g_d: d's click rate at
// position 0):
//   examination_d = sum over shown positions p of P(d lands at p) * alpha_p,
//   unprompted_d  = sum over shown positions p of P(d lands at p) * beta_p.
// Estimated from `samples` sampled orders, Rao-Blackwellized: every step adds each
// remaining document's exact probability of being picked next rather than the one
// pick, so documents the policy rarely shows are estimated as well as the others.
// Deterministic for a given `seed`. Both outputs have pool_scores.size() entries.
void EstimatePlacements(const SampledPage& page, const PositionBias& bias, std::size_t samples,
                        std::uint64_t seed, std::span<double> examination,
                        std::span<double> unprompted);

}  // namespace foldrank
