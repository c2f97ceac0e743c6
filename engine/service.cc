#include "engine/service.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <random>

#include "common/clock.h"
#include "common/process_memory.h"
#include "engine/data_check.h"
#include "evaluation/ledger_evaluation.h"
#include "feedback/pdgd.h"
#include "ranker/model_description.h"

namespace foldrank {
namespace {

constexpr std::size_t kClickToModelWindow = 1024;
// Expected clicks are tabulated for positions up to the largest page (k <= 100).
constexpr std::size_t kExaminationTableSize = 100;

std::mt19937_64& ThreadRng() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return rng;
}

}  // namespace

Result<std::unique_ptr<Service>> Service::Open(const std::filesystem::path& data_dir,
                                               ServiceOptions options) {
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    return Status::Unavailable("cannot create data directory " + data_dir.string() + ": " +
                               error.message());
  }
  // Damage found before anything is opened for writing refuses the start: a
  // migration, a fold or a new key written over a damaged file could lose what
  // is still there to save.
  if (options.check_on_open) {
    const DataCheck check = CheckDataDirectory(data_dir, DataCheckDepth::kStartup);
    if (!check.sound()) {
      return Status::Corruption("damaged data in " + data_dir.string() + " (nothing was changed; " +
                                "see foldrank check --data DIR):\n" + check.DamageReport());
    }
  }
  options.index.mode = IndexOptions::Mode::kReadWrite;
  options.index.create_if_missing = true;
  auto index = Index::Open(data_dir / "index", options.index);
  if (!index) return index.error();
  auto ledger = SqliteLedger::Open(data_dir / "ledger.sqlite");
  if (!ledger) return ledger.error();
  auto hasher = UserKeyHasher::Open(data_dir / "user.key");
  if (!hasher) return hasher.error();
  auto active = (*ledger)->ActiveModel();
  if (!active) return active.error();
  auto model = std::make_shared<const Model>(active->InForce());
  std::unique_ptr<Service> service(new Service(std::move(*index), std::move(*ledger),
                                               std::move(*hasher), std::move(model), options));
  // The stored position-bias estimate (else the prior) before the first fold.
  auto bias = StoredPositionBias(*service->ledger_);
  if (!bias) return bias.error();
  service->UsePositionBias(std::make_shared<const PositionBias>(std::move(*bias)));
  FOLDRANK_RETURN_IF_ERROR(service->ReloadExperiments());
  FOLDRANK_RETURN_IF_ERROR(service->certifier_.Open());
  FOLDRANK_RETURN_IF_ERROR(service->ServeCertified());
  // Load the click features before the first query, then start folding.
  auto first = service->fold_loop_.Step(UnixMillis());
  service->NoteStep(first);
  if (!first) return first.error();
  if (options.fold_in_background) {
    service->fold_thread_ = std::thread([s = service.get()] { s->FoldThread(); });
  }
  if (options.bias_interval_ms > 0) {
    service->bias_thread_ = std::thread([s = service.get()] { s->BiasThread(); });
  }
  return service;
}

Service::Service(std::unique_ptr<Index> index, std::unique_ptr<SqliteLedger> ledger,
                 UserKeyHasher hasher, std::shared_ptr<const Model> model, ServiceOptions options)
    : options_(std::move(options)),
      index_(std::move(index)),
      ledger_(std::move(ledger)),
      hasher_(std::move(hasher)),
      models_(std::move(model)),
      click_signals_(options_.click_pairs_max, options_.click_hash_key.value_or(NewSipHashKey())),
      impression_log_(*ledger_, options_.impressions),
      // Clicks are validated against the ledger: write the impressions served
      // before them first (a click can follow its search within milliseconds).
      click_writer_(*ledger_, 256, [this] { impression_log_.Flush(); }),
      pipeline_(*index_, models_, click_signals_, {&impression_log_, &hasher_}),
      fold_loop_(*ledger_, options_.fold, models_, &click_signals_),
      experiments_(std::make_shared<const ExperimentSet>()),
      certifier_(*this, *ledger_, [&] {
        CertificationOptions certification = options_.certification;
        certification.learner_decay_updates = options_.fold.folder.learner.decay_updates;
        // The fold loop's thread must not wait for a check's evaluation.
        certification.check_in_background = options_.fold_in_background;
        return certification;
      }()) {}

