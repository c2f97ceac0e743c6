// Model <-> JSON: the one place that knows the model file format (docs/ranking.md).
#include <cmath>
#include <nlohmann/json.hpp>

#include "ranker/model.h"

namespace foldrank {

using Json = nlohmann::json;

class ModelJson {
 public:
  static constexpr const char* kFormat = "foldrank-model";
  static constexpr int kFormatVersion = 1;

  static Result<Model> Parse(std::string_view text) {
    Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return Status::InvalidArgument("model is not valid JSON");
    try {
      return ParseObject(json);
    } catch (const Json::exception& e) {  // A wrong type deep inside: still bad input.
      return Status::InvalidArgument(std::string("model has a field of the wrong type: ") +
                                     e.what());
    }
  }

  static Result<LinearFunction> ParseLinearText(std::string_view text) {
    Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return Status::InvalidArgument("linear model is not valid JSON");
    try {
      return ParseLinear(json, "linear model");
    } catch (const Json::exception& e) {
      return Status::InvalidArgument(std::string("linear model has a field of the wrong type: ") +
                                     e.what());
    }
  }

  static std::string Write(const Model& model) {
    Json json = {
        {"format", kFormat},       {"format_version", kFormatVersion}, {"version", model.version_},
        {"parent", model.parent_}, {"created_at", model.created_at_},  {"origin", model.origin_}};
    Json names = Json::array();
    for (std::string_view name : kFeatureNames) names.push_back(name);
    json["feature_set"] = {
        {"name", kFeatureSetName}, {"version", kFeatureSetVersion}, {"features", names}};
    json["normalization"] = WriteNormalization(model.normalization_);
    if (model.trees_) {
      json["base"] = {{"kind", "trees"},
                      {"base_score", model.trees_->base_score()},
                      {"trees", Json::parse(model.trees_->ToXgboostJson())}};
    } else {
      json["base"] = WriteLinear(model.base_linear_);
      json["base"]["kind"] = "linear";
    }
    json["delta"] = WriteLinear(model.delta_);
    return json.dump(2);
  }

 private:
  static Result<Model> ParseObject(const Json& json) {
    if (!json.is_object()) return Status::InvalidArgument("model must be a JSON object");
    if (json.value("format", "") != kFormat) {
      return Status::InvalidArgument(std::string("not a foldrank model (\"format\" must be \"") +
                                     kFormat + "\")");
    }
    if (json.value("format_version", 0) != kFormatVersion) {
      return Status::InvalidArgument("unsupported model format_version " +
                                     json.value("format_version", Json()).dump());
    }
    FOLDRANK_RETURN_IF_ERROR(CheckFeatureSet(json.value("feature_set", Json())));
    Model model;
    const std::int64_t version = json.value("version", std::int64_t{0});
    const std::int64_t parent = json.value("parent", std::int64_t{0});
    if (version < 1 || parent < 0 || parent >= version) {
      return Status::InvalidArgument("model needs version >= 1 and 0 <= parent < version");
    }
    model.version_ = static_cast<std::uint64_t>(version);
    model.parent_ = static_cast<std::uint64_t>(parent);
    model.created_at_ = json.value("created_at", std::int64_t{0});
    model.origin_ = json.value("origin", "");

    auto normalization = ParseNormalization(json.value("normalization", Json::object()));
    if (!normalization) return normalization.error();
    model.normalization_ = *normalization;

    const Json& base = json.value("base", Json());
    if (!base.is_object()) return Status::InvalidArgument("model has no \"base\" object");
    const std::string kind = base.value("kind", "");
    if (kind == "linear") {
      auto linear = ParseLinear(base, "base");
      if (!linear) return linear.error();
      model.base_linear_ = *linear;
    } else if (kind == "trees") {
      const double base_score = base.value("base_score", 0.0);
      if (!std::isfinite(base_score))
        return Status::InvalidArgument("base.base_score is not finite");
      auto trees = TreeEnsemble::FromXgboostJson(base.value("trees", Json()).dump(),
                                                 static_cast<float>(base_score));
      if (!trees) return trees.error().WithContext("base");
      model.trees_ = std::make_shared<const TreeEnsemble>(std::move(*trees));
    } else {
      return Status::InvalidArgument("base.kind must be \"linear\" or \"trees\"");
    }
    auto delta = ParseLinear(json.value("delta", Json::object()), "delta");
    if (!delta) return delta.error();
    model.delta_ = *delta;
    return model;
  }

