#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "foldrank/result.h"
#include "index/internal/lucene.h"

namespace foldrank {

// A Lucene query with the analyzed terms it searches for (text only, distinct,
// across text fields), ready for the searcher.
struct BuiltQuery {
  Lucene::QueryPtr query;  // Null when the text analyzed to nothing (all stop words).
  std::vector<Lucene::String> terms;
  std::size_t terms_dropped = 0;  // Distinct terms left out (plain text past max_terms).
};

// Plain search-box text: every analyzed term, in title (boosted) or in all text.
// Built directly, not parsed, so no input is a syntax error. Text with more than
// max_terms distinct terms (a pasted paragraph) searches the max_terms most
// informative: the rarest in `reader` (fewest documents hold them), in query order.
// May throw LuceneException.
Result<BuiltQuery> BuildPlainQuery(std::string_view language, std::string_view text,
                                   std::size_t max_terms, const Lucene::IndexReaderPtr& reader);

// Lucene query syntax, rewritten against `searcher` (so wildcards are expanded and
// their terms are known). InvalidArgument, pointing at the problem, for a syntax
// error or an expansion past Lucene's clause limit. `terms` keeps at most max_terms
// (a wildcard can expand to hundreds). May throw LuceneException.
Result<BuiltQuery> BuildLuceneQuery(const Lucene::AnalyzerPtr& analyzer,
                                    const Lucene::IndexSearcherPtr& searcher, std::string_view text,
                                    std::size_t max_terms);

}  // namespace foldrank