Service::~Service() {
  stop_ = true;
  if (fold_thread_.joinable()) fold_thread_.join();
  if (bias_thread_.joinable()) bias_thread_.join();
  fold_loop_.ReleaseLease();  // A successor (restart, `foldrank fold`) need not wait.
  impression_log_.Flush();
  (void)index_->Commit();
}

void Service::FoldThread() {
  fold_loop_.Run(stop_, [this](const FoldLoop::StepResult& step) {
    NoteStep(step);
    CompleteServedExperiments();
    if (step.holds_lease) Certify(step.fold.impressions, /*may_defer=*/true);
  });
}

void Service::BiasThread() {
  auto due =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.bias_interval_ms);
  while (!stop_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (std::chrono::steady_clock::now() < due) continue;
    auto estimate = EstimatePositionBias();
    if (!estimate) {
      std::lock_guard<std::mutex> lock(status_mu_);
      last_bias_error_ = estimate.error().ToString();
    }
    due = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.bias_interval_ms);
  }
}

Result<PositionBias> Service::EstimatePositionBias() {
  impression_log_.Flush();
  // Streamed: memory grows with the swap cells, not with the impressions read.
  PositionBias bias;
  {
    PositionBiasEstimator estimator(options_.bias);
    FOLDRANK_RETURN_IF_ERROR(ledger_->VisitRecent(0, options_.bias_impressions,
                                                  /*with_features=*/false,
                                                  [&](SettledImpression& settled) {
                                                    estimator.Add(settled);
                                                    return Status::Ok();
                                                  }));
    bias = estimator.Estimate();
  }
  // The estimator's swap cells (one per query, document pair and position seen:
  // about 100 MB for the soak's newest 50,000 impressions) are freed now; hand the
  // pages back, or glibc keeps them and resident memory steps up at the first
  // estimate (seen in the soak: +100 MB at five minutes, then flat).
  malloc_trim(0);
  bias.estimated_ms = UnixMillis();
  FOLDRANK_RETURN_IF_ERROR(ledger_->PutSetting(kPositionBiasSetting, bias.ToJson()));
  UsePositionBias(std::make_shared<const PositionBias>(bias));
  return bias;
}

void Service::UsePositionBias(std::shared_ptr<const PositionBias> bias) {
  std::vector<double> examination(kExaminationTableSize);
  for (std::size_t p = 0; p < examination.size(); ++p) {
    examination[p] = bias->Examination(static_cast<std::int32_t>(p));
  }
  fold_loop_.SetExamination(std::move(examination));
  std::lock_guard<std::mutex> lock(status_mu_);
  position_bias_ = std::move(bias);
  last_bias_error_.clear();
}

void Service::NoteStep(const Result<FoldLoop::StepResult>& step) {
  std::lock_guard<std::mutex> lock(status_mu_);
  if (!step) {
    last_fold_error_ = step.error().ToString();
    return;
  }
  last_fold_error_.clear();
  holds_lease_ = step->holds_lease;
  lease_holder_ = step->lease_holder;
  if (step->fold.impressions + step->fold.clicks > 0) last_fold_ms_ = UnixMillis();
  for (std::int64_t ms : step->fold.click_to_fold_ms) {
    if (click_to_model_ms_.size() < kClickToModelWindow) {
      click_to_model_ms_.push_back(ms);
    } else {
      click_to_model_ms_[click_to_model_next_] = ms;
    }
    click_to_model_next_ = (click_to_model_next_ + 1) % kClickToModelWindow;
  }
}

