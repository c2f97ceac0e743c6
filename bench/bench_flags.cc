#include "bench/bench_flags.h"

#include <cstdio>
#include <cstdlib>

namespace foldrank::bench {

BenchFlags ParseBenchFlags(int argc, char** argv, const char* program) {
  BenchFlags flags;
  const auto usage = [&] {
    std::fprintf(stderr,
                 "usage: %s --corpus FILE.jsonl --queries FILE.tsv [--dir DIR] [--k N] "
                 "[--passes N] [--optimize]\n",
                 program);
    std::exit(2);
  };
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (arg == "--corpus") {
      flags.corpus = next();
    } else if (arg == "--queries") {
      flags.queries = next();
    } else if (arg == "--dir") {
      flags.dir = next();
    } else if (arg == "--k") {
      flags.k = std::atoi(next().c_str());
    } else if (arg == "--passes") {
      flags.passes = std::atoi(next().c_str());
    } else if (arg == "--optimize") {
      flags.optimize = true;
    } else {
      usage();
    }
  }
  if (flags.corpus.empty() || flags.queries.empty() || flags.k < 1 || flags.passes < 1) usage();
  return flags;
}

}  // namespace foldrank::bench
