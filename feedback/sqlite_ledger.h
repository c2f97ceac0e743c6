#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "feedback/ledger.h"
#include "feedback/recently_shown.h"

namespace foldrank {

class SqliteDb;

// The ledger in one SQLite file (WAL mode, foreign keys on, full sync, schema
// migrations by PRAGMA user_version). Its tables are a public interface, documented
// in docs/ledger.md: a site may insert clicks with any SQLite client. Thread-safe
// (one connection, serialized); other processes may use the file concurrently.
class SqliteLedger final : public Ledger {
 public:
  // Creates the file and schema if missing, migrates an older schema. Corruption if
  // the file is not a ledger or its schema is newer than this foldrank knows.
  static Result<std::unique_ptr<SqliteLedger>> Open(const std::filesystem::path& path);
  ~SqliteLedger() override;

  Status AppendImpressions(std::span<const Impression> impressions) override;
  Result<ClickOutcome> RecordClick(const Click& click) override;
  std::vector<Result<ClickOutcome>> RecordClicks(std::span<const Click> clicks) override;
  Result<std::vector<SettledImpression>> Settled(std::int64_t now_ms, std::int64_t settle_ms,
                                                 std::size_t limit) override;
  Result<std::size_t> CountSettled(std::int64_t now_ms, std::int64_t settle_ms,
                                   std::size_t limit) override;
  Status CommitFold(FoldCommit& fold) override;
  Result<Active> ActiveModel() override;
  Result<ClickCounts> Counts(const std::string& query, const std::string& doc_id) override;
  Result<std::int64_t> ForEachCount(
      const std::function<void(const FoldCommit::CountDelta&)>& visit) override;
  Result<std::optional<CountLogTail>> CountDeltasAfter(std::int64_t seq) override;
  Result<Model> StoreModel(const Model& model, std::uint64_t parent) override;
  Result<Model> StoreAndActivate(const Model& model, std::uint64_t parent,
                                 const std::string& metrics) override;
  Status AnnotateModel(std::uint64_t version, const std::string& state,
                       const std::string& metrics_patch, const std::string& decision) override;
  Status Activate(std::uint64_t version) override;
  Result<Model> LoadModel(std::uint64_t version) override;
  Result<std::vector<std::uint64_t>> ModelVersions() override;
  Result<std::vector<ModelRecord>> ModelHistory(std::size_t limit) override;
  Result<LedgerStats> Stats() override;
  Result<std::vector<TimelineBucket>> Timeline(std::int64_t since_ms,
                                               std::int64_t bucket_ms) override;
  ClickTally click_tally() const override;
  Result<PruneResult> Prune(std::int64_t cutoff_ms) override;
  Result<std::uint64_t> ReplayableAfter() override;
  Result<bool> AcquireLease(const std::string& name, const std::string& holder, std::int64_t now_ms,
                            std::int64_t duration_ms, std::string* current) override;
  Status ReleaseLease(const std::string& name, const std::string& holder) override;
  Status CountEarlierByUser(std::span<SettledImpression> batch, std::int64_t window_ms) override;
  Result<std::vector<SettledImpression>> FoldedBy(std::uint64_t version) override;
  Result<std::vector<SettledImpression>> ClickLog() override;
  Status VisitRecent(std::int64_t since_ms, std::size_t limit, bool with_features,
                     const ImpressionVisitor& visit) override;
  Result<std::optional<std::string>> Setting(const std::string& key) override;
  Status PutSetting(const std::string& key, const std::string& value) override;
  Result<Experiment> CreateExperiment(const Experiment& experiment) override;
  Result<std::vector<Experiment>> Experiments() override;
  Status StopExperiment(std::uint64_t id, const std::string& state, std::int64_t now_ms) override;
  Result<ExperimentCounts> CountExperiment(std::uint64_t id) override;
  Result<std::uint64_t> LearnerUpdates(std::uint64_t version) override;

  static constexpr int kSchemaVersion = 7;

