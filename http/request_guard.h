#pragma once

// Who may send what: the checks every request passes before a route sees it.
// Pure functions of the request and the options, so each decision is tested with
// hand-built requests (tests/http/request_guard_test.cc). Internal to http/.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/api_error.h"

namespace foldrank::http {

struct ApiRequest;

// The host names this server answers for: anything else in `Host` is refused, so a
// DNS-rebinding page (a name of the attacker's that resolves to us) cannot reach it.
struct HostPolicy {
  // Accepted besides localhost, 127.0.0.1 and [::1]: the bind address, and the names
  // clients use (--public-host). Lower case, without port; IPv6 in brackets.
  std::vector<std::string> names;
  // When listening on every interface (--bind 0.0.0.0 or ::): also any IP literal.
  // Rebinding needs a name, so a literal address is never an attacker's.
  bool any_ip_literal = false;
};

// The host part of a Host header value ("Example.org:8080" -> "example.org",
// "[::1]:80" -> "[::1]"); nullopt when the value is not a host with an optional port.
std::optional<std::string> HostName(std::string_view host_header);

// 400 bad_host for a malformed Host, 421 unknown_host for one not in the policy.
// A request without Host (HTTP/1.0: the server refuses HTTP/1.1 without one) passes.
std::optional<ApiError> CheckHost(std::string_view host_header, const HostPolicy& policy);

// Whether the browser `origin` ("http://127.0.0.1:8080") is the server's own, as the
// request's `host_header` names it (scheme default ports count as absent).
bool IsSameOrigin(std::string_view origin, std::string_view host_header);

// What a route lets other origins do.
enum class RouteAccess {
  kPublic,     // /search, /click: allowed origins may call them (CORS).
  kProtected,  // /admin..., /documents...: our own origin only, with a credential.
  kOpen,       // The pages, /widget.js, /metrics: reads only.
};
RouteAccess AccessOf(std::string_view path);

// Cross-site requests: a foreign Origin is refused (403 cross_origin_refused) on
// protected routes, whatever the method, and on every state-changing method (not
// GET, HEAD or OPTIONS) unless the route is public and the origin is allowed. No
// Origin (curl, a server) passes: credentials decide then.
std::optional<ApiError> CheckOrigin(const ApiRequest& request, RouteAccess access,
                                    const std::vector<std::string>& allowed_origins);

// The admin credential: "Authorization: Bearer <token>" or the login cookie
// (kAdminCookie=<token>). 401 unauthorized when neither holds the token; 403
// admin_disabled when `token` is empty (admin and document routes are then off).
inline constexpr std::string_view kAdminCookie = "foldrank_admin";
std::optional<ApiError> CheckAdminCredential(const ApiRequest& request, std::string_view token);

// The value of cookie `name` in a Cookie header ("a=1; b=2"); empty if absent.
std::string_view CookieValue(std::string_view cookie_header, std::string_view name);

// Constant-time comparison: the time depends only on the length of what the client
// sent, never on the secret (not even its length). `expected` is not empty.
bool SameSecret(std::string_view given, std::string_view expected);

}  // namespace foldrank::http
