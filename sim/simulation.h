#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "foldrank/result.h"
#include "sim/arms.h"
#include "sim/click_models.h"
#include "sim/intents.h"
#include "sim/scenarios.h"

namespace foldrank::sim {

struct SimulationOptions {
  std::size_t sessions = 10'000;
  std::size_t eval_every = 500;   // Offline NDCG@10 on held-out intents every M sessions.
  std::size_t learn_every = 100;  // Sessions between folds.
  double zipf = 1.1;              // Intent popularity: the i-th most common ~ 1 / i^zipf.
  std::uint64_t seed = 1;         // Sessions (intents and clicks) depend only on this.
};

struct CurvePoint {
  std::size_t sessions = 0;
  double offline_ndcg = 0;  // On held-out intents, deterministic ranking.
  // On the training intents, deterministic ranking, weighted by how often users have
  // each: what a user would be shown without exploration.
  double trained_ndcg = 0;
  double online_ndcg = 0;  // Of what users were shown, over the sessions since the last point.
  // With intent drift, trained_ndcg is on the intents users have at that point (the
  // drifted ones after the drift) and this is on the intents they had before it.
  double pre_drift_ndcg = 0;
};

struct ArmResult {
  std::vector<CurvePoint> curve;  // The first point is before any session.
  // The first session count at which offline NDCG beat its starting point (0: never).
  std::size_t sessions_to_beat_start = 0;
  double deepest_dip = 0;  // Largest drop of offline NDCG below its start (>= 0).
  // The same two for trained_ndcg (with drift: on the intents from before it).
  std::size_t trained_sessions_to_beat_start = 0;
  double trained_deepest_dip = 0;
  // Wall time spent in the arm's Learn() (storing clicks, folding, retraining).
  double learn_seconds = 0;

  // Intent drift: what the arm had gained on the old intents by the drift (trained
  // NDCG at the drift minus at the start); sessions after the drift until it had
  // recovered 90% of that gain on the drifted intents, both gains measured as the
  // share of the gap to a perfect ranking closed over the intents' start (0: never,
  // or no gain to recover); and what the old intents lost from the drift to the end.
  double gain_before_drift = 0;
  double drifted_start = 0;  // Trained NDCG of the drifted intents before any session.
  std::size_t sessions_to_recover = 0;
  double pre_drift_loss = 0;
  // Click spam (with a spam plan, whatever the share): where the target ranks on
  // the bot's queries, before the first session and at the end.
  TargetRanks spam_start;
  TargetRanks spam_end;
};

// Runs one arm through `options.sessions` simulated sessions: each draws an intent
// from `train` (Zipf over the list), shows the arm's ranking for its query, clicks
// by `clicks`, and every learn_every sessions lets the arm learn. Seeded: every arm
// sees the same sequence of intents and the same random draws for clicks. The
// scenario's bot sessions are drawn apart, so users see the same sessions with and
// without spam; online NDCG counts users' sessions only.
Result<ArmResult> Simulate(Arm& arm, const std::vector<Intent>& train,
                           const std::vector<Intent>& heldout, const ClickModel& clicks,
                           const SimulationOptions& options, const Scenario& scenario = {},
                           const std::function<void(std::size_t)>& progress = {});

// How often users have each of `count` intents, most common first: the i-th ~ 1 / i^zipf.
std::vector<double> ZipfWeights(std::size_t count, double zipf);

// Offline NDCG@10 of `arm` over `intents`: the mean, or weighted by `weights`.
Result<double> OfflineNdcg(Arm& arm, const std::vector<Intent>& intents,
                           const std::vector<double>& weights = {});

}  // namespace foldrank::sim
