#include "engine/certifier.h"

#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <system_error>

#include "engine/service.h"
#include "evaluation/ledger_evaluation.h"

namespace foldrank {
namespace {

// A version's metrics when all it records is its learner's update count.
std::string LearnerUpdatesMetrics(std::uint64_t updates) {
  return "{\"learner_updates\": " + std::to_string(updates) + "}";
}

constexpr const char* kCertifiedSetting = "certified_version";  // docs/ledger.md
constexpr const char* kCanarySetting = "canary_experiment";

nlohmann::json CounterfactualJson(const CounterfactualReport& report) {
  nlohmann::json segments = nlohmann::json::array();
  for (const SegmentEstimate& s : report.segments) {
    segments.push_back({{"segment", s.segment},
                        {"impressions", s.impressions},
                        {"difference", s.difference},
                        {"lower", s.lower},
                        {"upper", s.upper},
                        {"decision", s.decision}});
  }
  return {{"confidence", report.confidence},
          {"policy_aware", report.policy_aware},
          {"by_position", report.by_position},
          {"segments", std::move(segments)}};
}

nlohmann::json InterleavingJson(const ExperimentReport& report) {
  return {{"experiment", report.experiment.id},
          {"impressions", report.counts.impressions},
          {"wins_candidate", report.counts.wins_a},
          {"wins_certified", report.counts.wins_b},
          {"ties", report.counts.ties},
          {"preference", report.verdict.preference},
          {"candidate_share", report.verdict.a_share},
          {"candidate_share_interval", {report.verdict.a_share_low, report.verdict.a_share_high}},
          {"decision", report.verdict.decision}};
}

// A version number from a setting's text ("12" or "12 ..."); 0 if there is none.
std::uint64_t ParseVersion(const std::string& text) {
  std::uint64_t version = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
  return error == std::errc() ? version : 0;
}

LinearFunction Sum(const LinearFunction& a, const LinearFunction& b, float b_sign = 1) {
  LinearFunction sum = a;
  for (std::size_t i = 0; i < sum.weights.size(); ++i) sum.weights[i] += b_sign * b.weights[i];
  sum.bias += b_sign * b.bias;
  return sum;
}

}  // namespace

Result<CertificationOptions::Mode> ParseCertificationMode(const std::string& text) {
  if (text == "off") return CertificationOptions::Mode::kOff;
  if (text == "continuous") return CertificationOptions::Mode::kContinuous;
  if (text == "gated") return CertificationOptions::Mode::kGated;
  return Status::InvalidArgument("certification mode must be off, continuous or gated, not '" +
                                 text + "'");
}

const char* CertificationModeName(CertificationOptions::Mode mode) {
  switch (mode) {
    case CertificationOptions::Mode::kOff:
      return "off";
    case CertificationOptions::Mode::kContinuous:
      return "continuous";
    case CertificationOptions::Mode::kGated:
      return "gated";
  }
  return "off";
}

Certifier::Certifier(Service& service, Ledger& ledger, CertificationOptions options)
    : service_(service), ledger_(ledger), options_(std::move(options)) {}

Certifier::~Certifier() {
  cancel_ = true;
  if (pending_) pending_->report.wait();
}

Status Certifier::Open() {
  auto active = ledger_.ActiveModel();
  if (!active) return active.error();
  auto stored = ledger_.Setting(kCertifiedSetting);
  if (!stored) return stored.error();
  auto canary = ledger_.Setting(kCanarySetting);
  if (!canary) return canary.error();
  std::lock_guard<std::mutex> lock(mu_);
  learning_ = active->InForce().version();
  if (stored->has_value() && ParseVersion(**stored) != 0) {
    certified_ = ParseVersion(**stored);
  } else {
    certified_ = learning_;  // First run: what serves now is what we vouch for.
    if (options_.mode != CertificationOptions::Mode::kOff) {
      FOLDRANK_RETURN_IF_ERROR(ledger_.PutSetting(kCertifiedSetting, std::to_string(certified_)));
    }
  }
  // "ID" or "ID bound": the running canary, and whether its check passed the bound.
  canary_ = canary->has_value() ? ParseVersion(**canary) : 0;
  canary_bound_passed_ = canary->has_value() && (*canary)->find(" bound") != std::string::npos;
  if (canary_ != 0) {
    auto experiments = ledger_.Experiments();
    if (!experiments) return experiments.error();
    for (const Experiment& e : *experiments) {
      if (e.id == canary_) canary_candidate_ = e.a;
    }
  }
  checked_learning_ = learning_;
  return Status::Ok();
}

Result<std::optional<std::string>> Certifier::Step(std::int64_t now_ms, std::uint64_t folded,
                                                   bool may_defer) {
  if (options_.mode == CertificationOptions::Mode::kOff) return std::optional<std::string>();
  {
    std::lock_guard<std::mutex> lock(mu_);
    folded_since_check_ += folded;
  }
  if (pending_) {
    auto finished = FinishPendingCheck(now_ms, /*wait=*/!may_defer);
    // Decided, failed, or still running; else it no longer applied: go on.
    if (!finished || finished->has_value() || pending_) return finished;
  }
  auto active = ledger_.ActiveModel();
  if (!active) return active.error();
  const Model learning = active->InForce();
  std::uint64_t certified = 0;
  bool check_soon = false;  // CheckSoon() may be called from any thread.
  {
    std::lock_guard<std::mutex> lock(mu_);
    learning_ = learning.version();
    certified = certified_;
    check_soon = check_soon_;
    if (last_check_ms_ == 0) last_check_ms_ = now_ms;
  }
  if (canary_ != 0 && check_soon) {
    // A learning model arrived by hand: the running canary judges an older one.
    auto stopped = service_.StopExperiment(canary_);
    if (!stopped && stopped.error().code() != Status::Code::kInvalidArgument) {
      return stopped.error();
    }
    FOLDRANK_RETURN_IF_ERROR(ledger_.PutSetting(kCanarySetting, "0"));
    std::lock_guard<std::mutex> lock(mu_);
    canary_ = 0;
    canary_candidate_ = 0;
  }
  if (canary_ != 0) return FollowCanary(now_ms);
  if (learning.version() == certified) return std::optional<std::string>();
  const bool by_hand =
      check_soon || (learning.origin() != "fold" && learning.version() != checked_learning_);
  const bool due = by_hand || folded_since_check_ >= options_.check_impressions ||
                   now_ms - last_check_ms_ >= options_.check_ms;
  if (!due) return std::optional<std::string>();
  return Check(now_ms, learning.version(), may_defer);
}

Result<std::optional<std::string>> Certifier::FinishPendingCheck(std::int64_t now_ms, bool wait) {
  if (!wait && pending_->report.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    return std::optional<std::string>();
  }
  PendingCheck check = std::move(*pending_);
  pending_.reset();
  Result<CounterfactualReport> report = check.report.get();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (check_soon_ || certified_ != check.certified) return std::optional<std::string>();
  }
  return Decide(now_ms, check.learning, std::move(report));
}

