#include "ranker/tree_ensemble.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

namespace foldrank {

using Json = nlohmann::json;

// Builds a TreeEnsemble from parsed JSON; a friend, so the node layout stays private.
class TreeEnsembleParser {
 public:
  static Result<TreeEnsemble> Parse(const Json& trees, float base_score) {
    if (!trees.is_array()) return Status::InvalidArgument("trees must be a JSON array");
    if (!std::isfinite(base_score)) return Status::InvalidArgument("base_score is not finite");
    TreeEnsemble ensemble;
    ensemble.base_score_ = base_score;
    for (std::size_t t = 0; t < trees.size(); ++t) {
      TreeEnsembleParser parser(ensemble, t);
      auto root = parser.ParseTree(trees[t]);
      if (!root) return root.error();
      ensemble.roots_.push_back(*root);
    }
    return ensemble;
  }

 private:
  TreeEnsembleParser(TreeEnsemble& ensemble, std::size_t tree) : ensemble_(ensemble), tree_(tree) {}

  // Deeper trees are not what boosting makes; the bound keeps recursion shallow.
  static constexpr int kMaxDepth = 64;

  Status Bad(const Json& node, std::string_view why) const {
    std::string where = "tree " + std::to_string(tree_);
    if (node.is_object() && node.contains("nodeid")) where += " node " + node["nodeid"].dump();
    return Status::InvalidArgument(where + ": " + std::string(why));
  }

  Result<std::int32_t> ParseTree(const Json& root) {
    std::map<std::int64_t, const Json*> by_id;
    FOLDRANK_RETURN_IF_ERROR(Collect(root, 0, by_id));
    auto index = Build(root, by_id);
    if (!index) return index.error();
    return *index;
  }

  // Records every node of the tree by its nodeid.
  Status Collect(const Json& node, int depth, std::map<std::int64_t, const Json*>& by_id) {
    if (depth > kMaxDepth) return Bad(node, "deeper than " + std::to_string(kMaxDepth) + " levels");
    if (!node.is_object()) return Bad(node, "a node must be a JSON object");
    if (!node.contains("nodeid") || !node["nodeid"].is_number_integer()) {
      return Bad(node, "missing integer 'nodeid'");
    }
    if (!by_id.emplace(node["nodeid"].get<std::int64_t>(), &node).second) {
      return Bad(node, "duplicate nodeid");
    }
    if (node.contains("children")) {
      if (!node["children"].is_array()) return Bad(node, "'children' must be an array");
      for (const Json& child : node["children"]) {
        FOLDRANK_RETURN_IF_ERROR(Collect(child, depth + 1, by_id));
      }
    }
    return Status::Ok();
  }

  static Result<double> Number(const Json& node, const char* key, bool required, double fallback) {
    if (!node.contains(key)) {
      if (required) return Status::InvalidArgument(std::string("missing '") + key + "'");
      return fallback;
    }
    if (!node[key].is_number())
      return Status::InvalidArgument(std::string("'") + key + "' is not a number");
    const double value = node[key].get<double>();
    if (!std::isfinite(value))
      return Status::InvalidArgument(std::string("'") + key + "' is not finite");
    return value;
  }

