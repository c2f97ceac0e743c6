#pragma once

#include <string_view>
#include <vector>

namespace foldrank::http {

// A file of web/ compiled into the binary (see embed_web.cmake).
struct WebFile {
  std::string_view path;  // The URL path it is served at.
  std::string_view content_type;
  std::string_view body;
};
const std::vector<WebFile>& WebFiles();

}  // namespace foldrank::http