Result<std::optional<std::string>> Certifier::Check(std::int64_t now_ms, std::uint64_t learning,
                                                    bool may_defer) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_check_ms_ = now_ms;
    folded_since_check_ = 0;
    checked_learning_ = learning;
    check_soon_ = false;
  }
  service_.FlushImpressions();
  LedgerEvaluationOptions evaluation;
  evaluation.limit = options_.evaluation_impressions;
  evaluation.counterfactual.confidence = options_.confidence;
  evaluation.cancel = &cancel_;
  if (may_defer && options_.check_in_background) {
    try {
      // Reads only the ledger (thread-safe) and its own copies.
      pending_ = PendingCheck{
          learning, certified_,
          std::async(std::launch::async, [this, learning, evaluation, certified = certified_] {
            return EvaluateFromLedger(ledger_, learning, certified, evaluation);
          })};
      return std::optional<std::string>();
    } catch (const std::system_error&) {
      // No thread to be had: evaluate here, as a step that may not defer would.
    }
  }
  return Decide(now_ms, learning, EvaluateFromLedger(ledger_, learning, certified_, evaluation));
}

Result<std::optional<std::string>> Certifier::Decide(std::int64_t now_ms, std::uint64_t learning,
                                                     Result<CounterfactualReport> report) {
  if (!report) return report.error();
  const std::string decision =
      report->segments.empty() ? "undecided" : report->segments.front().decision;

  nlohmann::json evidence = {{"at_ms", now_ms},
                             {"candidate", learning},
                             {"certified", certified_},
                             {"counterfactual", CounterfactualJson(*report)}};
  if (decision == "worse") {
    evidence["decision"] = "rolled_back";
    evidence["reason"] = "counterfactual upper bound below zero";
    FOLDRANK_RETURN_IF_ERROR(RollBack(learning, evidence.dump()));
    return std::optional<std::string>("rolled_back");
  }
  // Not worse by the bound (better, or undecided): the canary decides online.
  auto canary = service_.StartExperiment(learning, certified_, options_.canary_share,
                                         options_.canary_impressions, "canary");
  if (!canary) return canary.error();
  FOLDRANK_RETURN_IF_ERROR(ledger_.PutSetting(
      kCanarySetting, std::to_string(canary->id) + (decision == "better" ? " bound" : "")));
  evidence["decision"] = "canary";
  evidence["experiment"] = canary->id;
  FOLDRANK_RETURN_IF_ERROR(ledger_.AnnotateModel(learning, "", "{}", evidence.dump()));
  std::lock_guard<std::mutex> lock(mu_);
  canary_ = canary->id;
  canary_candidate_ = learning;
  canary_bound_passed_ = decision == "better";
  last_decision_ = evidence.dump();
  return std::optional<std::string>("canary");
}

