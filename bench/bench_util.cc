#include "bench/bench_util.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace foldrank::bench {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(1);
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<KnownItemQuery> ReadQueries(const std::string& path) {
  std::vector<KnownItemQuery> queries;
  for (const std::string& line : ReadLines(path)) {
    const auto tab = line.find('\t');
    queries.push_back({line.substr(0, tab), tab == std::string::npos ? "" : line.substr(tab + 1)});
  }
  return queries;
}

std::unique_ptr<Index> BuildIndex(const std::vector<std::string>& lines,
                                  const std::filesystem::path& dir, bool optimize,
                                  double* seconds) {
  const auto start = Clock::now();
  auto index = Index::Open(dir, {.refresh_interval_ms = 0, .commit_interval_ms = 0});
  if (!index) {
    std::fprintf(stderr, "open: %s\n", index.error().ToString().c_str());
    std::exit(1);
  }
  for (const std::string& line : lines) {
    auto document = ParseDocument(line);
    if (document) (void)(*index)->Upsert(*document);
  }
  if (optimize) (void)(*index)->Optimize();
  (void)(*index)->Commit();
  (void)(*index)->Refresh();
  if (seconds) *seconds = SecondsSince(start);
  return std::move(*index);
}

void Quality::Add(const std::vector<std::string>& ranked_ids, const std::string& target) {
  ++queries;
  for (std::size_t i = 0; i < ranked_ids.size(); ++i) {
    if (ranked_ids[i] == target) {
      reciprocal_rank_sum += 1.0 / static_cast<double>(i + 1);
      found_in_top_10 += i < 10;
      return;
    }
  }
}

}  // namespace foldrank::bench
