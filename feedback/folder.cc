#include "feedback/folder.h"

#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"

namespace foldrank {
namespace {

struct PairView {
  std::string_view query, doc_id;
  bool operator==(const PairView&) const = default;
};
struct PairViewHash {
  std::size_t operator()(const PairView& pair) const {
    const std::hash<std::string_view> hash;
    return hash(pair.query) * 0x9e3779b97f4a7c15ULL ^ hash(pair.doc_id);
  }
};

}  // namespace

double Folder::Examination(std::int32_t position) const {
  const std::size_t p = static_cast<std::size_t>(position);
  return p < options_.examination.size() ? options_.examination[p] : ExaminationPrior(position);
}

Result<FoldResult> Folder::FoldOnce(std::int64_t now_ms) {
  auto active = ledger_.ActiveModel();
  if (!active) return active.error();
  const Model model = active->InForce();
  auto settled = ledger_.Settled(now_ms, options_.settle_ms, options_.max_impressions);
  if (!settled) return settled.error();
  FoldResult result;
  if (settled->empty()) return result;
  FOLDRANK_RETURN_IF_ERROR(ledger_.CountEarlierByUser(*settled, options_.learner.user_window_ms));
  const PdgdLearner learner(options_.learner);

  FoldCommit commit;
  // Click counts per (query, document): expected clicks for every position of a
  // first-time impression, clicks for every pending click, except for impressions
  // the influence cap rules out. Document-level counts are their sums (the ledger
  // does not store them twice).
  // Keyed by views into `queries` (a deque: its strings never move) and the batch;
  // rows come out in the order pairs were first seen.
  std::deque<std::string> queries;
  std::unordered_map<PairView, std::size_t, PairViewHash> row_of;
  auto add = [&](std::string_view query, std::string_view doc_id) -> ClickCounts& {
    auto [slot, added] = row_of.try_emplace(PairView{query, doc_id}, commit.counts.size());
    if (added) commit.counts.push_back({std::string(query), std::string(doc_id), {}});
    return commit.counts[slot->second].delta;
  };
  for (const SettledImpression& impression : *settled) {
    const std::string& query = queries.emplace_back(NormalizeQuery(impression.impression.query));
    const bool counted = learner.Counts(impression);
    if (impression.first_fold) {
      commit.settled_impressions.push_back(impression.impression.query_id);
      for (const ShownResult& shown : impression.impression.results) {
        if (counted) add(query, shown.doc_id).expected += Examination(shown.position);
      }
    } else {
      commit.late_impressions.push_back(impression.impression.query_id);
    }
    for (const PendingClick& click : impression.clicks) {
      commit.folded_clicks.push_back(click.seq);
      if (counted) add(query, click.doc_id).clicks += 1;
    }
  }

  std::uint64_t updates = active->learner_updates;
  if (!commit.folded_clicks.empty()) {
    const LinearFunction delta = learner.Update(model, *settled, updates);
    commit.model = model.WithDelta(delta, "fold");
  }
  commit.learner_updates = updates;
  FOLDRANK_RETURN_IF_ERROR(ledger_.CommitFold(commit));
  result.impressions = commit.settled_impressions.size();
  result.clicks = commit.folded_clicks.size();
  result.model = std::move(commit.model);
  result.counts = std::move(commit.counts);
  result.counts_seq_before = commit.counts_seq_before;
  result.counts_seq = commit.counts_seq;
  const std::int64_t committed_ms = UnixMillis();
  for (const SettledImpression& impression : *settled) {
    for (const PendingClick& click : impression.clicks) {
      result.click_to_fold_ms.push_back(committed_ms - click.received_ms);
    }
  }
  return result;
}

}  // namespace foldrank
