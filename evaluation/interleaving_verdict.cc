#include "evaluation/interleaving_verdict.h"

#include <algorithm>
#include <cmath>

namespace foldrank {

InterleavingVerdict JudgeInterleaving(const ExperimentCounts& counts, double confidence) {
  InterleavingVerdict verdict;
  if (counts.clicked > 0) {
    verdict.preference = (static_cast<double>(counts.wins_a) - static_cast<double>(counts.wins_b)) /
                         static_cast<double>(counts.clicked);
  }
  const double n = static_cast<double>(counts.wins_a + counts.wins_b);
  if (n == 0) return verdict;
  verdict.a_share = static_cast<double>(counts.wins_a) / n;
  const double delta_n = (1 - confidence) / (n * (n + 1));
  const double radius = std::sqrt(std::log(2 / delta_n) / (2 * n));
  verdict.a_share_low = std::max(0.0, verdict.a_share - radius);
  verdict.a_share_high = std::min(1.0, verdict.a_share + radius);
  if (verdict.a_share_low > 0.5) verdict.decision = "a";
  if (verdict.a_share_high < 0.5) verdict.decision = "b";
  return verdict;
}

}  // namespace foldrank
