#include "evaluation/interleaving_verdict.h"

#include <algorithm>
#include <cmath>

namespace foldrank {

namespace {

// The standard normal quantile (Acklam's rational approximation; |error| < 1.2e-9).
double NormalQuantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - 0.02425) return -NormalQuantile(1 - p);
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

}  // namespace

InterleavingVerdict JudgeInterleaving(const ExperimentCounts& counts, double confidence,
                                      bool final) {
  InterleavingVerdict verdict;
  if (counts.clicked > 0) {
    verdict.preference = (static_cast<double>(counts.wins_a) - static_cast<double>(counts.wins_b)) /
                         static_cast<double>(counts.clicked);
  }
  const double n = static_cast<double>(counts.wins_a + counts.wins_b);
  if (n == 0) return verdict;
  verdict.a_share = static_cast<double>(counts.wins_a) / n;
  const double budget = (1 - confidence) / 2;  // Half while running, half at the end.
  double radius = 0;
  if (final) {
    radius = NormalQuantile(1 - budget / 2) * 0.5 / std::sqrt(n);  // sd of a_share at 0.5
  } else {
    const double delta_n = budget / (n * (n + 1));
    radius = std::sqrt(std::log(2 / delta_n) / (2 * n));
  }
  verdict.a_share_low = std::max(0.0, verdict.a_share - radius);
  verdict.a_share_high = std::min(1.0, verdict.a_share + radius);
  if (verdict.a_share_low > 0.5) verdict.decision = "a";
  if (verdict.a_share_high < 0.5) verdict.decision = "b";
  if (final && verdict.decision == "continue") verdict.decision = "inconclusive";
  return verdict;
}

}  // namespace foldrank
