#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace foldrank::bench {

// The baseline: bare Lucene++ doing what index/ does, as a program using it directly
// would write it. IndexWriter with foldrank's analyzer, RAM buffer and searchable
// fields (title, body, tags, all = title + tags + body), the JSON source stored;
// MultiFieldQueryParser over title^2 and all on escaped text; IndexSearcher top k;
// ids through FieldCache. No snapshots, exact lengths, priors or error values.
class BareLucene {
 public:
  // Indexes the JSONL `lines` into `dir` (created); `optimize` merges to one segment.
  BareLucene(const std::vector<std::string>& lines, const std::filesystem::path& dir,
             bool optimize);
  ~BareLucene();

  double index_seconds() const;
  int segment_count() const;
  // The ids of the top k for search-box text.
  std::vector<std::string> Search(const std::string& query, int k) const;
  // The same, counting hits without converting ids (the retrieve-only timing path).
  std::size_t Retrieve(const std::string& query, int k) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace foldrank::bench
