#pragma once

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "index/index.h"

namespace foldrank::bench {

using Clock = std::chrono::steady_clock;

inline double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Non-empty lines of a file; exits with a message if it cannot be read.
std::vector<std::string> ReadLines(const std::string& path);

// A known-item query: the text and the id of the document the user wants.
struct KnownItemQuery {
  std::string text;
  std::string target;  // Empty when the query file has no second column.
};
// "query<TAB>target" per line (the target column is optional).
std::vector<KnownItemQuery> ReadQueries(const std::string& path);

// foldrank's index of the JSONL `lines` in `dir`, committed and refreshed (one
// segment if `optimize`); `seconds` gets the time it took. Exits on failure.
std::unique_ptr<Index> BuildIndex(const std::vector<std::string>& lines,
                                  const std::filesystem::path& dir, bool optimize,
                                  double* seconds = nullptr);

// Per-call latencies, for percentiles and throughput.
struct Latencies {
  std::vector<double> micros;
  double total_seconds = 0;

  void Add(double seconds) {
    micros.push_back(seconds * 1e6);
    total_seconds += seconds;
  }
  double Percentile(double p) const {
    if (micros.empty()) return 0;
    std::vector<double> sorted = micros;
    std::sort(sorted.begin(), sorted.end());
    return sorted[static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1))];
  }
  double Qps() const { return static_cast<double>(micros.size()) / total_seconds; }
};

// Mean reciprocal rank and recall@10 of targets, from each query's ranked ids.
struct Quality {
  double reciprocal_rank_sum = 0;
  int found_in_top_10 = 0;
  int queries = 0;

  void Add(const std::vector<std::string>& ranked_ids, const std::string& target);
  double Mrr() const { return queries ? reciprocal_rank_sum / queries : 0; }
  double RecallAt10() const { return queries ? static_cast<double>(found_in_top_10) / queries : 0; }
};

}  // namespace foldrank::bench
