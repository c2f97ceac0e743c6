#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/snapshot_cell.h"
#include "engine/certifier.h"
#include "engine/search_pipeline.h"
#include "evaluation/interleaving_verdict.h"
#include "evaluation/position_bias.h"
#include "feedback/click_writer.h"
#include "feedback/fold_loop.h"
#include "feedback/ids.h"
#include "feedback/impression_log.h"
#include "feedback/ledger_click_signals.h"
#include "feedback/sqlite_ledger.h"
#include "foldrank/result.h"
#include "index/index.h"
#include "ranker/model_store.h"

namespace foldrank {

struct ServiceOptions {
  IndexOptions index;              // Opened read-write.
  FoldLoopOptions fold;            // Settle window, fold interval, batch, lease.
  bool fold_in_background = true;  // Off: only FoldNow() folds (or a `foldrank fold`).
  ImpressionLogOptions impressions;
  int candidates = 100;  // K: candidates reranked per query.
  // (Query, document) click counts held in memory for the click features at most
  // (0: no bound); see LedgerClickSignals.
  std::size_t click_pairs_max = 500'000;
  // The key of the click counts' hash table; unset: random per process (see
  // LedgerClickSignals). Set only for reproducible runs.
  std::optional<std::array<std::uint64_t, 2>> click_hash_key;
  // Position bias is re-estimated from the newest bias_impressions impressions every
  // bias_interval_ms (0: only on EstimatePositionBias()), stored in the ledger, and
  // used for expected clicks from then on.
  std::int64_t bias_interval_ms = 300'000;
  std::size_t bias_impressions = 50'000;
  PositionBiasOptions bias;
  // The gate between the learning and the certified model (off by default here;
  // `foldrank serve` runs it continuous).
  CertificationOptions certification;
  // Read the directory back before opening it (DataCheckDepth::kStartup) and refuse
  // to start on damage. Costs a read of the index and a page scan of the ledger.
  bool check_on_open = true;
};

// A running interleaving experiment as served: its record, its two models, and how
// many impressions it has been given (counted on the query path).
struct ServedExperiment {
  Experiment experiment;
  std::shared_ptr<const Model> a, b;
  mutable std::atomic<std::uint64_t> served{0};
};
struct ExperimentSet {
  std::vector<std::shared_ptr<const ServedExperiment>> running;
};

// One data directory served: the index, the ledger, the model in force with its
// click features, the impression log, the click writer and (optionally) the fold
// loop on a background thread. Thread-safe; the query path takes no lock (model
// and click features are read from immutable snapshots).
class Service {
 public:
  // Opens (creating if missing) DIR/index, DIR/ledger.sqlite and DIR/user.key.
  static Result<std::unique_ptr<Service>> Open(const std::filesystem::path& data_dir,
                                               ServiceOptions options = {});
  // Stops folding, writes queued impressions and clicks, commits the index.
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Searches and logs the impression (under the page's query id). Exploration draws
  // from `rng` when given (reproducible runs), else from a per-thread generator.
  Result<SearchPage> Search(SearchRequest request, std::mt19937_64* rng = nullptr) const;

  // Stores a click durably; `done` runs on the click writer's thread.
  void RecordClick(Click click, ClickWriter::Done done);

  // Index::Upsert, Index::Delete, Index::Contains: read-your-writes (true: the id
  // existed before this write).
  Result<bool> Upsert(const Document& document);
  Result<bool> Delete(const std::string& id);
  Result<bool> Contains(std::string_view id) const;
  // Makes every change so far searchable now (instead of within the refresh interval).
  Status Refresh();

  // One fold round now (also when the background loop runs).
  Result<FoldLoop::StepResult> FoldNow();
  // An operator's pin: makes `version` the model in force here and in the ledger,
  // and (with certification on) the certified one.
  Status Activate(std::uint64_t version);
  // Makes `version` the learning model (what folds build on) without certifying it;
  // in gated mode the certified model keeps serving.
  Status ActivateLearning(std::uint64_t version);
  // Publishes what should serve: the certified version when the certifier says so
  // (gated mode, or an import held back), through the fold loop's override so that
  // folds cannot replace it; else the ledger's active (learning) version.
  Status ServeCertified();
  // Stores `model` as a new version, a child of the learning model, and makes it the
  // learning model (with certification on, the gate checks it before long; in gated
  // mode it does not serve until it passes). Returns it as stored (numbered).
  Result<Model> Import(const Model& model);
  Result<std::vector<ModelRecord>> ModelHistory(std::size_t limit);
  Result<Model> LoadModel(std::uint64_t version);
  Result<std::vector<TimelineBucket>> Timeline(std::int64_t since_ms, std::int64_t bucket_ms);

  // Estimates position bias from the newest impressions now, stores the estimate in
  // the ledger and uses it for expected clicks from the next fold on.
  Result<PositionBias> EstimatePositionBias();

  // Interleaving experiments: a share of traffic sees a team draft of versions a
  // and b (which must share a feature normalization) until max_impressions were
  // served. InvalidArgument for bad parameters (same version twice, share outside
  // (0, 1] or above what running experiments leave, max_impressions 0, different
  // normalizations); NotFound for an unknown version or experiment.
  Result<Experiment> StartExperiment(std::uint64_t a, std::uint64_t b, double share,
                                     std::uint64_t max_impressions,
                                     const std::string& purpose = "manual");
  Result<std::vector<ExperimentReport>> Experiments();
  Result<ExperimentReport> ExperimentById(std::uint64_t id);
  Result<ExperimentReport> StopExperiment(std::uint64_t id);

  EngineStatus Report() const;

  // Waits until every queued impression is in the ledger.
  void FlushImpressions();

  const ModelStore& models() const { return models_; }
  Index& index() { return *index_; }

 private:
  Service(std::unique_ptr<Index> index, std::unique_ptr<SqliteLedger> ledger, UserKeyHasher hasher,
          std::shared_ptr<const Model> model, ServiceOptions options);
  void FoldThread();
  void BiasThread();
  void NoteStep(const Result<FoldLoop::StepResult>& step);
  void UsePositionBias(std::shared_ptr<const PositionBias> bias);
  // Serves the ledger's running experiments (their served counts from the ledger).
  Status ReloadExperiments();
  // Marks experiments that have served their maximum as completed.
  void CompleteServedExperiments();
  Result<ExperimentReport> ReportOn(const Experiment& experiment);
  // Runs the certification gate after a fold step that folded `folded` impressions;
  // `may_defer`: a check's evaluation may go on after it returns (the fold thread).
  void Certify(std::uint64_t folded, bool may_defer);

  const ServiceOptions options_;
  std::unique_ptr<Index> index_;
  std::unique_ptr<SqliteLedger> ledger_;
  UserKeyHasher hasher_;
  ModelStore models_;
  LedgerClickSignals click_signals_;
  ImpressionLog impression_log_;
  ClickWriter click_writer_;
  SearchPipeline pipeline_;
  FoldLoop fold_loop_;
  SnapshotCell<ExperimentSet> experiments_;
  std::mutex experiments_mu_;  // Serializes starting, stopping and completing.
  Certifier certifier_;
  std::mutex certify_mu_;                 // One gate decision at a time.
  std::string last_certification_error_;  // Guarded by status_mu_.

  mutable std::mutex status_mu_;
  std::int64_t last_fold_ms_ = 0;                      // Guarded by status_mu_.
  std::vector<std::int64_t> click_to_model_ms_;        // Guarded by status_mu_; a ring.
  std::size_t click_to_model_next_ = 0;                // Guarded by status_mu_.
  bool holds_lease_ = false;                           // Guarded by status_mu_.
  std::string lease_holder_, last_fold_error_;         // Guarded by status_mu_.
  std::shared_ptr<const PositionBias> position_bias_;  // Guarded by status_mu_.
  std::string last_bias_error_;                        // Guarded by status_mu_.

  std::atomic<bool> stop_{false};
  std::thread fold_thread_;
  std::thread bias_thread_;
};

}  // namespace foldrank
