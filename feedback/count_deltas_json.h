#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "feedback/ledger.h"

namespace foldrank {

// The ledger's log of click-count deltas (docs/ledger.md, click_count_deltas) holds
// one fold's deltas as a JSON array of [query, doc_id, clicks, expected], so any
// SQLite client can read it with json_each. These write and read that one shape
// fast: a fold writes about a thousand rows, and a merge reads dozens of folds.

// Doubles are written in their shortest form that reads back to the same value.
std::string WriteCountDeltasJson(std::span<const FoldCommit::CountDelta> deltas);

// Appends the deltas `json` holds to `out`. Corruption for anything but the shape
// WriteCountDeltasJson writes (standard JSON escapes in strings are read).
Status ReadCountDeltasJson(std::string_view json, std::vector<FoldCommit::CountDelta>& out);

}  // namespace foldrank
