#include <chrono>

#include "http/endpoints.h"

namespace foldrank::http {
namespace {

void EscapeHtml(std::string_view text, std::string& out) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
}

// The snippet as HTML-escaped text with <mark> around the matches: safe to insert.
std::string SnippetHtml(const Snippet& snippet) {
  std::string html;
  if (snippet.truncated_front) html += "\xE2\x80\xA6";
  std::size_t at = 0;
  for (const auto& [begin, end] : snippet.highlights) {
    if (begin < at || end > snippet.text.size()) continue;
    EscapeHtml(std::string_view(snippet.text).substr(at, begin - at), html);
    html += "<mark>";
    EscapeHtml(std::string_view(snippet.text).substr(begin, end - begin), html);
    html += "</mark>";
    at = end;
  }
  EscapeHtml(std::string_view(snippet.text).substr(at), html);
  if (snippet.truncated_back) html += "\xE2\x80\xA6";
  return html;
}

// The snippet as runs of text, each marked or not ({"text", "mark"}), for pages that
// build the DOM with textContent (web/widget.js): no HTML to parse.
nlohmann::json SnippetParts(const Snippet& snippet) {
  nlohmann::json parts = nlohmann::json::array();
  std::string plain = snippet.truncated_front ? "\xE2\x80\xA6" : "";
  std::size_t at = 0;
  for (const auto& [begin, end] : snippet.highlights) {
    if (begin < at || end > snippet.text.size()) continue;
    plain.append(snippet.text, at, begin - at);
    if (!plain.empty()) parts.push_back({{"text", plain}, {"mark", false}});
    plain.clear();
    parts.push_back({{"text", snippet.text.substr(begin, end - begin)}, {"mark", true}});
    at = end;
  }
  plain.append(snippet.text, at);
  if (snippet.truncated_back) plain += "\xE2\x80\xA6";
  if (!plain.empty()) parts.push_back({{"text", plain}, {"mark", false}});
  return parts;
}

nlohmann::json ExplanationJson(const Explanation& explanation) {
  nlohmann::json features = nlohmann::json::array();
  for (const FeatureExplanation& feature : explanation.features) {
    features.push_back({{"name", feature.name},
                        {"raw", feature.raw},
                        {"normalized", feature.normalized},
                        {"base", feature.base_contribution},
                        {"delta", feature.delta_contribution}});
  }
  return {{"score", explanation.score},
          {"base_total", explanation.base_total},
          {"delta_total", explanation.delta_total},
          {"base_bias", explanation.base_bias},
          {"delta_bias", explanation.delta_bias},
          {"features", std::move(features)}};
}

}  // namespace

ApiResponse Search(const EndpointContext& context, const Target& target, bool admin, bool log) {
  const auto start = std::chrono::steady_clock::now();
  SearchQuery request;
  request.temperature = context.options.temperature;
  request.randpair_share = context.options.randpair_share;
  for (const auto& [name, value] : target.params) {
    if (name == "q") {
      request.text = value;
    } else if (name == "k") {
      auto number = ParseInteger(name, value, 1, context.options.max_page_size);
      if (!number) return ErrorResponse(BadRequest("bad_parameter", number.error().message()));
      request.page_size = static_cast<int>(*number);
    } else if (name == "offset") {
      // Results are reranked from the top `candidates`: a page starts among them.
      auto number = ParseInteger(name, value, 0, request.candidates - 1);
      if (!number) {
        return ErrorResponse(
            BadRequest("bad_parameter", std::string(number.error().message()) +
                                            " (results are reranked from the top " +
                                            std::to_string(request.candidates) + ")"));
      }
      request.offset = static_cast<int>(*number);
    } else if (name == "user") {
      if (value.size() > 256) {
        return ErrorResponse(BadRequest("bad_parameter", "'user' is longer than 256 bytes"));
      }
      request.user = value;
    } else if (name == "syntax") {
      if (value != "plain" && value != "lucene") {
        return ErrorResponse(BadRequest("bad_parameter", "'syntax' must be plain or lucene"));
      }
      request.mode = value == "lucene" ? QueryMode::kLucene : QueryMode::kPlain;
    } else if (name == "explain" || name == "explore" || name == "log") {
      // Admin-only (the caller checked): explain=1 adds each result's explanation;
      // explore=0 ranks deterministically and log=0 leaves no impression, for
      // evaluations such as foldrank simulate --url.
      if (value != "0" && value != "1") {
        return ErrorResponse(BadRequest("bad_parameter", "'" + name + "' must be 0 or 1"));
      }
      const bool on = value == "1";
      if (name == "explain") request.explain = admin && on;
      if (name == "explore" && !on && admin) request.temperature = 0;
      if (name == "explore" && !on && admin) request.randpair_share = 0;
      if (name == "log" && !on && admin) request.log_impression = false;
    } else {
      return ErrorResponse(BadRequest(
          "unknown_parameter",
          "unknown parameter '" + name.substr(0, 64) +
              "' (known: q, k, offset, user, syntax; for admins explain, explore, log)"));
    }
  }
  if (request.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return ErrorResponse(BadRequest("empty_query", "'q' is missing or empty"));
  }
  if (request.text.size() > context.options.max_query_bytes) {
    return ErrorResponse(BadRequest(
        "query_too_long",
        "'q' is longer than " + std::to_string(context.options.max_query_bytes) + " bytes"));
  }
  if (!log) request.log_impression = false;  // HEAD: nothing to show, nothing to log.
  auto page = context.engine.Search(request);
  if (!page) {
    if (page.error().code() == Status::Code::kInvalidArgument) {
      return ErrorResponse(BadRequest("bad_query", page.error().message()));
    }
    return InternalError(page.error());
  }
  nlohmann::json results = nlohmann::json::array();
  for (const SearchResult& result : page->results) {
    nlohmann::json item = {{"position", result.position},
                           {"id", result.id},
                           {"title", result.title},
                           {"url", result.url},
                           {"snippet", result.snippet.text},
                           {"snippet_html", SnippetHtml(result.snippet)},
                           {"snippet_parts", SnippetParts(result.snippet)},
                           {"score", result.score}};
    if (result.explanation) item["explanation"] = ExplanationJson(*result.explanation);
    results.push_back(std::move(item));
  }
  const double took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ApiResponse response = JsonResponse(200, {{"query_id", page->query_id},
                                            {"model_version", page->model_version},
                                            {"took_ms", took_ms},
                                            {"total", page->total_hits},
                                            {"terms_dropped", page->terms_dropped},
                                            {"results", std::move(results)}});
  response.query_id = page->query_id;
  return response;
}

}  // namespace foldrank::http