Result<SearchPage> Service::Search(SearchRequest request, std::mt19937_64* rng) const {
  if (request.candidates <= 0) request.candidates = options_.candidates;
  std::mt19937_64& random = rng != nullptr ? *rng : ThreadRng();
  const std::shared_ptr<const ExperimentSet> experiments = experiments_.Current();
  if (!experiments->running.empty() && request.log_impression && request.offset == 0 &&
      !request.interleave) {
    // One draw places the query in at most one experiment (shares add up to <= 1).
    double draw = std::uniform_real_distribution<double>(0, 1)(random);
    for (const auto& served : experiments->running) {
      draw -= served->experiment.share;
      if (draw >= 0) continue;
      if (served->served.fetch_add(1, std::memory_order_relaxed) <
          served->experiment.max_impressions) {
        request.interleave = InterleavedModels{served->experiment.id, served->a, served->b};
      }
      break;
    }
  }
  return pipeline_.Search(request, random);
}

void Service::RecordClick(Click click, ClickWriter::Done done) {
  // Without an event id the click cannot be deduplicated; it still counts once.
  if (click.event_id.empty()) click.event_id = "gen-" + NewTimeOrderedId();
  if (click.clicked_ms == 0) click.clicked_ms = UnixMillis();
  // A click on an impression the ledger could not store (a full disk) would be an
  // "unknown query": say why instead, as a failure of ours, not the client's.
  click_writer_.RecordAsync(
      std::move(click), [this, done = std::move(done)](Result<ClickOutcome> outcome) {
        if (!outcome && outcome.error().code() == Status::Code::kNotFound) {
          if (Status written = impression_log_.LastWrite(); !written.ok()) {
            outcome = Status::Unavailable(
                "the ledger could not store recent searches, so this click cannot be "
                "checked or stored (" +
                std::string(written.message()) + ")");
          }
        }
        done(std::move(outcome));
      });
}

Result<bool> Service::Upsert(const Document& document) { return index_->Upsert(document); }
Result<bool> Service::Delete(const std::string& id) { return index_->Delete(id); }
Result<bool> Service::Contains(std::string_view id) const { return index_->Contains(id); }
Status Service::Refresh() { return index_->Refresh(); }

Result<FoldLoop::StepResult> Service::FoldNow() {
  impression_log_.Flush();  // What was shown so far can settle.
  auto step = fold_loop_.Step(UnixMillis());
  NoteStep(step);
  CompleteServedExperiments();
  if (step && step->holds_lease) Certify(step->fold.impressions, /*may_defer=*/false);
  return step;
}

Status Service::Activate(std::uint64_t version) {
  std::lock_guard<std::mutex> lock(certify_mu_);
  FOLDRANK_RETURN_IF_ERROR(ledger_->Activate(version));
  FOLDRANK_RETURN_IF_ERROR(certifier_.Pin(version));
  return ServeCertified();
}

Status Service::ActivateLearning(std::uint64_t version) {
  FOLDRANK_RETURN_IF_ERROR(ledger_->Activate(version));
  return ServeCertified();
}

Status Service::ServeCertified() {
  if (!certifier_.ServeCertified()) {
    fold_loop_.SetServingOverride(nullptr);  // The learning model serves from the next step.
    auto active = ledger_->ActiveModel();
    if (!active) return active.error();
    const Model learning = active->InForce();
    if (models_.Current()->version() != learning.version()) {
      models_.Publish(std::make_shared<const Model>(learning));
    }
    return Status::Ok();
  }
  // Always through the fold loop's override: were it unset, the loop's next step
  // would publish the learning model.
  const std::uint64_t certified = certifier_.certified_version();
  if (fold_loop_.ServingOverrideVersion() == certified) return Status::Ok();
  auto model = ledger_->LoadModel(certified);
  if (!model) return model.error();
  fold_loop_.SetServingOverride(std::make_shared<const Model>(std::move(*model)));
  return Status::Ok();
}

void Service::Certify(std::uint64_t folded, bool may_defer) {
  std::lock_guard<std::mutex> lock(certify_mu_);
  if (options_.certification.mode == CertificationOptions::Mode::kOff) return;
  auto decision = certifier_.Step(UnixMillis(), folded, may_defer);
  Status served = decision ? ServeCertified() : decision.error();
  std::lock_guard<std::mutex> status_lock(status_mu_);
  last_certification_error_ = served.ok() ? "" : served.ToString();
}

