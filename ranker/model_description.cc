#include "ranker/model_description.h"

#include "ranker/feature_set.h"

namespace foldrank {
namespace {

std::vector<NamedWeight> Named(const LinearFunction& function) {
  std::vector<NamedWeight> weights;
  weights.reserve(kFeatureCount);
  for (std::size_t f = 0; f < kFeatureCount; ++f) {
    weights.push_back({kFeatureNames[f], function.weights[f]});
  }
  return weights;
}

}  // namespace

ModelInfo DescribeModel(const Model& model) {
  ModelInfo info;
  info.version = model.version();
  info.parent = model.parent();
  info.created_ms = model.created_at() * 1000;
  info.origin = model.origin();
  info.feature_set = std::string(kFeatureSetName) + " v" + std::to_string(kFeatureSetVersion);
  info.delta_weights = Named(model.delta());
  info.delta_bias = model.delta().bias;
  if (model.base_kind() == Model::BaseKind::kLinear) {
    info.base_kind = "linear";
    info.base_weights = Named(model.base_linear());
    info.base_bias = model.base_linear().bias;
  } else {
    info.base_kind = "trees";
    info.base_trees = model.base_trees() ? model.base_trees()->tree_count() : 0;
  }
  return info;
}

}  // namespace foldrank
