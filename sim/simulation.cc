#include "sim/simulation.h"

#include <algorithm>
#include <chrono>
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

std::vector<double> ZipfWeights(std::size_t count, double zipf) {
  std::vector<double> weights(count);
  for (std::size_t i = 0; i < count; ++i) {
    weights[i] = 1 / std::pow(static_cast<double>(i + 1), zipf);
  }
  return weights;
}

Result<ArmResult> Simulate(Arm& arm, const std::vector<Intent>& train,
                           const std::vector<Intent>& heldout, const ClickModel& clicks,
                           const SimulationOptions& options, const Scenario& scenario,
                           const std::function<void(std::size_t)>& progress) {
  if (train.empty()) return Status::InvalidArgument("no training intents");
  const bool drifts = scenario.drift_at > 0;
  if (drifts && scenario.drifted.empty()) return Status::InvalidArgument("no drifted intents");
  const bool spams = scenario.spam_share > 0;
  if (spams && scenario.spam.queries.empty()) return Status::InvalidArgument("no spam queries");
  // With a spam plan, the target's rank is measured even without the bot: what
  // users alone do to it.
  const bool ranks_target = !scenario.spam.target.empty();
  const std::vector<double> weights = ZipfWeights(train.size(), options.zipf);
  const std::vector<double> drifted_weights = ZipfWeights(scenario.drifted.size(), options.zipf);
  std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
  std::discrete_distribution<std::size_t> pick_drifted(drifted_weights.begin(),
                                                       drifted_weights.end());
  std::mt19937_64 intent_rng(options.seed), click_rng(options.seed ^ 0x9e3779b97f4a7c15ULL);
  std::mt19937_64 spam_rng(options.seed ^ 0x5deece66dULL);
  std::bernoulli_distribution bot_session(scenario.spam_share);
  // Users come back for at most about 20 sessions however long the run (at least
  // 997 of them): the whole run falls within the influence cap's hour, so a fixed
  // population would have its users search the same query ever more often.
  const std::size_t users = std::max<std::size_t>(997, options.sessions / 20);

  ArmResult result;
  auto start = OfflineNdcg(arm, heldout);
  if (!start) return start.error();
  auto trained_start = OfflineNdcg(arm, train, weights);
  if (!trained_start) return trained_start.error();
  if (drifts) {
    auto ndcg = OfflineNdcg(arm, scenario.drifted, drifted_weights);
    if (!ndcg) return ndcg.error();
    result.drifted_start = *ndcg;
  }
  if (ranks_target) {
    auto ranks = RankOf(arm, scenario.spam.target, scenario.spam.queries);
    if (!ranks) return ranks.error();
    result.spam_start = *ranks;
  }
  result.curve.push_back({0, *start, *trained_start, 0, *trained_start});
  double online_sum = 0;
  std::size_t online_count = 0;
  for (std::size_t s = 1; s <= options.sessions; ++s) {
    if (spams && bot_session(spam_rng)) {
      const std::string& query = scenario.spam.queries[spam_rng() % scenario.spam.queries.size()];
      auto shown = arm.Serve(query, "spam-bot");
      if (!shown) return shown.error();
      const auto at = std::find(shown->ids.begin(), shown->ids.end(), scenario.spam.target);
      if (at != shown->ids.end()) arm.Click(*shown, static_cast<int>(at - shown->ids.begin()));
    } else {
      const bool drifted = drifts && s > scenario.drift_at;
      const Intent& intent =
          drifted ? scenario.drifted[pick_drifted(intent_rng)] : train[pick(intent_rng)];
      auto shown = arm.Serve(intent.query, "user-" + std::to_string(s % users));
      if (!shown) return shown.error();
      online_sum += NdcgAt10(intent, shown->ids);
      ++online_count;
      std::vector<int> grades;
      for (const std::string& id : shown->ids) grades.push_back(intent.Grade(id));
      for (int position : clicks.Clicks(grades, click_rng)) arm.Click(*shown, position);
    }
    if (s % options.learn_every == 0 || s == options.sessions) {
      const auto learn_start = std::chrono::steady_clock::now();
      FOLDRANK_RETURN_IF_ERROR(arm.Learn());
      result.learn_seconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - learn_start).count();
    }
    const bool at_drift = drifts && s == scenario.drift_at;
    if (s % options.eval_every == 0 || s == options.sessions || at_drift) {
      auto offline = OfflineNdcg(arm, heldout);
      if (!offline) return offline.error();
      auto pre_drift = OfflineNdcg(arm, train, weights);
      if (!pre_drift) return pre_drift.error();
      double trained = *pre_drift;
      if (drifts && s > scenario.drift_at) {
        auto ndcg = OfflineNdcg(arm, scenario.drifted, drifted_weights);
        if (!ndcg) return ndcg.error();
        trained = *ndcg;
        // Gains as shares of the gap to a perfect ranking: the drifted intents may
        // start higher or lower than the old ones did.
        const double closed_before = result.gain_before_drift / (1 - *trained_start);
        if (result.sessions_to_recover == 0 && closed_before > 0 &&
            (trained - result.drifted_start) / (1 - result.drifted_start) >= 0.9 * closed_before) {
          result.sessions_to_recover = s - scenario.drift_at;
        }
      }
      if (at_drift) result.gain_before_drift = *pre_drift - *trained_start;
      result.curve.push_back(
          {s, *offline, trained,
           online_count == 0 ? 0 : online_sum / static_cast<double>(online_count), *pre_drift});
      // Beating the start and dips: on the intents the start was measured on.
      if (result.trained_sessions_to_beat_start == 0 && *pre_drift > *trained_start) {
        result.trained_sessions_to_beat_start = s;
      }
      result.trained_deepest_dip =
          std::max(result.trained_deepest_dip, *trained_start - *pre_drift);
      online_sum = 0;
      online_count = 0;
      if (result.sessions_to_beat_start == 0 && *offline > *start) {
        result.sessions_to_beat_start = s;
      }
      result.deepest_dip = std::max(result.deepest_dip, *start - *offline);
      if (progress) progress(s);
    }
  }
  if (drifts && scenario.drift_at < options.sessions) {
    const double trained_at_drift = *trained_start + result.gain_before_drift;
    result.pre_drift_loss = trained_at_drift - result.curve.back().pre_drift_ndcg;
  }
  if (ranks_target) {
    auto ranks = RankOf(arm, scenario.spam.target, scenario.spam.queries);
    if (!ranks) return ranks.error();
    result.spam_end = *ranks;
  }
  return result;
}

}  // namespace foldrank::sim
