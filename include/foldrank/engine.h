#pragma once

// The foldrank engine, embedded: one data directory (index, ledger, models) served
// in-process. This is foldrank's public C++ API; `foldrank serve` is built on it
// and nothing else. docs/embedding.md shows it by example.
//
// Errors are values: every fallible call returns a Status or a Result<T> (see
// <foldrank/result.h>); nothing throws across this interface. The codes mean:
//   InvalidArgument  the caller's input is wrong (bad query syntax, bad document,
//                    a click for a document that was not shown, ...): do not retry;
//   NotFound         an unknown query id, document, model version or experiment;
//   Unavailable      storage failed (disk full, I/O error): retrying later may work;
//   Corruption       damaged files (Open refuses to start, naming the file).
//
// Threading: an Engine is thread-safe; every method may be called from any thread
// at once. Search takes no lock (it reads immutable snapshots of the index and the
// model), so searches scale with cores. The engine owns its background threads
// (index refresh and commit, impression writer, click writer, folding, position-bias
// estimates) and stops them when destroyed.

#include <foldrank/click.h>
#include <foldrank/document.h>
#include <foldrank/engine_status.h>
#include <foldrank/experiment.h>
#include <foldrank/models.h>
#include <foldrank/result.h>
#include <foldrank/search.h>
#include <foldrank/status.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace foldrank {

class Service;

struct EngineOptions {
  // Folding clicks into the model: on a background thread of the engine, or only
  // through FoldNow() (e.g. when a separate `foldrank fold --follow` process folds
  // the same directory; the ledger's lease lets one folder at a time).
  bool fold_in_background = true;
  std::int64_t settle_ms = 2000;  // Fold an impression once no click came for this long.
  int fold_interval_ms = 1000;    // Fold at least this often (sooner when 100 settled).
  // The model gate (docs/learning.md): "continuous" (the learning model serves
  // between certification checks), "gated" (only certified models serve) or "off".
  std::string certification = "continuous";
  std::uint64_t check_impressions = 2000;  // A check after this many folded impressions.
  double canary_share = 0.2;               // Traffic a certification canary interleaves.
  // Read the directory back before opening it and refuse to start on damage (costs
  // about a second per 60,000 documents).
  bool check_on_open = true;
  // How soon document changes become searchable without Refresh() (ms).
  int refresh_interval_ms = 100;
  // (Query, document) click counts held in memory for the click features at most
  // (about 55 bytes each; 0: no bound). Beyond it the pairs whose counts say least
  // are dropped from memory (not from the ledger) and read as "no data".
  std::size_t click_pairs_max = 500'000;
};

// OK, or InvalidArgument naming the first option out of range.
Status CheckEngineOptions(const EngineOptions& options);

class Engine {
 public:
  // Opens DIR (creating an empty index, ledger and user key when missing). Returns
  // the engine or why there is none: InvalidArgument for bad options, Corruption
  // for damaged files, Unavailable when another process holds the index's write
  // lock or the disk fails. Never a half-opened engine.
  static Result<std::unique_ptr<Engine>> Open(const std::filesystem::path& data_dir,
                                              const EngineOptions& options = {});
  // Stops folding, writes queued impressions and clicks, commits the index.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Searches and logs the impression under the page's query id (unless
  // !query.log_impression). InvalidArgument for an empty or malformed query or a
  // page out of range.
  Result<SearchPage> Search(const SearchQuery& query) const;

  // Records a click on a logged page. `done` runs once, on the click writer's thread,
  // when the click is durably stored (kAccepted) or was stored before under the same
  // event id (kDuplicate), or with why it was refused: NotFound (unknown query id),
  // InvalidArgument (document not shown, or shown at another position), Unavailable
  // (not stored: retry). A missing event id or time is filled in.
  using ClickDone = std::function<void(Result<ClickOutcome>)>;
  void RecordClick(Click click, ClickDone done);
  // The same, waiting for the outcome.
  Result<ClickOutcome> RecordClick(Click click);

  // Adds or replaces a document; searchable within refresh_interval_ms (or after
  // Refresh()). InvalidArgument for a document ParseDocument would refuse.
  Status Upsert(const Document& document);
  // The same, saying what it did: kCreated when no document had the id, else
  // kReplaced. Existence here (and in Delete and Contains) is decided against every
  // write so far, not the searchable view: a Delete right after a Put deletes, and
  // of two racing Puts of a new id exactly one answers kCreated.
  Result<DocumentChange> Put(const Document& document);
  // NotFound (and nothing written) when no document has that id.
  Status Delete(const std::string& id);
  bool Contains(std::string_view id) const;
  // Makes every change so far searchable now.
  Status Refresh();

  // One fold round now (also while the background loop runs).
  Result<FoldReport> FoldNow();
  // Newest first, at most `limit` stored versions (the built-in v1 is not stored).
  Result<std::vector<ModelRecord>> ModelHistory(std::size_t limit) const;
  Result<ModelInfo> Model(std::uint64_t version) const;
  // The version's full JSON, as `foldrank model export` writes it.
  Result<std::string> ModelJson(std::uint64_t version) const;
  // An operator's pin: `version` serves (and, with certification on, becomes the
  // certified model) here and in every process sharing the directory.
  Status Activate(std::uint64_t version);
  // Stores a model (JSON as ModelJson returns it) as a new version, a child of the
  // learning model, and makes it the learning model. Returns its version.
  Result<std::uint64_t> ImportModel(std::string_view model_json);
  // The learning history in buckets of bucket_ms from since_ms (Unix ms) to now.
  Result<std::vector<TimelineBucket>> Timeline(std::int64_t since_ms, std::int64_t bucket_ms) const;

  // Interleaving experiments between two versions (docs/learning.md).
  Result<Experiment> StartExperiment(std::uint64_t a, std::uint64_t b, double share,
                                     std::uint64_t max_impressions);
  Result<std::vector<ExperimentReport>> Experiments();
  Result<ExperimentReport> StopExperiment(std::uint64_t id);

  // A snapshot of the whole engine.
  EngineStatus Report() const;
  std::uint64_t ServingVersion() const;
  std::int64_t DocumentCount() const;
  // Waits until every impression logged so far is in the ledger.
  void FlushImpressions();

  // For foldrank's own tests and tools: wraps a service opened with internal
  // options. Not part of the stable API.
  explicit Engine(std::unique_ptr<Service> service);
  Service& service() { return *service_; }

 private:
  std::unique_ptr<Service> service_;
};

}  // namespace foldrank
