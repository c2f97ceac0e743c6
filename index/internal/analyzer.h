#pragma once

#include <string_view>
#include <vector>

#include "index/internal/lucene.h"

namespace foldrank {

// The analysis chain used for every text field, at index and query time alike:
// StandardTokenizer -> StandardFilter -> lowercase -> English stop words (keeping
// position gaps, so phrases stay exact) -> Porter stemming.
class FoldrankAnalyzer : public Lucene::Analyzer {
 public:
  FoldrankAnalyzer();
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

 private:
  Lucene::CharArraySetPtr stop_words_;
};

// One token as the analyzer emitted it.
struct AnalyzedToken {
  Lucene::String term;
  int32_t position_increment = 1;
  int32_t start_offset = 0;  // In wchar_t units of the analyzed text.
  int32_t end_offset = 0;
};

// Runs FoldrankAnalyzer's chain over `text`, appending to `tokens`. Each thread
// keeps its own chain: no lookup in Lucene's locked per-thread map, no attribute
// lookups, per call. May throw LuceneException; callers sit inside Guarded().
void Analyze(const Lucene::String& text, std::vector<AnalyzedToken>& tokens);

// The distinct analyzed terms of `text`, in first-seen order.
std::vector<Lucene::String> AnalyzeDistinctTerms(std::string_view utf8_text);

}  // namespace foldrank
