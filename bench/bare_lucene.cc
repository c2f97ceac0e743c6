#include "bench/bare_lucene.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "bench/bench_util.h"
#include "index/analysis.h"
#include "index/index.h"
#include "index/internal/analyzer.h"

namespace foldrank::bench {
namespace {

using Lucene::newLucene;

Lucene::String Wide(const std::string& text) { return Lucene::StringUtils::toUnicode(text); }

// Search-box text as terms: Lucene++ keeps QueryParser::escape protected, so a bare
// program escapes the syntax characters itself.
Lucene::String EscapeSyntax(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c != '\0' && std::strchr("\\+-!():^[]\"{}~*?|&/", c) != nullptr) escaped += '\\';
    escaped += c;
  }
  return Wide(escaped);
}

}  // namespace

struct BareLucene::Impl {
  double index_seconds = 0;
  Lucene::IndexReaderPtr reader;
  Lucene::IndexSearcherPtr searcher;
  Lucene::QueryParserPtr parser;  // One thread: one parser is enough.
  Lucene::Collection<Lucene::String> ids;
};

BareLucene::BareLucene(const std::vector<std::string>& lines, const std::filesystem::path& dir,
                       bool optimize)
    : impl_(std::make_unique<Impl>()) {
  using Lucene::Field;
  std::filesystem::create_directories(dir);
  const auto start = Clock::now();
  Lucene::AnalyzerPtr analyzer = newLucene<FoldrankAnalyzer>(std::string(kDefaultLanguage));
  auto directory = Lucene::FSDirectory::open(Wide(dir.string()));
  auto writer = newLucene<Lucene::IndexWriter>(directory, analyzer, true,
                                               Lucene::IndexWriter::MaxFieldLengthUNLIMITED);
  writer->setRAMBufferSizeMB(IndexOptions{}.ram_buffer_mb);
  for (const std::string& line : lines) {
    nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    if (!json.is_object() || !json.contains("id")) continue;
    std::string tags;
    for (const auto& tag : json.value("tags", nlohmann::json::array())) {
      tags += tag.get<std::string>() + " ";
    }
    const std::string title = json.value("title", ""), body = json.value("body", "");
    auto doc = newLucene<Lucene::Document>();
    const Lucene::String id = Wide(json["id"].get<std::string>());
    doc->add(newLucene<Field>(L"id", id, Field::STORE_NO, Field::INDEX_NOT_ANALYZED_NO_NORMS));
    doc->add(newLucene<Field>(L"title", Wide(title), Field::STORE_NO, Field::INDEX_ANALYZED));
    doc->add(newLucene<Field>(L"body", Wide(body), Field::STORE_NO, Field::INDEX_ANALYZED));
    doc->add(newLucene<Field>(L"tags", Wide(tags), Field::STORE_NO, Field::INDEX_ANALYZED));
    doc->add(newLucene<Field>(L"all", Wide(title + " " + tags + " " + body), Field::STORE_NO,
                              Field::INDEX_ANALYZED));
    doc->add(newLucene<Field>(L"_source", Wide(line), Field::STORE_YES, Field::INDEX_NO));
    writer->updateDocument(newLucene<Lucene::Term>(L"id", id), doc);
  }
  if (optimize) writer->optimize();
  writer->commit();
  impl_->reader = writer->getReader();
  writer->close();
  impl_->index_seconds = SecondsSince(start);
  impl_->searcher = newLucene<Lucene::IndexSearcher>(impl_->reader);
  auto fields = Lucene::Collection<Lucene::String>::newInstance();
  fields.add(L"title");
  fields.add(L"all");
  auto boosts = Lucene::MapStringDouble::newInstance();
  boosts.put(L"title", 2.0);
  impl_->parser = newLucene<Lucene::MultiFieldQueryParser>(Lucene::LuceneVersion::LUCENE_30, fields,
                                                           analyzer, boosts);
  impl_->ids = Lucene::FieldCache::DEFAULT()->getStrings(impl_->reader, L"id");
}

BareLucene::~BareLucene() {
  impl_->searcher->close();
  impl_->reader->close();
}

double BareLucene::index_seconds() const { return impl_->index_seconds; }

int BareLucene::segment_count() const {
  return static_cast<int>(impl_->reader->getSequentialSubReaders().size());
}

std::size_t BareLucene::Retrieve(const std::string& query, int k) const {
  try {
    auto top = impl_->searcher->search(impl_->parser->parse(EscapeSyntax(query)), k);
    std::size_t found = 0;
    for (const auto& hit : top->scoreDocs) found += !impl_->ids[hit->doc].empty();
    return found;
  } catch (const Lucene::LuceneException&) {
    return 0;
  }
}

std::vector<std::string> BareLucene::Search(const std::string& query, int k) const {
  std::vector<std::string> ids;
  try {
    auto top = impl_->searcher->search(impl_->parser->parse(EscapeSyntax(query)), k);
    for (const auto& hit : top->scoreDocs) {
      ids.push_back(Lucene::StringUtils::toUTF8(impl_->ids[hit->doc]));
    }
  } catch (const Lucene::LuceneException&) {
  }
  return ids;
}

}  // namespace foldrank::bench
