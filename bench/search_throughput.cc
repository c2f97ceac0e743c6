// In-process search throughput: the baseline for the HTTP benchmark
// (scripts/http_bench.sh). The same Service the server runs (impressions logged,
// fold loop on), the same queries, the same page size and exploration, with
// `--threads` threads for `--seconds`.
//
// Usage: search_throughput --data DIR --queries FILE.tsv [--seconds N] [--threads N]
//                          [--k N] [--temperature T]

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "engine/service.h"

namespace foldrank::bench {
namespace {

int Main(int argc, char** argv) {
  std::string data, queries_path;
  int seconds = 10, threads = 2, k = 10;
  double temperature = 0.1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--data")
      data = value;
    else if (flag == "--queries")
      queries_path = value;
    else if (flag == "--seconds")
      seconds = std::atoi(value.c_str());
    else if (flag == "--threads")
      threads = std::atoi(value.c_str());
    else if (flag == "--k")
      k = std::atoi(value.c_str());
    else if (flag == "--temperature")
      temperature = std::atof(value.c_str());
  }
  if (data.empty() || queries_path.empty()) {
    std::fprintf(stderr,
                 "usage: search_throughput --data DIR --queries FILE.tsv [--seconds N] "
                 "[--threads N] [--k N] [--temperature T]\n");
    return 2;
  }
  const std::vector<KnownItemQuery> queries = ReadQueries(queries_path);
  auto service = Service::Open(data);
  if (!service) {
    std::fprintf(stderr, "%s\n", service.error().ToString().c_str());
    return 1;
  }
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> failures{0};
  std::vector<Latencies> latencies(threads);
  std::vector<std::thread> workers;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (std::size_t q = t; !stop.load(); q += threads) {
        SearchRequest request;
        request.query = queries[q % queries.size()].text;
        request.page_size = k;
        request.policy.temperature = temperature;
        const auto begin = std::chrono::steady_clock::now();
        auto page = (*service)->Search(request);
        latencies[t].Add(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
        if (!page) ++failures;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& worker : workers) worker.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Latencies all;
  for (const Latencies& l : latencies) {
    all.micros.insert(all.micros.end(), l.micros.begin(), l.micros.end());
  }
  std::printf(
      "in-process: %zu searches in %.1f s = %.0f searches/s; p50 %.0f us, p99 %.0f us; "
      "%zu failed\n",
      all.micros.size(), elapsed, all.micros.size() / elapsed, all.Percentile(0.5),
      all.Percentile(0.99), failures.load());
  return 0;
}

}  // namespace
}  // namespace foldrank::bench

int main(int argc, char** argv) { return foldrank::bench::Main(argc, argv); }