 private:
  explicit SqliteLedger(std::unique_ptr<SqliteDb> db);
  Status Migrate();
  Status AppendImpressionsLocked(std::span<const Impression> impressions);  // mu_ held.
  // What a fold did with its count deltas.
  struct LoggedCounts {
    bool merged = false;    // The log, and these, were summed into click_counts.
    std::int64_t seq = 0;   // Else: the log row that holds them,
    std::int64_t rows = 0;  // and the rows in the log now.
  };
  Status CommitFoldLocked(FoldCommit& fold, LoggedCounts& logged);  // mu_ held.
  // In a transaction, mu_ held: `model`, renumbered to the next free version, stored
  // with `metrics` and made active, unless the active version is no longer its parent.
  Status InsertActiveLocked(Model& model, const std::string& metrics);
  // The logged count deltas of folds since the last merge, oldest first. Requires
  // mu_ held.
  Result<std::vector<FoldCommit::CountDelta>> PendingCountDeltasLocked();
  // The count log's position: its newest row, or the newest fold merged into
  // click_counts when that is newer (the log is empty after a merge). Requires mu_
  // held.
  Result<std::int64_t> CountLogPositionLocked();
  // Sets settings(key) to `value`. Requires mu_ held.
  Status PutSettingLocked(const std::string& key, const std::string& value);
  // Adds `counts` to click_counts (sorts them). Requires mu_ held, a transaction open.
  Status UpsertCountsLocked(std::vector<FoldCommit::CountDelta>& counts);
  // Requires mu_ held and a transaction open.
  Result<ClickOutcome> RecordOneLocked(const Click& click, std::int64_t received_ms);
  // For a click that inserted nothing: kDuplicate when it matches its impression
  // (so its event id is stored), else why it does not (NotFound: no such query id).
  // Requires mu_ held.
  Result<ClickOutcome> ClassifyUninsertedLocked(const Click& click);
  void Tally(const Result<ClickOutcome>& outcome);  // Requires mu_ held.
  // Query ids of up to `limit` settled impressions, oldest first, with whether each
  // was folded before (late clicks). Requires mu_ held.
  Result<std::vector<std::pair<std::string, bool>>> SettledIdsLocked(std::int64_t now_ms,
                                                                     std::int64_t settle_ms,
                                                                     std::size_t limit);
  // The impressions `ids` (query id, folded before) with their unfolded clicks, in
  // the order of `ids`, in three statements. Requires mu_ held, in a transaction.
  Result<std::vector<SettledImpression>> LoadPendingLocked(
      const std::vector<std::pair<std::string, bool>>& ids);
  // `clicks_sql` selects (seq, doc_id, position, clicked_ms) for ?1 = query id.
  Result<SettledImpression> LoadImpression(const std::string& query_id, bool folded,
                                           std::string_view clicks_sql, std::int64_t version = 0,
                                           bool with_features = true);
  // The impression's sampled pool (impression_pools), if it has one that reads.
  // Requires mu_ held.
  Status LoadPoolLocked(Impression& impression);
  // Folded impressions whose ids `ids_sql` selects (bound to `version` unless 0),
  // each with the clicks `clicks_sql` selects. Requires mu_ held.
  Result<std::vector<SettledImpression>> LoadFoldedLocked(std::string_view ids_sql,
                                                          std::string_view clicks_sql,
                                                          std::int64_t version);

  mutable std::mutex mu_;
  std::unique_ptr<SqliteDb> db_;  // Guarded by mu_.
  ClickTally tally_;              // Guarded by mu_.
  RecentlyShown recently_shown_;  // Guarded by mu_: what AppendImpressions committed.
  // The sums of the logged count deltas, so that a merge does not read the log
  // again. Valid while the log holds `rows` rows up to `last_seq`.
  struct PendingCountSums {
    std::int64_t rows = -1;  // -1: unknown (sum the log at the next fold).
    std::int64_t last_seq = 0;
    std::unordered_map<std::string, std::size_t> index;  // ClickCountKey -> sums.
    std::vector<FoldCommit::CountDelta> sums;
    void Add(std::span<const FoldCommit::CountDelta> deltas);
  };
  PendingCountSums pending_counts_;  // Guarded by mu_.
  int secure_delete_ = 0;            // The connection's PRAGMA secure_delete, as opened.
};

// Heap held by SQLite in this process (all connections), now and at its peak.
struct SqliteMemory {
  std::int64_t bytes = 0;
  std::int64_t peak_bytes = 0;
};
SqliteMemory SqliteMemoryInUse();

}  // namespace foldrank
