#pragma once

// A point-in-time report of an engine (what /admin/status and /metrics show). Part
// of the public API.
//
// Threading and ownership: plain values that own everything they hold (copy or
// move them freely); like any value, one may be read from many threads at once but
// written from one.

#include <foldrank/models.h>

#include <cstdint>
#include <string>
#include <vector>

namespace foldrank {

// What became of the clicks reported through RecordClick since the ledger opened.
struct ClickTally {
  std::uint64_t accepted = 0;
  std::uint64_t duplicate = 0;
  std::uint64_t unknown_query = 0;   // No impression with that query id.
  std::uint64_t not_shown = 0;       // The document was not in the impression.
  std::uint64_t wrong_position = 0;  // Shown, but at another position.
  std::uint64_t failed = 0;          // The ledger could not store it (disk full, ...).
  // Transactions (each one disk sync) that stored the clicks above, arriving
  // together; clicks per commit grow with the clicks in flight.
  std::uint64_t commits = 0;
};

// Row counts for status pages.
struct LedgerStats {
  std::uint64_t impressions = 0;
  std::uint64_t unsettled_impressions = 0;  // Not folded yet.
  std::uint64_t clicks = 0;
  std::uint64_t unfolded_clicks = 0;
  std::uint64_t model_versions = 0;  // Stored ones (the cold start is not stored).
};

// Impressions handed to the ledger's writer since the engine opened.
struct ImpressionCounters {
  std::uint64_t submitted = 0;
  std::uint64_t written = 0;
  std::uint64_t dropped = 0;  // Queue full: searches never wait for the ledger.
  std::uint64_t failed = 0;   // The ledger refused the batch (e.g. disk full).
};

// Where certification stands, for /admin/status.
struct CertificationState {
  std::string mode;
  std::uint64_t certified = 0;  // The last version that passed the gate (or was pinned).
  std::uint64_t learning = 0;   // The active version, folded continuously.
  std::uint64_t canary = 0;     // Running canary experiment (0: none).
  std::uint64_t rollbacks = 0;  // Since this process started.
  std::uint64_t certifications = 0;
  std::string last_decision;  // JSON of the last decision (empty: none yet).
};

// The position-bias estimate in use (docs/learning.md).
struct PositionBiasReport {
  bool estimated = false;           // False: the documented prior.
  std::vector<double> examination;  // Per position, relative to the top (alpha + beta).
  std::string json;                 // The full estimate with intervals, as stored.
};

// Where the memory goes, for operators watching a long-running server.
struct MemoryReport {
  std::int64_t resident_bytes = 0;     // The whole process.
  std::int64_t sqlite_bytes = 0;       // Held by SQLite: page caches, statements.
  std::int64_t sqlite_peak_bytes = 0;  // The most SQLite has held at once.
  // Click counts held in memory for the click features (docs/learning.md): the
  // (query, document) pairs, bounded by click_count_pairs_max (0: unbounded), and the
  // documents; pairs dropped to stay within the bound since the engine opened.
  std::uint64_t click_count_pairs = 0;
  std::uint64_t click_count_pairs_max = 0;
  std::uint64_t click_count_pairs_dropped = 0;
  std::uint64_t click_count_documents = 0;
  // Loads of every count from the ledger since the engine opened: one at start,
  // then one each time another process merged count deltas this engine had not
  // followed yet (otherwise it follows their folds one by one).
  std::uint64_t click_count_loads = 0;
};

struct EngineStatus {
  ModelInfo model;  // Serving.
  std::uint64_t learner_updates = 0;
  double learning_rate = 0;
  std::int64_t last_fold_ms = 0;  // 0: no fold since the engine opened.
  LedgerStats ledger;
  ClickTally clicks;
  ImpressionCounters impressions;
  std::vector<std::int64_t> click_to_model_ms;  // Recent, oldest first.
  std::int64_t documents = 0;
  std::int64_t last_refresh_ms = 0;
  bool holds_fold_lease = false;
  std::string fold_lease_holder;  // When another process folds.
  std::string last_fold_error;
  PositionBiasReport position_bias;
  std::string last_bias_error;
  CertificationState certification;
  std::string last_certification_error;
  MemoryReport memory;
};

}  // namespace foldrank
