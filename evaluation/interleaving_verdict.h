#pragma once

#include <string>

#include "feedback/records.h"
#include "foldrank/experiment.h"

namespace foldrank {

// While an experiment runs, the anytime interval above at half the error budget, so
// that it may stop early; at its end (`final`), a fixed-sample test of a_share = 0.5
// (normal approximation to the binomial, two-sided) spends the other half. Together
// the chance of calling equal rankers different stays below 1 - confidence.
InterleavingVerdict JudgeInterleaving(const ExperimentCounts& counts, double confidence = 0.95,
                                      bool final = false);

}  // namespace foldrank
