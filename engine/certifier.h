#pragma once

#include <atomic>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "evaluation/counterfactual.h"
#include "feedback/ledger.h"
#include "foldrank/engine_status.h"
#include "foldrank/result.h"
#include "ranker/model.h"

namespace foldrank {

class Service;

struct CertificationOptions {
  enum class Mode {
    kOff,         // The learning model serves; nothing is checked.
    kContinuous,  // The learning model serves between checks (seconds from click to effect).
    kGated,       // Only certified models serve; the learning model waits for the gate.
  };
  Mode mode = Mode::kOff;
  // A check is due after this many folded impressions or this long, whichever comes
  // first (and at once when the learning model did not come from a fold: imported
  // or activated by hand).
  std::uint64_t check_impressions = 2'000;
  std::int64_t check_ms = 600'000;
  std::size_t evaluation_impressions = 50'000;  // Newest impressions a check reads.
  double confidence = 0.95;                     // Of the bounds and the canary's test.
  // Of traffic interleaved in a canary: small, since half of each interleaved page
  // comes from a model not yet trusted.
  double canary_share = 0.05;
  std::uint64_t canary_impressions = 2'000;  // A canary's length at most.
  double learner_decay_updates = 2000;       // The learner's (to halve its rate).
  // Steps that may defer (the background fold loop's) run a check's counterfactual
  // evaluation on a thread of its own and decide at the first step after it ends, so
  // that folds go on meanwhile (a check of 50,000 pages takes seconds). Off: every
  // step decides before it returns.
  bool check_in_background = false;
};

// "off", "continuous", "gated".
Result<CertificationOptions::Mode> ParseCertificationMode(const std::string& text);
const char* CertificationModeName(CertificationOptions::Mode mode);

// The gate between the learning model and the certified one. At each due check the
// learning model is evaluated counterfactually against the certified one (all
// traffic): if the upper bound on the difference is below zero it is rolled back at
// once, without being shown to anyone; otherwise it goes to an interleaving canary
// against the certified model (so that a loss is caught online even while the bound
// cannot tell). Certification needs both: the counterfactual lower bound above zero
// and a canary win.
//  - Pass: it is certified. For a linear base, its delta is folded into a new base
//    (base + delta, delta zero), stored as the certified version, and the learning
//    model becomes that base plus what was learned since, so the learner's pull
//    toward zero now pulls toward it.
//  - Significant loss (counterfactual upper bound below 0, or the canary lost):
//    rollback. The certified model becomes active again, the learner restarts from it
//    with half the learning rate (its update count moves on so that the schedule
//    gives half), and the rejected version is marked rolled_back.
// Every decision is stored with the version it concerns (state and metrics.decisions:
// the bounds, segment estimates and interleaving counts). Not thread-safe: the
// service calls Step from one thread at a time (a check's evaluation may run on a
// thread of its own; decisions are always taken in Step).
class Certifier {
 public:
  Certifier(Service& service, Ledger& ledger, CertificationOptions options);
  // Cancels a check in progress and waits for its thread.
  ~Certifier();
  Certifier(const Certifier&) = delete;
  Certifier& operator=(const Certifier&) = delete;

  // Loads the certified version (first run: the active one) from the ledger.
  Status Open();
  // Checks if due; `folded` impressions were folded since the last call. Returns the
  // decision taken, if any ("canary", "certified", "rolled_back", "inconclusive").
  // With `may_defer` and options.check_in_background, a due check's evaluation starts
  // in the background and a later Step decides; without, a check in progress is
  // waited for.
  Result<std::optional<std::string>> Step(std::int64_t now_ms, std::uint64_t folded,
                                          bool may_defer = false);
  // A learning model arrived by hand (imported): check it at the next Step, whatever
  // the cadence, and until it passes serve the certified model (even in continuous
  // mode: continuous is for what clicks teach, not for untested imports).
  void CheckSoon();
  // Whether the certified model should serve instead of the learning one.
  bool ServeCertified() const;
  // An operator pinned `version`: it is the certified model from now on.
  Status Pin(std::uint64_t version);

  CertificationState state() const;
  std::uint64_t certified_version() const;
  const CertificationOptions& options() const { return options_; }

 private:
  Result<std::optional<std::string>> FollowCanary(std::int64_t now_ms);
  Result<std::optional<std::string>> Check(std::int64_t now_ms, std::uint64_t learning,
                                           bool may_defer);
  // The decision on a check's evaluation of `learning` against the certified model.
  Result<std::optional<std::string>> Decide(std::int64_t now_ms, std::uint64_t learning,
                                            Result<CounterfactualReport> report);
  // A check in the background that ended, or waited for (`wait`): its decision, or
  // nothing when it is still running or no longer applies (an operator pinned a
  // version, or a model arrived by hand, while it ran).
  Result<std::optional<std::string>> FinishPendingCheck(std::int64_t now_ms, bool wait);
  Status Certify(std::uint64_t learning, const std::string& evidence);
  // For a linear `passed` model: stores base + delta as the certified version and
  // activates the learning model on top of it (that version itself when nothing was
  // folded since, else a rebase of the active model). Returns (certified, learning).
  Result<std::pair<std::uint64_t, std::uint64_t>> ActivateAnchored(const Model& passed);
  Status RollBack(std::uint64_t learning, const std::string& evidence);
  Status Remember(const std::string& decision);

  Service& service_;
  Ledger& ledger_;
  const CertificationOptions options_;
  mutable std::mutex mu_;  // Guards the fields below for state().
  std::uint64_t certified_ = 1;
  std::uint64_t canary_ = 0;
  std::uint64_t canary_candidate_ = 0;
  bool canary_bound_passed_ = false;  // The check that started the canary showed it better.
  std::uint64_t learning_ = 0;
  std::uint64_t folded_since_check_ = 0;
  std::int64_t last_check_ms_ = 0;
  std::uint64_t checked_learning_ = 0;  // The learning version the last check saw.
  bool check_soon_ = false;
  bool held_back_ = false;
  std::uint64_t rollbacks_ = 0, certifications_ = 0;
  std::string last_decision_;

  // The check in the background, if any (touched only by Step's caller).
  struct PendingCheck {
    std::uint64_t learning = 0, certified = 0;
    std::future<Result<CounterfactualReport>> report;
  };
  std::optional<PendingCheck> pending_;
  std::atomic<bool> cancel_{false};
};

}  // namespace foldrank
