#include "feedback/ledger.h"

namespace foldrank {

Result<std::vector<SettledImpression>> Ledger::Recent(std::int64_t since_ms, std::size_t limit,
                                                      bool with_features) {
  std::vector<SettledImpression> recent;
  Status walked = VisitRecent(since_ms, limit, with_features, [&](SettledImpression& impression) {
    recent.push_back(std::move(impression));
    return Status::Ok();
  });
  if (!walked.ok()) return walked;
  return recent;
}

}  // namespace foldrank
