#include "feedback/internal/json_text.h"

#include <cstdio>

namespace foldrank {

void AppendJsonString(std::string& json, std::string_view text) {
  json += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      json += '\\';
      json += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
      json += escaped;
    } else {
      json += c;
    }
  }
  json += '"';
}

std::string JsonStringArray(std::span<const std::string> texts) {
  std::string json = "[";
  for (const std::string& text : texts) {
    if (json.size() > 1) json += ',';
    AppendJsonString(json, text);
  }
  json += ']';
  return json;
}

std::string JsonIntegerArray(std::span<const std::int64_t> numbers) {
  std::string json = "[";
  for (const std::int64_t number : numbers) {
    if (json.size() > 1) json += ',';
    json += std::to_string(number);
  }
  json += ']';
  return json;
}

}  // namespace foldrank
