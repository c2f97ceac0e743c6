// The feedback loop's speed on the Debian corpus, with bare SQLite measured in the
// same run as the baseline for ingestion:
//   bare SQLite:   batched inserts (100 rows per transaction, WAL, synchronous=FULL)
//   click ingest:  durable clicks through ClickWriter (the server's asynchronous
//                  path) with --clients clicks in flight, while a thread keeps searching;
//                  three rounds, each beside its own bare runs (alone and beside the
//                  searcher), reported as medians and per-round ratios
//   fold:          settled impressions folded per second (PDGD + one transaction)
//   counterfactual: the certifier's check over the logged pages, against reading them
//   click-to-model: from a click's acknowledgement to the served model that folded
//                  it, at a steady rate with queries running and the fold loop on
//
// Usage: feedback_bench --corpus FILE.jsonl --queries FILE.tsv [--dir DIR]
//                       [--impressions N] [--clicks-per-impression N] [--clients N]
//                       [--rate CLICKS_PER_S] [--seconds N]
//                       [--event-ids sequential|random]
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <map>
#include <random>
#include <semaphore>
#include <thread>

#include "bench/bench_util.h"
#include "common/clock.h"
#include "engine/search_pipeline.h"
#include "evaluation/ledger_evaluation.h"
#include "feedback/click_writer.h"
#include "feedback/fold_loop.h"
#include "feedback/ids.h"
#include "feedback/ledger_click_signals.h"
#include "feedback/sqlite_ledger.h"

namespace foldrank::bench {
namespace {

struct Flags {
  std::string corpus, queries;
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "foldrank-feedback-bench";
  int impressions = 4000;
  int clicks_per_impression = 3;
  // Clicks in flight, as connections awaiting their acknowledgement. Half of them
  // queue while the other half commits, so 200 make groups of about 100: the
  // baseline's batch, so that the ratio compares the work per row, not batch sizes.
  int clients = 200;
  int rate = 200;
  int seconds = 15;
  bool random_event_ids = false;  // As sites that send UUIDs; default: a counter's.
};

Flags ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--corpus")
      flags.corpus = value;
    else if (arg == "--queries")
      flags.queries = value;
    else if (arg == "--dir")
      flags.dir = value;
    else if (arg == "--impressions")
      flags.impressions = std::atoi(value.c_str());
    else if (arg == "--clicks-per-impression")
      flags.clicks_per_impression = std::max(1, std::atoi(value.c_str()));
    else if (arg == "--clients")
      flags.clients = std::atoi(value.c_str());
    else if (arg == "--rate")
      flags.rate = std::atoi(value.c_str());
    else if (arg == "--seconds")
      flags.seconds = std::atoi(value.c_str());
    else if (arg == "--event-ids")
      flags.random_event_ids = value == "random";
  }
  if (flags.corpus.empty() || flags.queries.empty()) {
    std::fprintf(stderr,
                 "usage: feedback_bench --corpus FILE.jsonl --queries FILE.tsv [--dir DIR] "
                 "[--impressions N] [--clicks-per-impression N] [--clients N] [--rate N] "
                 "[--seconds N] [--event-ids sequential|random]\n");
    std::exit(2);
  }
  return flags;
}

// A clicks table for bare SQLite, and its insert of (event id, query id, document id,
// position, time) as ?1-?5.
struct BareTable {
  const char* schema;
  const char* insert;
};

// The machine's baseline: a minimal clicks table with one unique index.
constexpr BareTable kMinimalTable{
    "CREATE TABLE clicks(seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE,"
    " query_id TEXT, doc_id TEXT, position INTEGER, clicked_ms INTEGER);",
    "INSERT INTO clicks(event_id, query_id, doc_id, position, clicked_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5)"};

// The ledger's clicks table and indexes (without the foreign key, which needs the
// impressions). With the ingest's own ids, what is left of the gap to bare SQLite is
// foldrank's work per click (validation, idempotency, queueing), not row size.
constexpr BareTable kLedgerTable{
    "CREATE TABLE clicks(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " event_id TEXT NOT NULL UNIQUE, query_id TEXT NOT NULL, doc_id TEXT NOT NULL,"
    " position INTEGER NOT NULL, clicked_ms INTEGER NOT NULL,"
    " received_ms INTEGER NOT NULL, dwell_ms INTEGER, folded_by INTEGER);"
    "CREATE INDEX clicks_by_query ON clicks(query_id);",
    "INSERT INTO clicks(event_id, query_id, doc_id, position, clicked_ms, dwell_ms, received_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?5)"};

using BareRow = std::array<std::string, 3>;  // Event, query and document ids.

