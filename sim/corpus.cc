#include "sim/corpus.h"

#include <fstream>

#include "index/index.h"
#include "index/jsonl_reader.h"

namespace foldrank::sim {

Result<std::vector<Document>> ReadCorpus(const std::string& path, std::size_t* rejected) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read " + path);
  JsonlReader reader(in);
  std::vector<Document> corpus;
  std::size_t bad = 0;
  while (auto line = reader.Next()) {
    if (line->document) {
      corpus.push_back(std::move(*line->document));
    } else {
      ++bad;
    }
  }
  if (rejected != nullptr) *rejected = bad;
  return corpus;
}

Status BuildTemplateIndex(const std::vector<Document>& corpus,
                          const std::filesystem::path& index_dir) {
  IndexOptions options;
  options.refresh_interval_ms = 0;
  options.commit_interval_ms = 0;
  auto index = Index::Open(index_dir, options);
  if (!index) return index.error();
  for (const Document& document : corpus)
    FOLDRANK_RETURN_IF_ERROR((*index)->Upsert(document).status());
  FOLDRANK_RETURN_IF_ERROR((*index)->Commit());
  return (*index)->Optimize();
}

Status CopyTemplateIndex(const std::filesystem::path& template_index_dir,
                         const std::filesystem::path& data_dir) {
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (!error) {
    std::filesystem::copy(template_index_dir, data_dir / "index",
                          std::filesystem::copy_options::recursive, error);
  }
  if (error) {
    return Status::Unavailable("cannot copy the index into " + data_dir.string() + ": " +
                               error.message());
  }
  return Status::Ok();
}

}  // namespace foldrank::sim
