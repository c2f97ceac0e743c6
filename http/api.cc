#include "http/api.h"

#include <algorithm>

#include "http/document_stream.h"
#include "http/endpoints.h"

namespace foldrank::http {
namespace {

// Constant-time comparison, so response timing does not leak the token.
// Compares in time that depends only on the length of what the client sent, never
// on the token (not even its length). `expected` is not empty.
bool SameSecret(std::string_view given, std::string_view expected) {
  unsigned char difference = given.size() != expected.size() ? 1 : 0;
  for (std::size_t i = 0; i < given.size(); ++i) {
    difference |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  }
  return difference == 0;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

ApiResponse MethodNotAllowed(std::string_view allowed) {
  ApiResponse response = ErrorResponse(
      {405, "method_not_allowed", "use " + std::string(allowed) + " for this resource"});
  response.headers.emplace_back("Allow", std::string(allowed));
  return response;
}

// Admin routes: a bearer token when one is configured, else loopback clients only.
std::optional<ApiError> AdminDenied(const ApiRequest& request, const std::string& token) {
  if (token.empty()) {
    if (request.from_loopback) return std::nullopt;
    return ApiError{403, "admin_loopback_only",
                    "no admin token is configured: admin routes answer only loopback clients"};
  }
  constexpr std::string_view kBearer = "Bearer ";
  if (!StartsWith(request.authorization, kBearer)) {
    return ApiError{401, "unauthorized", "admin routes need 'Authorization: Bearer <token>'"};
  }
  if (!SameSecret(std::string_view(request.authorization).substr(kBearer.size()), token)) {
    return ApiError{401, "unauthorized", "wrong admin token"};
  }
  return std::nullopt;
}

// POST /documents: the one route whose body streams and has its own limit.
bool IsDocumentUpload(std::string_view method, std::string_view target) {
  return method == "POST" && target.substr(0, target.find('?')) == "/documents";
}

ApiResponse DeniedResponse(const ApiError& denied) {
  ApiResponse response = ErrorResponse(denied);
  if (denied.status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

}  // namespace

std::optional<StreamStart> Api::StartStream(const ApiRequest& head) {
  if (!IsDocumentUpload(head.method, head.target)) return std::nullopt;
  StreamStart start;
  if (auto denied = AdminDenied(head, options_.admin_token)) {
    start.response = DeniedResponse(*denied);
    start.response->route = Route::kDocuments;
  } else {
    start.sink = std::make_unique<DocumentStream>(engine_);
  }
  return start;
}

Api::Api(Engine& engine, ApiOptions options)
    : engine_(engine), options_(std::move(options)), started_(std::chrono::steady_clock::now()) {}

std::size_t Api::BodyLimit(std::string_view method, std::string_view target) const {
  return IsDocumentUpload(method, target) ? options_.max_documents_body_bytes
                                          : options_.max_body_bytes;
}

std::size_t Api::LargestBodyLimit() const {
  return std::max(options_.max_body_bytes, options_.max_documents_body_bytes);
}

void Api::Handle(const ApiRequest& request, Respond respond) {
  const EndpointContext context{engine_, options_, metrics_, started_};
  auto target = ParseTarget(request.target);
  if (!target) {
    respond(ErrorResponse(BadRequest("bad_target", target.error().message())));
    return;
  }
  const std::string& path = target->path;
  const std::string& method = request.method;

  // CORS: the public routes answer browsers on the allowed origins.
  const bool public_route = path == "/search" || path == "/click";
  std::vector<std::pair<std::string, std::string>> cors;
  if (public_route && !request.origin.empty()) {
    for (const std::string& allowed : options_.allowed_origins) {
      if (allowed == "*" || allowed == request.origin) {
        cors = {{"Access-Control-Allow-Origin", allowed == "*" ? "*" : request.origin},
                {"Vary", "Origin"}};
        break;
      }
    }
  }
  auto finish = [cors, respond](ApiResponse response) {
    response.headers.insert(response.headers.end(), cors.begin(), cors.end());
    respond(std::move(response));
  };

  if (method == "OPTIONS") {
    ApiResponse preflight;
    preflight.route = Route::kPreflight;
    if (!public_route || cors.empty()) {
      preflight = ErrorResponse(
          {403, "origin_not_allowed",
           "cross-origin requests to " + path + " from '" + request.origin + "' are not allowed"});
      preflight.route = Route::kPreflight;
      respond(std::move(preflight));
      return;
    }
    preflight.status = 204;
    preflight.content_type.clear();
    preflight.headers = {{"Access-Control-Allow-Methods", "GET, POST"},
                         {"Access-Control-Allow-Headers", "Content-Type"},
                         {"Access-Control-Max-Age", "600"}};
    finish(std::move(preflight));
    return;
  }

  auto admin = [&] { return AdminDenied(request, options_.admin_token); };
  auto guarded = [&](Route route, auto&& handler) {
    const std::optional<ApiError> denied = admin();
    ApiResponse response = denied ? DeniedResponse(*denied) : handler();
    response.route = route;
    respond(std::move(response));
  };

  if (path == "/search") {
    if (method != "GET") return finish(MethodNotAllowed("GET"));
    const bool admin_parameters = target->params.count("explain") > 0 ||
                                  target->params.count("explore") > 0 ||
                                  target->params.count("log") > 0;
    if (admin_parameters) {
      if (auto denied = admin()) {
        ApiResponse response =
            ErrorResponse({denied->status, denied->code,
                           "explain, explore and log are admin parameters: " + denied->message});
        response.route = Route::kSearch;
        return finish(std::move(response));
      }
    }
    ApiResponse response = Search(context, *target, admin_parameters);
    response.route = Route::kSearch;
    return finish(std::move(response));
  }
  if (path == "/click") {
    if (method != "GET" && method != "POST") return finish(MethodNotAllowed("GET, POST"));
    RecordClick(context, request, *target, [finish](ApiResponse response) {
      response.route = Route::kClick;
      finish(std::move(response));
    });
    return;
  }
  if (path == "/metrics") {
    if (method != "GET") return respond(MethodNotAllowed("GET"));
    ApiResponse response = Metrics(context);
    response.route = Route::kMetrics;
    return respond(std::move(response));
  }
  if (path == "/documents" || StartsWith(path, "/documents/")) {
    const std::string_view id =
        path == "/documents" ? std::string_view() : std::string_view(path).substr(11);
    if (path == "/documents") {
      if (method != "POST") return respond(MethodNotAllowed("POST"));
      return guarded(Route::kDocuments, [&] { return PostDocuments(context, request.body); });
    }
    if (method == "PUT") {
      return guarded(Route::kDocuments, [&] { return PutDocument(context, id, request.body); });
    }
    if (method == "DELETE") {
      return guarded(Route::kDocuments, [&] { return DeleteDocument(context, id); });
    }
    return respond(MethodNotAllowed("PUT, DELETE"));
  }
  if (path == "/admin/status") {
    if (method != "GET") return respond(MethodNotAllowed("GET"));
    return guarded(Route::kAdmin, [&] { return AdminStatus(context); });
  }
  if (path == "/admin/models") {
    if (method != "GET") return respond(MethodNotAllowed("GET"));
    return guarded(Route::kAdmin, [&] { return AdminModels(context, *target); });
  }
  if (path == "/admin/timeline") {
    if (method != "GET") return respond(MethodNotAllowed("GET"));
    return guarded(Route::kAdmin, [&] { return AdminTimeline(context, *target); });
  }
  if (path == "/admin/fold") {
    if (method != "POST") return respond(MethodNotAllowed("POST"));
    return guarded(Route::kAdmin, [&] { return AdminFold(context); });
  }
  if (path == "/admin/experiments") {
    if (method == "GET") return guarded(Route::kAdmin, [&] { return AdminExperiments(context); });
    if (method == "POST") {
      return guarded(Route::kAdmin, [&] { return AdminStartExperiment(context, request.body); });
    }
    return respond(MethodNotAllowed("GET, POST"));
  }
  if (StartsWith(path, "/admin/experiments/")) {
    std::string_view rest = std::string_view(path).substr(19);
    constexpr std::string_view kStop = "/stop";
    if (rest.size() > kStop.size() && rest.substr(rest.size() - kStop.size()) == kStop) {
      if (method != "POST") return respond(MethodNotAllowed("POST"));
      rest.remove_suffix(kStop.size());
      return guarded(Route::kAdmin, [&] { return AdminStopExperiment(context, rest); });
    }
  }
  if (StartsWith(path, "/admin/models/")) {
    std::string_view rest = std::string_view(path).substr(14);
    constexpr std::string_view kActivate = "/activate";
    if (rest.size() > kActivate.size() &&
        rest.substr(rest.size() - kActivate.size()) == kActivate) {
      if (method != "POST") return respond(MethodNotAllowed("POST"));
      rest.remove_suffix(kActivate.size());
      return guarded(Route::kAdmin, [&] { return AdminActivate(context, rest); });
    }
    if (method != "GET") return respond(MethodNotAllowed("GET"));
    return guarded(Route::kAdmin, [&] { return AdminModel(context, rest); });
  }
  if (method == "GET") {
    if (auto asset = WebAsset(path)) {
      asset->route = Route::kWeb;
      return respond(std::move(*asset));
    }
  }
  ApiResponse missing = ErrorResponse({404, "not_found", "no route for " + method + " " + path});
  missing.route = Route::kNotFound;
  respond(std::move(missing));
}

}  // namespace foldrank::http
