#pragma once

#include <string>

#include "feedback/records.h"

namespace foldrank {

// What an interleaving experiment's clicks say so far.
struct InterleavingVerdict {
  // Delta_AB of Chapelle et al. (TOIS 2012): (wins_a - wins_b) / clicked impressions;
  // > 0 favours a.
  double preference = 0;
  // Among impressions with a winner, the share a won, and an anytime-valid interval
  // for it: Hoeffding's bound at n with delta_n = delta / (n (n + 1)), so that it
  // holds at every n at once and may be looked at after every impression.
  double a_share = 0.5, a_share_low = 0, a_share_high = 1;
  // "a" (a_share_low > 0.5), "b" (a_share_high < 0.5), else "continue" (or, at the
  // final look, "inconclusive").
  std::string decision = "continue";
};

// While an experiment runs, the anytime interval above at half the error budget, so
// that it may stop early; at its end (`final`), a fixed-sample test of a_share = 0.5
// (normal approximation to the binomial, two-sided) spends the other half. Together
// the chance of calling equal rankers different stays below 1 - confidence.
InterleavingVerdict JudgeInterleaving(const ExperimentCounts& counts, double confidence = 0.95,
                                      bool final = false);

}  // namespace foldrank
