#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace foldrank {

// The ranking features, in column order. The set has a name and a version; a model
// names the set it was trained on, and a model for another set does not load.
// Change the list -> bump kFeatureSetVersion.
//
// Missing values: one rule, in training and serving alike. Every feature has a
// value for "no data" (the last column below), used whenever its input is absent;
// any computation that would give NaN or infinity gives that value instead. So no
// NaN or infinity ever reaches a model.
enum class Feature : int {
  kBm25Title,          // BM25 (k1 1.2, b 0.75) of the query terms in the title.   no data: 0
  kBm25Body,           // ... in the body.                                          0
  kBm25All,            // ... in title + tags + body as one field.                  0
  kRetrievalScore,     // Lucene's retrieval score.                                 0
  kCoverageTitle,      // Share of query terms present in the title, 0..1.          0
  kCoverageBody,       // ... in the body.                                          0
  kPhraseInTitle,      // 1 if the title holds the query terms as a phrase.         0
  kProximityBody,      // terms / smallest body window holding all terms, 0..1.     0
  kLogTitleLength,     // ln(1 + title tokens).                                     0
  kLogBodyLength,      // ln(1 + body tokens).                                      0
  kLogPopularity,      // ln(1 + popularity).                                       0
  kFreshness,          // 0.5 ^ (age in days / 180); 1 = updated now.               0
  kQueryLength,        // Distinct analyzed query terms.                            0
  kSumIdf,             // Sum of the query terms' BM25 IDF over all text.           0
  kClickRateDoc,       // Clicks over expected clicks of the document, smoothed.    1
  kClickRateQueryDoc,  // ... of the document for this query, smoothed.             1
};

inline constexpr std::size_t kFeatureCount = 16;
inline constexpr std::string_view kFeatureSetName = "foldrank-features";
inline constexpr int kFeatureSetVersion = 1;

// Column names, as models and explanations spell them.
inline constexpr std::array<std::string_view, kFeatureCount> kFeatureNames = {
    "bm25_title",       "bm25_body",       "bm25_all",        "retrieval_score",
    "coverage_title",   "coverage_body",   "phrase_in_title", "proximity_body",
    "log_title_length", "log_body_length", "log_popularity",  "freshness",
    "query_length",     "sum_idf",         "click_rate_doc",  "click_rate_query_doc"};

// The value each feature takes when its input is missing (see above).
inline constexpr std::array<float, kFeatureCount> kFeatureDefaults = {0, 0, 0, 0, 0, 0, 0, 0,
                                                                      0, 0, 0, 0, 0, 0, 1, 1};

inline constexpr std::size_t Column(Feature feature) { return static_cast<std::size_t>(feature); }

// The column of a feature name, or nullopt if the set has no such feature.
std::optional<std::size_t> FeatureColumn(std::string_view name);

}  // namespace foldrank
