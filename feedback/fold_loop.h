#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "feedback/folder.h"
#include "feedback/ledger_click_signals.h"
#include "ranker/model_store.h"

namespace foldrank {

struct FoldLoopOptions {
  FolderOptions folder;
  // Pause between folds when there was nothing to fold (ms).
  int interval_ms = 200;
  // The folder lease lasts this long and is renewed every step (ms); a folder that
  // dies releases it by letting it expire.
  std::int64_t lease_ms = 5000;
  // Who holds the lease (host:pid:random by default).
  std::string holder;
};

// Keeps the serving model current: folds settled clicks while holding the ledger's
// folder lease, and otherwise (another process folds) picks up the versions that
// process writes. Publishes new models to `models` and reloads click features.
// Not thread-safe: run Step() or Run() from one thread.
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

  // Rounds until `stop` is set; folds back to back while there is work. Releases
  // the lease on the way out.
  void Run(const std::atomic<bool>& stop,
           const std::function<void(const StepResult&)>& on_step = {});

  static std::string DefaultHolder();

 private:
  Ledger& ledger_;
  FoldLoopOptions options_;
  ModelStore& models_;
  LedgerClickSignals* click_signals_;
  Folder folder_;
};

}  // namespace foldrank