Result<Model> Service::Import(const Model& model) {
  auto active = ledger_->ActiveModel();
  if (!active) return active.error();
  auto stored = ledger_->StoreModel(model, active->InForce().version());
  if (!stored) return stored.error();
  // A new learning model: the certification gate checks it at its next step.
  certifier_.CheckSoon();  // Held back (certified serves) until the gate passes it.
  FOLDRANK_RETURN_IF_ERROR(ActivateLearning(stored->version()));
  return stored;
}

Result<std::vector<ModelRecord>> Service::ModelHistory(std::size_t limit) {
  return ledger_->ModelHistory(limit);
}

Result<Model> Service::LoadModel(std::uint64_t version) { return ledger_->LoadModel(version); }

Result<std::vector<TimelineBucket>> Service::Timeline(std::int64_t since_ms,
                                                      std::int64_t bucket_ms) {
  return ledger_->Timeline(since_ms, bucket_ms);
}

Status Service::ReloadExperiments() {
  impression_log_.Flush();  // Served counts come from the ledger.
  auto all = ledger_->Experiments();
  if (!all) return all.error();
  auto set = std::make_shared<ExperimentSet>();
  for (const Experiment& experiment : *all) {
    if (experiment.state != "running") continue;
    auto served = std::make_shared<ServedExperiment>();
    served->experiment = experiment;
    auto a = ledger_->LoadModel(experiment.a);
    if (!a) return a.error();
    auto b = ledger_->LoadModel(experiment.b);
    if (!b) return b.error();
    served->a = std::make_shared<const Model>(std::move(*a));
    served->b = std::make_shared<const Model>(std::move(*b));
    auto counts = ledger_->CountExperiment(experiment.id);
    if (!counts) return counts.error();
    served->served = counts->impressions;
    set->running.push_back(std::move(served));
  }
  experiments_.Publish(std::move(set));
  return Status::Ok();
}

Result<Experiment> Service::StartExperiment(std::uint64_t a, std::uint64_t b, double share,
                                            std::uint64_t max_impressions,
                                            const std::string& purpose) {
  if (a == b) return Status::InvalidArgument("an experiment needs two different versions");
  if (!(share > 0 && share <= 1)) return Status::InvalidArgument("share must be in (0, 1]");
  if (max_impressions == 0) return Status::InvalidArgument("max_impressions must be at least 1");
  auto model_a = ledger_->LoadModel(a);
  if (!model_a) return model_a.error();
  auto model_b = ledger_->LoadModel(b);
  if (!model_b) return model_b.error();
  if (!(model_a->normalization() == model_b->normalization())) {
    return Status::InvalidArgument("versions " + std::to_string(a) + " and " + std::to_string(b) +
                                   " normalize features differently; interleaving needs one "
                                   "normalization");
  }
  std::lock_guard<std::mutex> lock(experiments_mu_);
  double taken = 0;
  for (const auto& served : experiments_.Current()->running) taken += served->experiment.share;
  if (share > 1 - taken + 1e-9) {
    return Status::InvalidArgument("running experiments already take " + std::to_string(taken) +
                                   " of the traffic; at most " + std::to_string(1 - taken) +
                                   " is left");
  }
  Experiment experiment;
  experiment.a = a;
  experiment.b = b;
  experiment.share = share;
  experiment.max_impressions = max_impressions;
  experiment.purpose = purpose;
  experiment.created_ms = UnixMillis();
  auto created = ledger_->CreateExperiment(experiment);
  if (!created) return created.error();
  FOLDRANK_RETURN_IF_ERROR(ReloadExperiments());
  return created;
}

Result<ExperimentReport> Service::ReportOn(const Experiment& experiment) {
  auto counts = ledger_->CountExperiment(experiment.id);
  if (!counts) return counts.error();
  return ExperimentReport{experiment, *counts,
                          JudgeInterleaving(*counts, 0.95, experiment.state != "running")};
}

