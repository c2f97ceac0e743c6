#include "feedback/replay.h"

#include <cstring>

namespace foldrank {

Result<std::vector<ReplayedVersion>> Replay(Ledger& ledger, const LearnerOptions& options,
                                            std::uint64_t to) {
  auto versions = ledger.ModelVersions();
  if (!versions) return versions.error();
  auto pruned = ledger.ReplayableAfter();  // Those versions' clicks are gone.
  if (!pruned) return pruned.error();
  std::vector<ReplayedVersion> replayed;
  const PdgdLearner learner(options);
  for (std::uint64_t version : *versions) {
    if (to != 0 && version > to) break;
    if (version <= *pruned) continue;
    auto stored = ledger.LoadModel(version);
    if (!stored) return stored.error();
    if (stored->origin() != "fold") continue;
    auto parent = ledger.LoadModel(stored->parent());
    auto updates = ledger.LearnerUpdates(stored->parent());
    auto batch = ledger.FoldedBy(version);
    if (!parent) return parent.error();
    if (!updates) return updates.error();
    if (!batch) return batch.error();
    FOLDRANK_RETURN_IF_ERROR(ledger.CountEarlierByUser(*batch, options.user_window_ms));
    std::uint64_t count = *updates;
    const LinearFunction delta = learner.Update(*parent, *batch, count);
    ReplayedVersion result;
    result.version = version;
    result.parent = stored->parent();
    result.impressions = batch->size();
    for (const SettledImpression& impression : *batch) result.clicks += impression.clicks.size();
    result.matches = std::memcmp(delta.weights.data(), stored->delta().weights.data(),
                                 sizeof(delta.weights)) == 0 &&
                     std::memcmp(&delta.bias, &stored->delta().bias, sizeof(float)) == 0;
    replayed.push_back(result);
  }
  return replayed;
}

}  // namespace foldrank
