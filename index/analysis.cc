#include "index/analysis.h"

#include <libstemmer.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace foldrank {
namespace {

constexpr const char* kRecordFile = "analysis.json";

}  // namespace

std::vector<std::string> AnalysisLanguages() {
  std::vector<std::string> languages;
  for (const char** name = sb_stemmer_list(); *name != nullptr; ++name) languages.push_back(*name);
  return languages;
}

Status CheckAnalysisLanguage(std::string_view language) {
  std::string known;
  for (const std::string& name : AnalysisLanguages()) {
    if (name == language) return Status::Ok();
    known += (known.empty() ? "" : ", ") + name;
  }
  return Status::InvalidArgument("no stemmer for language '" + std::string(language.substr(0, 40)) +
                                 "' (known: " + known + ")");
}

Result<AnalysisRecord> ReadAnalysisRecord(const std::filesystem::path& index_dir) {
  const auto path = index_dir / kRecordFile;
  std::ifstream in(path);
  if (!in) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      return Status::NotFound("no analysis record in " + index_dir.string());
    }
    return Status::Unavailable("cannot read " + path.string());
  }
  const nlohmann::json json = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("version") || !json["version"].is_number_integer() ||
      !json.contains("language") || !json["language"].is_string()) {
    return Status::Corruption(path.string() + " is not an analysis record");
  }
  AnalysisRecord record;
  record.version = json["version"].get<int>();
  record.language = json["language"].get<std::string>();
  return record;
}

Status WriteAnalysisRecord(const std::filesystem::path& index_dir, const AnalysisRecord& record) {
  const auto path = index_dir / kRecordFile;
  const auto temporary = index_dir / (std::string(kRecordFile) + ".tmp");
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << nlohmann::json{{"version", record.version}, {"language", record.language}}.dump()
        << "\n";
    out.flush();
    if (!out) return Status::Unavailable("cannot write " + temporary.string());
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) return Status::Unavailable("cannot write " + path.string() + ": " + error.message());
  return Status::Ok();
}

}  // namespace foldrank
