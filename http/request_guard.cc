#include "http/request_guard.h"

#include <algorithm>
#include <cctype>

#include "common/utf8.h"
#include "http/api.h"

namespace foldrank::http {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool AllDigits(std::string_view text) {
  return !text.empty() && text.size() <= 5 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsIpv4Literal(std::string_view host) {
  int parts = 0;
  while (true) {
    const std::size_t dot = host.find('.');
    const std::string_view part = host.substr(0, dot);
    if (part.empty() || part.size() > 3 || !AllDigits(part) || std::stoi(std::string(part)) > 255) {
      return false;
    }
    ++parts;
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  return parts == 4;
}

// "host[:port]" of an authority split into host and port ("" when absent).
std::optional<std::pair<std::string, std::string>> SplitAuthority(std::string_view authority) {
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, close + 1);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port = rest.substr(1);
    }
    const std::string_view inside = host.substr(1, host.size() - 2);
    if (inside.empty() ||
        inside.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos) {
      return std::nullopt;
    }
  } else {
    const std::size_t colon = authority.find(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    // A registered name or IPv4 literal: letters, digits, '-', '.', '_'.
    if (host.empty() || host.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") !=
                            std::string_view::npos) {
      return std::nullopt;
    }
  }
  if (authority.find(':', host.size()) != std::string_view::npos && !AllDigits(port)) {
    return std::nullopt;
  }
  return std::make_pair(Lower(host), std::string(port));
}

}  // namespace

std::optional<std::string> HostName(std::string_view host_header) {
  auto split = SplitAuthority(host_header);
  if (!split) return std::nullopt;
  return split->first;
}

std::optional<ApiError> CheckHost(std::string_view host_header, const HostPolicy& policy) {
  if (host_header.empty()) return std::nullopt;
  const auto name = HostName(host_header);
  if (!name) {
    return ApiError{400, "bad_host", "the Host header is not a host name with an optional port"};
  }
  for (std::string_view loopback : {"localhost", "127.0.0.1", "[::1]"}) {
    if (*name == loopback) return std::nullopt;
  }
  for (const std::string& allowed : policy.names) {
    if (*name == Lower(allowed)) return std::nullopt;
  }
  if (policy.any_ip_literal && (IsIpv4Literal(*name) || name->front() == '[')) return std::nullopt;
  return ApiError{421, "unknown_host",
                  "this server does not answer for host '" + SanitizeUtf8(name->substr(0, 100)) +
                      "'; its operator can add the name with --public-host"};
}

bool IsSameOrigin(std::string_view origin, std::string_view host_header) {
  std::string_view scheme;
  if (origin.substr(0, 7) == "http://") {
    scheme = "http";
  } else if (origin.substr(0, 8) == "https://") {
    scheme = "https";
  } else {
    return false;  // "null" (sandboxed frames, files) and every other scheme.
  }
  auto from = SplitAuthority(origin.substr(scheme.size() + 3));
  auto to = SplitAuthority(host_header);
  if (!from || !to || from->first != to->first) return false;
  const std::string default_port = scheme == "http" ? "80" : "443";
  const std::string from_port = from->second.empty() ? default_port : from->second;
  const std::string to_port = to->second.empty() ? default_port : to->second;
  return from_port == to_port;
}

RouteAccess AccessOf(std::string_view path) {
  if (path == "/search" || path == "/click") return RouteAccess::kPublic;
  if (path == "/documents" || path.substr(0, 11) == "/documents/" ||
      path.substr(0, 7) == "/admin/") {
    return RouteAccess::kProtected;
  }
  return RouteAccess::kOpen;
}

std::optional<ApiError> CheckOrigin(const ApiRequest& request, RouteAccess access,
                                    const std::vector<std::string>& allowed_origins) {
  if (request.origin.empty() || IsSameOrigin(request.origin, request.host)) return std::nullopt;
  const ApiError refused{403, "cross_origin_refused",
                         "requests from pages on '" + SanitizeUtf8(request.origin.substr(0, 200)) +
                             "' may not use this route"};
  if (access == RouteAccess::kProtected) return refused;
  const bool safe =
      request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS";
  if (safe) return std::nullopt;
  if (access == RouteAccess::kPublic) {
    for (const std::string& allowed : allowed_origins) {
      if (allowed == "*" || allowed == request.origin) return std::nullopt;
    }
  }
  return refused;
}

std::string_view CookieValue(std::string_view cookie_header, std::string_view name) {
  while (!cookie_header.empty()) {
    const std::size_t end = cookie_header.find(';');
    std::string_view pair = cookie_header.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const std::size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      std::string_view value = pair.substr(equals + 1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      return value;
    }
    if (end == std::string_view::npos) break;
    cookie_header.remove_prefix(end + 1);
  }
  return {};
}

bool SameSecret(std::string_view given, std::string_view expected) {
  unsigned char difference = given.size() != expected.size() ? 1 : 0;
  for (std::size_t i = 0; i < given.size(); ++i) {
    difference |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  }
  return difference == 0;
}

std::optional<ApiError> CheckAdminCredential(const ApiRequest& request, std::string_view token) {
  if (token.empty()) {
    return ApiError{403, "admin_disabled",
                    "this server has no admin token, so admin and document routes are off"};
  }
  constexpr std::string_view kBearer = "Bearer ";
  const std::string_view authorization = request.authorization;
  if (authorization.substr(0, kBearer.size()) == kBearer) {
    if (SameSecret(authorization.substr(kBearer.size()), token)) return std::nullopt;
    return ApiError{401, "unauthorized", "wrong admin token"};
  }
  const std::string_view cookie = CookieValue(request.cookie, kAdminCookie);
  if (!cookie.empty() && SameSecret(cookie, token)) return std::nullopt;
  return ApiError{401, "unauthorized",
                  "admin and document routes need 'Authorization: Bearer <token>' or the "
                  "admin page's sign-in"};
}

}  // namespace foldrank::http
