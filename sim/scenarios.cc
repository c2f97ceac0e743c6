#include "sim/scenarios.h"

#include <algorithm>
#include <map>
#include <set>

namespace foldrank::sim {

Result<SpamPlan> PlanSpam(Arm& base, const std::vector<Intent>& train) {
  std::map<std::string, std::set<std::string>> irrelevant_for;  // Doc -> queries.
  for (const Intent& intent : train) {
    auto ranking = base.Rank(intent.query);
    if (!ranking) return ranking.error();
    for (const std::string& id : *ranking) {
      if (intent.Grade(id) == 0) irrelevant_for[id].insert(intent.query);
    }
  }
  auto most = std::max_element(
      irrelevant_for.begin(), irrelevant_for.end(), [](const auto& a, const auto& b) {
        return a.second.size() < b.second.size();  // First max: smallest id.
      });
  if (most == irrelevant_for.end()) {
    return Status::InvalidArgument("no document is shown while irrelevant: nothing to spam");
  }
  return SpamPlan{most->first, {most->second.begin(), most->second.end()}};
}

Result<TargetRanks> RankOf(Arm& arm, const std::string& doc,
                           const std::vector<std::string>& queries, int depth) {
  TargetRanks ranks;
  if (queries.empty()) return ranks;
  double sum = 0;
  for (const std::string& query : queries) {
    auto ranking = arm.Rank(query);
    if (!ranking) return ranking.error();
    const auto at = std::find(ranking->begin(), ranking->end(), doc);
    const auto rank = at - ranking->begin() + 1;
    const bool shown = at != ranking->end() && rank <= depth;
    sum += shown ? static_cast<double>(rank) : depth + 1;
    ranks.top3 += shown && rank <= 3;
  }
  ranks.mean = sum / static_cast<double>(queries.size());
  return ranks;
}

}  // namespace foldrank::sim
