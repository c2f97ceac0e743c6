#include <algorithm>

#include "common/clock.h"
#include "http/endpoints.h"

namespace foldrank::http {
namespace {

nlohmann::json Weights(const std::vector<NamedWeight>& named, double bias) {
  nlohmann::json weights = nlohmann::json::object();
  for (const NamedWeight& weight : named) weights[std::string(weight.feature)] = weight.weight;
  return {{"weights", std::move(weights)}, {"bias", bias}};
}

nlohmann::json ModelJson(const ModelInfo& model) {
  nlohmann::json json = {{"version", model.version},
                         {"parent", model.parent},
                         {"created_ms", model.created_ms},
                         {"origin", model.origin},
                         {"kind", model.base_kind},
                         {"feature_set", model.feature_set},
                         {"delta", Weights(model.delta_weights, model.delta_bias)}};
  if (model.base_kind == "linear") {
    json["base"] = Weights(model.base_weights, model.base_bias);
  } else {
    json["base"] = {{"trees", model.base_trees}};
  }
  return json;
}

Result<std::uint64_t> ParseVersion(std::string_view text) {
  auto version = ParseInteger("version", text, 1, 1LL << 53);
  if (!version) return version.error();
  return static_cast<std::uint64_t>(*version);
}

// The estimate in use (or the prior), as stored in the ledger, with its last error.
nlohmann::json PositionBiasJson(const EngineStatus& status) {
  nlohmann::json bias = nlohmann::json::parse(status.position_bias.json, nullptr, false);
  if (!bias.is_object()) bias = nlohmann::json::object();
  bias["source"] = status.position_bias.estimated ? "estimate" : "prior";
  bias["last_error"] = status.last_bias_error;
  return bias;
}

nlohmann::json CertificationJson(const CertificationState& state, const std::string& error = "") {
  nlohmann::json last = nlohmann::json::parse(state.last_decision, nullptr, false);
  return {{"mode", state.mode},
          {"certified_version", state.certified},
          {"learning_version", state.learning},
          {"canary_experiment", state.canary},
          {"certifications", state.certifications},
          {"rollbacks", state.rollbacks},
          {"last_decision", last.is_discarded() ? nlohmann::json() : last},
          {"last_error", error}};
}

}  // namespace

ApiResponse AdminStatus(const EndpointContext& context) {
  const EngineStatus status = context.engine.Report();
  const ClickTally& clicks = status.clicks;
  const RequestMetrics::Window window = context.metrics.LastMinute();
  const double uptime_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - context.started).count();
  nlohmann::json model = ModelJson(status.model);
  model["learner"] = {{"learning_rate", status.learning_rate},
                      {"updates", status.learner_updates},
                      {"last_fold_ms", status.last_fold_ms}};
  return JsonResponse(
      200,
      {{"model", std::move(model)},
       {"feedback",
        {{"impressions", status.ledger.impressions},
         {"impressions_unsettled", status.ledger.unsettled_impressions},
         {"impressions_dropped", status.impressions.dropped},
         {"impressions_failed", status.impressions.failed},
         {"clicks",
          {{"stored", status.ledger.clicks},
           {"pending", status.ledger.unfolded_clicks},
           {"folded", status.ledger.clicks - status.ledger.unfolded_clicks},
           {"accepted", clicks.accepted},
           {"duplicate", clicks.duplicate},
           {"commits", clicks.commits},
           {"rejected",
            {{"unknown_query", clicks.unknown_query},
             {"not_shown", clicks.not_shown},
             {"wrong_position", clicks.wrong_position},
             {"failed", clicks.failed}}}}},
         {"click_to_model_ms",
          {{"p50", Percentile(status.click_to_model_ms, 0.5)},
           {"p99", Percentile(status.click_to_model_ms, 0.99)},
           {"samples", status.click_to_model_ms.size()}}},
         {"folder",
          {{"this_process", status.holds_fold_lease},
           {"other_holder", status.fold_lease_holder},
           {"last_error", status.last_fold_error}}}}},
       {"position_bias", PositionBiasJson(status)},
       {"certification", CertificationJson(status.certification, status.last_certification_error)},
       {"index", {{"documents", status.documents}, {"last_refresh_ms", status.last_refresh_ms}}},
       {"memory",
        {{"resident_bytes", status.memory.resident_bytes},
         {"sqlite_bytes", status.memory.sqlite_bytes},
         {"sqlite_peak_bytes", status.memory.sqlite_peak_bytes},
         {"click_count_pairs", status.memory.click_count_pairs},
         {"click_count_pairs_max", status.memory.click_count_pairs_max},
         {"click_count_pairs_dropped", status.memory.click_count_pairs_dropped},
         {"click_count_documents", status.memory.click_count_documents},
         {"click_count_loads", status.memory.click_count_loads}}},
       {"server",
        {{"uptime_s", uptime_s},
         {"requests", context.metrics.total()},
         {"last_minute",
          {{"requests", window.requests},
           {"p50_ms", window.p50_ms},
           {"p99_ms", window.p99_ms}}}}}});
}