  // Appends `node` and its subtree to the ensemble; returns the node's index.
  Result<std::int32_t> Build(const Json& node, const std::map<std::int64_t, const Json*>& by_id) {
    TreeEnsemble::Node built;
    auto cover = Number(node, "cover", false, 1.0);
    if (!cover) return Bad(node, cover.error().message());
    built.cover = std::max(*cover, 0.0);
    const std::int32_t index = static_cast<std::int32_t>(ensemble_.nodes_.size());
    if (node.contains("leaf")) {
      auto leaf = Number(node, "leaf", true, 0);
      if (!leaf) return Bad(node, leaf.error().message());
      built.value = static_cast<float>(*leaf);
      if (!std::isfinite(built.value)) return Bad(node, "'leaf' overflows float");
      ensemble_.nodes_.push_back(built);
      return index;
    }
    if (!node.contains("split") || !node["split"].is_string()) {
      return Bad(node, "a node needs 'leaf' or a string 'split'");
    }
    auto feature = ResolveFeature(node["split"].get<std::string>());
    if (!feature) return Bad(node, feature.error().message());
    built.feature = static_cast<std::int32_t>(*feature);
    auto threshold = Number(node, "split_condition", true, 0);
    if (!threshold) return Bad(node, threshold.error().message());
    built.threshold = static_cast<float>(*threshold);

    // yes/no/missing must name this node's own children: that makes it a tree.
    std::vector<std::int64_t> child_ids;
    if (node.contains("children")) {
      for (const Json& child : node["children"])
        child_ids.push_back(child["nodeid"].get<std::int64_t>());
    }
    std::int64_t ids[3] = {0, 0, 0};
    const char* keys[3] = {"yes", "no", "missing"};
    for (int k = 0; k < 3; ++k) {
      const bool optional = k == 2;
      if (!node.contains(keys[k])) {
        if (optional) {
          ids[k] = ids[0];
          continue;
        }
        return Bad(node, std::string("missing '") + keys[k] + "'");
      }
      if (!node[keys[k]].is_number_integer())
        return Bad(node, std::string("'") + keys[k] + "' is not an integer");
      ids[k] = node[keys[k]].get<std::int64_t>();
      if (std::find(child_ids.begin(), child_ids.end(), ids[k]) == child_ids.end()) {
        return Bad(node, std::string("'") + keys[k] + "' is not one of the node's children");
      }
    }
    if (ids[0] == ids[1]) return Bad(node, "'yes' and 'no' are the same child");
    ensemble_.nodes_.push_back(built);
    std::int32_t children[2];
    for (int k = 0; k < 2; ++k) {
      auto child = Build(*by_id.at(ids[k]), by_id);
      if (!child) return child.error();
      children[k] = *child;
    }
    TreeEnsemble::Node& self = ensemble_.nodes_[index];
    self.yes = children[0];
    self.no = children[1];
    self.missing = ids[2] == ids[0] ? children[0] : children[1];
    // Expected value below this split, weighted by training cover (Saabas).
    const TreeEnsemble::Node& yes = ensemble_.nodes_[self.yes];
    const TreeEnsemble::Node& no = ensemble_.nodes_[self.no];
    const double total = yes.cover + no.cover;
    self.value = total > 0
                     ? static_cast<float>((yes.value * yes.cover + no.value * no.cover) / total)
                     : (yes.value + no.value) / 2;
    if (!node.contains("cover")) self.cover = yes.cover + no.cover;
    return index;
  }

  static Result<std::size_t> ResolveFeature(const std::string& name) {
    if (auto column = FeatureColumn(name)) return *column;
    if (name.size() > 1 && name[0] == 'f' &&
        name.find_first_not_of("0123456789", 1) == std::string::npos && name.size() < 6) {
      const std::size_t column = std::stoul(name.substr(1));
      if (column < kFeatureCount) return column;
    }
    return Status::InvalidArgument("unknown feature '" + name + "'");
  }

  TreeEnsemble& ensemble_;
  std::size_t tree_;
};

Result<TreeEnsemble> TreeEnsemble::FromXgboostJson(std::string_view json, float base_score) {
  Json trees = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (trees.is_discarded()) return Status::InvalidArgument("trees are not valid JSON");
  return TreeEnsembleParser::Parse(trees, base_score);
}

std::string TreeEnsemble::ToXgboostJson() const {
  Json trees = Json::array();
  for (std::int32_t root : roots_) {
    // Depth-first numbering, as XGBoost's dump does.
    std::function<Json(std::int32_t, std::int32_t&)> emit = [&](std::int32_t index,
                                                                std::int32_t& next_id) -> Json {
      const Node& node = nodes_[index];
      Json out = {{"nodeid", next_id++}, {"cover", node.cover}};
      if (node.feature < 0) {
        out["leaf"] = node.value;
        return out;
      }
      Json yes = emit(node.yes, next_id);
      Json no = emit(node.no, next_id);
      out["split"] = std::string(kFeatureNames[node.feature]);
      out["split_condition"] = node.threshold;
      out["yes"] = yes["nodeid"];
      out["no"] = no["nodeid"];
      out["missing"] = node.missing == node.yes ? yes["nodeid"] : no["nodeid"];
      out["children"] = Json::array({std::move(yes), std::move(no)});
      return out;
    };
    std::int32_t next_id = 0;
    trees.push_back(emit(root, next_id));
  }
  return trees.dump();
}

float TreeEnsemble::Score(std::span<const float> row) const {
  float score = base_score_;
  for (std::int32_t index : roots_) {
    const Node* node = &nodes_[index];
    while (node->feature >= 0) {
      node = &nodes_[row[node->feature] < node->threshold ? node->yes : node->no];
    }
    score += node->value;
  }
  return score;
}

float TreeEnsemble::Contributions(std::span<const float> row,
                                  std::span<float> contributions) const {
  float bias = base_score_;
  for (std::int32_t index : roots_) {
    const Node* node = &nodes_[index];
    bias += node->value;
    while (node->feature >= 0) {
      const Node* next = &nodes_[row[node->feature] < node->threshold ? node->yes : node->no];
      contributions[node->feature] += next->value - node->value;
      node = next;
    }
  }
  return bias;
}

}  // namespace foldrank
