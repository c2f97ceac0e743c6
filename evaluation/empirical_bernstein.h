#pragma once

#include <cstddef>
#include <span>

namespace foldrank {

// The mean of i.i.d. samples with one-sided confidence bounds that hold without
// assuming a distribution: the empirical Bernstein bound of Maurer & Pontil (COLT
// 2009, Theorem 4), as GENSPEC (Oosterhuis & de Rijke, WWW 2021) uses it. For
// samples within an interval of width `range`, with probability at least
// 1 - delta each,
//   E[X] >= mean - sqrt(2 V ln(2/delta) / n) - 7 range ln(2/delta) / (3 (n - 1))
// (and symmetrically for the upper bound), V the unbiased sample variance.
struct MeanBounds {
  double mean = 0;
  double lower = 0;  // -infinity with fewer than 2 samples.
  double upper = 0;  // +infinity with fewer than 2 samples.
  std::size_t n = 0;
};

MeanBounds EmpiricalBernstein(std::span<const double> samples, double range, double delta);

}  // namespace foldrank
