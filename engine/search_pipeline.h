#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "feedback/ids.h"
#include "feedback/impression_log.h"
#include "foldrank/result.h"
#include "index/index.h"
#include "index/snippet.h"
#include "ranker/click_signals.h"
#include "ranker/interleaving.h"
#include "ranker/model_store.h"
#include "ranker/reranker.h"

namespace foldrank {

// Two models whose rankings a page interleaves (team draft), for an experiment. They
// share one feature normalization.
struct InterleavedModels {
  std::uint64_t experiment = 0;
  std::shared_ptr<const Model> a, b;
};

struct SearchRequest {
  std::string query;
  QueryMode mode = QueryMode::kPlain;
  int candidates = 100;  // K: how many the index retrieves for reranking.
  int page_size = 10;
  int offset = 0;        // First position to return (0-based).
  ServingPolicy policy;  // Deterministic by default.
  bool explain = false;  // Attach each result's score breakdown.
  bool snippets = true;  // Off: results carry no snippet (saves ~30 us per result).
  std::string user;      // The site's user key (stored only as a keyed hash).
  std::size_t snippet_chars = 200;
  bool log_impression = true;  // Off: no query id, nothing for the ledger (evaluation).
  // Set (by the service) for interleaving traffic: the first page is a team draft of
  // a's and b's deterministic rankings instead of the policy's; logged only.
  std::optional<InterleavedModels> interleave;
};

// Where a pipeline logs what it showed: the impression log and the user-key hasher.
struct ImpressionLogging {
  ImpressionLog* log = nullptr;
  const UserKeyHasher* hasher = nullptr;  // Without one, impressions carry no user.
};

// One query end to end: retrieve K candidates from an index snapshot, rerank them
// with the current model, build the requested page (stored fields and snippets only
// for the shown page), and, when logging, queue the impression: a fresh query id and
// each shown result with the features the model saw. Thread-safe; borrows
// everything it is given.
class SearchPipeline {
 public:
  SearchPipeline(const Index& index, const ModelStore& models, const ClickSignals& clicks,
                 ImpressionLogging logging = {});

  // InvalidArgument for bad queries (see IndexSnapshot::Candidates) or a page that
  // is out of range (page_size < 1, offset < 0, candidates < 1).
  Result<SearchPage> Search(const SearchRequest& request, std::mt19937_64& rng) const;

 private:
  // Ranks with the pair's a and b and drafts the first `length` positions into
  // `ranked.order`, their teams into `teams`.
  void Interleave(const InterleavedModels& models, const QueryEvidence& evidence,
                  std::size_t length, std::mt19937_64& rng, RankedCandidates& ranked,
                  std::vector<Team>& teams) const;
  // For a sampled first page of `shown` positions: the policy's sample depth and the
  // sampled candidates that fell below the page, into `impression`.
  static void RecordSampledPool(const RankedCandidates& ranked,
                                std::span<const Candidate> candidates, const ServingPolicy& policy,
                                std::size_t shown, Impression& impression);

  const Index& index_;
  Reranker reranker_;
  ImpressionLogging logging_;
};

}  // namespace foldrank
