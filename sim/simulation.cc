#include "sim/simulation.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "sim/metrics.h"

namespace foldrank::sim {

Result<double> OfflineNdcg(Arm& arm, const std::vector<Intent>& intents,
                           const std::vector<double>& weights) {
  if (intents.empty()) return 0.0;
  double sum = 0, total = 0;
  for (std::size_t i = 0; i < intents.size(); ++i) {
    auto ranking = arm.Rank(intents[i].query);
    if (!ranking) return ranking.error();
    const double weight = weights.empty() ? 1.0 : weights[i];
    sum += weight * NdcgAt10(intents[i], *ranking);
    total += weight;
  }
  return sum / total;
}

Result<ArmResult> Simulate(Arm& arm, const std::vector<Intent>& train,
                           const std::vector<Intent>& heldout, const ClickModel& clicks,
                           const SimulationOptions& options,
                           const std::function<void(std::size_t)>& progress) {
  if (train.empty()) return Status::InvalidArgument("no training intents");
  std::vector<double> weights(train.size());
  for (std::size_t i = 0; i < train.size(); ++i) {
    weights[i] = 1 / std::pow(static_cast<double>(i + 1), options.zipf);
  }
  std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
  std::mt19937_64 intent_rng(options.seed), click_rng(options.seed ^ 0x9e3779b97f4a7c15ULL);

  ArmResult result;
  auto start = OfflineNdcg(arm, heldout);
  if (!start) return start.error();
  auto trained_start = OfflineNdcg(arm, train, weights);
  if (!trained_start) return trained_start.error();
  result.curve.push_back({0, *start, *trained_start, 0});
  double online_sum = 0;
  std::size_t online_count = 0;
  for (std::size_t s = 1; s <= options.sessions; ++s) {
    const Intent& intent = train[pick(intent_rng)];
    auto shown = arm.Serve(intent.query, "user-" + std::to_string(s % 997));
    if (!shown) return shown.error();
    online_sum += NdcgAt10(intent, shown->ids);
    ++online_count;
    std::vector<int> grades;
    for (const std::string& id : shown->ids) grades.push_back(intent.Grade(id));
    for (int position : clicks.Clicks(grades, click_rng)) arm.Click(*shown, position);
    if (s % options.learn_every == 0 || s == options.sessions) {
      FOLDRANK_RETURN_IF_ERROR(arm.Learn());
    }
    if (s % options.eval_every == 0 || s == options.sessions) {
      auto offline = OfflineNdcg(arm, heldout);
      if (!offline) return offline.error();
      auto trained = OfflineNdcg(arm, train, weights);
      if (!trained) return trained.error();
      result.curve.push_back(
          {s, *offline, *trained, online_sum / static_cast<double>(online_count)});
      if (result.trained_sessions_to_beat_start == 0 && *trained > *trained_start) {
        result.trained_sessions_to_beat_start = s;
      }
      result.trained_deepest_dip = std::max(result.trained_deepest_dip, *trained_start - *trained);
      online_sum = 0;
      online_count = 0;
      if (result.sessions_to_beat_start == 0 && *offline > *start) {
        result.sessions_to_beat_start = s;
      }
      result.deepest_dip = std::max(result.deepest_dip, *start - *offline);
      if (progress) progress(s);
    }
  }
  return result;
}

}  // namespace foldrank::sim
