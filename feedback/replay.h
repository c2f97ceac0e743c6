#pragma once

#include <cstdint>
#include <vector>

#include "feedback/ledger.h"
#include "feedback/pdgd.h"

namespace foldrank {

// One model version rebuilt from the ledger.
struct ReplayedVersion {
  std::uint64_t version = 0;
  std::uint64_t parent = 0;
  std::size_t impressions = 0;  // With clicks folded by this version.
  std::size_t clicks = 0;
  bool matches = false;  // Delta equal to the stored one, bit for bit.
};

// Rebuilds every folded version up to `to` (0 = all) from its parent and the clicks
// it folded, with the same learner and the same order of floating-point operations,
// and compares each with the stored version. Versions that were not folded
// (imports), and versions whose clicks were pruned, are taken as stored.
Result<std::vector<ReplayedVersion>> Replay(Ledger& ledger, const LearnerOptions& options,
                                            std::uint64_t to = 0);

}  // namespace foldrank
