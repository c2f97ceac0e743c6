#include "http/query_string.h"

#include <cctype>

#include "common/utf8.h"

namespace foldrank::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return Status::InvalidArgument("broken percent escape at byte " + std::to_string(i));
      }
      decoded.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      decoded.push_back(' ');
    } else {
      decoded.push_back(c);
    }
  }
  if (!IsValidUtf8(decoded)) return Status::InvalidArgument("not valid UTF-8 once decoded");
  return decoded;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded.push_back(c);
    } else {
      encoded += '%';
      encoded += kHex[u >> 4];
      encoded += kHex[u & 15];
    }
  }
  return encoded;
}

Result<std::map<std::string, std::string, std::less<>>> ParseForm(std::string_view body) {
  std::map<std::string, std::string, std::less<>> params;
  while (!body.empty()) {
    const std::size_t end = body.find('&');
    const std::string_view pair = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    auto name = PercentDecode(pair.substr(0, equals), true);
    if (!name) return name.error().WithContext("parameter name");
    auto value = PercentDecode(
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1), true);
    if (!value) return value.error().WithContext("parameter '" + *name + "'");
    if (!params.emplace(std::move(*name), std::move(*value)).second) {
      return Status::InvalidArgument("parameter '" + std::string(pair.substr(0, equals)) +
                                     "' is given more than once");
    }
  }
  return params;
}

Result<Target> ParseTarget(std::string_view target) {
  const std::size_t question = target.find('?');
  Target parsed;
  auto path = PercentDecode(target.substr(0, question), false);
  if (!path) return path.error().WithContext("path");
  parsed.path = std::move(*path);
  if (question != std::string_view::npos) {
    auto params = ParseForm(target.substr(question + 1));
    if (!params) return params.error();
    parsed.params = std::move(*params);
  }
  return parsed;
}

}  // namespace foldrank::http
