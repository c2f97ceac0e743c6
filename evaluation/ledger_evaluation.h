#pragma once

#include <atomic>
#include <cstdint>

#include "evaluation/counterfactual.h"
#include "evaluation/position_bias.h"
#include "feedback/ledger.h"
#include "foldrank/result.h"

namespace foldrank {

// The ledger setting that holds the position-bias estimate (docs/ledger.md).
inline constexpr const char* kPositionBiasSetting = "position_bias";

// The stored position-bias estimate, or the prior when none is stored (or it cannot
// be read: the next estimate replaces it).
Result<PositionBias> StoredPositionBias(Ledger& ledger);

struct LedgerEvaluationOptions {
  std::int64_t since_ms = 0;    // Impressions created from then on ...
  std::size_t limit = 200'000;  // ... the newest this many.
  CounterfactualOptions counterfactual;
  // When set and true, the walk stops at the next impression (Unavailable).
  const std::atomic<bool>* cancel = nullptr;
};

// EvaluateCounterfactual over the ledger's recent impressions, with the stored
// position bias, for two stored versions (1: the cold start). Impressions served by
// a model with another feature normalization than the candidate's are skipped
// (their logged features mean something else to it) and counted as skipped.
// NotFound for an unknown version. Safe to run beside folds and clicks (the ledger
// is read one impression at a time).
Result<CounterfactualReport> EvaluateFromLedger(Ledger& ledger, std::uint64_t candidate,
                                                std::uint64_t baseline,
                                                const LedgerEvaluationOptions& options = {});

}  // namespace foldrank
