#include "feedback/fold_loop.h"

#include <unistd.h>

#include <chrono>
#include <thread>

#include "common/clock.h"
#include "feedback/ids.h"

namespace foldrank {
namespace {

constexpr const char* kFolderLease = "folder";

}  // namespace

FoldLoop::FoldLoop(Ledger& ledger, FoldLoopOptions options, ModelStore& models,
                   LedgerClickSignals* click_signals)
    : ledger_(ledger),
      options_(std::move(options)),
      models_(models),
      click_signals_(click_signals),
      folder_(ledger, options_.folder) {
  if (options_.holder.empty()) options_.holder = DefaultHolder();
}

std::string FoldLoop::DefaultHolder() {
  char host[256] = "host";
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + NewRandomId().substr(0, 8);
}

void FoldLoop::SetServingOverride(std::shared_ptr<const Model> model) {
  std::lock_guard<std::mutex> lock(step_mu_);
  serving_override_ = std::move(model);
  if (serving_override_ && serving_override_->version() != models_.Current()->version()) {
    models_.Publish(serving_override_);
  }
}

std::uint64_t FoldLoop::ServingOverrideVersion() {
  std::lock_guard<std::mutex> lock(step_mu_);
  return serving_override_ ? serving_override_->version() : 0;
}

void FoldLoop::SetExamination(std::vector<double> examination) {
  std::lock_guard<std::mutex> lock(step_mu_);
  folder_.SetExamination(std::move(examination));
}

Result<FoldLoop::StepResult> FoldLoop::Step(std::int64_t now_ms) {
  std::lock_guard<std::mutex> lock(step_mu_);
  StepResult step;
  auto leased = ledger_.AcquireLease(kFolderLease, options_.holder, now_ms, options_.lease_ms,
                                     &step.lease_holder);
  if (!leased) return leased.error();
  step.holds_lease = *leased;
  if (step.holds_lease) {
    auto fold = folder_.FoldOnce(now_ms);
    if (!fold) return fold.error();
    step.fold = std::move(*fold);
  }
  // Serve what the ledger says is active: our fold, another process's fold, or a
  // rollback made with 'foldrank model activate'.
  auto active = ledger_.ActiveModel();
  if (!active) return active.error();
  const Model model = active->InForce();
  // Serve the override (gated certification) when there is one, else the active model.
  const std::shared_ptr<const Model> serve =
      serving_override_ ? serving_override_ : std::make_shared<const Model>(model);
  if (serve->version() != models_.Current()->version()) models_.Publish(serve);
  if (click_signals_ != nullptr) FOLDRANK_RETURN_IF_ERROR(FollowCountsLocked(step.fold));
  return step;
}

Status FoldLoop::FollowCountsLocked(const FoldResult& fold) {
  if (click_signals_loaded_) {
    // Our own fold, with nothing counted elsewhere before it: its deltas are at hand.
    if (!fold.counts.empty() && fold.counts_seq_before == counts_seq_) {
      click_signals_->Apply(fold.counts);
      counts_seq_ = fold.counts_seq;
      return Status::Ok();
    }
    // Otherwise what the log holds since (another process's folds, a lease that
    // changed hands), and everything again only if some of it was merged away.
    auto tail = ledger_.CountDeltasAfter(counts_seq_);
    if (!tail) return tail.error();
    if (*tail) {
      click_signals_->Apply((*tail)->deltas);
      counts_seq_ = (*tail)->seq;
      return Status::Ok();
    }
  }
  auto loaded = click_signals_->Reload(ledger_);
  if (!loaded) return loaded.error();
  counts_seq_ = *loaded;
  click_signals_loaded_ = true;
  return Status::Ok();
}

void FoldLoop::Run(const std::atomic<bool>& stop,
                   const std::function<void(const StepResult&)>& on_step) {
  using Clock = std::chrono::steady_clock;
  const auto period = std::chrono::milliseconds(options_.interval_ms);
  auto next_tick = Clock::now();
  while (!stop.load()) {
    auto step = Step(UnixMillis());
    if (step && on_step) on_step(*step);
    // A full batch means more is waiting: fold again at once. Otherwise tick at a
    // fixed rate (every interval_ms, however long the fold took).
    if (step && step->fold.impressions >= options_.folder.max_impressions) {
      next_tick = Clock::now();
      continue;
    }
    next_tick += period;
    if (next_tick < Clock::now()) next_tick = Clock::now();  // Fell behind: don't burst.
    // Until the next tick, poll for a full batch (fold at once) or a stop request.
    const auto poll = std::chrono::milliseconds(std::max(1, options_.poll_ms));
    while (!stop.load() && Clock::now() < next_tick) {
      std::this_thread::sleep_for(std::min<Clock::duration>(poll, next_tick - Clock::now()));
      if (!step || !step->holds_lease) continue;  // Only the lease holder folds.
      auto ready = ledger_.CountSettled(UnixMillis(), options_.folder.settle_ms,
                                        options_.folder.max_impressions);
      if (ready && *ready >= options_.folder.max_impressions) break;
    }
    if (!stop.load() && Clock::now() < next_tick) next_tick = Clock::now();
  }
  ReleaseLease();
}

void FoldLoop::ReleaseLease() {
  std::lock_guard<std::mutex> lock(step_mu_);
  (void)ledger_.ReleaseLease(kFolderLease, options_.holder);
}

}  // namespace foldrank
