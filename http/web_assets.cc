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
    if (path == "/widget.js") {
      // Embeddable from any origin, like any script.
      response.headers.emplace_back("Access-Control-Allow-Origin", "*");
    }
    return response;
  }
  return std::nullopt;
}

}  // namespace foldrank::http
