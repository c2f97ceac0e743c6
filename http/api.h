#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "foldrank/engine.h"
#include "http/login_codes.h"
#include "http/request_guard.h"
#include "http/request_metrics.h"

namespace foldrank::http {

struct ApiOptions {
  // Admin and document routes need this token, as "Authorization: Bearer <token>" or
  // the admin page's sign-in cookie. Empty: those routes are off (403). Where the
  // request came from never stands in for it (foldrank serve always has one:
  // LoadOrCreateAdminToken).
  std::string admin_token;
  // Origins allowed to call /search and /click from a browser ("*" for any). Never
  // opens admin or document routes.
  std::vector<std::string> allowed_origins;
  // Host names requests may carry (see HostPolicy); others get 421.
  HostPolicy hosts;
  // Plackett-Luce exploration of served rankings: 0.1 learned as well as 0.5 in the
  // simulator and cost users nothing measurable (docs/learning.md).
  double temperature = 0.1;
  // RandPair share: rankings whose position 0 trades places with a random position
  // of the page, for position-bias estimates (docs/learning.md).
  double randpair_share = 0.01;
  std::size_t max_query_bytes = 1024;
  int max_page_size = 100;                                      // Largest k.
  std::size_t max_body_bytes = 64 * 1024;                       // Everything but bulk loads.
  std::size_t max_documents_body_bytes = std::size_t{1} << 30;  // POST /documents (streamed).
};

// One HTTP request, transport-free (what the server read off the socket).
struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // Path and query string, as sent.
  std::string host;    // The Host header; empty when absent (HTTP/1.0).
  std::string content_type;
  std::string authorization;
  std::string cookie;
  std::string origin;
  std::string body;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  Route route = Route::kNotFound;  // For metrics and the access log.
  std::string query_id;            // For the access log (search and click).
  std::string detail;              // For the access log: a failure's cause, never sent.
};

// A request body consumed as it arrives, chunk by chunk (POST /documents), so a
// large upload is never held in memory whole.
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual void Write(std::string_view bytes) = 0;
  // The body is complete: the response.
  virtual ApiResponse Finish() = 0;
};

// How a request whose header has arrived continues (see Api::StartStream).
struct StreamStart {
  std::unique_ptr<BodySink> sink;       // Feed it the body...
  std::optional<ApiResponse> response;  // ...or answer now (e.g. 401) and close.
};

// The HTTP API over an Engine (the public API, nothing else): routing, authentication, CORS,
// validation, JSON. Client mistakes become 4xx with {"error", "message"}; nothing a client sends
// makes a 5xx (those mean the ledger or index failed). Thread-safe.
class Api {
 public:
  Api(Engine& engine, ApiOptions options);

  using Respond = std::function<void(ApiResponse)>;
  // Calls `respond` exactly once: before returning, or later from another thread
  // (a click is answered once it is durable).
  void Handle(const ApiRequest& request, Respond respond);

  // The largest body accepted for a request line, known before the body is read.
  std::size_t BodyLimit(std::string_view method, std::string_view target) const;
  // The largest BodyLimit() of any route.
  std::size_t LargestBodyLimit() const;

  // For a route that streams its body, given the request without its body: a sink
  // for the body, or a response to send at once. nullopt for every other route:
  // read the whole body, then Handle().
  std::optional<StreamStart> StartStream(const ApiRequest& head);

  RequestMetrics& metrics() { return metrics_; }

  // A new one-time code for the admin page's sign-in link, /admin/login?code=...
  // (replacing any earlier one): foldrank serve prints the link when it starts, so
  // the token itself never appears in a terminal, a log or a browser's history.
  std::string IssueLoginCode() { return login_codes_.Issue(); }

 private:
  // The checks before any route: Host, Origin, and the credential for protected
  // routes. The refusal, if any.
  std::optional<ApiError> Admit(const ApiRequest& request, std::string_view path,
                                RouteAccess access) const;

  Engine& engine_;
  const ApiOptions options_;
  const std::chrono::steady_clock::time_point started_;
  RequestMetrics metrics_;
  LoginCodes login_codes_;
};

}  // namespace foldrank::http
