#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "feedback/query_key.h"
#include "feedback/records.h"
#include "foldrank/engine_status.h"
#include "foldrank/models.h"
#include "foldrank/result.h"
#include "ranker/model.h"

namespace foldrank {

// Click statistics kept per document and per (normalized query, document): clicks,
// and expected clicks (the summed examination probabilities of the positions where
// the document was shown).
struct ClickCounts {
  double clicks = 0;
  double expected = 0;
};

// What a prune removed.
struct PruneResult {
  std::uint64_t impressions = 0;
  std::uint64_t clicks = 0;
};

// What one fold commits, atomically: a new model version, the clicks it folded, the
// impressions it settled, and the click-count increments.
struct FoldCommit {
  // The new model, a child of the active one; none when the batch had no clicks
  // (only impressions settle and expected clicks grow).
  std::optional<Model> model;
  std::uint64_t learner_updates = 0;             // The learner's count after this fold.
  std::vector<std::int64_t> folded_clicks;       // PendingClick::seq values.
  std::vector<std::string> settled_impressions;  // Query ids folded for the first time.
  std::vector<std::string> late_impressions;     // Folded before; late clicks folded now.
  struct CountDelta {
    std::string query;  // Normalized query text (stored counts are per query).
    std::string doc_id;
    ClickCounts delta;
  };
  std::vector<CountDelta> counts;
  // Set by CommitFold: the click-count log's position (see CountDeltasAfter) just
  // before this fold's deltas, and with them. A reader current to
  // `counts_seq_before` is current to `counts_seq` once it adds `counts`.
  std::int64_t counts_seq_before = 0;
  std::int64_t counts_seq = 0;
};

// Click-count deltas folded after a position of the count log, and the position
// they bring a reader to.
struct CountLogTail {
  std::vector<FoldCommit::CountDelta> deltas;
  std::int64_t seq = 0;
};

// The ledger: impressions, clicks, model versions, click counts. The narrow seam
// between the learner and storage: SqliteLedger is the first backend; a shared
// PostgreSQL one can follow without touching the learner. Implementations are
// thread-safe.
class Ledger {
 public:
  virtual ~Ledger() = default;

  // Stores impressions in one transaction (the writer thread's group commit). The
  // transaction may become durable only with the next durable write (a click, a
  // fold): nothing acknowledged depends on an impression alone, and every click
  // that refers to one is committed after it, so a crash can lose impressions
  // nobody clicked yet, never one an acknowledged click points to.
  virtual Status AppendImpressions(std::span<const Impression> impressions) = 0;

  // Stores a click durably before returning kAccepted. kDuplicate for a known event
  // id. InvalidArgument with the reason for an unknown query id, a document not
  // shown in that impression, or a position that does not match it.
  virtual Result<ClickOutcome> RecordClick(const Click& click) = 0;
  // The same for a group of clicks in one durable transaction (group commit); one
  // outcome per click, in order. A rejected click does not affect the others.
  virtual std::vector<Result<ClickOutcome>> RecordClicks(std::span<const Click> clicks) = 0;

  // Impressions whose newest unfolded click (or, without clicks, whose creation) is
  // older than settle_ms at now_ms, oldest first, at most `limit`.
  virtual Result<std::vector<SettledImpression>> Settled(std::int64_t now_ms,
                                                         std::int64_t settle_ms,
                                                         std::size_t limit) = 0;

  // How many impressions Settled() would return, counting at most `limit` (cheap:
  // lets a fold loop start a fold as soon as a full batch is ready).
  virtual Result<std::size_t> CountSettled(std::int64_t now_ms, std::int64_t settle_ms,
                                           std::size_t limit) = 0;

  // Commits a fold atomically: stores the model under the next free version (and
  // renumbers fold.model to it) as the active model, and marks its clicks folded by
  // it. Aborted when the active model is no longer the fold's parent or any click
  // was folded meanwhile (Unavailable: another folder won), so a click is never
  // folded twice. May be made durable by the next durable commit rather than its
  // own: a power cut can undo the newest folds (never a part of one), and their
  // clicks, unmarked again, are folded again. A crash of the process loses nothing.
  virtual Status CommitFold(FoldCommit& fold) = 0;

  // The model in force and the learner's update count; no model when none was
  // stored yet (cold start serves).
  struct Active {
    std::optional<Model> model;
    std::uint64_t learner_updates = 0;
    // The model that serves: the stored active version, else the built-in cold start.
    Model InForce() const { return model ? *model : Model::ColdStart(); }
  };
  virtual Result<Active> ActiveModel() = 0;
  // Counts for a document (query empty) or a (normalized query, document) pair.
  virtual Result<ClickCounts> Counts(const std::string& query, const std::string& doc_id) = 0;
  // Calls `visit` with every count row, from one snapshot (for the in-memory click
  // features): merged rows, then the deltas of the last folds not yet merged, so a
  // pair may come more than once and its counts are the sum. `visit` must not call
  // the ledger. Returns the count log's position the visit is current to, or the
  // first error (visits may have happened before it).
  virtual Result<std::int64_t> ForEachCount(
      const std::function<void(const FoldCommit::CountDelta&)>& visit) = 0;
  // The count deltas of folds after position `seq` (0: from the start), in fold
  // order: what a reader current to `seq` adds to be current. Positions grow with
  // every fold that counts anything and are never reused. Nullopt when some of
  // those folds' deltas were merged into the stored counts meanwhile, which only
  // ForEachCount sees: the reader then visits every count again.
  virtual Result<std::optional<CountLogTail>> CountDeltasAfter(std::int64_t seq) = 0;

