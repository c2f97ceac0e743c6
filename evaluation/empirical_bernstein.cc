#include "evaluation/empirical_bernstein.h"

#include <cmath>
#include <limits>

namespace foldrank {

MeanBounds EmpiricalBernstein(std::span<const double> samples, double range, double delta) {
  MeanBounds bounds;
  bounds.n = samples.size();
  const double infinity = std::numeric_limits<double>::infinity();
  bounds.lower = -infinity;
  bounds.upper = infinity;
  if (samples.empty()) return bounds;
  double sum = 0;
  for (double x : samples) sum += x;
  const double n = static_cast<double>(samples.size());
  bounds.mean = sum / n;
  if (samples.size() < 2) return bounds;
  double squares = 0;
  for (double x : samples) squares += (x - bounds.mean) * (x - bounds.mean);
  const double variance = squares / (n - 1);
  const double log_term = std::log(2 / delta);
  const double margin =
      std::sqrt(2 * variance * log_term / n) + 7 * range * log_term / (3 * (n - 1));
  bounds.lower = bounds.mean - margin;
  bounds.upper = bounds.mean + margin;
  return bounds;
}

}  // namespace foldrank
