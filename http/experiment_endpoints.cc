// /admin/experiments: interleaving experiments between two model versions.
#include "http/endpoints.h"
#include "http/json_body.h"

namespace foldrank::http {
namespace {

nlohmann::json ReportJson(const ExperimentReport& report) {
  const Experiment& e = report.experiment;
  const ExperimentCounts& c = report.counts;
  const InterleavingVerdict& v = report.verdict;
  return {{"id", e.id},
          {"a", e.a},
          {"b", e.b},
          {"share", e.share},
          {"max_impressions", e.max_impressions},
          {"state", e.state},
          {"purpose", e.purpose},
          {"created_ms", e.created_ms},
          {"stopped_ms", e.stopped_ms},
          {"impressions", c.impressions},
          {"clicked", c.clicked},
          {"wins_a", c.wins_a},
          {"wins_b", c.wins_b},
          {"ties", c.ties},
          {"preference", v.preference},
          {"a_share", {{"value", v.a_share}, {"low", v.a_share_low}, {"high", v.a_share_high}}},
          {"decision", v.decision}};
}

// A Status from the service as an API error: ours (503) unless the client's.
ApiResponse FromStatus(const Status& status) {
  if (status.code() == Status::Code::kNotFound) {
    return ErrorResponse({404, "not_found", status.message()});
  }
  if (status.code() == Status::Code::kInvalidArgument) {
    return ErrorResponse({422, "bad_experiment", status.message()});
  }
  return InternalError(status);
}

}  // namespace

ApiResponse AdminStartExperiment(const EndpointContext& context, std::string_view body) {
  JsonBody parsed = ParseJsonBody(body, "bad_json");
  if (parsed.error) return ErrorResponse(*parsed.error);
  if (!parsed.value.is_object()) {
    return ErrorResponse(BadRequest("bad_json", "the body must be a JSON object"));
  }
  const nlohmann::json& json = parsed.value;
  for (const auto& [key, value] : json.items()) {
    if (key != "a" && key != "b" && key != "share" && key != "max_impressions") {
      return ErrorResponse(BadRequest(
          "unknown_field",
          "unknown field '" + key.substr(0, 64) + "' (known: a, b, share, max_impressions)"));
    }
  }
  auto version = [&](const char* key) -> std::optional<std::uint64_t> {
    const auto it = json.find(key);
    if (it == json.end() || !it->is_number_unsigned()) return std::nullopt;
    return it->get<std::uint64_t>();
  };
  const auto a = version("a"), b = version("b");
  if (!a || !b) {
    return ErrorResponse(
        BadRequest("bad_field", "'a' and 'b' must be model versions (positive integers)"));
  }
  double share = 0.1;
  std::uint64_t max_impressions = 10'000;
  if (const auto it = json.find("share"); it != json.end()) {
    if (!it->is_number()) return ErrorResponse(BadRequest("bad_field", "'share' must be a number"));
    share = it->get<double>();
  }
  if (const auto it = json.find("max_impressions"); it != json.end()) {
    if (!it->is_number_unsigned()) {
      return ErrorResponse(BadRequest("bad_field", "'max_impressions' must be a positive integer"));
    }
    max_impressions = it->get<std::uint64_t>();
  }
  auto started = context.engine.StartExperiment(*a, *b, share, max_impressions);
  if (!started) return FromStatus(started.error());
  return JsonResponse(201, ReportJson({*started, {}, {}}));
}

ApiResponse AdminExperiments(const EndpointContext& context) {
  auto reports = context.engine.Experiments();
  if (!reports) return InternalError(reports.error());
  nlohmann::json list = nlohmann::json::array();
  for (const ExperimentReport& report : *reports) list.push_back(ReportJson(report));
  return JsonResponse(200, {{"experiments", std::move(list)}});
}

ApiResponse AdminStopExperiment(const EndpointContext& context, std::string_view id_text) {
  auto id = ParseInteger("experiment", id_text, 1, 1LL << 53);
  if (!id) return ErrorResponse(BadRequest("bad_experiment_id", id.error().message()));
  auto stopped = context.engine.StopExperiment(static_cast<std::uint64_t>(*id));
  if (!stopped) return FromStatus(stopped.error());
  return JsonResponse(200, ReportJson(*stopped));
}

}  // namespace foldrank::http
