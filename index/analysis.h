#pragma once

// What an index's text analysis is, and the record of it each index keeps, so that
// an index is never searched with another analysis than the one that built it.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "foldrank/result.h"

namespace foldrank {

// The analysis this build runs, at index and query time alike:
//  1 (no record): Lucene++'s PorterStemFilter, which stems about 7.5% of a
//    technical vocabulary wrongly (kinetics -> kineti, kinetic -> kinet).
//  2: StandardTokenizer; Unicode NFKC, case folding and accent folding (utf8proc:
//    "ＣＡＣＨＥ", "ﬁle", "cachés" read "cache", "file", "caches"); English stop words
//    for English; the language's Snowball stemmer (libstemmer, as Xapian and
//    PostgreSQL use).
inline constexpr int kAnalysisVersion = 2;
inline constexpr std::string_view kDefaultLanguage = "english";

struct AnalysisRecord {
  int version = kAnalysisVersion;
  std::string language = std::string(kDefaultLanguage);
};

// The languages with a Snowball stemmer here ("english", "german", "porter", ...).
std::vector<std::string> AnalysisLanguages();
// InvalidArgument, listing the languages, for one without a stemmer.
Status CheckAnalysisLanguage(std::string_view language);

// The record in `index_dir` (analysis.json). NotFound when there is none (an index
// built before records existed: version 1); Corruption when it cannot be read.
Result<AnalysisRecord> ReadAnalysisRecord(const std::filesystem::path& index_dir);
// Writes it atomically (a temporary file renamed over). Unavailable on a disk error.
Status WriteAnalysisRecord(const std::filesystem::path& index_dir, const AnalysisRecord& record);

}  // namespace foldrank