// Rows per second for bare SQLite: `rows` into a new `table`, 100 per transaction,
// WAL and synchronous=FULL.
double BareInsertOnce(const std::filesystem::path& path, const BareTable& table,
                      const std::vector<BareRow>& rows) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr);
  sqlite3_exec(db, table.schema, nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, table.insert, -1, &insert, nullptr);
  const auto start = Clock::now();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i % 100 == 0) sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    const auto& [event, query, doc] = rows[i];
    sqlite3_bind_text(insert, 1, event.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 2, query.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, doc.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int(insert, 4, static_cast<int>(i % 10));
    sqlite3_bind_int64(insert, 5, UnixMillis());
    sqlite3_step(insert);
    sqlite3_reset(insert);
    if (i % 100 == 99 || i + 1 == rows.size()) {
      sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
  }
  const double seconds = SecondsSince(start);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return static_cast<double>(rows.size()) / seconds;
}

// Event ids: a counter's, zero-padded so that later ids sort later (as a site's
// sequence or foldrank's generated ids do), or random (as UUIDs).
std::string EventId(const std::string& prefix, std::size_t n, bool random) {
  if (random) return NewRandomId();
  char digits[24];
  std::snprintf(digits, sizeof(digits), "%08zu", n);
  return prefix + digits;
}

// Short generated ids for the minimal table: two clicks per query.
std::vector<BareRow> MinimalRows(std::size_t count, bool random_event_ids) {
  std::vector<BareRow> rows;
  for (std::size_t i = 0; i < count; ++i) {
    rows.push_back({EventId("bare-", i, random_event_ids), "q" + std::to_string(i / 2), "doc"});
  }
  return rows;
}

// Copies the ledger's write-ahead log into the database and empties it, then flushes
// every file to disk.
void Checkpoint(const std::filesystem::path& ledger) {
  sqlite3* db = nullptr;
  sqlite3_open(ledger.c_str(), &db);
  sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  sync();
}

// (event id -> folded_by) read with a plain connection after the run.
std::map<std::string, std::int64_t> FoldedBy(const std::filesystem::path& ledger) {
  std::map<std::string, std::int64_t> folded;
  sqlite3* db = nullptr;
  sqlite3_open(ledger.c_str(), &db);
  sqlite3_stmt* select = nullptr;
  sqlite3_prepare_v2(db, "SELECT event_id, COALESCE(folded_by, 0) FROM clicks", -1, &select,
                     nullptr);
  while (sqlite3_step(select) == SQLITE_ROW) {
    folded[reinterpret_cast<const char*>(sqlite3_column_text(select, 0))] =
        sqlite3_column_int64(select, 1);
  }
  sqlite3_finalize(select);
  sqlite3_close(db);
  return folded;
}

// "a / b / c", each value printed with `format`.
std::string Joined(const std::vector<double>& values, const char* format) {
  std::string out;
  char buffer[32];
  for (double value : values) {
    std::snprintf(buffer, sizeof(buffer), format, value);
    out += (out.empty() ? "" : " / ") + std::string(buffer);
  }
  return out;
}

