// The quality suite (bench/quality/run.sh): each judged query family, and each test
// collection, ranked by Xapian 1.4 BM25 (Snowball English stemming, its defaults),
// by foldrank's retrieval order, and by foldrank's cold start (the full path with the
// built-in model, no clicks), all in one run over the same corpus.
//
// Usage: quality_bench --corpus FILE.jsonl --judgments FILE.tsv [--dir DIR] [--k 100]
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>

#include "bench/bench_util.h"
#include "bench/judgments.h"
#include "bench/xapian_bm25.h"
#include "engine/search_pipeline.h"
#include "ranker/click_signals.h"

namespace foldrank::bench {
namespace {

struct Flags {
  std::string corpus, judgments;
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "foldrank-quality";
  int k = 100;
};

Flags ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--corpus")) {
      flags.corpus = argv[i + 1];
    } else if (!std::strcmp(argv[i], "--judgments")) {
      flags.judgments = argv[i + 1];
    } else if (!std::strcmp(argv[i], "--dir")) {
      flags.dir = argv[i + 1];
    } else if (!std::strcmp(argv[i], "--k")) {
      flags.k = std::atoi(argv[i + 1]);
    } else {
      flags.corpus.clear();
      break;
    }
  }
  if (flags.corpus.empty() || flags.judgments.empty() || argc % 2 == 0 || flags.k < 100) {
    std::fprintf(stderr,
                 "usage: quality_bench --corpus FILE.jsonl --judgments FILE.tsv [--dir DIR] "
                 "[--k K >= 100]\n");
    std::exit(2);
  }
  return flags;
}

// What each ranker scored on one family.
struct Row {
  JudgedMeasures xapian, retrieval, cold_start;
};

void PrintMeasures(const char* name, const JudgedMeasures& m, const JudgedMeasures& xapian) {
  std::printf("  %-22s MRR@10 %.3f  recall@100 %.3f  nDCG@10 %.3f  MAP@100 %.3f", name,
              m.Mean(&JudgedMeasures::mrr_at_10), m.Mean(&JudgedMeasures::recall_at_100),
              m.Mean(&JudgedMeasures::ndcg_at_10), m.Mean(&JudgedMeasures::map_at_100));
  if (&m != &xapian && xapian.Mean(&JudgedMeasures::ndcg_at_10) > 0) {
    std::printf(
        "   (x Xapian: MRR %.2f, nDCG %.2f, recall %.2f)",
        m.Mean(&JudgedMeasures::mrr_at_10) / xapian.Mean(&JudgedMeasures::mrr_at_10),
        m.Mean(&JudgedMeasures::ndcg_at_10) / xapian.Mean(&JudgedMeasures::ndcg_at_10),
        m.Mean(&JudgedMeasures::recall_at_100) / xapian.Mean(&JudgedMeasures::recall_at_100));
  }
  std::printf("\n");
}

int Main(int argc, char** argv) {
  const Flags flags = ParseFlags(argc, argv);
  const std::vector<std::string> lines = ReadLines(flags.corpus);
  const std::vector<JudgedQuery> queries = ReadJudgedQueries(flags.judgments);
  std::filesystem::remove_all(flags.dir);
  std::printf("corpus %s: %zu documents; %zu judged queries from %s; K = %d\n",
              flags.corpus.c_str(), lines.size(), queries.size(), flags.judgments.c_str(), flags.k);

  std::unique_ptr<Index> index = BuildIndex(lines, flags.dir / "foldrank", /*optimize=*/true);
  XapianBm25 xapian(lines, flags.dir / "xapian");
  ModelStore models(std::make_shared<const Model>(Model::ColdStart()));
  NoClickSignals no_clicks;
  SearchPipeline pipeline(*index, models, no_clicks);
  std::mt19937_64 rng(1);

  std::map<std::string, Row> rows;
  int failed = 0;
  for (const JudgedQuery& query : queries) {
    Row& row = rows[query.family];
    row.xapian.Add(xapian.Search(query.text, flags.k), query);
    std::vector<std::string> retrieved, ranked;
    if (auto found = index->Snapshot()->Candidates(query.text, flags.k)) {
      for (const Candidate& candidate : found->candidates) retrieved.push_back(candidate.id);
    } else {
      ++failed;
    }
    SearchRequest request;
    request.query = query.text;
    request.candidates = flags.k;
    request.page_size = flags.k;
    request.snippets = false;
    request.log_impression = false;
    if (auto page = pipeline.Search(request, rng)) {
      for (const SearchResult& result : page->results) ranked.push_back(result.id);
    }
    row.retrieval.Add(retrieved, query);
    row.cold_start.Add(ranked, query);
  }
  for (const auto& [family, row] : rows) {
    std::printf("%s (%d queries)\n", family.c_str(), row.xapian.queries);
    PrintMeasures("Xapian BM25", row.xapian, row.xapian);
    PrintMeasures("foldrank retrieval", row.retrieval, row.xapian);
    PrintMeasures("foldrank cold start", row.cold_start, row.xapian);
  }
  if (failed > 0) std::printf("(%d queries foldrank refused)\n", failed);
  std::filesystem::remove_all(flags.dir);
  return 0;
}

}  // namespace
}  // namespace foldrank::bench

int main(int argc, char** argv) { return foldrank::bench::Main(argc, argv); }
