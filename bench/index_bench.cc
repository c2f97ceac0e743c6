// Indexing and retrieval speed of foldrank's index/ module against bare Lucene++ doing
// the same job, measured in one run so the ratios are comparable (absolute figures
// on these machines drift 30-40% between runs; see ../shared/LUCENEPP.md).
//
// Baseline ("bare"): IndexWriter + IndexSearcher + MultiFieldQueryParser with the
// same analyzer and the same searchable fields (title, body, tags, all = title + tags
// + body), the JSON source stored, ids read through FieldCache. No snapshots, no
// exact lengths, no priors, no error values: what a program using Lucene++ directly
// would write.
//
// Usage: index_bench --corpus FILE.jsonl --queries FILE [--dir DIR] [--k 100]
//                    [--passes 3] [--optimize]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "index/index.h"
#include "index/internal/analyzer.h"

namespace foldrank::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Lucene::newLucene;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(std::move(line));
  }
  return lines;
}

struct Latencies {
  std::vector<double> micros;
  double total_seconds = 0;

  double Percentile(double p) const {
    std::vector<double> sorted = micros;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t rank = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
    return sorted[rank];
  }
  double Qps() const { return static_cast<double>(micros.size()) / total_seconds; }
};

// ---- foldrank's index/ ----

struct Ours {
  std::unique_ptr<Index> index;
  std::shared_ptr<const IndexSnapshot> snapshot;
};

double IndexOurs(const std::vector<std::string>& lines, const std::filesystem::path& dir,
                 bool optimize, Ours& ours) {
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
  const double seconds = SecondsSince(start);
  ours.index = std::move(*index);
  ours.snapshot = ours.index->Snapshot();
  return seconds;
}

std::size_t QueryOurs(const Ours& ours, const std::string& query, int k) {
  auto result = ours.snapshot->Candidates(query, k);
  return result ? result->candidates.size() : 0;
}

// ---- bare Lucene++ ----

struct Bare {
  Lucene::IndexReaderPtr reader;
  Lucene::IndexSearcherPtr searcher;
  Lucene::QueryParserPtr parser;
  Lucene::Collection<Lucene::String> ids;
};

Lucene::String Wide(const std::string& text) { return Lucene::StringUtils::toUnicode(text); }

// Search-box text as terms: Lucene++ keeps QueryParser::escape protected, so a bare
// program escapes the syntax characters itself.
Lucene::String EscapeSyntax(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (std::strchr("\\+-!():^[]\"{}~*?|&/", c) != nullptr) escaped += '\\';
    escaped += c;
  }
  return Wide(escaped);
}

double IndexBare(const std::vector<std::string>& lines, const std::filesystem::path& dir,
                 bool optimize, Bare& bare) {
  using Lucene::Field;
  std::filesystem::create_directories(dir);
  const auto start = Clock::now();
  Lucene::AnalyzerPtr analyzer = newLucene<FoldrankAnalyzer>();
  auto directory = Lucene::FSDirectory::open(Wide(dir.string()));
  auto writer = newLucene<Lucene::IndexWriter>(directory, analyzer, true,
                                               Lucene::IndexWriter::MaxFieldLengthUNLIMITED);
  writer->setRAMBufferSizeMB(IndexOptions{}.ram_buffer_mb);
  for (const std::string& line : lines) {
    nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    if (!json.is_object() || !json.contains("id")) continue;
    std::string tags;
    for (const auto& tag : json.value("tags", nlohmann::json::array())) {
      tags += tag.get<std::string>() + " ";
    }
    const std::string title = json.value("title", ""), body = json.value("body", "");
    auto doc = newLucene<Lucene::Document>();
    const Lucene::String id = Wide(json["id"].get<std::string>());
    doc->add(newLucene<Field>(L"id", id, Field::STORE_NO, Field::INDEX_NOT_ANALYZED_NO_NORMS));
    doc->add(newLucene<Field>(L"title", Wide(title), Field::STORE_NO, Field::INDEX_ANALYZED));
    doc->add(newLucene<Field>(L"body", Wide(body), Field::STORE_NO, Field::INDEX_ANALYZED));
    doc->add(newLucene<Field>(L"tags", Wide(tags), Field::STORE_NO, Field::INDEX_ANALYZED));
    doc->add(newLucene<Field>(L"all", Wide(title + " " + tags + " " + body), Field::STORE_NO,
                              Field::INDEX_ANALYZED));
    doc->add(newLucene<Field>(L"_source", Wide(line), Field::STORE_YES, Field::INDEX_NO));
    writer->updateDocument(newLucene<Lucene::Term>(L"id", id), doc);
  }
  if (optimize) writer->optimize();
  writer->commit();
  bare.reader = writer->getReader();
  writer->close();
  const double seconds = SecondsSince(start);
  bare.searcher = newLucene<Lucene::IndexSearcher>(bare.reader);
  auto fields = Lucene::Collection<Lucene::String>::newInstance();
  fields.add(L"title");
  fields.add(L"all");
  auto boosts = Lucene::MapStringDouble::newInstance();
  boosts.put(L"title", 2.0);
  bare.parser = newLucene<Lucene::MultiFieldQueryParser>(Lucene::LuceneVersion::LUCENE_30, fields,
                                                         analyzer, boosts);
  bare.ids = Lucene::FieldCache::DEFAULT()->getStrings(bare.reader, L"id");
  return seconds;
}

