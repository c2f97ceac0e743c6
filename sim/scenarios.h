#pragma once

#include <string>
#include <vector>

#include "foldrank/result.h"
#include "sim/arms.h"
#include "sim/intents.h"

namespace foldrank::sim {

// A click-spam plan: one bot that searches `queries` and clicks `target` whenever
// it is shown. The target is retrieved for those queries and irrelevant to them.
struct SpamPlan {
  std::string target;
  std::vector<std::string> queries;
};

// The scenario a simulation runs besides steady traffic; the default is steady.
struct Scenario {
  // Intent drift: from session drift_at on (0: never), users have the `drifted`
  // intents instead of the training ones (most common first, as those are).
  std::size_t drift_at = 0;
  std::vector<Intent> drifted;
  // Click spam: this share of sessions is the bot's.
  double spam_share = 0;
  SpamPlan spam;
};

// The spam target for `train`: the document that `base` ranks in its top 10, while
// irrelevant, for the most training queries (ties: smallest id), with those queries.
// Fails when no document qualifies.
Result<SpamPlan> PlanSpam(Arm& base, const std::vector<Intent>& train);

// Where `arm` ranks `doc` for each of `queries`.
struct TargetRanks {
  double mean = 0;       // 1-based; a query that does not show it counts as depth + 1.
  std::size_t top3 = 0;  // Queries on which it is in the top 3.
};
Result<TargetRanks> RankOf(Arm& arm, const std::string& doc,
                           const std::vector<std::string>& queries, int depth = 10);

}  // namespace foldrank::sim