  // Model versions. Version 1 is the built-in cold-start model and is never stored.
  // Stores `model` under the next free version with `parent`; does not activate it.
  virtual Result<Model> StoreModel(const Model& model, std::uint64_t parent) = 0;
  // Stores `model` under the next free version with `parent` and `metrics` (a JSON
  // object) and makes it the model in force, in one transaction, provided `parent`
  // still is: when a fold or an activation came first, Unavailable and nothing is
  // stored (the caller recomputes from the new active model, as a fold does).
  virtual Result<Model> StoreAndActivate(const Model& model, std::uint64_t parent,
                                         const std::string& metrics) = 0;
  // Annotates a stored version: sets its state (unless empty), merges `metrics_patch`
  // (a JSON object) into its metrics, and appends `decision` (a JSON object, unless
  // empty) to its metrics' "decisions" list. NotFound for a version not stored.
  virtual Status AnnotateModel(std::uint64_t version, const std::string& state,
                               const std::string& metrics_patch, const std::string& decision) = 0;
  // Makes a stored version (or 1, the cold start) the model in force. NotFound for
  // an unknown version.
  virtual Status Activate(std::uint64_t version) = 0;
  // NotFound for an unknown version; 1 gives the cold-start model.
  virtual Result<Model> LoadModel(std::uint64_t version) = 0;
  // Stored versions, ascending.
  virtual Result<std::vector<std::uint64_t>> ModelVersions() = 0;
  // The newest `limit` stored versions' records, newest first.
  virtual Result<std::vector<ModelRecord>> ModelHistory(std::size_t limit) = 0;
  virtual Result<LedgerStats> Stats() = 0;
  // Buckets of `bucket_ms` from since_ms on, oldest first, only those with activity.
  virtual Result<std::vector<TimelineBucket>> Timeline(std::int64_t since_ms,
                                                       std::int64_t bucket_ms) = 0;

  virtual ClickTally click_tally() const = 0;

  // Deletes impressions created before cutoff_ms that are settled and have no
  // unfolded click, with their results and (folded) clicks. Click counts and model
  // versions stay. Versions whose clicks were deleted can no longer be replayed;
  // the ledger remembers the newest of them (ReplayableAfter).
  virtual Result<PruneResult> Prune(std::int64_t cutoff_ms) = 0;
  // Versions up to this one had clicks pruned: replay starts after it (0 = none).
  virtual Result<std::uint64_t> ReplayableAfter() = 0;

  // A named lease (e.g. "folder") held by `holder` until now_ms + duration_ms.
  // True if `holder` now holds it (acquired, or renewed); false, with the current
  // holder in `*current`, if someone else holds an unexpired lease.
  virtual Result<bool> AcquireLease(const std::string& name, const std::string& holder,
                                    std::int64_t now_ms, std::int64_t duration_ms,
                                    std::string* current) = 0;
  virtual Status ReleaseLease(const std::string& name, const std::string& holder) = 0;

  // Fills earlier_by_user for each impression of `batch` that has clicks and a user
  // hash: the impressions with the same user hash and normalized query created in
  // the window_ms before it (same time: earlier in ledger order). Deterministic for
  // the same ledger, so that replay sees what the folder saw.
  virtual Status CountEarlierByUser(std::span<SettledImpression> batch, std::int64_t window_ms) = 0;

  // Every impression with folded clicks, in creation order, each with those clicks:
  // the whole click log, for retraining the learner from scratch.
  virtual Result<std::vector<SettledImpression>> ClickLog() = 0;

  // For replay: the impressions whose clicks `version` folded, in fold order, each
  // with exactly those clicks.
  virtual Result<std::vector<SettledImpression>> FoldedBy(std::uint64_t version) = 0;
  // The newest `limit` impressions created at or after since_ms, oldest first, each
  // with all its clicks, folded or not (for position-bias estimates and
  // counterfactual evaluation), handed to `visit` one at a time so that a caller that
  // keeps only a summary holds one impression's features at a time. Without
  // features, results carry none and the sampled pool (Impression::unshown) is not
  // read (cheaper). The first error `visit` returns stops
  // the walk and is returned.
  using ImpressionVisitor = std::function<Status(SettledImpression&)>;
  virtual Status VisitRecent(std::int64_t since_ms, std::size_t limit, bool with_features,
                             const ImpressionVisitor& visit) = 0;
  // VisitRecent, collected.
  Result<std::vector<SettledImpression>> Recent(std::int64_t since_ms, std::size_t limit,
                                                bool with_features);

  // Small named values shared by every process on the ledger (e.g. the position-bias
  // estimate); see docs/ledger.md for the keys. No value: an empty optional.
  virtual Result<std::optional<std::string>> Setting(const std::string& key) = 0;
  virtual Status PutSetting(const std::string& key, const std::string& value) = 0;

  // Interleaving experiments. CreateExperiment stores it (id, created_ms and state
  // assigned) and returns it; Experiments lists all, newest first; StopExperiment
  // sets a running one's final state ("stopped" or "completed"; NotFound for an
  // unknown id, InvalidArgument if it is not running); CountExperiment credits
  // the clicks of its impressions to teams.
  virtual Result<Experiment> CreateExperiment(const Experiment& experiment) = 0;
  virtual Result<std::vector<Experiment>> Experiments() = 0;
  virtual Status StopExperiment(std::uint64_t id, const std::string& state,
                                std::int64_t now_ms) = 0;
  virtual Result<ExperimentCounts> CountExperiment(std::uint64_t id) = 0;

  // The learner's update count stored with `version` (0 for version 1).
  virtual Result<std::uint64_t> LearnerUpdates(std::uint64_t version) = 0;
};

}  // namespace foldrank
