#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "sim/arms.h"
#include "sim/click_models.h"
#include "sim/intents.h"

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
};

struct ArmResult {
  std::vector<CurvePoint> curve;  // The first point is before any session.
  // The first session count at which offline NDCG beat its starting point (0: never).
  std::size_t sessions_to_beat_start = 0;
  double deepest_dip = 0;  // Largest drop of offline NDCG below its start (>= 0).
  // The same two for trained_ndcg.
  std::size_t trained_sessions_to_beat_start = 0;
  double trained_deepest_dip = 0;
};

// Runs one arm through `options.sessions` simulated sessions: each draws an intent
// from `train` (Zipf over the list), shows the arm's ranking for its query, clicks
// by `clicks`, and every learn_every sessions lets the arm learn. Seeded: every arm
// sees the same sequence of intents and the same random draws for clicks.
Result<ArmResult> Simulate(Arm& arm, const std::vector<Intent>& train,
                           const std::vector<Intent>& heldout, const ClickModel& clicks,
                           const SimulationOptions& options,
                           const std::function<void(std::size_t)>& progress = {});

// Offline NDCG@10 of `arm` over `intents`: the mean, or weighted by `weights`.
Result<double> OfflineNdcg(Arm& arm, const std::vector<Intent>& intents,
                           const std::vector<double>& weights = {});

}  // namespace foldrank::sim
