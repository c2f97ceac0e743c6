#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "foldrank/result.h"
#include "ranker/feature_set.h"

namespace foldrank {

// A gradient-boosted tree ensemble, scored by our own walker: base_score plus the
// leaf reached in each tree. Trees come from XGBoost's JSON dump
// (Booster.get_dump(dump_format="json"), optionally with_stats=True), the format
// XGBoost- and RankLib-style tooling exports. Immutable; thread-safe.
//
// Split semantics are XGBoost's: go to `yes` when value < split_condition, compared
// in float32. Our features are never missing (feature_set.h), so `missing` branches
// are validated but not taken.
class TreeEnsemble {
 public:
  // Parses a JSON array of trees in XGBoost's dump format. Split features are named
  // as in our feature set ("bm25_title") or by column ("f0"). InvalidArgument,
  // naming the tree and node, for unknown features, non-finite numbers, missing or
  // dangling children, duplicate node ids or cycles.
  static Result<TreeEnsemble> FromXgboostJson(std::string_view json, float base_score);

  // The ensemble in the same dump format (readable, and re-importable).
  std::string ToXgboostJson() const;

  float base_score() const { return base_score_; }
  std::size_t tree_count() const { return roots_.size(); }

  // base_score + sum of leaves for one feature row (kFeatureCount values).
  float Score(std::span<const float> row) const;

  // Per-feature path contributions (Saabas): walking each tree, the change in the
  // expected value at every split is credited to the split's feature. Adds them to
  // `contributions` (kFeatureCount) and returns the bias (base_score + the trees'
  // root expectations); bias + sum(contributions) == Score(row).
  float Contributions(std::span<const float> row, std::span<float> contributions) const;

 private:
  struct Node {
    std::int32_t feature = -1;  // Column; -1 for a leaf.
    float threshold = 0;
    std::int32_t yes = -1;  // Node indexes into nodes_.
    std::int32_t no = -1;
    std::int32_t missing = -1;
    float value = 0;  // Leaf: its value. Split: cover-weighted mean of its leaves.
    double cover = 1;
  };
  friend class TreeEnsembleParser;

  std::vector<Node> nodes_;
  std::vector<std::int32_t> roots_;
  float base_score_ = 0;
};

}  // namespace foldrank
