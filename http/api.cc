#include "http/api.h"

#include <algorithm>

#include "common/utf8.h"
#include "http/document_stream.h"
#include "http/endpoints.h"

namespace foldrank::http {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// 405 naming the methods the resource takes (HEAD wherever GET).
ApiResponse MethodNotAllowed(std::string_view allowed) {
  std::string methods(allowed);
  if (StartsWith(methods, "GET")) methods.insert(3, ", HEAD");
  ApiResponse response =
      ErrorResponse({405, "method_not_allowed", "use " + methods + " for this resource"});
  response.headers.emplace_back("Allow", methods);
  return response;
}

// POST /documents: the one route whose body streams and has its own limit.
bool IsDocumentUpload(std::string_view method, std::string_view target) {
  return method == "POST" && target.substr(0, target.find('?')) == "/documents";
}

// The admin page's sign-in and sign-out: under /admin/ (so only our own origin
// reaches them) but open without a credential, since they are how one gets it.
bool IsLoginRoute(std::string_view path) {
  return path == "/admin/login" || path == "/admin/logout";
}

ApiResponse DeniedResponse(const ApiError& denied) {
  ApiResponse response = ErrorResponse(denied);
  if (denied.status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

bool HasHeader(const ApiResponse& response, std::string_view name) {
  return std::any_of(response.headers.begin(), response.headers.end(),
                     [&](const auto& header) { return header.first == name; });
}

// Headers every answer carries: nothing we send runs as a page, or in a frame,
// unless it is one of our pages (which set their own policy), and no address of
// ours leaks to other sites through Referer.
void AddSecurityHeaders(ApiResponse& response) {
  if (!HasHeader(response, "Content-Security-Policy")) {
    response.headers.emplace_back("Content-Security-Policy",
                                  "default-src 'none'; frame-ancestors 'none'");
  }
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
}

}  // namespace

std::optional<ApiError> Api::Admit(const ApiRequest& request, std::string_view path,
                                   RouteAccess access) const {
  if (auto bad_host = CheckHost(request.host, options_.hosts)) return bad_host;
  if (auto foreign = CheckOrigin(request, access, options_.allowed_origins)) return foreign;
  if (access == RouteAccess::kProtected && !IsLoginRoute(path)) {
    return CheckAdminCredential(request, options_.admin_token);
  }
  return std::nullopt;
}

std::optional<StreamStart> Api::StartStream(const ApiRequest& head) {
  if (!IsDocumentUpload(head.method, head.target)) return std::nullopt;
  StreamStart start;
  if (auto denied = Admit(head, "/documents", RouteAccess::kProtected)) {
    start.response = DeniedResponse(*denied);
    start.response->route = Route::kDocuments;
    AddSecurityHeaders(*start.response);
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

void Api::Handle(const ApiRequest& request, Respond respond_as_is) {
  const EndpointContext context{engine_, options_, metrics_, started_};
  const Respond respond = [respond_as_is = std::move(respond_as_is)](ApiResponse response) {
    AddSecurityHeaders(response);
    respond_as_is(std::move(response));
  };
  auto target = ParseTarget(request.target);
  if (!target) {
    if (auto bad_host = CheckHost(request.host, options_.hosts)) {
      return respond(ErrorResponse(*bad_host));
    }
    respond(ErrorResponse(BadRequest("bad_target", target.error().message())));
    return;
  }
  const std::string& path = target->path;
  // HEAD is GET without the body (the server drops it) and without side effects.
  const bool head = request.method == "HEAD";
  const std::string method = head ? "GET" : request.method;
  const RouteAccess access = AccessOf(path);
  if (auto refused = Admit(request, path, access)) {
    ApiResponse response = DeniedResponse(*refused);
    response.route = access == RouteAccess::kProtected ? Route::kAdmin : Route::kNotFound;
    return respond(std::move(response));
  }

  // CORS: the public routes answer browsers on the allowed origins.
  const bool public_route = access == RouteAccess::kPublic;
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
      preflight =
          ErrorResponse({403, "origin_not_allowed",
                         "cross-origin requests to " + path + " from '" +
                             SanitizeUtf8(request.origin.substr(0, 200)) + "' are not allowed"});
      preflight.route = Route::kPreflight;
      respond(std::move(preflight));
      return;
    }
    preflight.status = 204;
    preflight.content_type.clear();
    preflight.headers = {{"Access-Control-Allow-Methods", "GET, HEAD, POST"},
                         {"Access-Control-Allow-Headers", "Content-Type"},
                         {"Access-Control-Max-Age", "600"}};
    finish(std::move(preflight));
    return;
  }

  // Admit() checked the credential of protected routes.
  auto guarded = [&](Route route, auto&& handler) {
    ApiResponse response = handler();
    response.route = route;
    respond(std::move(response));
  };

  if (path == "/admin/login") {
    if (method == "GET") return respond(AdminLoginLink(context, *target, login_codes_));
    if (method == "POST") return respond(AdminLoginForm(context, request));
    return respond(MethodNotAllowed("GET, POST"));
  }
  if (path == "/admin/logout") {
    if (method != "POST") return respond(MethodNotAllowed("POST"));
    return respond(AdminLogout());
  }
  if (path == "/search") {
    if (method != "GET") return finish(MethodNotAllowed("GET"));
    const bool admin_parameters = target->params.count("explain") > 0 ||
                                  target->params.count("explore") > 0 ||
                                  target->params.count("log") > 0;
    if (admin_parameters) {
      if (auto denied = CheckAdminCredential(request, options_.admin_token)) {
        ApiResponse response =
            ErrorResponse({denied->status, denied->code,
                           "explain, explore and log are admin parameters: " + denied->message});
        response.route = Route::kSearch;
        return finish(std::move(response));
      }
    }
    ApiResponse response = Search(context, *target, admin_parameters, /*log=*/!head);
    response.route = Route::kSearch;
    return finish(std::move(response));
  }
  if (path == "/click") {
    // GET /click records a click (for clients that cannot POST); HEAD must not.
    if (head || (method != "GET" && method != "POST")) {
      ApiResponse response = ErrorResponse(
          {405, "method_not_allowed", "use GET or POST for this resource: it records a click"});
      response.headers.emplace_back("Allow", "GET, POST");
      return finish(std::move(response));
    }
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
  ApiResponse missing =
      ErrorResponse({404, "not_found",
                     "no route for " + SanitizeUtf8(request.method.substr(0, 20)) + " " +
                         SanitizeUtf8(path.substr(0, 200))});
  missing.route = Route::kNotFound;
  respond(std::move(missing));
}

}  // namespace foldrank::http
