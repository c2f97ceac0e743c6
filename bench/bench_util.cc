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