Result<std::vector<ExperimentReport>> Service::Experiments() {
  impression_log_.Flush();
  auto all = ledger_->Experiments();
  if (!all) return all.error();
  std::vector<ExperimentReport> reports;
  for (const Experiment& experiment : *all) {
    auto report = ReportOn(experiment);
    if (!report) return report.error();
    reports.push_back(std::move(*report));
  }
  return reports;
}

Result<ExperimentReport> Service::StopExperiment(std::uint64_t id) {
  {
    std::lock_guard<std::mutex> lock(experiments_mu_);
    FOLDRANK_RETURN_IF_ERROR(ledger_->StopExperiment(id, "stopped", UnixMillis()));
    FOLDRANK_RETURN_IF_ERROR(ReloadExperiments());
  }
  return ExperimentById(id);
}

Result<ExperimentReport> Service::ExperimentById(std::uint64_t id) {
  impression_log_.Flush();
  auto all = ledger_->Experiments();
  if (!all) return all.error();
  for (const Experiment& experiment : *all) {
    if (experiment.id == id) return ReportOn(experiment);
  }
  return Status::NotFound("no experiment " + std::to_string(id));
}

void Service::CompleteServedExperiments() {
  bool changed = false;
  std::lock_guard<std::mutex> lock(experiments_mu_);
  for (const auto& served : experiments_.Current()->running) {
    if (served->served.load(std::memory_order_relaxed) < served->experiment.max_impressions) {
      continue;
    }
    changed |= ledger_->StopExperiment(served->experiment.id, "completed", UnixMillis()).ok();
  }
  if (changed) (void)ReloadExperiments();
}

EngineStatus Service::Report() const {
  EngineStatus status;
  const std::shared_ptr<const Model> model = models_.Current();
  status.model = DescribeModel(*model);
  if (auto updates = ledger_->LearnerUpdates(model->version())) {
    status.learner_updates = *updates;
  }
  status.learning_rate =
      PdgdLearner(options_.fold.folder.learner).LearningRate(status.learner_updates);
  if (auto stats = ledger_->Stats()) status.ledger = *stats;
  status.clicks = ledger_->click_tally();
  status.impressions = impression_log_.counters();
  const std::shared_ptr<const IndexSnapshot> snapshot = index_->Snapshot();
  status.documents = snapshot->doc_count();
  status.last_refresh_ms = snapshot->opened_ms();
  std::lock_guard<std::mutex> lock(status_mu_);
  status.last_fold_ms = last_fold_ms_;
  status.holds_fold_lease = holds_lease_;
  status.fold_lease_holder = lease_holder_;
  status.last_fold_error = last_fold_error_;
  if (position_bias_) {
    status.position_bias.estimated = position_bias_->estimated_ms > 0;
    status.position_bias.json = position_bias_->ToJson();
    for (std::size_t p = 0; p < position_bias_->positions.size(); ++p) {
      status.position_bias.examination.push_back(
          position_bias_->Examination(static_cast<std::int32_t>(p)));
    }
  }
  status.certification = certifier_.state();
  status.last_certification_error = last_certification_error_;
  status.last_bias_error = last_bias_error_;
  const SqliteMemory sqlite = SqliteMemoryInUse();
  const LedgerClickSignals::Size counts = click_signals_.size();
  status.memory = {.resident_bytes = ResidentBytes(),
                   .sqlite_bytes = sqlite.bytes,
                   .sqlite_peak_bytes = sqlite.peak_bytes,
                   .click_count_pairs = counts.pairs,
                   .click_count_pairs_max = click_signals_.max_pairs(),
                   .click_count_pairs_dropped = counts.dropped,
                   .click_count_documents = counts.documents,
                   .click_count_loads = counts.reloads};
  // Oldest first: the ring starts at the next slot to overwrite once it is full.
  const std::size_t start =
      click_to_model_ms_.size() < kClickToModelWindow ? 0 : click_to_model_next_;
  std::rotate_copy(click_to_model_ms_.begin(), click_to_model_ms_.begin() + start,
                   click_to_model_ms_.end(), std::back_inserter(status.click_to_model_ms));
  return status;
}

void Service::FlushImpressions() { impression_log_.Flush(); }

}  // namespace foldrank