ApiResponse AdminModels(const EndpointContext& context, const Target& target) {
  long long limit = 100;
  for (const auto& [name, value] : target.params) {
    if (name != "limit") {
      return ErrorResponse(BadRequest(
          "unknown_parameter", "unknown parameter '" + name.substr(0, 64) + "' (known: limit)"));
    }
    auto parsed = ParseInteger(name, value, 1, 10'000);
    if (!parsed) return ErrorResponse(BadRequest("bad_parameter", parsed.error().message()));
    limit = *parsed;
  }
  auto history = context.engine.ModelHistory(static_cast<std::size_t>(limit));
  if (!history) return InternalError(history.error());
  const std::uint64_t active = context.engine.ServingVersion();
  const CertificationState certification = context.engine.Report().certification;
  auto roles = [&](std::uint64_t version) {
    nlohmann::json list = nlohmann::json::array();
    if (version == active) list.push_back("serving");
    if (certification.mode != "off" && version == certification.learning) {
      list.push_back("learning");
    }
    if (certification.mode != "off" && version == certification.certified) {
      list.push_back("certified");
    }
    return list;
  };
  nlohmann::json models = nlohmann::json::array();
  for (const ModelRecord& record : *history) {
    nlohmann::json metrics = nlohmann::json::parse(record.metrics, nullptr, false);
    models.push_back({{"version", record.version},
                      {"parent", record.parent},
                      {"created_ms", record.created_ms},
                      {"state", record.state},
                      {"metrics", metrics.is_discarded() ? nlohmann::json::object() : metrics},
                      {"active", record.version == active},
                      {"roles", roles(record.version)}});
  }
  if (models.size() < static_cast<std::size_t>(limit)) {
    models.push_back({{"version", 1},
                      {"parent", 0},
                      {"created_ms", 0},
                      {"state", "built-in"},
                      {"metrics", nlohmann::json::object()},
                      {"active", active == 1},
                      {"roles", roles(1)}});
  }
  return JsonResponse(200, {{"active_version", active},
                            {"certification", CertificationJson(certification)},
                            {"models", std::move(models)}});
}

ApiResponse AdminModel(const EndpointContext& context, std::string_view version_text) {
  auto version = ParseVersion(version_text);
  if (!version) return ErrorResponse(BadRequest("bad_version", version.error().message()));
  auto model = context.engine.ModelJson(*version);
  if (!model) {
    if (model.error().code() == Status::Code::kNotFound) {
      return ErrorResponse({404, "unknown_model", std::string(model.error().message())});
    }
    return InternalError(model.error());
  }
  ApiResponse response;
  response.body = std::move(*model);
  return response;
}

ApiResponse AdminActivate(const EndpointContext& context, std::string_view version_text) {
  auto version = ParseVersion(version_text);
  if (!version) return ErrorResponse(BadRequest("bad_version", version.error().message()));
  Status activated = context.engine.Activate(*version);
  if (!activated.ok()) {
    if (activated.code() == Status::Code::kNotFound) {
      return ErrorResponse({404, "unknown_model", activated.message()});
    }
    return InternalError(activated);
  }
  return JsonResponse(200, {{"active_version", *version}});
}

ApiResponse AdminFold(const EndpointContext& context) {
  auto step = context.engine.FoldNow();
  if (!step) return InternalError(step.error());
  if (!step->holds_lease) {
    return ErrorResponse(
        {409, "folder_busy", "another process holds the folder lease: " + step->lease_holder});
  }
  return JsonResponse(200, {{"impressions", step->impressions},
                            {"clicks", step->clicks},
                            {"model_version", step->model_version}});
}

ApiResponse AdminTimeline(const EndpointContext& context, const Target& target) {
  long long minutes = 60, bucket_s = 60;
  for (const auto& [name, value] : target.params) {
    if (name != "minutes" && name != "bucket_s") {
      return ErrorResponse(
          BadRequest("unknown_parameter",
                     "unknown parameter '" + name.substr(0, 64) + "' (known: minutes, bucket_s)"));
    }
    auto parsed = ParseInteger(name, value, 1, name == "minutes" ? 60 * 24 * 31 : 86'400);
    if (!parsed) return ErrorResponse(BadRequest("bad_parameter", parsed.error().message()));
    (name == "minutes" ? minutes : bucket_s) = *parsed;
  }
  const std::int64_t now = UnixMillis();
  auto timeline = context.engine.Timeline(now - minutes * 60'000, bucket_s * 1000);
  if (!timeline) return InternalError(timeline.error());
  nlohmann::json buckets = nlohmann::json::array();
  for (const TimelineBucket& b : *timeline) {
    buckets.push_back(
        {{"start_ms", b.start_ms},
         {"impressions", b.impressions},
         {"clicks", b.clicks},
         {"top3_ctr", b.top3_impressions == 0 ? 0.0
                                              : static_cast<double>(b.top3_clicks) /
                                                    static_cast<double>(b.top3_impressions)},
         {"folded_clicks", b.folded_clicks},
         {"models", b.models},
         {"last_version", b.last_version}});
  }
  return JsonResponse(200, {{"since_ms", now - minutes * 60'000},
                            {"bucket_ms", bucket_s * 1000},
                            {"buckets", std::move(buckets)}});
}

}  // namespace foldrank::http