Result<std::optional<std::string>> Certifier::FollowCanary(std::int64_t now_ms) {
  // Only the canary's clicks are counted (not every experiment's, at every step).
  auto report = service_.ExperimentById(canary_);
  if (!report && report.error().code() != Status::Code::kNotFound) return report.error();
  const ExperimentReport* canary = report ? &*report : nullptr;
  nlohmann::json evidence = {
      {"at_ms", now_ms}, {"candidate", canary_candidate_}, {"certified", certified_}};
  std::string decision;
  if (canary != nullptr) {
    evidence["interleaving"] = InterleavingJson(*canary);
    // Certification needs both: the counterfactual lower bound above zero at the
    // check, and the canary's win. A win without the bound leaves it learning.
    if (canary->verdict.decision == "a") {
      decision = canary_bound_passed_ ? "certified" : "inconclusive";
    }
    if (canary->verdict.decision == "b") decision = "rolled_back";
    if (canary->verdict.decision == "inconclusive") decision = "inconclusive";
  } else {
    decision = "inconclusive";  // Gone from the ledger (pruned by hand).
  }
  if (decision.empty()) return std::optional<std::string>();
  if (canary != nullptr && canary->experiment.state == "running") {
    auto stopped = service_.StopExperiment(canary_);
    if (!stopped) return stopped.error();
  }
  FOLDRANK_RETURN_IF_ERROR(ledger_.PutSetting(kCanarySetting, "0"));
  const std::uint64_t candidate = canary_candidate_;
  {
    std::lock_guard<std::mutex> lock(mu_);
    canary_ = 0;
    canary_candidate_ = 0;
    last_check_ms_ = now_ms;
    folded_since_check_ = 0;
  }
  evidence["decision"] = decision;
  if (decision == "certified") {
    FOLDRANK_RETURN_IF_ERROR(Certify(candidate, evidence.dump()));
  } else if (decision == "rolled_back") {
    evidence["reason"] = "lost the interleaving canary";
    FOLDRANK_RETURN_IF_ERROR(RollBack(candidate, evidence.dump()));
  } else {
    FOLDRANK_RETURN_IF_ERROR(Remember(evidence.dump()));
    (void)ledger_.AnnotateModel(candidate, "", "{}", evidence.dump());
  }
  return std::optional<std::string>(decision);
}

Status Certifier::Certify(std::uint64_t learning, const std::string& evidence) {
  auto passed = ledger_.LoadModel(learning);
  if (!passed) return passed.error();
  std::uint64_t certified = learning;
  if (passed->base_kind() == Model::BaseKind::kLinear) {
    auto activated = ActivateAnchored(*passed);
    if (!activated) return activated.error();
    certified = activated->first;
    FOLDRANK_RETURN_IF_ERROR(ledger_.AnnotateModel(certified, "certified", "{}", evidence));
    FOLDRANK_RETURN_IF_ERROR(service_.ServeCertified());
    std::lock_guard<std::mutex> lock(mu_);
    checked_learning_ = activated->second;  // Made here, not by hand: no check needed.
  }
  FOLDRANK_RETURN_IF_ERROR(ledger_.AnnotateModel(learning, "certified", "{}", evidence));
  FOLDRANK_RETURN_IF_ERROR(ledger_.PutSetting(kCertifiedSetting, std::to_string(certified)));
  std::lock_guard<std::mutex> lock(mu_);
  certified_ = certified;
  held_back_ = false;
  ++certifications_;
  last_decision_ = evidence;
  return Status::Ok();
}

