#pragma once

// Documents as a site supplies them. Part of the public API.
//
// Threading and ownership: plain values that own everything they hold (copy or
// move them freely); like any value, one may be read from many threads at once but
// written from one.
// ParseDocument and DocumentToJson are pure functions, safe from any thread.

#include <foldrank/result.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace foldrank {

// One searchable document, as a site supplies it (one JSONL line). Only `id` is
// required; text fields default to empty. Fields foldrank does not know are kept,
// verbatim, in `extra_json` and come back with the document.
struct Document {
  std::string id;  // Unique, non-empty, at most kMaxIdBytes bytes of UTF-8.
  std::string title;
  std::string body;
  std::string url;
  std::vector<std::string> tags;
  double popularity = 0;                   // Finite and >= 0; a prior, not a rank.
  std::optional<std::int64_t> updated_at;  // Unix seconds (UTC).
  std::string extra_json = "{}";           // A JSON object of the remaining fields.

  bool operator==(const Document&) const = default;
};

inline constexpr std::size_t kMaxIdBytes = 512;

// What storing a document did (Engine::Put).
enum class DocumentChange { kCreated, kReplaced };

// Parses one JSON object into a Document. InvalidArgument, naming the field, when
// the text is not a JSON object, `id` is missing, empty, too long or not a string,
// an object names a key twice, `url` fails CheckDocumentUrl,
// a known field has the wrong type (title/body/url: string; tags: array of strings;
// popularity: number >= 0; updated_at: RFC 3339 string or Unix seconds), or the
// text is not valid UTF-8. A JSON null counts as an absent field.
Result<Document> ParseDocument(std::string_view json_text);

// OK when `url` is safe to put into a link: empty, an absolute http or https URL
// with a host, or a relative reference (a path, "?query" or "#fragment"). Anything
// else (javascript:, data:, mailto:, control characters, surrounding spaces) is
// InvalidArgument: ParseDocument refuses such a document.
Status CheckDocumentUrl(std::string_view url);

// The document as one line of compact JSON that ParseDocument reads back into an
// equal Document; updated_at is written as RFC 3339 (UTC).
std::string DocumentToJson(const Document& document);

}  // namespace foldrank