int Main(int argc, char** argv) {
  const Flags flags = ParseFlags(argc, argv);
  std::filesystem::remove_all(flags.dir);
  std::filesystem::create_directories(flags.dir);
  const std::vector<std::string> lines = ReadLines(flags.corpus);
  const std::vector<KnownItemQuery> queries = ReadQueries(flags.queries);
  std::unique_ptr<Index> index = BuildIndex(lines, flags.dir / "index", /*optimize=*/false);
  auto opened = SqliteLedger::Open(flags.dir / "ledger.sqlite");
  if (!opened) {
    std::fprintf(stderr, "ledger: %s\n", opened.error().ToString().c_str());
    return 1;
  }
  SqliteLedger& ledger = **opened;
  ModelStore models(std::make_shared<const Model>(Model::ColdStart()));
  LedgerClickSignals click_signals;
  ImpressionLog log(ledger);
  SearchPipeline pipeline(*index, models, click_signals, {&log, nullptr});
  std::printf("corpus: %zu documents; %d impressions, up to %d clicks each; %d clicks in flight\n",
              lines.size(), flags.impressions, flags.clicks_per_impression, flags.clients);

  // Impressions to click on: real searches, exploring (temperature 1). A click on
  // one of the page's results, drawn by `r`, is kept.
  struct Served {
    std::string query_id, doc_id;
    int position;
  };
  auto serve_page = [&](std::size_t q, std::mt19937_64& r) -> std::optional<SearchPage> {
    SearchRequest request;
    request.query = queries[q % queries.size()].text;
    request.policy.temperature = 1.0;
    request.snippets = false;
    auto page = pipeline.Search(request, r);
    if (!page || page->results.empty()) return std::nullopt;
    return std::move(*page);
  };
  auto serve = [&](std::size_t q, std::mt19937_64& r) -> std::optional<Served> {
    auto page = serve_page(q, r);
    if (!page) return std::nullopt;
    const SearchResult& hit = page->results[r() % page->results.size()];
    return Served{page->query_id, hit.id, hit.position};
  };
  // Clicks for the ingest: --clicks-per-impression different results of each page
  // (a round of clicks must run long enough to meet the log's checkpoints).
  std::vector<Served> served;
  std::mt19937_64 rng(3);
  for (std::size_t q = 0, pages = 0; pages < static_cast<std::size_t>(flags.impressions); ++q) {
    auto page = serve_page(q, rng);
    if (!page) continue;
    ++pages;
    std::shuffle(page->results.begin(), page->results.end(), rng);
    const std::size_t clicked =
        std::min(page->results.size(), static_cast<std::size_t>(flags.clicks_per_impression));
    for (std::size_t i = 0; i < clicked; ++i) {
      served.push_back({page->query_id, page->results[i].id, page->results[i].position});
    }
  }
  log.Flush();

  // Durable click ingest from concurrent clients with a searcher running, in rounds
  // interleaved with bare SQLite (alone, then beside the same searcher) so that each
  // ratio compares runs that met the same disk: single runs swing 2-3x with it.
  // The server's path: each connection hands its click to the writer and waits for
  // the acknowledgement, so `clients` clicks are in flight at once.
  constexpr int kRounds = 3;
  std::vector<double> bare_rates, bare_busy_rates, bare_ledger_rates, ingest_rates, ratios,
      busy_ratios, ledger_row_ratios, group_sizes;
  for (int round = 0; round < kRounds; ++round) {
    // The round-th run of consecutive impressions: clicks arrive in the order
    // their searches were served, as in production, where a click follows its
    // search by seconds. (Until 2026-11-24 each round took every third click of all
    // impressions, so that the ledger's index on query ids took each round's
    // clicks between the previous rounds' instead of at its end.)
    std::vector<const Served*> clicks;
    for (std::size_t n = served.size() * round / kRounds; n < served.size() * (round + 1) / kRounds;
         ++n) {
      clicks.push_back(&served[n]);
    }
    const std::string name = "round" + std::to_string(round);
    const std::vector<BareRow> minimal_rows = MinimalRows(clicks.size(), flags.random_event_ids);
    const double bare =
        BareInsertOnce(flags.dir / ("bare-" + name + ".sqlite"), kMinimalTable, minimal_rows);
    std::vector<BareRow> rows_stored;  // What the ingest stores.
    for (std::size_t n = 0; n < clicks.size(); ++n) {
      rows_stored.push_back({EventId("ingest-" + name + "-", n, flags.random_event_ids),
                             clicks[n]->query_id, clicks[n]->doc_id});
    }
    const double bare_ledger_rows =
        BareInsertOnce(flags.dir / ("bare-rows-" + name + ".sqlite"), kLedgerTable, rows_stored);
    std::atomic<bool> searching{true};
    std::thread searcher([&] {
      std::mt19937_64 r(5 + round);
      for (std::size_t q = 0; searching.load(); ++q) (void)serve(q, r);
    });
    const double bare_busy =
        BareInsertOnce(flags.dir / ("bare-busy-" + name + ".sqlite"), kMinimalTable, minimal_rows);
    std::atomic<std::size_t> accepted{0};
    const std::uint64_t commits_before = ledger.click_tally().commits;
    std::counting_semaphore<> in_flight(flags.clients);
    const auto ingest_start = Clock::now();
    {
      ClickWriter writer(ledger);
      for (std::size_t n = 0; n < clicks.size(); ++n) {
        const Served& click = *clicks[n];
        in_flight.acquire();
        writer.RecordAsync({rows_stored[n][0], click.query_id, click.doc_id, click.position,
                            UnixMillis(), std::nullopt},
                           [&](Result<ClickOutcome> outcome) {
                             accepted += outcome.has_value() && *outcome == ClickOutcome::kAccepted;
                             in_flight.release();
                           });
      }
    }  // The writer's destructor waits for every click queued.
    const double ingest = accepted.load() / SecondsSince(ingest_start);
    group_sizes.push_back(static_cast<double>(clicks.size()) /
                          static_cast<double>(ledger.click_tally().commits - commits_before));
    searching = false;
    searcher.join();
    log.Flush();
    bare_rates.push_back(bare);
    bare_busy_rates.push_back(bare_busy);
    bare_ledger_rates.push_back(bare_ledger_rows);
    ledger_row_ratios.push_back(ingest / bare_ledger_rows);
    ingest_rates.push_back(ingest);
    ratios.push_back(ingest / bare);
    busy_ratios.push_back(ingest / bare_busy);
  }
  auto median = [](std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
  };

  // Fold throughput: everything settled, folded until done. The ingest's write-back
  // is finished first (checkpoint, then sync), so that the folds do not pay for it.
  Checkpoint(flags.dir / "ledger.sqlite");
  FolderOptions fold_now;
  fold_now.settle_ms = 0;
  Folder folder(ledger, fold_now);
  std::size_t folded_impressions = 0, folded_clicks = 0;
  std::vector<double> fold_ms;             // Per fold: a few pay for a checkpoint's disk flush.
  std::vector<std::int64_t> counted_from;  // Each fold's count log position before it.
  const auto fold_start = Clock::now();
  while (true) {
    const auto one_fold = Clock::now();
    auto fold = folder.FoldOnce(UnixMillis());
    fold_ms.push_back(SecondsSince(one_fold) * 1000);
    if (!fold || fold->impressions + fold->clicks == 0) break;
    folded_impressions += fold->impressions;
    folded_clicks += fold->clicks;
    if (fold->model) models.Publish(std::make_shared<const Model>(*fold->model));
    if (!fold->counts.empty()) counted_from.push_back(fold->counts_seq_before);
  }
  const double fold_rate = folded_impressions / SecondsSince(fold_start);

  // Click features in a server that does not fold itself: loading every count,
  // against catching up with one fold through the count log (what its fold loop
  // does per fold of another process; a load only after the folder's merges).
  LedgerClickSignals follower;
  const auto load_start = Clock::now();
  (void)follower.Reload(ledger);
  const double load_ms = SecondsSince(load_start) * 1000;
  double follow_ms = 0;
  for (auto from = counted_from.rbegin(); from != counted_from.rend(); ++from) {
    const auto follow_start = Clock::now();
    auto tail = ledger.CountDeltasAfter(*from);
    if (!tail || !*tail) continue;  // That fold merged the log: only a load sees it.
    follower.Apply((*tail)->deltas);
    follow_ms = SecondsSince(follow_start) * 1000;
    break;
  }
  const LedgerClickSignals::Size held = follower.size();

  // The certifier's counterfactual check over every logged page (each with its
  // sampled pool), against reading the same pages with their features alone.
  std::size_t read_pages = 0;
  const auto read_start = Clock::now();
  (void)ledger.VisitRecent(0, 1'000'000, /*with_features=*/true, [&](SettledImpression&) {
    ++read_pages;
    return Status::Ok();
  });
  const double read_ms = SecondsSince(read_start) * 1000;
  LedgerEvaluationOptions evaluation;
  evaluation.limit = 1'000'000;
  const auto evaluate_start = Clock::now();
  auto evaluated = EvaluateFromLedger(ledger, models.Current()->version(), 1, evaluation);
  const double evaluate_ms = SecondsSince(evaluate_start) * 1000;

  // Click-to-model latency at a steady rate, queries running, the fold loop on.
  FoldLoopOptions loop_options;  // Defaults: settle 2 s, folds every 1 s.
  std::map<std::uint64_t, std::int64_t> published_ms;
  std::mutex published_mu;
  std::atomic<bool> stop_loop{false};
  FoldLoop loop(ledger, loop_options, models, &click_signals);
  std::thread folding([&] {
    loop.Run(stop_loop, [&](const FoldLoop::StepResult& step) {
      if (step.fold.model) {
        std::lock_guard<std::mutex> lock(published_mu);
        published_ms[step.fold.model->version()] = UnixMillis();
      }
    });
  });
  std::atomic<bool> searching{true};
  std::thread background([&] {
    std::mt19937_64 r(9);
    for (std::size_t q = 0; searching.load(); ++q) (void)serve(q + 7, r);
  });
  std::map<std::string, std::int64_t> acknowledged_ms;
  {
    ClickWriter writer(ledger);
    std::mt19937_64 r(11);
    const auto period = std::chrono::microseconds(1'000'000 / flags.rate);
    auto due = Clock::now();
    for (int i = 0; i < flags.rate * flags.seconds; ++i) {
      due += period;
      std::this_thread::sleep_until(due);
      auto shown = serve(static_cast<std::size_t>(i) * 13, r);
      if (!shown) continue;
      log.Flush();  // The click needs its impression in the ledger.
      const std::string event = "steady-" + std::to_string(i);
      auto outcome = writer.Record(
          {event, shown->query_id, shown->doc_id, shown->position, UnixMillis(), std::nullopt});
      if (outcome && *outcome == ClickOutcome::kAccepted) acknowledged_ms[event] = UnixMillis();
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(loop_options.folder.settle_ms + 2500));
  searching = false;
  background.join();
  stop_loop = true;
  folding.join();
  Latencies click_to_model;
  std::size_t unfolded = 0;
  const auto folded_by = FoldedBy(flags.dir / "ledger.sqlite");
  for (const auto& [event, acked] : acknowledged_ms) {
    auto version = folded_by.find(event);
    auto published =
        version == folded_by.end() ? published_ms.end() : published_ms.find(version->second);
    if (published == published_ms.end()) {
      ++unfolded;
      continue;
    }
    click_to_model.Add((published->second - acked) / 1000.0);
  }

  std::printf("\n%-44s %12s\n", "", "figure");
  // The median of the rounds, then each round.
  auto print_rounds = [&](const char* label, const std::vector<double>& rounds, bool ratio,
                          const char* note) {
    std::printf(ratio ? "%-44s %12.2f  (rounds: %s%s)\n" : "%-44s %12.0f  (rounds: %s%s)\n", label,
                median(rounds), Joined(rounds, ratio ? "%.2f" : "%.0f").c_str(), note);
  };
  print_rounds("bare SQLite batched insert (rows/s)", bare_rates, false, "");
  print_rounds("bare SQLite, queries running (rows/s)", bare_busy_rates, false, "");
  print_rounds("bare SQLite, the ingest's rows (rows/s)", bare_ledger_rates, false, "");
  print_rounds("durable click ingest, queries running (clicks/s)", ingest_rates, false, "");
  print_rounds("  clicks per commit (the baseline's: 100)", group_sizes, false, "");
  print_rounds("  ingest / bare, same round (x)", ratios, true, "; target >= 0.50x");
  print_rounds("  ingest / bare with queries running (x)", busy_ratios, true, "");
  print_rounds("  ingest / bare with the ingest's rows (x)", ledger_row_ratios, true, "");
  std::printf("%-44s %12.0f  (target >= 20000; %zu impressions, %zu clicks)\n",
              "fold (impressions/s)", fold_rate, folded_impressions, folded_clicks);
  std::sort(fold_ms.begin(), fold_ms.end());
  double slowest_tenth_ms = 0;
  for (std::size_t i = fold_ms.size() * 9 / 10; i < fold_ms.size(); ++i)
    slowest_tenth_ms += fold_ms[i];
  double all_ms = 0;
  for (double ms : fold_ms) all_ms += ms;
  std::printf("%-44s %12.2f  (max %.1f ms; the slowest tenth of folds took %.0f%% of the time)\n",
              "one fold of 100, median (ms)", fold_ms[fold_ms.size() / 2], fold_ms.back(),
              100 * slowest_tenth_ms / all_ms);
  std::printf("%-44s %12.1f  (%zu pairs, %zu documents)\n", "click features: load every count (ms)",
              load_ms, held.pairs, held.documents);
  std::printf("%-44s %12.2f\n", "click features: catch up with one fold (ms)", follow_ms);
  std::printf("%-44s %12.0f  (%zu pages with their features)\n",
              "counterfactual: read the pages (ms)", read_ms, read_pages);
  if (evaluated) {
    std::printf("%-44s %12.0f  (%.2fx reading; %llu judged by their pool, %llu as shown)\n",
                "counterfactual: evaluate them (ms)", evaluate_ms, evaluate_ms / read_ms,
                static_cast<unsigned long long>(evaluated->policy_aware),
                static_cast<unsigned long long>(evaluated->by_position));
  } else {
    std::printf("counterfactual: %s\n", evaluated.error().ToString().c_str());
  }
  std::printf("%-44s %12.0f\n", "click-to-model p50 (ms)", click_to_model.Percentile(0.5) / 1000);
  std::printf("%-44s %12.0f  (target <= settle %lld ms + 1000 ms)\n", "click-to-model p99 (ms)",
              click_to_model.Percentile(0.99) / 1000,
              static_cast<long long>(loop_options.folder.settle_ms));
  std::printf("%-44s %12zu of %zu at %d clicks/s\n", "clicks not yet folded at the end", unfolded,
              acknowledged_ms.size(), flags.rate);
  return 0;
}

}  // namespace
}  // namespace foldrank::bench

int main(int argc, char** argv) { return foldrank::bench::Main(argc, argv); }