Result<std::pair<std::uint64_t, std::uint64_t>> Certifier::ActivateAnchored(const Model& passed) {
  const std::uint64_t learning = passed.version();
  // base + delta becomes the new base: the anchor the learner is pulled toward.
  const LinearFunction merged = Sum(passed.base_linear(), passed.delta());
  const Model anchored =
      Model::WithLinearBase(passed, merged, "certified").WithDelta({}, "certified");
  auto updates = ledger_.LearnerUpdates(learning);
  if (!updates) return updates.error();
  const std::string learning_updates = LearnerUpdatesMetrics(*updates);
  // The fold loop may fold (on its own thread) while this runs: each activation is
  // conditional on the model it was computed from, and recomputed when a fold won.
  std::uint64_t certified = 0;
  for (int attempt = 0;; ++attempt) {
    auto active = ledger_.ActiveModel();
    if (!active) return active.error();
    const Model current = active->InForce();
    Result<Model> next = Status::Internal("not stored");
    if (current.version() == learning && certified == 0) {
      // Nothing learned since: the certified version is the learning one too.
      next = ledger_.StoreAndActivate(anchored, learning, learning_updates);
      if (next) return std::make_pair(next->version(), next->version());
    } else {
      if (certified == 0) {
        auto stored = ledger_.StoreModel(anchored, learning);
        if (!stored) return stored.error();
        certified = stored->version();
        FOLDRANK_RETURN_IF_ERROR(ledger_.AnnotateModel(certified, "", learning_updates, ""));
      }
      // The learning model keeps what it learned since, on top of the new base.
      const Model rebased = Model::WithLinearBase(current, merged, "certified")
                                .WithDelta(Sum(current.delta(), passed.delta(), -1), "rebase");
      next = ledger_.StoreAndActivate(rebased, current.version(),
                                      LearnerUpdatesMetrics(active->learner_updates));
      if (next) return std::make_pair(certified, next->version());
    }
    if (next.error().code() != Status::Code::kUnavailable || attempt >= 8) return next.error();
  }
}

Status Certifier::RollBack(std::uint64_t learning, const std::string& evidence) {
  auto certified = ledger_.LoadModel(certified_);
  if (!certified) return certified.error();
  auto updates = ledger_.LearnerUpdates(learning);
  if (!updates) return updates.error();
  // Half the step size where the learner was: rate / sqrt(1 + t / d) halves when
  // 1 + t / d quadruples.
  const double decay = options_.learner_decay_updates;
  const auto restarted_updates =
      static_cast<std::uint64_t>(4 * static_cast<double>(*updates) + 3 * decay);
  auto restart =
      ledger_.StoreModel(certified->WithDelta(certified->delta(), "rollback"), certified_);
  if (!restart) return restart.error();
  FOLDRANK_RETURN_IF_ERROR(ledger_.AnnotateModel(
      restart->version(), "",
      "{\"learner_updates\": " + std::to_string(restarted_updates) + ", \"restarted_from\": " +
          std::to_string(certified_) + ", \"rolled_back\": " + std::to_string(learning) + "}",
      ""));
  FOLDRANK_RETURN_IF_ERROR(service_.ActivateLearning(restart->version()));
  Status annotated = ledger_.AnnotateModel(learning, "rolled_back", "{}", evidence);
  if (!annotated.ok() && annotated.code() != Status::Code::kNotFound) return annotated;
  std::lock_guard<std::mutex> lock(mu_);
  held_back_ = false;
  ++rollbacks_;
  last_decision_ = evidence;
  checked_learning_ = restart->version();
  return Status::Ok();
}

Status Certifier::Remember(const std::string& decision) {
  std::lock_guard<std::mutex> lock(mu_);
  last_decision_ = decision;
  return Status::Ok();
}

void Certifier::CheckSoon() {
  std::lock_guard<std::mutex> lock(mu_);
  check_soon_ = true;
  held_back_ = options_.mode != CertificationOptions::Mode::kOff;
}

bool Certifier::ServeCertified() const {
  std::lock_guard<std::mutex> lock(mu_);
  return options_.mode == CertificationOptions::Mode::kGated ||
         (options_.mode == CertificationOptions::Mode::kContinuous && held_back_);
}

Status Certifier::Pin(std::uint64_t version) {
  if (options_.mode == CertificationOptions::Mode::kOff) return Status::Ok();
  if (canary_ != 0) {
    auto stopped = service_.StopExperiment(canary_);
    if (!stopped && stopped.error().code() != Status::Code::kInvalidArgument) {
      return stopped.error();
    }
    FOLDRANK_RETURN_IF_ERROR(ledger_.PutSetting(kCanarySetting, "0"));
  }
  FOLDRANK_RETURN_IF_ERROR(ledger_.PutSetting(kCertifiedSetting, std::to_string(version)));
  const std::string evidence = nlohmann::json{{"decision", "pinned"}}.dump();
  (void)ledger_.AnnotateModel(version, "", "{}", evidence);  // Version 1 is not stored.
  std::lock_guard<std::mutex> lock(mu_);
  certified_ = version;
  held_back_ = false;
  canary_ = 0;
  canary_candidate_ = 0;
  checked_learning_ = version;
  last_decision_ = evidence;
  return Status::Ok();
}

CertificationState Certifier::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {CertificationModeName(options_.mode),
          certified_,
          learning_,
          canary_,
          rollbacks_,
          certifications_,
          last_decision_};
}

std::uint64_t Certifier::certified_version() const {
  std::lock_guard<std::mutex> lock(mu_);
  return certified_;
}

}  // namespace foldrank
