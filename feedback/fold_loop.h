#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "feedback/folder.h"
#include "feedback/ledger_click_signals.h"
#include "ranker/model_store.h"

namespace foldrank {

struct FoldLoopOptions {
  FolderOptions folder;
  // A fold happens every interval_ms, or sooner as soon as a full batch
  // (folder.max_impressions settled impressions) is ready, whichever comes first:
  // "every N impressions or T ms". This also bounds how late another process's
  // versions are picked up.
  int interval_ms = 1000;
  // How often the loop checks, between folds, whether a full batch is ready (ms).
  int poll_ms = 50;
  // The folder lease lasts this long and is renewed every step (ms); a folder that
  // dies releases it by letting it expire.
  std::int64_t lease_ms = 5000;
  // Who holds the lease (host:pid:random by default).
  std::string holder;
};

// Keeps the serving model current: folds settled clicks while holding the ledger's
// folder lease, and otherwise (another process folds) picks up the versions that
// process writes. Publishes new models to `models` and reloads click features.
// Step() is thread-safe (rounds are serialized), so a "fold now" request can run
// one while Run() loops on another thread.
class FoldLoop {
 public:
  FoldLoop(Ledger& ledger, FoldLoopOptions options, ModelStore& models,
           LedgerClickSignals* click_signals);

  struct StepResult {
    bool holds_lease = false;
    std::string lease_holder;  // Who does, when not us.
    FoldResult fold;
  };
  // One round: renew or take the lease; fold if held, else follow the ledger's active
  // model. Errors are returned, and the next round tries again.
  Result<StepResult> Step(std::int64_t now_ms);

  // Rounds until `stop` is set: back to back while full batches are waiting, else
  // every interval_ms. Releases the lease on the way out.
  void Run(const std::atomic<bool>& stop,
           const std::function<void(const StepResult&)>& on_step = {});

  // Gives the lease up (if held), so another folder can take over at once instead
  // of waiting for it to expire. Run() does this on its way out.
  void ReleaseLease();

  // Serves `model` instead of the ledger's active one from now on (gated
  // certification: folds continue on the active model); null: the active one again
  // from the next step.
  void SetServingOverride(std::shared_ptr<const Model> model);
  // The override's version (0: none).
  std::uint64_t ServingOverrideVersion();

  // Expected clicks per position for the folds to come (see FolderOptions).
  void SetExamination(std::vector<double> examination);

  static std::string DefaultHolder();

 private:
  // Brings the click features up to the ledger's counts after `fold` (this round's).
  // Requires step_mu_ held.
  Status FollowCountsLocked(const FoldResult& fold);

  Ledger& ledger_;
  FoldLoopOptions options_;
  ModelStore& models_;
  LedgerClickSignals* click_signals_;
  std::mutex step_mu_;                 // One round at a time.
  bool click_signals_loaded_ = false;  // Guarded by step_mu_: the first round loads all.
  std::int64_t counts_seq_ = 0;        // Guarded by step_mu_: the count log position held.
  std::shared_ptr<const Model> serving_override_;  // Guarded by step_mu_.
  Folder folder_;
};

}  // namespace foldrank
