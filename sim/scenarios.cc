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

Result<double> MeanRank(Arm& arm, const std::string& doc, const std::vector<std::string>& queries,
                        int depth) {
  if (queries.empty()) return 0.0;
  double sum = 0;
  for (const std::string& query : queries) {
    auto ranking = arm.Rank(query);
    if (!ranking) return ranking.error();
    const auto at = std::find(ranking->begin(), ranking->end(), doc);
    const auto rank = at - ranking->begin() + 1;
    sum += at == ranking->end() || rank > depth ? depth + 1 : static_cast<double>(rank);
  }
  return sum / static_cast<double>(queries.size());
}

}  // namespace foldrank::sim
