#pragma once

#include "common/snapshot_cell.h"
#include "ranker/model.h"

namespace foldrank {

// The serving model, swappable while queries run: Current() takes no lock on the
// query path, Publish() swaps atomically (see SnapshotCell).
using ModelStore = SnapshotCell<Model>;

}  // namespace foldrank
