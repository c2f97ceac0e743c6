// The public Engine over the internal Service: option and type translation only.
// Anything with behaviour belongs in Service, so that the CLI's internal users and
// embedders see the same engine.

#include "foldrank/engine.h"

#include <future>

#include "common/utf8.h"
#include "engine/service.h"
#include "ranker/model_description.h"

namespace foldrank {

namespace {

// The one place options are checked and translated: CheckEngineOptions and Open
// both go through it.
Result<ServiceOptions> ToServiceOptions(const EngineOptions& options) {
  auto mode = ParseCertificationMode(options.certification);
  if (!mode) return mode.error();
  if (!(options.canary_share > 0 && options.canary_share <= 1)) {
    return Status::InvalidArgument("canary_share must be in (0, 1]");
  }
  if (options.settle_ms < 0 || options.fold_interval_ms < 1 || options.refresh_interval_ms < 0 ||
      options.check_impressions < 1) {
    return Status::InvalidArgument(
        "settle_ms must be >= 0, fold_interval_ms >= 1, refresh_interval_ms >= 0 and "
        "check_impressions >= 1");
  }
  ServiceOptions service_options;
  service_options.fold_in_background = options.fold_in_background;
  service_options.fold.folder.settle_ms = options.settle_ms;
  service_options.fold.interval_ms = options.fold_interval_ms;
  service_options.certification.mode = *mode;
  service_options.certification.check_impressions = options.check_impressions;
  service_options.certification.canary_share = options.canary_share;
  service_options.check_on_open = options.check_on_open;
  service_options.index.refresh_interval_ms = options.refresh_interval_ms;
  service_options.click_pairs_max = options.click_pairs_max;
  return service_options;
}

}  // namespace

Status CheckEngineOptions(const EngineOptions& options) {
  return ToServiceOptions(options).status();
}

Result<std::unique_ptr<Engine>> Engine::Open(const std::filesystem::path& data_dir,
                                             const EngineOptions& options) {
  auto service_options = ToServiceOptions(options);
  if (!service_options) return service_options.error();
  auto service = Service::Open(data_dir, *service_options);
  if (!service) return service.error();
  return std::make_unique<Engine>(std::move(*service));
}

Engine::Engine(std::unique_ptr<Service> service) : service_(std::move(service)) {}

Engine::~Engine() = default;

Result<SearchPage> Engine::Search(const SearchQuery& query) const {
  SearchRequest request;
  request.query = query.text;
  request.mode = query.mode;
  request.candidates = query.candidates;
  request.page_size = query.page_size;
  request.offset = query.offset;
  request.policy.temperature = query.temperature;
  request.policy.swap_share = query.randpair_share;
  request.explain = query.explain;
  request.snippets = query.snippets;
  request.user = query.user;
  request.snippet_chars = query.snippet_chars;
  request.log_impression = query.log_impression;
  if (!(query.temperature >= 0 && query.temperature <= 100) ||
      !(query.randpair_share >= 0 && query.randpair_share <= 1)) {
    return Status::InvalidArgument("temperature must be in [0, 100], randpair_share in [0, 1]");
  }
  return service_->Search(std::move(request));
}

void Engine::RecordClick(Click click, ClickDone done) {
  service_->RecordClick(std::move(click), std::move(done));
}

Result<ClickOutcome> Engine::RecordClick(Click click) {
  auto outcome = std::make_shared<std::promise<Result<ClickOutcome>>>();
  std::future<Result<ClickOutcome>> future = outcome->get_future();
  service_->RecordClick(std::move(click),
                        [outcome](Result<ClickOutcome> result) { outcome->set_value(result); });
  return future.get();
}

Status Engine::Upsert(const Document& document) { return Put(document).status(); }

Result<DocumentChange> Engine::Put(const Document& document) {
  auto existed = service_->Upsert(document);
  if (!existed) return existed.error();
  return *existed ? DocumentChange::kReplaced : DocumentChange::kCreated;
}

Status Engine::Delete(const std::string& id) {
  auto existed = service_->Delete(id);
  if (!existed) return existed.error();
  if (!*existed) return Status::NotFound("no document '" + SanitizeUtf8(id) + "'");
  return Status::Ok();
}

bool Engine::Contains(std::string_view id) const {
  auto exists = service_->Contains(id);
  return exists && *exists;
}

Status Engine::Refresh() { return service_->Refresh(); }

Result<FoldReport> Engine::FoldNow() {
  auto step = service_->FoldNow();
  if (!step) return step.error();
  FoldReport report;
  report.holds_lease = step->holds_lease;
  report.lease_holder = step->lease_holder;
  report.impressions = step->fold.impressions;
  report.clicks = step->fold.clicks;
  report.model_version = ServingVersion();
  return report;
}

Result<std::vector<ModelRecord>> Engine::ModelHistory(std::size_t limit) const {
  return service_->ModelHistory(limit);
}

Result<ModelInfo> Engine::Model(std::uint64_t version) const {
  auto model = service_->LoadModel(version);
  if (!model) return model.error();
  return DescribeModel(*model);
}

Result<std::string> Engine::ModelJson(std::uint64_t version) const {
  auto model = service_->LoadModel(version);
  if (!model) return model.error();
  return model->ToJson();
}

Status Engine::Activate(std::uint64_t version) { return service_->Activate(version); }

Result<std::uint64_t> Engine::ImportModel(std::string_view model_json) {
  auto model = foldrank::Model::FromJson(model_json);
  if (!model) return model.error();
  auto stored = service_->Import(*model);
  if (!stored) return stored.error();
  return stored->version();
}

Result<std::vector<TimelineBucket>> Engine::Timeline(std::int64_t since_ms,
                                                     std::int64_t bucket_ms) const {
  if (bucket_ms < 1) return Status::InvalidArgument("bucket_ms must be >= 1");
  return service_->Timeline(since_ms, bucket_ms);
}

Result<Experiment> Engine::StartExperiment(std::uint64_t a, std::uint64_t b, double share,
                                           std::uint64_t max_impressions) {
  return service_->StartExperiment(a, b, share, max_impressions);
}

Result<std::vector<ExperimentReport>> Engine::Experiments() { return service_->Experiments(); }

Result<ExperimentReport> Engine::StopExperiment(std::uint64_t id) {
  return service_->StopExperiment(id);
}

EngineStatus Engine::Report() const { return service_->Report(); }

std::uint64_t Engine::ServingVersion() const { return service_->models().Current()->version(); }

std::int64_t Engine::DocumentCount() const { return service_->index().Snapshot()->doc_count(); }

void Engine::FlushImpressions() { service_->FlushImpressions(); }

}  // namespace foldrank
