#include "ranker/model.h"

#include <Eigen/Core>
#include <chrono>

#include "common/check.h"
#include "common/clock.h"

namespace foldrank {
namespace {

using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The cold-start base, over per-query min-max features (each in [0, 1] within a
// query). BM25 over all text leads; title evidence and term proximity break its
// ties the way known-item searchers expect; popularity is a gentle prior. Set by
// hand and checked on the Debian known-item queries (bench/rank_bench.cc), where it
// beats Lucene's TF-IDF order.
LinearFunction ColdStartWeights() {
  LinearFunction base;
  auto set = [&](Feature feature, float weight) { base.weights[Column(feature)] = weight; };
  set(Feature::kBm25All, 1.0f);
  // Title evidence kept modest: at 0.6 / 0.4 / 0.2 (title BM25, coverage, phrase)
  // title matches lifted documents over the ones whose body answered the query:
  // bench/quality's body family MRR@10 0.584 (at 0.2 / 0.15 / 0.1) against 0.415,
  // title family 0.564 against 0.593, CISI nDCG@10 0.308 against 0.303.
  set(Feature::kBm25Title, 0.2f);
  set(Feature::kBm25Body, 0.2f);
  set(Feature::kRetrievalScore, 0.3f);
  set(Feature::kCoverageTitle, 0.15f);
  set(Feature::kCoverageBody, 0.1f);
  set(Feature::kPhraseInTitle, 0.1f);
  set(Feature::kProximityBody, 0.15f);
  set(Feature::kLogTitleLength, -0.1f);
  set(Feature::kLogPopularity, 0.25f);
  set(Feature::kFreshness, 0.05f);
  return base;
}

}  // namespace

Model Model::ColdStart() {
  Model model;
  model.version_ = 1;
  model.parent_ = 0;
  model.created_at_ = UnixSeconds();
  model.origin_ = "cold-start";
  model.base_linear_ = ColdStartWeights();
  return model;
}

Model Model::WithLinearBase(const Model& parent, LinearFunction base, std::string origin) {
  Model model = parent;
  model.parent_ = parent.version_;
  model.version_ = parent.version_ + 1;
  model.created_at_ = UnixSeconds();
  model.origin_ = std::move(origin);
  model.base_linear_ = base;
  model.trees_.reset();
  return model;
}

Model Model::WithTreeBase(const Model& parent, TreeEnsemble trees, Normalization normalization,
                          std::string origin) {
  Model model = parent;
  model.parent_ = parent.version_;
  model.version_ = parent.version_ + 1;
  model.created_at_ = UnixSeconds();
  model.origin_ = std::move(origin);
  model.base_linear_ = {};
  model.trees_ = std::make_shared<const TreeEnsemble>(std::move(trees));
  model.normalization_ = normalization;
  return model;
}

Model Model::WithDelta(LinearFunction delta, std::string origin) const {
  Model model = *this;
  model.parent_ = version_;
  model.version_ = version_ + 1;
  model.created_at_ = UnixSeconds();
  model.origin_ = std::move(origin);
  model.delta_ = delta;
  return model;
}

Model Model::Renumbered(std::uint64_t version, std::uint64_t parent) const {
  Model model = *this;
  model.version_ = version;
  model.parent_ = parent;
  return model;
}

void Model::Score(const FeatureMatrix& normalized, std::span<float> scores) const {
  FOLDRANK_CHECK(scores.size() == normalized.rows());
  const Eigen::Index n = static_cast<Eigen::Index>(normalized.rows());
  if (n == 0) return;
  // Hot path (every query): one matrix-vector product for the linear parts, as
  // views over the caller's buffers: no allocation, no copy. bench/rank_bench.cc.
  Eigen::Map<const RowMajorMatrix> x(normalized.values().data(), n, kFeatureCount);
  Eigen::Map<Eigen::VectorXf> out(scores.data(), n);
  Eigen::Map<const Eigen::VectorXf> delta(delta_.weights.data(), kFeatureCount);
  if (trees_) {
    out.noalias() = x * delta;
    out.array() += delta_.bias;
    for (Eigen::Index r = 0; r < n; ++r) {
      out[r] += trees_->Score(normalized.row(static_cast<std::size_t>(r)));
    }
  } else {
    // base + delta is linear too: one product with the summed weights.
    Eigen::Map<const Eigen::VectorXf> base(base_linear_.weights.data(), kFeatureCount);
    out.noalias() = x * (base + delta);
    out.array() += base_linear_.bias + delta_.bias;
  }
}

Explanation Model::Explain(std::span<const float> raw, std::span<const float> normalized) const {
  FOLDRANK_CHECK(raw.size() == kFeatureCount && normalized.size() == kFeatureCount);
  Explanation explanation;
  std::array<float, kFeatureCount> base_contributions{};
  if (trees_) {
    explanation.base_bias = trees_->Contributions(normalized, base_contributions);
  } else {
    explanation.base_bias = base_linear_.bias;
    for (std::size_t f = 0; f < kFeatureCount; ++f) {
      base_contributions[f] = base_linear_.weights[f] * normalized[f];
    }
  }
  explanation.delta_bias = delta_.bias;
  explanation.base_total = explanation.base_bias;
  explanation.delta_total = explanation.delta_bias;
  for (std::size_t f = 0; f < kFeatureCount; ++f) {
    FeatureExplanation feature{kFeatureNames[f], raw[f], normalized[f], base_contributions[f],
                               delta_.weights[f] * normalized[f]};
    explanation.base_total += feature.base_contribution;
    explanation.delta_total += feature.delta_contribution;
    explanation.features.push_back(feature);
  }
  explanation.score = explanation.base_total + explanation.delta_total;
  return explanation;
}

}  // namespace foldrank
