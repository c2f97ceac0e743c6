#pragma once

#include <vector>

#include "foldrank/document.h"
#include "index/internal/analyzer.h"

namespace foldrank {

// A Document as Lucene fields (see field_names.h), with the analyzed tokens its text
// fields replay. Text is analyzed once: the same tokens feed a field, the `all`
// field and the exact length counts. Keep the object alive until the IndexWriter
// call that consumes `document` returns.
struct LuceneDocument {
  std::vector<AnalyzedToken> title;
  std::vector<AnalyzedToken> tags;
  std::vector<AnalyzedToken> body;
  Lucene::DocumentPtr document;
};

// Fills `out` from `document`. May throw LuceneException (callers are Guarded).
// `language` is the index's analysis language.
void BuildLuceneDocument(const Document& document, std::string_view language, LuceneDocument& out);

}  // namespace foldrank
