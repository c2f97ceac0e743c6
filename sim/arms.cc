#include "sim/arms.h"

#include <algorithm>
#include <future>

#include "common/clock.h"
#include "sim/references.h"

namespace foldrank::sim {
namespace {

constexpr int kCandidates = 100;
constexpr int kShown = 10;

ServiceOptions SimulationServiceOptions() {
  ServiceOptions options;
  options.fold_in_background = false;  // The simulation decides when to fold.
  options.fold.folder.settle_ms = 0;   // Simulated users never click late.
  options.index.refresh_interval_ms = 0;
  options.index.commit_interval_ms = 0;
  options.bias_interval_ms = 0;  // Estimated when asked: runs stay reproducible.
  return options;
}

Result<std::vector<std::string>> Ids(Service& service, const std::string& query, int k) {
  SearchRequest request;
  request.query = query;
  request.page_size = k;
  request.snippets = false;
  request.log_impression = false;
  auto page = service.Search(request);
  if (!page) return page.error();
  std::vector<std::string> ids;
  for (const SearchResult& result : page->results) ids.push_back(result.id);
  return ids;
}

}  // namespace

Result<std::unique_ptr<ServiceArm>> ServiceArm::Open(const std::filesystem::path& data_dir,
                                                     Options options) {
  ServiceOptions service_options = SimulationServiceOptions();
  service_options.fold.folder.learner = options.learner;
  service_options.certification = options.certification;
  service_options.click_pairs_max = options.click_pairs_max;
  // Which pairs of equal evidence a bound drops follows the hash key: fixed, so
  // that bounded runs repeat too.
  service_options.click_hash_key = std::array<std::uint64_t, 2>{options.seed, ~options.seed};
  auto service = Service::Open(data_dir, service_options);
  if (!service) return service.error();
  std::unique_ptr<SqliteLedger> log_reader;
  if (options.batch_epochs > 0) {
    auto opened = SqliteLedger::Open(data_dir / "ledger.sqlite");
    if (!opened) return opened.error();
    log_reader = std::move(*opened);
  }
  return std::unique_ptr<ServiceArm>(
      new ServiceArm(std::move(*service), options, std::move(log_reader)));
}

Result<Arm::Shown> ServiceArm::Serve(const std::string& query, const std::string& user) {
  SearchRequest request;
  request.query = query;
  request.page_size = kShown;
  request.snippets = false;
  request.user = user;
  request.policy.temperature = options_.learn ? options_.temperature : 0;
  request.policy.swap_share = options_.learn ? options_.randpair_share : 0;
  request.log_impression = options_.learn;
  auto page = service_->Search(request, &rng_);
  if (!page) return page.error();
  Shown shown;
  shown.query_id = page->query_id;
  for (const SearchResult& result : page->results) shown.ids.push_back(result.id);
  return shown;
}

void ServiceArm::Click(const Shown& shown, int position) {
  if (!options_.learn || shown.query_id.empty()) return;
  pending_.push_back({"sim-" + std::to_string(next_event_++), shown.query_id,
                      shown.ids[static_cast<std::size_t>(position)], position, UnixMillis(),
                      std::nullopt});
}

Status ServiceArm::Learn() {
  if (!options_.learn) return Status::Ok();
  // All clicks at once: the click writer commits them in groups.
  std::vector<std::future<Result<ClickOutcome>>> outcomes;
  for (foldrank::Click& click : pending_) {
    auto promise = std::make_shared<std::promise<Result<ClickOutcome>>>();
    outcomes.push_back(promise->get_future());
    service_->RecordClick(std::move(click), [promise](Result<ClickOutcome> outcome) {
      promise->set_value(std::move(outcome));
    });
  }
  pending_.clear();
  for (auto& outcome : outcomes) {
    Result<ClickOutcome> result = outcome.get();
    if (!result) return result.error();
  }
  while (true) {  // Fold everything that settled, a batch at a time.
    auto step = service_->FoldNow();
    if (!step) return step.error();
    if (step->fold.impressions + step->fold.clicks == 0) break;
  }
  if (options_.batch_epochs > 0) {
    auto retrained = BatchRetrained(*log_reader_, *service_->models().Current(), options_.learner,
                                    options_.batch_epochs);
    if (!retrained) return retrained.error();
    auto imported = service_->Import(*retrained);
    if (!imported) return imported.error();
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ServiceArm::Rank(const std::string& query) {
  return Ids(*service_, query, kShown);
}

Result<std::unique_ptr<CountingArm>> CountingArm::Open(const std::filesystem::path& data_dir) {
  auto service = Service::Open(data_dir, SimulationServiceOptions());
  if (!service) return service.error();
  return std::unique_ptr<CountingArm>(new CountingArm(std::move(*service)));
}

Result<std::vector<std::string>> CountingArm::Rank(const std::string& query) {
  auto candidates = Ids(*service_, query, kCandidates);
  if (!candidates) return candidates.error();
  auto rate = [&](const std::string& id) {
    auto found = counts_.find({query, id});
    return found == counts_.end() || found->second.shown == 0
               ? 0.0
               : found->second.clicked / found->second.shown;
  };
  std::stable_sort(candidates->begin(), candidates->end(),
                   [&](const std::string& a, const std::string& b) { return rate(a) > rate(b); });
  if (candidates->size() > static_cast<std::size_t>(kShown)) candidates->resize(kShown);
  return candidates;
}

Result<Arm::Shown> CountingArm::Serve(const std::string& query, const std::string& /*user*/) {
  auto ranked = Rank(query);
  if (!ranked) return ranked.error();
  for (const std::string& id : *ranked) counts_[{query, id}].shown += 1;
  last_query_ = query;
  return Shown{"", std::move(*ranked)};
}

void CountingArm::Click(const Shown& shown, int position) {
  // cppcheck-suppress constStatement ; a map insertion, not an unused access
  counts_[{last_query_, shown.ids[static_cast<std::size_t>(position)]}].clicked += 1;
}

}  // namespace foldrank::sim
