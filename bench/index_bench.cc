// Indexing and retrieval speed of foldrank's index/ module against bare Lucene++
// doing the same job (bare_lucene.h), measured in one run so the ratios are
// comparable (absolute figures on these machines drift 30-40% between runs).
//
// Usage: index_bench --corpus FILE.jsonl --queries FILE [--dir DIR] [--k 100]
//                    [--passes 3] [--optimize]
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/bare_lucene.h"
#include "bench/bench_flags.h"
#include "bench/bench_util.h"
#include "index/index.h"

namespace foldrank::bench {
namespace {

struct Ours {
  std::unique_ptr<Index> index;
  std::shared_ptr<const IndexSnapshot> snapshot;
  double index_seconds = 0;
};

std::size_t QueryOurs(const Ours& ours, const std::string& query, int k) {
  auto result = ours.snapshot->Candidates(query, k);
  return result ? result->candidates.size() : 0;
}

int Main(int argc, char** argv) {
  const BenchFlags flags = ParseBenchFlags(argc, argv, "index_bench");
  const std::vector<std::string> lines = ReadLines(flags.corpus);
  const std::vector<KnownItemQuery> queries = ReadQueries(flags.queries);
  std::filesystem::remove_all(flags.dir);
  std::printf("corpus: %zu documents; %zu queries x %d passes; top %d; %s\n", lines.size(),
              queries.size(), flags.passes, flags.k,
              flags.optimize ? "optimized to one segment" : "segments as flushed");

  BareLucene bare(lines, flags.dir / "bare", flags.optimize);
  Ours ours;
  ours.index = BuildIndex(lines, flags.dir / "ours", flags.optimize, &ours.index_seconds);
  ours.snapshot = ours.index->Snapshot();
  std::printf("segments: foldrank %lld, bare %d\n",
              static_cast<long long>(ours.snapshot->segment_count()), bare.segment_count());

  // Warm both (FieldCache, OS page cache), then alternate which goes first per query
  // so that drift in machine speed hits both alike.
  std::size_t hits_ours = 0, hits_bare = 0;
  for (const KnownItemQuery& query : queries) {
    hits_ours += QueryOurs(ours, query.text, flags.k);
    hits_bare += bare.Retrieve(query.text, flags.k);
  }
  Latencies ours_latency, bare_latency;
  for (int pass = 0; pass < flags.passes; ++pass) {
    for (std::size_t q = 0; q < queries.size(); ++q) {
      for (int turn = 0; turn < 2; ++turn) {
        const bool ours_turn = (turn == 0) == ((q + pass) % 2 == 0);
        const auto start = Clock::now();
        if (ours_turn) {
          (void)QueryOurs(ours, queries[q].text, flags.k);
          ours_latency.Add(SecondsSince(start));
        } else {
          (void)bare.Retrieve(queries[q].text, flags.k);
          bare_latency.Add(SecondsSince(start));
        }
      }
    }
  }

  const double ours_dps = static_cast<double>(lines.size()) / ours.index_seconds;
  const double bare_dps = static_cast<double>(lines.size()) / bare.index_seconds();
  std::printf("\n%-24s %14s %14s %10s\n", "", "foldrank", "bare Lucene++", "ratio");
  std::printf("%-24s %14.0f %14.0f %9.2fx\n", "indexing (documents/s)", ours_dps, bare_dps,
              bare_dps / ours_dps);
  std::printf("%-24s %14.1f %14.1f %9.2fx\n", "indexing time (s)", ours.index_seconds,
              bare.index_seconds(), ours.index_seconds / bare.index_seconds());
  std::printf("%-24s %14.0f %14.0f %9.2fx\n", "query p50 (us)", ours_latency.Percentile(0.5),
              bare_latency.Percentile(0.5),
              ours_latency.Percentile(0.5) / bare_latency.Percentile(0.5));
  std::printf("%-24s %14.0f %14.0f %9.2fx\n", "query p99 (us)", ours_latency.Percentile(0.99),
              bare_latency.Percentile(0.99),
              ours_latency.Percentile(0.99) / bare_latency.Percentile(0.99));
  std::printf("%-24s %14.0f %14.0f %9.2fx\n", "queries/s (1 thread)", ours_latency.Qps(),
              bare_latency.Qps(), bare_latency.Qps() / ours_latency.Qps());
  std::printf("%-24s %14zu %14zu\n", "hits returned (warm-up)", hits_ours, hits_bare);
  std::printf(
      "\nratios are foldrank / bare for times, bare / foldrank for rates: above 1 = foldrank "
      "slower. Targets: query p50 <= 1.20x, indexing <= 1.30x.\n");
  ours.snapshot.reset();
  ours.index.reset();
  std::filesystem::remove_all(flags.dir);
  return 0;
}

}  // namespace
}  // namespace foldrank::bench

int main(int argc, char** argv) { return foldrank::bench::Main(argc, argv); }
