#pragma once

// Model versions as the engine reports them. Part of the public API.
//
// Threading and ownership: plain values that own everything they hold (copy or
// move them freely); like any value, one may be read from many threads at once but
// written from one.
// NamedWeight::feature is the exception: it points to static storage.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace foldrank {

// A stored model version's record, without the model itself.
struct ModelRecord {
  std::uint64_t version = 0;
  std::uint64_t parent = 0;
  std::int64_t created_ms = 0;
  std::string state;    // 'stored' (see docs/ledger.md).
  std::string metrics;  // JSON object.
};

// One time bucket of the learning history (for the admin chart).
struct TimelineBucket {
  std::int64_t start_ms = 0;
  std::uint64_t impressions = 0;       // Created in the bucket.
  std::uint64_t clicks = 0;            // On those impressions.
  std::uint64_t top3_clicks = 0;       // Of those, at positions 0-2.
  std::uint64_t top3_impressions = 0;  // Impressions that showed at least 3 results.
  std::uint64_t folded_clicks = 0;     // Folded by versions created in the bucket.
  std::uint64_t models = 0;            // Versions created in the bucket.
  std::uint64_t last_version = 0;      // Newest of them (0: none).
};

// One weight of a linear function, by feature name (names point to static storage).
struct NamedWeight {
  std::string_view feature;
  double weight = 0;
};

// A model version's parts in readable form: score = base(x) + delta(x) over
// normalized features x (docs/ranking.md).
struct ModelInfo {
  std::uint64_t version = 0;  // 1: the built-in cold start.
  std::uint64_t parent = 0;
  std::int64_t created_ms = 0;
  std::string origin;                     // "fold", "import", "certified", "cold-start", ...
  std::string base_kind;                  // "linear" or "trees".
  std::string feature_set;                // Name and version of the feature set it reads.
  std::vector<NamedWeight> base_weights;  // Linear base only.
  double base_bias = 0;
  std::size_t base_trees = 0;  // Tree base only.
  std::vector<NamedWeight> delta_weights;
  double delta_bias = 0;
};

// What one fold round did.
struct FoldReport {
  bool holds_lease = true;          // False: another process folds this ledger (nothing done).
  std::string lease_holder;         // Who, then.
  std::uint64_t impressions = 0;    // Impressions folded.
  std::uint64_t clicks = 0;         // Clicks folded.
  std::uint64_t model_version = 0;  // Serving after the round.
};

}  // namespace foldrank
