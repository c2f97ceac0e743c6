#pragma once

// The API's endpoints, one file each; Api routes to them. Internal to http/.

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "http/api.h"
#include "http/api_error.h"
#include "http/query_string.h"

namespace foldrank::http {

struct EndpointContext {
  Engine& engine;
  const ApiOptions& options;
  RequestMetrics& metrics;
  std::chrono::steady_clock::time_point started;
};

ApiResponse JsonResponse(int status, const nlohmann::json& body);
ApiResponse ErrorResponse(const ApiError& error);
// 503 for a failure of ours (ledger, index); the status's text goes to the access
// log only (ApiResponse::detail).
ApiResponse InternalError(const Status& status);

// GET /search (and HEAD, with `log` false: no impression). `admin` allows explain,
// explore and log.
ApiResponse Search(const EndpointContext& context, const Target& target, bool admin, bool log);

// POST /click (JSON, text/plain JSON, or form body) and GET /click?...
void RecordClick(const EndpointContext& context, const ApiRequest& request, const Target& target,
                 const Api::Respond& respond);

// PUT /documents/{id}, DELETE /documents/{id}, POST /documents (JSONL).
ApiResponse PutDocument(const EndpointContext& context, std::string_view id, std::string_view body);
ApiResponse DeleteDocument(const EndpointContext& context, std::string_view id);
ApiResponse PostDocuments(const EndpointContext& context, std::string_view body);

// GET /admin/status, GET /admin/models, GET /admin/models/{v},
// POST /admin/models/{v}/activate, POST /admin/fold.
ApiResponse AdminStatus(const EndpointContext& context);
ApiResponse AdminModels(const EndpointContext& context, const Target& target);
ApiResponse AdminModel(const EndpointContext& context, std::string_view version);
ApiResponse AdminActivate(const EndpointContext& context, std::string_view version);
ApiResponse AdminFold(const EndpointContext& context);
// GET /admin/timeline?minutes=M&bucket_s=S: impressions, clicks, top-3 CTR, folds.
ApiResponse AdminTimeline(const EndpointContext& context, const Target& target);

// POST /admin/experiments {"a", "b", "share", "max_impressions"}, GET
// /admin/experiments, POST /admin/experiments/{id}/stop.
ApiResponse AdminStartExperiment(const EndpointContext& context, std::string_view body);
ApiResponse AdminExperiments(const EndpointContext& context);
ApiResponse AdminStopExperiment(const EndpointContext& context, std::string_view id);

// The admin page's sign-in: GET /admin/login?code=C (the one-time link foldrank
// serve prints), POST /admin/login with a form field `token`. Either sets the
// HttpOnly, SameSite=Strict cookie that holds the token and sends the browser on to
// /admin; a spent or wrong code or token sends it to /admin?login=failed instead.
// POST /admin/logout clears the cookie.
ApiResponse AdminLoginLink(const EndpointContext& context, const Target& target, LoginCodes& codes);
ApiResponse AdminLoginForm(const EndpointContext& context, const ApiRequest& request);
ApiResponse AdminLogout();

// GET /metrics.
ApiResponse Metrics(const EndpointContext& context);

// GET /, /widget.js, /admin and the other files under web/; nullopt if unknown.
std::optional<ApiResponse> WebAsset(std::string_view path);

// The p-quantile (0..1) of `values`, by nearest rank; 0 when empty.
double Percentile(std::vector<std::int64_t> values, double p);

// Parses a decimal integer parameter within [min, max].
Result<long long> ParseInteger(std::string_view name, std::string_view text, long long min,
                               long long max);

}  // namespace foldrank::http
