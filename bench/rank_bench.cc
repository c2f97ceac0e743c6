// The reranking path against retrieval alone, and the cold-start ranking's quality
// against Lucene's TF-IDF order and Xapian's BM25, all in one run on one thread.
//
//   retrieve-only: bare Lucene++ top-k (bare_lucene.h).
//   full path:     SearchPipeline: retrieve k + term statistics + features + model
//                  + order + stored fields of the 10 shown results; and the same
//                  with snippets, as a results page needs.
//   features+score: feature extraction + normalization + scoring + ordering alone.
//   quality:       MRR and recall@10 of each query's known target.
//
// Usage: rank_bench --corpus FILE.jsonl --queries FILE.tsv [--dir DIR] [--k 100]
//                   [--passes 3] [--optimize]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <span>

#include "bench/bare_lucene.h"
#include "bench/bench_flags.h"
#include "bench/bench_util.h"
#include "common/clock.h"
#include "engine/search_pipeline.h"
#include "feedback/ledger_click_signals.h"
#include "feedback/query_key.h"
#include "index/index.h"
#ifdef FOLDRANK_HAVE_XAPIAN
#include "bench/xapian_bm25.h"
#endif

namespace foldrank::bench {
namespace {

// The reranking stages one by one, for timing and for quality.
class Stages {
 public:
  Stages(const Index& index, const ModelStore& models, const ClickSignals& clicks)
      : index_(index), reranker_(models, clicks) {}

  // Time per stage, when timing.
  struct Timings {
    Latencies retrieve, statistics, features_and_score, page;
  };

  // Retrieves and ranks; returns false for a query that matches nothing.
  bool Run(const std::string& query, int k, Timings* timings) {
    auto start = Clock::now();
    snapshot_ = index_.Snapshot();
    auto retrieved = snapshot_->Candidates(query, k);
    if (!retrieved || retrieved->candidates.empty()) return false;
    candidates_ = std::move(*retrieved);
    if (timings) timings->retrieve.Add(SecondsSince(start));
    start = Clock::now();
    auto stats = snapshot_->Statistics(candidates_.terms, candidates_.candidates);
    if (!stats) return false;
    stats_ = std::move(*stats);
    priors_ = snapshot_->Priors(candidates_.candidates);
    if (timings) timings->statistics.Add(SecondsSince(start));
    start = Clock::now();
    reranker_.Rank({query, &candidates_, &stats_, priors_, now_}, {}, rng_, ranked_);
    if (timings) timings->features_and_score.Add(SecondsSince(start));
    start = Clock::now();
    for (std::size_t i = 0; i < std::min<std::size_t>(10, ranked_.order.size()); ++i) {
      auto document = snapshot_->Fetch(candidates_.candidates[ranked_.order[i].candidate]);
      if (document) (void)MakeSnippet(document->body, candidates_.terms, 200);
    }
    if (timings) timings->page.Add(SecondsSince(start));
    return true;
  }

  std::vector<std::string> RankedIds() const {
    std::vector<std::string> ids;
    for (const Placement& p : ranked_.order) ids.push_back(candidates_.candidates[p.candidate].id);
    return ids;
  }
  std::vector<std::string> RetrievalIds() const {
    std::vector<std::string> ids;
    for (const Candidate& c : candidates_.candidates) ids.push_back(c.id);
    return ids;
  }

