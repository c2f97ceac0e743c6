#include "http/endpoints.h"
#include "http/web_files.h"

namespace foldrank::http {

std::optional<ApiResponse> WebAsset(std::string_view path) {
  for (const WebFile& file : WebFiles()) {
    if (file.path != path) continue;
    ApiResponse response;
    response.content_type = std::string(file.content_type);
    response.body = std::string(file.body);
    response.headers.emplace_back("Cache-Control", "no-cache");
    if (path == "/widget.js" || path == "/widget.css") {
      // Embeddable from any origin, like any script or stylesheet.
      response.headers.emplace_back("Access-Control-Allow-Origin", "*");
    }
    if (file.content_type.substr(0, 9) == "text/html") {
      // Our pages run only our own files (no inline script or style: nothing a
      // document could smuggle in runs), submit forms only to us, and are framed by
      // nobody (no clickjacking of the admin page's buttons).
      response.headers.emplace_back("Content-Security-Policy",
                                    "default-src 'self'; base-uri 'none'; form-action 'self'; "
                                    "frame-ancestors 'none'");
      response.headers.emplace_back("X-Frame-Options", "DENY");
    }
    return response;
  }
  return std::nullopt;
}

}  // namespace foldrank::http