std::size_t QueryBare(const Bare& bare, const std::string& query, int k) {
  try {
    auto parsed = bare.parser->parse(EscapeSyntax(query));
    auto top = bare.searcher->search(parsed, k);
    std::size_t found = 0;
    for (const auto& hit : top->scoreDocs) found += !bare.ids[hit->doc].empty();
    return found;
  } catch (const Lucene::LuceneException&) {
    return 0;
  }
}

struct Flags {
  std::string corpus, queries;
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "foldrank-bench";
  int k = 100;
  int passes = 3;
  bool optimize = false;
};

Flags ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--corpus")
      flags.corpus = next();
    else if (arg == "--queries")
      flags.queries = next();
    else if (arg == "--dir")
      flags.dir = next();
    else if (arg == "--k")
      flags.k = std::stoi(next());
    else if (arg == "--passes")
      flags.passes = std::stoi(next());
    else if (arg == "--optimize")
      flags.optimize = true;
    else {
      std::fprintf(stderr,
                   "usage: index_bench --corpus FILE.jsonl --queries FILE [--dir DIR] [--k N] "
                   "[--passes N] [--optimize]\n");
      std::exit(2);
    }
  }
  if (flags.corpus.empty() || flags.queries.empty()) {
    std::fprintf(stderr, "index_bench: --corpus and --queries are required\n");
    std::exit(2);
  }
  return flags;
}

int Main(int argc, char** argv) {
  const Flags flags = ParseFlags(argc, argv);
  const std::vector<std::string> lines = ReadLines(flags.corpus);
  const std::vector<std::string> queries = ReadLines(flags.queries);
  std::filesystem::remove_all(flags.dir);
  std::printf("corpus: %zu documents; %zu queries x %d passes; top %d; %s\n", lines.size(),
              queries.size(), flags.passes, flags.k,
              flags.optimize ? "optimized to one segment" : "segments as flushed");

  Bare bare;
  const double bare_index_s = IndexBare(lines, flags.dir / "bare", flags.optimize, bare);
  Ours ours;
  const double ours_index_s = IndexOurs(lines, flags.dir / "ours", flags.optimize, ours);
  std::printf("segments: foldrank %lld, bare %d\n",
              static_cast<long long>(ours.snapshot->segment_count()),
              static_cast<int>(bare.reader->getSequentialSubReaders().size()));

  // Warm both (FieldCache, OS page cache), then alternate which goes first per query
  // so that drift in machine speed hits both alike.
  std::size_t hits_ours = 0, hits_bare = 0;
  for (const std::string& query : queries) {
    hits_ours += QueryOurs(ours, query, flags.k);
    hits_bare += QueryBare(bare, query, flags.k);
  }
  Latencies ours_latency, bare_latency;
  for (int pass = 0; pass < flags.passes; ++pass) {
    for (std::size_t q = 0; q < queries.size(); ++q) {
      for (int turn = 0; turn < 2; ++turn) {
        const bool ours_turn = (turn == 0) == ((q + pass) % 2 == 0);
        const auto start = Clock::now();
        if (ours_turn) {
          (void)QueryOurs(ours, queries[q], flags.k);
        } else {
          (void)QueryBare(bare, queries[q], flags.k);
        }
        const double seconds = SecondsSince(start);
        Latencies& latency = ours_turn ? ours_latency : bare_latency;
        latency.micros.push_back(seconds * 1e6);
        latency.total_seconds += seconds;
      }
    }
  }

  const double ours_dps = static_cast<double>(lines.size()) / ours_index_s;
  const double bare_dps = static_cast<double>(lines.size()) / bare_index_s;
  std::printf("\n%-24s %14s %14s %10s\n", "", "foldrank", "bare Lucene++", "ratio");
  std::printf("%-24s %14.0f %14.0f %9.2fx\n", "indexing (documents/s)", ours_dps, bare_dps,
              bare_dps / ours_dps);
  std::printf("%-24s %14.1f %14.1f %9.2fx\n", "indexing time (s)", ours_index_s, bare_index_s,
              ours_index_s / bare_index_s);
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
      "\nratios are foldrank / bare for times, bare / foldrank for rates: "
      "above 1 = foldrank slower. Targets: query p50 <= 1.20x, indexing <= 1.30x.\n");

  ours.snapshot.reset();
  ours.index.reset();
  bare.searcher->close();
  bare.reader->close();
  std::filesystem::remove_all(flags.dir);
  return 0;
}

}  // namespace
}  // namespace foldrank::bench

int main(int argc, char** argv) { return foldrank::bench::Main(argc, argv); }