  static Status CheckFeatureSet(const Json& set) {
    if (!set.is_object()) return Status::InvalidArgument("model has no \"feature_set\" object");
    const std::string name = set.value("name", "");
    const int version = set.value("version", 0);
    if (name != kFeatureSetName || version != kFeatureSetVersion) {
      return Status::InvalidArgument("model is for feature set '" + name + "' v" +
                                     std::to_string(version) + ", this foldrank serves '" +
                                     std::string(kFeatureSetName) + "' v" +
                                     std::to_string(kFeatureSetVersion));
    }
    if (set.contains("features")) {
      const Json& features = set["features"];
      bool same = features.is_array() && features.size() == kFeatureCount;
      for (std::size_t i = 0; same && i < kFeatureCount; ++i) {
        same = features[i].is_string() && features[i].get<std::string>() == kFeatureNames[i];
      }
      if (!same)
        return Status::InvalidArgument("model's feature list differs from feature set v" +
                                       std::to_string(kFeatureSetVersion));
    }
    return Status::Ok();
  }

  static Result<float> Finite(const Json& value, const std::string& where) {
    if (!value.is_number()) return Status::InvalidArgument(where + " is not a number");
    const double number = value.get<double>();
    const float narrowed = static_cast<float>(number);
    if (!std::isfinite(number) || !std::isfinite(narrowed)) {
      return Status::InvalidArgument(where + " is not a finite float");
    }
    return narrowed;
  }

  // {"name": value, ...} over our features; unknown names are an error.
  static Result<std::array<float, kFeatureCount>> ParseByFeature(const Json& object,
                                                                 const std::string& where,
                                                                 float fill) {
    std::array<float, kFeatureCount> values;
    values.fill(fill);
    if (!object.is_object())
      return Status::InvalidArgument(where + " must be an object keyed by feature name");
    for (const auto& [name, value] : object.items()) {
      auto column = FeatureColumn(name);
      if (!column) return Status::InvalidArgument(where + " names unknown feature '" + name + "'");
      auto number = Finite(value, where + "." + name);
      if (!number) return number.error();
      values[*column] = *number;
    }
    return values;
  }

  static Result<LinearFunction> ParseLinear(const Json& json, const std::string& where) {
    if (!json.is_object()) return Status::InvalidArgument(where + " must be an object");
    LinearFunction linear;
    auto weights = ParseByFeature(json.value("weights", Json::object()), where + ".weights", 0.0f);
    if (!weights) return weights.error();
    linear.weights = *weights;
    auto bias = Finite(json.value("bias", Json(0.0)), where + ".bias");
    if (!bias) return bias.error();
    linear.bias = *bias;
    return linear;
  }

  static Json WriteLinear(const LinearFunction& linear) {
    Json weights = Json::object();
    for (std::size_t f = 0; f < kFeatureCount; ++f) {
      if (linear.weights[f] != 0) weights[std::string(kFeatureNames[f])] = linear.weights[f];
    }
    return {{"bias", linear.bias}, {"weights", weights}};
  }

  static Result<Normalization> ParseNormalization(const Json& json) {
    if (!json.is_object()) return Status::InvalidArgument("normalization must be an object");
    Normalization normalization;
    const std::string method = json.value("method", "per_query_minmax");
    if (method == "per_query_minmax") {
      normalization.method = Normalization::Method::kPerQueryMinMax;
    } else if (method == "none") {
      normalization.method = Normalization::Method::kNone;
    } else if (method == "zscore") {
      normalization.method = Normalization::Method::kZScore;
      auto mean = ParseByFeature(json.value("mean", Json::object()), "normalization.mean", 0.0f);
      if (!mean) return mean.error();
      auto scale = ParseByFeature(json.value("scale", Json::object()), "normalization.scale", 1.0f);
      if (!scale) return scale.error();
      for (float s : *scale) {
        if (!(s > 0)) return Status::InvalidArgument("normalization.scale values must be > 0");
      }
      normalization.mean = *mean;
      normalization.scale = *scale;
    } else {
      return Status::InvalidArgument(
          "normalization.method must be per_query_minmax, zscore or none");
    }
    return normalization;
  }

  static Json WriteNormalization(const Normalization& normalization) {
    switch (normalization.method) {
      case Normalization::Method::kPerQueryMinMax:
        return {{"method", "per_query_minmax"}};
      case Normalization::Method::kNone:
        return {{"method", "none"}};
      case Normalization::Method::kZScore: {
        Json mean = Json::object(), scale = Json::object();
        for (std::size_t f = 0; f < kFeatureCount; ++f) {
          mean[std::string(kFeatureNames[f])] = normalization.mean[f];
          scale[std::string(kFeatureNames[f])] = normalization.scale[f];
        }
        return {{"method", "zscore"}, {"mean", mean}, {"scale", scale}};
      }
    }
    return {{"method", "per_query_minmax"}};
  }
};

Result<Model> Model::FromJson(std::string_view json) { return ModelJson::Parse(json); }
Result<LinearFunction> Model::LinearFromJson(std::string_view json) {
  return ModelJson::ParseLinearText(json);
}
std::string Model::ToJson() const { return ModelJson::Write(*this); }

}  // namespace foldrank
