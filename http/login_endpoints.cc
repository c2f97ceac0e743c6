#include "http/endpoints.h"
#include "http/request_guard.h"

namespace foldrank::http {
namespace {

// 303 to `location` (a path of ours), the page's own address bar then no longer
// shows a code.
ApiResponse SeeOther(std::string location) {
  ApiResponse response;
  response.status = 303;
  response.content_type.clear();
  response.headers.emplace_back("Location", std::move(location));
  response.headers.emplace_back("Cache-Control", "no-store");
  response.route = Route::kAdmin;
  return response;
}

// HttpOnly: page scripts cannot read it. SameSite=Strict: other sites' pages do not
// send it (and Api refuses their Origin anyway). A session cookie: it ends with the
// browser.
ApiResponse SignedIn(const std::string& token) {
  ApiResponse response = SeeOther("/admin");
  response.headers.emplace_back("Set-Cookie", std::string(kAdminCookie) + "=" + token +
                                                  "; Path=/; HttpOnly; SameSite=Strict");
  return response;
}

}  // namespace

ApiResponse AdminLoginLink(const EndpointContext& context, const Target& target,
                           LoginCodes& codes) {
  const auto code = target.params.find("code");
  if (context.options.admin_token.empty() || code == target.params.end() ||
      !codes.Redeem(code->second)) {
    return SeeOther("/admin?login=failed");
  }
  return SignedIn(context.options.admin_token);
}

ApiResponse AdminLoginForm(const EndpointContext& context, const ApiRequest& request) {
  auto form = ParseForm(request.body);
  if (!form) return ErrorResponse(BadRequest("bad_form", "the sign-in form could not be read"));
  const auto token = form->find("token");
  if (context.options.admin_token.empty() || token == form->end() ||
      !SameSecret(token->second, context.options.admin_token)) {
    return SeeOther("/admin?login=failed");
  }
  return SignedIn(context.options.admin_token);
}

ApiResponse AdminLogout() {
  ApiResponse response = SeeOther("/admin");
  response.headers.emplace_back(
      "Set-Cookie", std::string(kAdminCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  return response;
}

}  // namespace foldrank::http
