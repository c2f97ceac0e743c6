#pragma once

#include <filesystem>
#include <string>

namespace foldrank::bench {

// The flags every benchmark takes.
struct BenchFlags {
  std::string corpus;   // JSONL documents.
  std::string queries;  // "query<TAB>target" lines.
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "foldrank-bench";
  int k = 100;     // Candidates retrieved per query.
  int passes = 3;  // Timed passes over the queries.
  bool optimize = false;
};

// Parses --corpus --queries [--dir] [--k] [--passes] [--optimize]; prints usage and
// exits 2 on anything else.
BenchFlags ParseBenchFlags(int argc, char** argv, const char* program);

}  // namespace foldrank::bench
