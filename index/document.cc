#include "foldrank/document.h"

#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>

#include "common/strict_json.h"
#include "common/utf8.h"
#include "index/timestamp.h"

namespace foldrank {
namespace {

using Json = nlohmann::json;

// Deeper JSON is rejected before it is built: nothing a document needs nests this
// far, and bounded depth keeps recursion in the JSON library shallow.
constexpr int kMaxDepth = 64;

// Earliest and latest instants we accept: 0000-01-01 and 9999-12-31T23:59:59Z, the
// range RFC 3339 can write.
constexpr std::int64_t kMinUnixSeconds = -62167219200;
constexpr std::int64_t kMaxUnixSeconds = 253402300799;

Status WrongType(std::string_view field, std::string_view expected, const Json& value) {
  return Status::InvalidArgument("field '" + std::string(field) + "' must be " +
                                 std::string(expected) + ", got " + value.type_name());
}

Result<std::string> StringField(const Json& value, std::string_view field) {
  if (!value.is_string()) return WrongType(field, "a string", value);
  return value.get<std::string>();
}

Result<std::int64_t> TimestampField(const Json& value) {
  double seconds = 0;
  if (value.is_string()) {
    auto parsed = ParseRfc3339(value.get_ref<const std::string&>());
    if (!parsed) return parsed.error().WithContext("field 'updated_at'");
    seconds = static_cast<double>(*parsed);
  } else if (value.is_number()) {
    seconds = value.get<double>();
    if (!std::isfinite(seconds)) {
      return Status::InvalidArgument("field 'updated_at' must be finite");
    }
  } else {
    return WrongType("updated_at", "an RFC 3339 string or Unix seconds", value);
  }
  if (seconds < static_cast<double>(kMinUnixSeconds) ||
      seconds > static_cast<double>(kMaxUnixSeconds)) {
    return Status::InvalidArgument("field 'updated_at' is outside years 0000-9999");
  }
  // Integers arrive exactly; fractional seconds are truncated like RFC 3339 fractions.
  if (value.is_number_integer()) return value.get<std::int64_t>();
  return static_cast<std::int64_t>(std::trunc(seconds));
}

Status ReadField(const std::string& key, const Json& value, Document& document, Json& extra) {
  if (key == "id") {
    auto id = StringField(value, "id");
    if (!id) return id.error();
    if (id->empty()) return Status::InvalidArgument("field 'id' must not be empty");
    if (id->size() > kMaxIdBytes) {
      return Status::InvalidArgument("field 'id' is longer than " + std::to_string(kMaxIdBytes) +
                                     " bytes");
    }
    document.id = std::move(*id);
  } else if (key == "url") {
    auto url = StringField(value, key);
    if (!url) return url.error();
    FOLDRANK_RETURN_IF_ERROR(CheckDocumentUrl(*url));
    document.url = std::move(*url);
  } else if (key == "title" || key == "body") {
    auto text = StringField(value, key);
    if (!text) return text.error();
    (key == "title" ? document.title : document.body) = std::move(*text);
  } else if (key == "tags") {
    if (!value.is_array()) return WrongType("tags", "an array of strings", value);
    for (const Json& tag : value) {
      if (!tag.is_string()) return WrongType("tags", "an array of strings", tag);
      document.tags.push_back(tag.get<std::string>());
    }
  } else if (key == "popularity") {
    if (!value.is_number()) return WrongType("popularity", "a number", value);
    const double popularity = value.get<double>();
    if (!std::isfinite(popularity) || popularity < 0) {
      return Status::InvalidArgument("field 'popularity' must be a finite number >= 0");
    }
    document.popularity = popularity;
  } else if (key == "updated_at") {
    auto seconds = TimestampField(value);
    if (!seconds) return seconds.error();
    document.updated_at = *seconds;
  } else {
    extra[key] = value;
  }
  return Status::Ok();
}

}  // namespace

Status CheckDocumentUrl(std::string_view url) {
  if (url.empty()) return Status::Ok();
  // Browsers drop leading and trailing spaces and controls and remove tabs and
  // newlines anywhere before they parse a URL (" java\tscript:..." runs script), so
  // none of those may appear: what we check is then what a browser reads.
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return Status::InvalidArgument("field 'url' must not contain control characters");
    }
  }
  if (url.front() == ' ' || url.back() == ' ') {
    return Status::InvalidArgument("field 'url' must not begin or end with a space");
  }
  // A scheme, as a browser finds one: a letter, then letters, digits, '+', '-' or
  // '.', up to a ':'. Anything else before the first ':' makes a relative reference.
  auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  std::size_t end = 0;
  if (is_alpha(url.front())) {
    end = 1;
    while (end < url.size() && (is_alpha(url[end]) || (url[end] >= '0' && url[end] <= '9') ||
                                url[end] == '+' || url[end] == '-' || url[end] == '.')) {
      ++end;
    }
  }
  if (end == 0 || end >= url.size() || url[end] != ':') return Status::Ok();  // Relative.
  std::string scheme(url.substr(0, end));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") {
    return Status::InvalidArgument(
        "field 'url' must be an http or https URL or a relative path, not a '" +
        SanitizeUtf8(scheme.substr(0, 32)) + ":' URL");
  }
  const std::string_view rest = url.substr(end + 1);
  if (rest.size() < 3 || rest.substr(0, 2) != "//" || rest[2] == '/') {
    return Status::InvalidArgument("field 'url' is an " + scheme + " URL without a host");
  }
  return Status::Ok();
}

Result<Document> ParseDocument(std::string_view json_text) {
  StrictJson parsed = ParseStrictJson(json_text, kMaxDepth);
  if (parsed.problem != StrictJson::Problem::kNone) {
    return Status::InvalidArgument(std::move(parsed.message));
  }
  Json& root = parsed.value;
  if (!root.is_object()) {
    return Status::InvalidArgument(std::string("expected a JSON object, got ") + root.type_name());
  }
  Document document;
  Json extra = Json::object();
  for (auto& [key, value] : root.items()) {
    if (value.is_null()) continue;
    FOLDRANK_RETURN_IF_ERROR(ReadField(key, value, document, extra));
  }
  if (document.id.empty()) return Status::InvalidArgument("missing required field 'id'");
  document.extra_json = extra.dump();
  return document;
}

std::string DocumentToJson(const Document& document) {
  Json json = Json::object();
  if (!document.extra_json.empty()) {
    // extra_json came from ParseDocument or from code that built a Document; if the
    // latter put in something that is not an object, it is dropped rather than
    // producing a line that cannot be read back.
    Json extra = Json::parse(document.extra_json, nullptr, /*allow_exceptions=*/false);
    if (extra.is_object()) json = std::move(extra);
  }
  json["id"] = document.id;
  json["title"] = document.title;
  json["body"] = document.body;
  json["url"] = document.url;
  json["tags"] = document.tags;
  json["popularity"] = document.popularity;
  if (document.updated_at) json["updated_at"] = FormatRfc3339(*document.updated_at);
  // Invalid UTF-8 can only come from code that built a Document by hand; replace it
  // rather than throw.
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace foldrank
