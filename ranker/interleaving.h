#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "ranker/serving_policy.h"

namespace foldrank {

// Which ranker contributed a shown document in an interleaved list.
enum class Team : std::int8_t { kNone = 0, kA = 1, kB = 2 };

struct TeamPlacement {
  std::size_t candidate = 0;
  Team team = Team::kNone;
};

// Team-draft interleaving (Radlinski, Kurup & Joachims, CIKM 2008): the team with
// fewer picks so far (a coin flip when even) adds its best document not yet placed,
// until `length` are placed; the rest follow `a`'s order with no team. `a` and `b`
// order the same candidates. A click credits the team of the clicked document, so
// the comparison is fair to both rankers at every position.
std::vector<TeamPlacement> TeamDraft(std::span<const Placement> a, std::span<const Placement> b,
                                     std::size_t length, std::mt19937_64& rng);

}  // namespace foldrank
