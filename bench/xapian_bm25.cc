#include "bench/xapian_bm25.h"

#include <xapian.h>

#include <nlohmann/json.hpp>

namespace foldrank::bench {

struct XapianBm25::Impl {
  Xapian::WritableDatabase database;
  Xapian::Stem stemmer{"english"};
};

XapianBm25::XapianBm25(const std::vector<std::string>& lines, const std::filesystem::path& dir)
    : impl_(std::make_unique<Impl>()) {
  impl_->database = Xapian::WritableDatabase(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator generator;
  generator.set_stemmer(impl_->stemmer);
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  for (const std::string& line : lines) {
    nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    if (!json.is_object() || !json.contains("id")) continue;
    Xapian::Document document;
    generator.set_document(document);
    generator.index_text(json.value("title", ""));
    generator.increase_termpos();
    for (const auto& tag : json.value("tags", nlohmann::json::array())) {
      generator.index_text(tag.get<std::string>());
      generator.increase_termpos();
    }
    generator.index_text(json.value("body", ""));
    const std::string id = json["id"].get<std::string>();
    document.set_data(id);
    document.add_boolean_term("Q" + id);
    impl_->database.replace_document("Q" + id, document);
  }
  impl_->database.commit();
}

XapianBm25::~XapianBm25() = default;

std::vector<std::string> XapianBm25::Search(const std::string& query, int k) const {
  Xapian::QueryParser parser;
  parser.set_stemmer(impl_->stemmer);
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_OR);
  std::vector<std::string> ids;
  try {
    Xapian::Enquire enquire(impl_->database);
    enquire.set_query(parser.parse_query(query));  // BM25Weight is Enquire's default.
    const Xapian::MSet matches = enquire.get_mset(0, static_cast<Xapian::doccount>(k));
    for (auto match = matches.begin(); match != matches.end(); ++match) {
      ids.push_back(match.get_document().get_data());
    }
  } catch (const Xapian::Error&) {
  }
  return ids;
}

}  // namespace foldrank::bench
