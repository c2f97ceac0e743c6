#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace foldrank::bench {

// Xapian 1.4 with its default BM25 weighting: title, tags and body indexed as text
// with the English stemmer (STEM_SOME), search-box text parsed with OR as the
// default operator. The quality yardstick for the cold-start ranking (Debian's
// libxapian-dev, installed by scripts/bench.sh only).
class XapianBm25 {
 public:
  XapianBm25(const std::vector<std::string>& lines, const std::filesystem::path& dir);
  ~XapianBm25();
  std::vector<std::string> Search(const std::string& query, int k) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace foldrank::bench
