#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "foldrank/result.h"
#include "foldrank/search.h"
#include "ranker/feature_matrix.h"
#include "ranker/normalization.h"
#include "ranker/tree_ensemble.h"

namespace foldrank {

// A linear function of the normalized features.
struct LinearFunction {
  std::array<float, kFeatureCount> weights{};
  float bias = 0;
  bool operator==(const LinearFunction&) const = default;
};

// How one feature shaped one document's score.
// A ranking model: score(x) = base(x) + delta(x) over normalized features x. The
// base is fixed (hand-set, or imported: linear or a tree ensemble); the delta is
// linear and is what online learning updates. Immutable: every change makes a new
// Model with a new version and this one as its parent. Cheap to copy (trees are
// shared). Thread-safe.
class Model {
 public:
  enum class BaseKind { kLinear, kTrees };

  // Version 1, no parent: a hand-set BM25-led linear base and a zero delta, so an
  // empty ledger still ranks well.
  static Model ColdStart();

  // Parses and validates a model's JSON. InvalidArgument with the reason, and
  // nothing else happens, when the JSON is malformed, the feature set's name or
  // version differs from ours, a weight names an unknown feature, any number is not
  // finite, the normalization is malformed, or a tree is malformed.
  static Result<Model> FromJson(std::string_view json);
  std::string ToJson() const;
  // A linear function as {"bias": b, "weights": {"feature": w, ...}}, validated as
  // in FromJson.
  static Result<LinearFunction> LinearFromJson(std::string_view json);

  // A model with this model's normalization and delta and a new base, as a child.
  static Model WithLinearBase(const Model& parent, LinearFunction base, std::string origin);
  static Model WithTreeBase(const Model& parent, TreeEnsemble trees, Normalization normalization,
                            std::string origin);
  // This model with a new delta, as a child (what the online learner publishes).
  Model WithDelta(LinearFunction delta, std::string origin) const;
  // The same model under another version number (the store numbers what it saves).
  Model Renumbered(std::uint64_t version, std::uint64_t parent) const;

  std::uint64_t version() const { return version_; }
  std::uint64_t parent() const { return parent_; }         // 0 = none.
  std::int64_t created_at() const { return created_at_; }  // Unix seconds.
  const std::string& origin() const { return origin_; }    // "cold-start", "import", ...
  const Normalization& normalization() const { return normalization_; }
  BaseKind base_kind() const { return trees_ ? BaseKind::kTrees : BaseKind::kLinear; }
  const LinearFunction& base_linear() const { return base_linear_; }  // kLinear only.
  const TreeEnsemble* base_trees() const { return trees_.get(); }     // kTrees only.
  const LinearFunction& delta() const { return delta_; }

  // Scores normalized rows: scores[i] = base(row i) + delta(row i). Requires
  // scores.size() == normalized.rows().
  void Score(const FeatureMatrix& normalized, std::span<float> scores) const;

  // The score of one row, broken down by feature.
  Explanation Explain(std::span<const float> raw, std::span<const float> normalized) const;

 private:
  Model() = default;

  std::uint64_t version_ = 1;
  std::uint64_t parent_ = 0;
  std::int64_t created_at_ = 0;
  std::string origin_;
  Normalization normalization_;
  LinearFunction base_linear_;
  std::shared_ptr<const TreeEnsemble> trees_;  // Set iff the base is trees.
  LinearFunction delta_;

  friend class ModelJson;
};

}  // namespace foldrank
