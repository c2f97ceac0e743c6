#pragma once

// Searching: a query in, a ranked page out. Part of the public API.
//
// Threading and ownership: plain values that own everything they hold (copy or
// move them freely); like any value, one may be read from many threads at once but
// written from one.
// FeatureExplanation::name is the exception: it points to static storage.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace foldrank {

// How query text is read.
enum class QueryMode {
  // Text from a search box: analyzed into terms, any of which may match (more
  // matches rank higher). Operators and punctuation have no special meaning, so no
  // input is a syntax error.
  kPlain,
  // Lucene query syntax (field:term, "phrases", AND/OR/NOT, +/-, wildcards, ~, ^).
  // Fields: title, body, tags, all (default: title and all), tag (exact tag).
  kLucene,
};

// One search as a caller asks for it.
struct SearchQuery {
  std::string text;
  QueryMode mode = QueryMode::kPlain;
  int page_size = 10;    // Results on the page (k), 1 or more.
  int offset = 0;        // First position to return (0-based), below `candidates`.
  int candidates = 100;  // How many the index retrieves and the model reranks.
  std::string user;      // The site's user key (stored only as a keyed hash); optional.
  // Exploration: Plackett-Luce sampling temperature (0: deterministic ranking) and
  // the share of rankings that swap position 0 with a random position (RandPair,
  // for position-bias estimates). docs/learning.md explains the defaults.
  double temperature = 0.1;
  double randpair_share = 0.01;
  bool explain = false;  // Attach each result's score breakdown.
  bool snippets = true;  // Off: results carry no snippet (saves ~30 us per result).
  std::size_t snippet_chars = 200;
  // Off: no query id and nothing logged (for evaluations); clicks need a query id.
  bool log_impression = true;
};

// A short passage of a document's text around the query's terms. Plain text, not
// HTML: `highlights` are [begin, end) byte ranges of `text` that matched, in order,
// so each front end escapes and marks them up its own way.
struct Snippet {
  std::string text;
  std::vector<std::pair<std::size_t, std::size_t>> highlights;
  bool truncated_front = false;  // Text was cut before the passage.
  bool truncated_back = false;   // Text was cut after the passage.
};

// One feature's part in a score. `name` points to static storage.
struct FeatureExplanation {
  std::string_view name;
  float raw = 0;
  float normalized = 0;
  float base_contribution = 0;   // weight x value, or tree path contributions.
  float delta_contribution = 0;  // weight x value.
};

// A score's breakdown (SearchQuery::explain).
struct Explanation {
  float score = 0;       // base_total + delta_total.
  float base_total = 0;  // base_bias + sum of base contributions.
  float delta_total = 0;
  float base_bias = 0;  // Linear: bias. Trees: base_score + root expectations.
  float delta_bias = 0;
  std::vector<FeatureExplanation> features;  // In feature-set order.
};

// One result on a page.
struct SearchResult {
  int position = 0;  // 0-based position in the full reranked order.
  std::string id;
  std::string title;
  std::string url;
  Snippet snippet;
  float score = 0;
  double probability = 1;  // Of being placed at this position (1 when deterministic).
  std::optional<Explanation> explanation;
};

// A page of results. Clicks on it refer to its query_id.
struct SearchPage {
  std::string query_id;  // Issued when the impression is logged; clicks refer to it.
  std::uint64_t model_version = 0;
  std::int64_t total_hits = 0;
  std::vector<std::string> terms;
  // Distinct query terms left out of the search: a plain query of more than 64
  // searches its 64 most informative (the rarest in the index); 0 for most queries.
  std::size_t terms_dropped = 0;
  std::vector<SearchResult> results;
};

}  // namespace foldrank
