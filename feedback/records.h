#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "foldrank/click.h"
#include "foldrank/experiment.h"
#include "ranker/feature_set.h"

namespace foldrank {

// One shown result of an impression, as the model saw it.
struct ShownResult {
  std::int32_t position = 0;  // 0-based.
  std::string doc_id;
  float score = 0;
  double probability = 1;       // Of being placed here given the positions above.
  std::vector<float> features;  // Normalized, kFeatureCount values: the model's input.
  std::int8_t team = 0;         // Interleaving: 1 = the experiment's a, 2 = b, 0 = none.
};

// A candidate the Plackett-Luce policy sampled from but did not show (it fell below
// the page): the counterfactual evaluator needs it to know where else the policy
// could have put each document, and where a candidate model would put it.
struct UnshownCandidate {
  std::string doc_id;
  float score = 0;              // The serving model's, as sampled with.
  std::vector<float> features;  // Normalized, kFeatureCount values.
};

// One answered query: what was shown, to whom (hashed), by which model and policy.
struct Impression {
  std::string query_id;  // Unguessable, issued by foldrank.
  std::int64_t created_ms = 0;
  std::string query;
  std::string user_hash;  // Keyed hash of the site's user key; empty if none.
  std::uint64_t model_version = 0;
  double temperature = 0;  // 0 = deterministic.
  // RandPair: positions 0 and this one were swapped after ranking (0: no swap).
  std::int32_t swapped_with = 0;
  std::uint64_t experiment = 0;  // Interleaving experiment it served (0: none).
  std::vector<ShownResult> results;
  // Plackett-Luce first pages: how many of the best-scored candidates the policy
  // sampled the order from (0: not recorded), and those of them not shown, best
  // score first. Positions from sample_depth on were filled by score.
  std::uint32_t sample_depth = 0;
  std::vector<UnshownCandidate> unshown;
};

// A click stored in the ledger and not yet folded.
struct PendingClick {
  std::int64_t seq = 0;  // Ledger order.
  std::string doc_id;
  std::int32_t position = 0;
  std::int64_t clicked_ms = 0;
  std::int64_t received_ms = 0;  // When the ledger stored it.
};

// An impression ready to fold: settled (no click for the settle window), with the
// clicks not folded yet. `first_fold` is false when the impression was folded before
// and only late clicks remain.
struct SettledImpression {
  Impression impression;
  std::vector<PendingClick> clicks;
  bool first_fold = true;
  // For impressions with clicks and a user: how many impressions that user had for
  // the same normalized query within the learner's influence window before this one
  // (Ledger::CountEarlierByUser fills it; the influence cap reads it).
  std::uint32_t earlier_by_user = 0;
};

}  // namespace foldrank
