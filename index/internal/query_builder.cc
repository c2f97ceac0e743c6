#include "index/internal/query_builder.h"

#include <algorithm>
#include <limits>

#include "index/internal/analyzer.h"
#include "index/internal/field_names.h"

namespace foldrank {
namespace {

// Title matches count double in Lucene syntax's default fields (title^2 and all).
constexpr double kTitleBoost = 2.0;

// Lucene's "Cannot parse 'a:(b': Encountered "<EOF>" at line 1, column 4. Was
// expecting one of: <token list>" in our words: where, and what to do instead.
std::string ParseErrorText(const Lucene::String& error) {
  const std::string text = Lucene::StringUtils::toUTF8(error);
  std::string where;
  if (const auto column = text.find("column "); column != std::string::npos) {
    const std::size_t digits = column + 7;
    std::size_t end = digits;
    while (end < text.size() && end - digits < 6 && text[end] >= '0' && text[end] <= '9') ++end;
    if (end > digits) where = " near column " + text.substr(digits, end - digits);
  }
  return "the query is not valid Lucene syntax" + where +
         " (an unclosed bracket or quote, or an operator with nothing after it?); "
         "search with syntax=plain for plain words";
}

// IllegalArgument from a well-formed query, in our words (Lucene's name the inner
// parameters, e.g. "minimumSimilarity >= 1").
Status UnrunnableQuery() {
  return Status::InvalidArgument(
      "the query has an operator value that cannot be run: a fuzzy term takes a similarity "
      "below 1, as in apple~0.8");
}

// Keeps the max_terms terms that the fewest documents hold (ties: the earlier in
// the query), in query order: in a pasted paragraph those carry its meaning, and the
// rest ("system", "use") match half the collection anyway. Terms no document holds
// go first: they can match nothing.
void KeepRarest(BuiltQuery& built, std::size_t max_terms, const Lucene::IndexReaderPtr& reader) {
  std::vector<std::pair<int32_t, std::size_t>> by_rarity;  // (document frequency, position)
  by_rarity.reserve(built.terms.size());
  for (std::size_t i = 0; i < built.terms.size(); ++i) {
    const int32_t held_by =
        reader->docFreq(Lucene::newLucene<Lucene::Term>(fields::kAll, built.terms[i]));
    by_rarity.emplace_back(held_by == 0 ? std::numeric_limits<int32_t>::max() : held_by, i);
  }
  std::stable_sort(by_rarity.begin(), by_rarity.end());
  std::vector<bool> keep(built.terms.size(), false);
  for (std::size_t i = 0; i < max_terms; ++i) keep[by_rarity[i].second] = true;
  std::vector<Lucene::String> kept;
  kept.reserve(max_terms);
  for (std::size_t i = 0; i < built.terms.size(); ++i) {
    if (keep[i]) kept.push_back(std::move(built.terms[i]));
  }
  built.terms_dropped = built.terms.size() - kept.size();
  built.terms = std::move(kept);
}

bool IsTextField(const Lucene::String& field) {
  return field == fields::kTitle || field == fields::kBody || field == fields::kTags ||
         field == fields::kAll;
}

}  // namespace

Result<BuiltQuery> BuildPlainQuery(std::string_view language, std::string_view text,
                                   std::size_t max_terms, const Lucene::IndexReaderPtr& reader) {
  BuiltQuery built;
  built.terms = AnalyzeDistinctTerms(language, text);
  if (built.terms.size() > max_terms) KeepRarest(built, max_terms, reader);
  if (built.terms.empty()) return built;
  // One flat disjunction of all:t for every term (all = title + tags + body), one
  // boolean scorer; coord ranks more matched terms higher. No separate title clause:
  // Lucene's one-byte length norm made a title match outscore everything (a query's
  // common word in a two-word title beat the only document holding all its words),
  // which cost the body-words family four fifths of its MRR@10 and half the topic
  // family's recall@100 (bench/quality, issue 23). Title evidence is the reranker's.
  auto query = Lucene::newLucene<Lucene::BooleanQuery>();
  for (const Lucene::String& term : built.terms) {
    query->add(
        Lucene::newLucene<Lucene::TermQuery>(Lucene::newLucene<Lucene::Term>(fields::kAll, term)),
        Lucene::BooleanClause::SHOULD);
  }
  built.query = query;
  return built;
}

Result<BuiltQuery> BuildLuceneQuery(const Lucene::AnalyzerPtr& analyzer,
                                    const Lucene::IndexSearcherPtr& searcher, std::string_view text,
                                    std::size_t max_terms) {
  auto fields = Lucene::Collection<Lucene::String>::newInstance();
  fields.add(fields::kTitle);
  fields.add(fields::kAll);
  auto boosts = Lucene::MapStringDouble::newInstance();
  boosts.put(fields::kTitle, kTitleBoost);
  // Exact-value fields were indexed verbatim, so their query text must stay verbatim.
  auto per_field = Lucene::newLucene<Lucene::PerFieldAnalyzerWrapper>(analyzer);
  per_field->addAnalyzer(fields::kTag, Lucene::newLucene<Lucene::KeywordAnalyzer>());
  per_field->addAnalyzer(fields::kId, Lucene::newLucene<Lucene::KeywordAnalyzer>());
  // QueryParser is stateful: one per call (LUCENEPP.md pitfall 11).
  auto parser = Lucene::newLucene<Lucene::MultiFieldQueryParser>(Lucene::LuceneVersion::LUCENE_30,
                                                                 fields, per_field, boosts);
  Lucene::QueryPtr parsed;
  try {
    parsed = parser->parse(Lucene::StringUtils::toUnicode(std::string(text)));
  } catch (const Lucene::LuceneException& e) {
    if (e.getType() == Lucene::LuceneException::QueryParser ||
        e.getType() == Lucene::LuceneException::Lookahead) {
      return Status::InvalidArgument(ParseErrorText(e.getError()));
    }
    // A well-formed query Lucene cannot run, e.g. "apple~1" (a fuzzy similarity
    // must be below 1): the query's fault too. Found by fuzz/query_fuzz.
    if (e.getType() == Lucene::LuceneException::IllegalArgument) {
      return UnrunnableQuery();
    }
    throw;
  }
  BuiltQuery built;
  if (!parsed) return built;  // Nothing but stop words.
  try {
    built.query = searcher->rewrite(parsed);
  } catch (const Lucene::LuceneException& e) {
    if (e.getType() == Lucene::LuceneException::IllegalArgument) {
      return UnrunnableQuery();
    }
    if (e.getType() != Lucene::LuceneException::TooManyClauses) throw;
    return Status::InvalidArgument("query expands to more than " +
                                   std::to_string(Lucene::BooleanQuery::getMaxClauseCount()) +
                                   " terms; make wildcards more specific");
  }
  auto terms = Lucene::SetTerm::newInstance();
  built.query->extractTerms(terms);
  for (const Lucene::TermPtr& term : terms) {
    if (!IsTextField(term->field())) continue;
    if (std::find(built.terms.begin(), built.terms.end(), term->text()) == built.terms.end()) {
      built.terms.push_back(term->text());
    }
  }
  // A wildcard may expand to hundreds of terms: legitimate, so statistics keep the
  // first max_terms rather than failing the query.
  if (built.terms.size() > max_terms) built.terms.resize(max_terms);
  return built;
}

}  // namespace foldrank