 private:
  const Index& index_;
  Reranker reranker_;
  std::shared_ptr<const IndexSnapshot> snapshot_;
  CandidateSet candidates_;
  TermStatistics stats_;
  std::vector<DocumentPriors> priors_;
  RankedCandidates ranked_;
  std::mt19937_64 rng_{1};
  std::int64_t now_ = UnixSeconds();
};

void PrintQuality(const char* name, const Quality& quality) {
  std::printf("%-34s %8.3f %10.3f\n", name, quality.Mrr(), quality.RecallAt10());
}

int Main(int argc, char** argv) {
  const BenchFlags flags = ParseBenchFlags(argc, argv, "rank_bench");
  const std::vector<std::string> lines = ReadLines(flags.corpus);
  const std::vector<KnownItemQuery> queries = ReadQueries(flags.queries);
  std::filesystem::remove_all(flags.dir);
  std::printf("corpus: %zu documents; %zu known-item queries x %d passes; K = %d; %s\n",
              lines.size(), queries.size(), flags.passes, flags.k,
              flags.optimize ? "optimized to one segment" : "segments as flushed");

  BareLucene bare(lines, flags.dir / "bare", flags.optimize);
  std::unique_ptr<Index> index = BuildIndex(lines, flags.dir / "ours", flags.optimize);
  ModelStore models(std::make_shared<const Model>(Model::ColdStart()));
  NoClickSignals no_clicks;
  SearchPipeline pipeline(*index, models, no_clicks);
  Stages stages(*index, models, no_clicks);
  std::mt19937_64 rng(1);

  // Quality first (it also warms caches).
  Quality tf_idf, retrieval, cold_start;
  for (const KnownItemQuery& query : queries) {
    tf_idf.Add(bare.Search(query.text, flags.k), query.target);
    if (stages.Run(query.text, flags.k, nullptr)) {
      retrieval.Add(stages.RetrievalIds(), query.target);
      cold_start.Add(stages.RankedIds(), query.target);
    } else {
      retrieval.Add({}, query.target);
      cold_start.Add({}, query.target);
    }
  }
#ifdef FOLDRANK_HAVE_XAPIAN
  Quality xapian_quality;
  {
    XapianBm25 xapian(lines, flags.dir / "xapian");
    for (const KnownItemQuery& query : queries) {
      xapian_quality.Add(xapian.Search(query.text, flags.k), query.target);
    }
  }
#endif

  SearchRequest request;
  request.candidates = flags.k;
  request.page_size = 10;
  SearchRequest with_snippets = request;
  request.snippets = false;  // The path the target is stated for: stored fields, no snippets.
  Latencies retrieve_only, full_path, full_with_snippets;
  Stages::Timings stage;
  for (int pass = 0; pass < flags.passes; ++pass) {
    for (std::size_t q = 0; q < queries.size(); ++q) {
      request.query = queries[q].text;
      for (int turn = 0; turn < 2; ++turn) {
        const bool full_turn = (turn == 0) == ((q + pass) % 2 == 0);
        const auto start = Clock::now();
        if (full_turn) {
          (void)pipeline.Search(request, rng);
          full_path.Add(SecondsSince(start));
        } else {
          (void)bare.Retrieve(request.query, flags.k);
          retrieve_only.Add(SecondsSince(start));
        }
      }
      with_snippets.query = request.query;
      const auto start = Clock::now();
      (void)pipeline.Search(with_snippets, rng);
      full_with_snippets.Add(SecondsSince(start));
      (void)stages.Run(request.query, flags.k, &stage);
    }
  }

  // Click features as the server reads them: the ledger's counts in memory at the
  // server's default bound (500,000 (query, document) pairs), every query's first 10
  // candidates among them, looked up for all K candidates of each query.
  constexpr std::size_t kPairs = 500'000;
  LedgerClickSignals click_counts;
  std::vector<std::vector<Candidate>> candidates_of(queries.size());
  {
    const auto snapshot = index->Snapshot();
    std::vector<FoldCommit::CountDelta> deltas;
    for (std::size_t q = 0; q < queries.size(); ++q) {
      auto retrieved = snapshot->Candidates(queries[q].text, flags.k);
      if (!retrieved) continue;
      candidates_of[q] = std::move(retrieved->candidates);
      for (std::size_t i = 0; i < std::min<std::size_t>(10, candidates_of[q].size()); ++i) {
        deltas.push_back({NormalizeQuery(queries[q].text), candidates_of[q][i].id, {1, 0.5}});
      }
    }
    for (std::size_t n = deltas.size(); n < kPairs; ++n) {
      deltas.push_back(
          {"other query " + std::to_string(n), "doc" + std::to_string(n % 1000), {0, 0.1}});
    }
    click_counts.Apply(deltas);
  }
  Latencies click_lookup;
  std::vector<float> doc_rate(flags.k), query_doc_rate(flags.k);
  for (int pass = 0; pass < flags.passes; ++pass) {
    for (std::size_t q = 0; q < queries.size(); ++q) {
      const std::size_t n = candidates_of[q].size();
      const auto start = Clock::now();
      click_counts.Lookup(queries[q].text, candidates_of[q], std::span(doc_rate).first(n),
                          std::span(query_doc_rate).first(n));
      click_lookup.Add(SecondsSince(start));
    }
  }

  std::printf("\nlatency, one thread            %10s %10s %10s\n", "p50 (us)", "p99 (us)", "QPS");
  std::printf("%-30s %10.0f %10.0f %10.0f\n", "retrieve-only (bare Lucene++)",
              retrieve_only.Percentile(0.5), retrieve_only.Percentile(0.99), retrieve_only.Qps());
  std::printf("%-30s %10.0f %10.0f %10.0f\n", "full path (page of 10)", full_path.Percentile(0.5),
              full_path.Percentile(0.99), full_path.Qps());
  std::printf("%-30s %10.0f %10.0f %10.0f\n", "full path + 10 snippets",
              full_with_snippets.Percentile(0.5), full_with_snippets.Percentile(0.99),
              full_with_snippets.Qps());
  std::printf("  stages of the full path:\n");
  const std::pair<const char*, const Latencies*> stages_timed[] = {
      {"    retrieve (foldrank)", &stage.retrieve},
      {"    term statistics + priors", &stage.statistics},
      {"    features + score + order", &stage.features_and_score},
      {"    10 stored docs + snippets", &stage.page}};
  for (const auto& [name, latency] : stages_timed) {
    std::printf("%-30s %10.0f %10.0f\n", name, latency->Percentile(0.5), latency->Percentile(0.99));
  }
  std::printf("%-30s %10.1f %10.1f  (%zu pairs held; the stages above read no clicks)\n",
              "    click features, K lookups", click_lookup.Percentile(0.5),
              click_lookup.Percentile(0.99), click_counts.size().pairs);
  std::printf(
      "full / retrieve-only at p50: %.2fx (target <= 1.50x); features + scoring p50 %.0f us "
      "at K = %d (target <= 300 us)\n",
      full_path.Percentile(0.5) / retrieve_only.Percentile(0.5),
      stage.features_and_score.Percentile(0.5), flags.k);

  std::printf("\nquality, %zu known-item queries   %8s %10s\n", queries.size(), "MRR", "recall@10");
  PrintQuality("bare Lucene++ (TF-IDF)", tf_idf);
  PrintQuality("foldrank retrieval order", retrieval);
  PrintQuality("foldrank cold-start base", cold_start);
#ifdef FOLDRANK_HAVE_XAPIAN
  PrintQuality("Xapian 1.4 BM25", xapian_quality);
  std::printf("cold-start MRR / Xapian MRR: %.3f (target >= 1)\n",
              cold_start.Mrr() / xapian_quality.Mrr());
#else
  std::printf("(Xapian comparison not built: install libxapian-dev, as scripts/bench.sh does)\n");
#endif
  index.reset();
  std::filesystem::remove_all(flags.dir);
  return 0;
}

}  // namespace
}  // namespace foldrank::bench

int main(int argc, char** argv) { return foldrank::bench::Main(argc, argv); }
