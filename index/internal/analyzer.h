#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "index/internal/lucene.h"

namespace foldrank {

// The analysis chain of every text field, at index and query time alike (analysis
// version 2, index/analysis.h): StandardTokenizer -> StandardFilter -> folding
// (FoldWord) -> English stop words for English (keeping position gaps, so phrases
// stay exact) -> the language's Snowball stemmer.
class FoldrankAnalyzer : public Lucene::Analyzer {
 public:
  // Requires: CheckAnalysisLanguage(language) is OK.
  explicit FoldrankAnalyzer(std::string language);
  ~FoldrankAnalyzer() override;
  using String = Lucene::String;  // LUCENE_CLASS names it unqualified.
  LUCENE_CLASS(FoldrankAnalyzer);

  Lucene::TokenStreamPtr tokenStream(const Lucene::String& field_name,
                                     const Lucene::ReaderPtr& reader) override;
  // Reuses one chain per thread (Lucene's per-thread "previous token stream").
  Lucene::TokenStreamPtr reusableTokenStream(const Lucene::String& field_name,
                                             const Lucene::ReaderPtr& reader) override;
  // Keeps phrases from matching across the values of a multi-valued field.
  int32_t getPositionIncrementGap(const Lucene::String& field_name) override;

  const std::string& language() const { return language_; }

 private:
  std::string language_;
};

// One token as the analyzer emitted it.
struct AnalyzedToken {
  Lucene::String term;
  int32_t position_increment = 1;
  int32_t start_offset = 0;  // In wchar_t units of the analyzed text.
  int32_t end_offset = 0;
};

// Runs the chain for `language` over `text`, appending to `tokens`. Each thread
// keeps its own chain per language: no lookup in Lucene's locked per-thread map, no
// attribute lookups, per call. May throw LuceneException; callers sit inside
// Guarded(). Requires: CheckAnalysisLanguage(language) is OK.
void Analyze(std::string_view language, const Lucene::String& text,
             std::vector<AnalyzedToken>& tokens);

// The distinct analyzed terms of `text`, in first-seen order.
std::vector<Lucene::String> AnalyzeDistinctTerms(std::string_view language,
                                                 std::string_view utf8_text);

}  // namespace foldrank
