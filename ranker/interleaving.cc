#include "ranker/interleaving.h"

#include <algorithm>

namespace foldrank {

std::vector<TeamPlacement> TeamDraft(std::span<const Placement> a, std::span<const Placement> b,
                                     std::size_t length, std::mt19937_64& rng) {
  const std::size_t size = a.size();
  std::vector<bool> placed(size, false);
  std::vector<TeamPlacement> order;
  order.reserve(size);
  std::size_t next_a = 0, next_b = 0, picks_a = 0, picks_b = 0;
  auto take = [&](std::span<const Placement> list, std::size_t& next) -> bool {
    while (next < list.size() && placed[list[next].candidate]) ++next;
    if (next == list.size()) return false;
    placed[list[next].candidate] = true;
    order.push_back({list[next].candidate, Team::kNone});
    return true;
  };
  std::bernoulli_distribution coin(0.5);
  while (order.size() < std::min(length, size)) {
    const bool a_turn = picks_a < picks_b || (picks_a == picks_b && coin(rng));
    if (a_turn ? take(a, next_a) : take(b, next_b)) {
      order.back().team = a_turn ? Team::kA : Team::kB;
      ++(a_turn ? picks_a : picks_b);
    } else if (!(a_turn ? take(b, next_b) : take(a, next_a))) {
      break;
    } else {
      // One list ran out of unplaced documents: the other fills in, for its team.
      order.back().team = a_turn ? Team::kB : Team::kA;
      ++(a_turn ? picks_b : picks_a);
    }
  }
  for (const Placement& placement : a) {
    if (!placed[placement.candidate]) order.push_back({placement.candidate, Team::kNone});
  }
  return order;
}

}  // namespace foldrank
