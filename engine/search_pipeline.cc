#include "engine/search_pipeline.h"

#include <algorithm>
#include <chrono>

#include "common/clock.h"
#include "ranker/interleaving.h"

namespace foldrank {

SearchPipeline::SearchPipeline(const Index& index, const ModelStore& models,
                               const ClickSignals& clicks, ImpressionLogging logging)
    : index_(index), reranker_(models, clicks), logging_(logging) {}

Result<SearchPage> SearchPipeline::Search(const SearchRequest& request,
                                          std::mt19937_64& rng) const {
  if (request.page_size < 1) return Status::InvalidArgument("page size must be at least 1");
  if (request.offset < 0) return Status::InvalidArgument("offset must not be negative");
  if (request.candidates < 1) return Status::InvalidArgument("candidates must be at least 1");
  auto snapshot = index_.Snapshot();
  auto retrieved = snapshot->Candidates(request.query, request.candidates, request.mode);
  if (!retrieved) return retrieved.error();
  auto statistics = snapshot->Statistics(retrieved->terms, retrieved->candidates);
  if (!statistics) return statistics.error();
  const std::vector<DocumentPriors> priors = snapshot->Priors(retrieved->candidates);

  const std::int64_t now_ms = UnixMillis();
  QueryEvidence evidence{request.query, &*retrieved, &*statistics, priors, now_ms / 1000};
  // RandPair swaps only where they are logged and fall on the page shown.
  ServingPolicy policy = request.policy;
  if (logging_.log == nullptr || !request.log_impression || request.offset != 0) {
    policy.swap_share = 0;
  }
  policy.swap_depth = std::min(policy.swap_depth, static_cast<std::size_t>(request.page_size));
  thread_local RankedCandidates ranked;  // Buffers reused across this thread's queries.
  thread_local std::vector<Team> teams;
  teams.clear();
  const bool interleaving = request.interleave && request.interleave->a && request.interleave->b &&
                            logging_.log != nullptr && request.log_impression &&
                            request.offset == 0;
  if (interleaving) {
    Interleave(*request.interleave, evidence, request.page_size, rng, ranked, teams);
  } else {
    reranker_.Rank(evidence, policy, rng, ranked);
  }

  SearchPage page;
  page.model_version = ranked.model->version();
  page.total_hits = retrieved->total_hits;
  page.terms = retrieved->terms;
  page.terms_dropped = retrieved->terms_dropped;
  const std::size_t first = static_cast<std::size_t>(request.offset);
  const std::size_t last =
      std::min(ranked.order.size(), first + static_cast<std::size_t>(request.page_size));
  Impression impression;
  if (logging_.log != nullptr && request.log_impression && first < last) {
    impression.query_id = NewTimeOrderedId();
    impression.created_ms = now_ms;
    impression.query = request.query;
    if (logging_.hasher != nullptr) impression.user_hash = logging_.hasher->Hash(request.user);
    impression.model_version = page.model_version;
    impression.temperature = request.policy.temperature;
    impression.swapped_with = static_cast<std::int32_t>(ranked.swapped_with);
    if (interleaving) impression.experiment = request.interleave->experiment;
    page.query_id = impression.query_id;
  }
  for (std::size_t position = first; position < last; ++position) {
    const Placement& placement = ranked.order[position];
    const Candidate& candidate = retrieved->candidates[placement.candidate];
    auto document = snapshot->Fetch(candidate);
    if (!document) return document.error();
    SearchResult result;
    result.position = static_cast<int>(position);
    result.id = candidate.id;
    result.title = std::move(document->title);
    result.url = std::move(document->url);
    if (request.snippets) {
      result.snippet = MakeSnippet(document->body, retrieved->terms, request.snippet_chars,
                                   snapshot->language());
    }
    result.score = ranked.scores[placement.candidate];
    result.probability = placement.probability;
    if (request.explain) result.explanation = Reranker::Explain(ranked, placement.candidate);
    if (!page.query_id.empty()) {
      const auto features = ranked.normalized.row(placement.candidate);
      impression.results.push_back(
          {result.position, result.id, result.score, result.probability,
           std::vector<float>(features.begin(), features.end()),
           static_cast<std::int8_t>(position < teams.size() ? teams[position] : Team::kNone)});
    }
    page.results.push_back(std::move(result));
  }
  if (!page.query_id.empty() && !interleaving && first == 0 && policy.temperature > 0) {
    RecordSampledPool(ranked, retrieved->candidates, policy, last, impression);
  }
  // Queued, never waited for: a full queue drops the impression (counted), and the
  // page is served regardless.
  if (!page.query_id.empty()) logging_.log->Submit(std::move(impression));
  return page;
}

void SearchPipeline::RecordSampledPool(const RankedCandidates& ranked,
                                       std::span<const Candidate> candidates,
                                       const ServingPolicy& policy, std::size_t shown,
                                       Impression& impression) {
  // OrderCandidates sampled the first min(sample_depth, candidates) positions from
  // exactly the best-scored candidates; those past the page were not shown.
  const std::size_t sampled = std::min(policy.sample_depth, ranked.order.size());
  impression.sample_depth = static_cast<std::uint32_t>(sampled);
  thread_local std::vector<std::size_t> unshown;
  unshown.clear();
  for (std::size_t position = shown; position < sampled; ++position) {
    unshown.push_back(ranked.order[position].candidate);
  }
  std::stable_sort(unshown.begin(), unshown.end(), [&](std::size_t a, std::size_t b) {
    return ranked.scores[a] > ranked.scores[b];
  });
  for (std::size_t c : unshown) {
    const auto features = ranked.normalized.row(c);
    impression.unshown.push_back(
        {candidates[c].id, ranked.scores[c], std::vector<float>(features.begin(), features.end())});
  }
}

void SearchPipeline::Interleave(const InterleavedModels& models, const QueryEvidence& evidence,
                                std::size_t length, std::mt19937_64& rng, RankedCandidates& ranked,
                                std::vector<Team>& teams) const {
  // a ranks as it would serve deterministically; b scores the same normalized rows.
  reranker_.RankWith(models.a, evidence, ServingPolicy{}, rng, ranked);
  thread_local std::vector<float> b_scores;
  b_scores.resize(ranked.scores.size());
  models.b->Score(ranked.normalized, b_scores);
  const std::vector<Placement> b_order = OrderCandidates(b_scores, ServingPolicy{}, rng);
  const std::vector<TeamPlacement> drafted = TeamDraft(ranked.order, b_order, length, rng);
  for (std::size_t i = 0; i < drafted.size(); ++i) {
    ranked.order[i] = {drafted[i].candidate, 1.0};
    teams.push_back(drafted[i].team);
  }
}

}  // namespace foldrank
