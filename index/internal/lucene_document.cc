#include "index/internal/lucene_document.h"

#include <algorithm>
#include <cstdio>

#include "index/internal/field_names.h"
#include "index/internal/replay_token_stream.h"

namespace foldrank {
namespace {

using Lucene::Field;
using Lucene::newLucene;

Lucene::String Wide(const std::string& text) { return Lucene::StringUtils::toUnicode(text); }

// A not-analyzed, unstored value: an exact key or a FieldCache column.
Lucene::FieldPtr KeywordField(const wchar_t* name, const Lucene::String& value) {
  return newLucene<Field>(name, value, Field::STORE_NO, Field::INDEX_NOT_ANALYZED_NO_NORMS);
}

Lucene::FieldPtr ReplayField(const wchar_t* name, const std::vector<AnalyzedToken>& tokens) {
  return newLucene<Field>(name, newLucene<ReplayTokenStream>(&tokens));
}

// Field values are analyzed separately but indexed as one stream per field; the
// gap keeps a phrase from matching across two tags.
constexpr int32_t kTagGap = 100;

}  // namespace

void BuildLuceneDocument(const Document& document, std::string_view language, LuceneDocument& out) {
  out.title.clear();
  out.tags.clear();
  out.body.clear();
  Analyze(language, Wide(document.title), out.title);
  for (const std::string& tag : document.tags) {
    const std::size_t first = out.tags.size();
    Analyze(language, Wide(tag), out.tags);
    if (first > 0 && first < out.tags.size()) out.tags[first].position_increment += kTagGap;
  }
  Analyze(language, Wide(document.body), out.body);

  out.document = newLucene<Lucene::Document>();
  Lucene::DocumentPtr& doc = out.document;
  doc->add(KeywordField(fields::kId, Wide(document.id)));
  doc->add(ReplayField(fields::kTitle, out.title));
  doc->add(ReplayField(fields::kTags, out.tags));
  doc->add(ReplayField(fields::kBody, out.body));
  // `all` is multi-valued: Lucene puts the analyzer's position gap between values.
  doc->add(ReplayField(fields::kAll, out.title));
  doc->add(ReplayField(fields::kAll, out.tags));
  doc->add(ReplayField(fields::kAll, out.body));
  for (const std::string& tag : document.tags) doc->add(KeywordField(fields::kTag, Wide(tag)));

  const auto count = [](std::size_t n) {
    return Lucene::StringUtils::toString(static_cast<int32_t>(n));
  };
  doc->add(KeywordField(fields::kTitleLength, count(out.title.size())));
  doc->add(KeywordField(fields::kBodyLength, count(out.body.size())));
  doc->add(KeywordField(fields::kAllLength,
                        count(out.title.size() + out.tags.size() + out.body.size())));
  char number[32];
  std::snprintf(number, sizeof(number), "%.17g", document.popularity);
  doc->add(KeywordField(fields::kPopularity, Wide(number)));
  if (document.updated_at) {
    doc->add(KeywordField(fields::kUpdatedAt, Lucene::StringUtils::toString(*document.updated_at)));
  }
  // Stored as UTF-8 bytes: no wide-string round trip when a result page reads it.
  const std::string source = DocumentToJson(document);
  Lucene::ByteArray bytes = Lucene::ByteArray::newInstance(static_cast<int32_t>(source.size()));
  std::copy(source.begin(), source.end(), bytes.get());
  doc->add(newLucene<Field>(fields::kSource, bytes, Field::STORE_YES));
}

}  // namespace foldrank
