#include "feedback/sqlite_ledger.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>
#include <unordered_map>

#include "common/clock.h"
#include "feedback/count_deltas_json.h"
#include "feedback/internal/json_text.h"
#include "feedback/internal/sqlite_db.h"
#include "feedback/query_key.h"

namespace foldrank {
namespace {

// Schema version 1. Times are Unix milliseconds. See docs/ledger.md.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE impressions (
  query_id      TEXT PRIMARY KEY,
  created_ms    INTEGER NOT NULL,
  query         TEXT NOT NULL,
  user_hash     TEXT NOT NULL DEFAULT '',
  model_version INTEGER NOT NULL,
  policy        TEXT NOT NULL,            -- 'deterministic' or 'plackett_luce'
  temperature   REAL NOT NULL,
  feature_set   INTEGER NOT NULL,         -- foldrank-features version of the blobs
  folded        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX impressions_to_fold ON impressions(folded, created_ms);
CREATE TABLE impression_results (
  query_id    TEXT NOT NULL REFERENCES impressions(query_id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,           -- 0-based
  doc_id      TEXT NOT NULL,
  score       REAL NOT NULL,
  probability REAL NOT NULL,
  features    BLOB NOT NULL,              -- float32 little-endian, normalized
  PRIMARY KEY (query_id, position)
) WITHOUT ROWID;
CREATE TABLE clicks (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id    TEXT NOT NULL UNIQUE,
  query_id    TEXT NOT NULL REFERENCES impressions(query_id) ON DELETE CASCADE,
  doc_id      TEXT NOT NULL,
  position    INTEGER NOT NULL,
  clicked_ms  INTEGER NOT NULL,
  received_ms INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  dwell_ms    INTEGER,
  folded_by   INTEGER                     -- model version that folded it; NULL until then
);
CREATE INDEX clicks_by_query ON clicks(query_id, folded_by);
CREATE INDEX clicks_unfolded ON clicks(query_id) WHERE folded_by IS NULL;
CREATE TABLE models (
  version    INTEGER PRIMARY KEY,
  parent     INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  state      TEXT NOT NULL DEFAULT 'stored',
  metrics    TEXT NOT NULL DEFAULT '{}',
  json       TEXT NOT NULL
);
CREATE TABLE click_counts (
  query    TEXT NOT NULL,                 -- normalized query; '' for the document row
  doc_id   TEXT NOT NULL,
  clicks   REAL NOT NULL,
  expected REAL NOT NULL,
  PRIMARY KEY (query, doc_id)
) WITHOUT ROWID;
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE leases (
  name       TEXT PRIMARY KEY,            -- 'folder': at most one folder per ledger
  holder     TEXT NOT NULL,
  expires_ms INTEGER NOT NULL
);
)sql";

std::span<const std::byte> AsBytes(const std::vector<float>& values) {
  return std::as_bytes(std::span<const float>(values));
}

// Schema version 2, for cheaper folds: document-level click counts are no longer
// stored (they are the sum of a document's rows); impressions_to_fold holds only
// unfolded impressions, ordered as folds take them; clicks_by_query no longer
// includes folded_by, so marking a click folded leaves it alone.
constexpr const char* kMigrateToV2 = R"sql(
DELETE FROM click_counts WHERE query = '';
DROP INDEX impressions_to_fold;
CREATE INDEX impressions_to_fold ON impressions(created_ms) WHERE folded = 0;
CREATE INDEX impressions_by_time ON impressions(created_ms);
DROP INDEX clicks_by_query;
CREATE INDEX clicks_by_query ON clicks(query_id);
-- Folded impressions with unfolded (late) clicks, kept by the trigger below and by
-- folds, so that finding late clicks never scans a backlog of unfolded ones.
CREATE TABLE late_impressions (
  query_id TEXT PRIMARY KEY REFERENCES impressions(query_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TRIGGER clicks_late AFTER INSERT ON clicks
  WHEN (SELECT folded FROM impressions WHERE query_id = NEW.query_id) = 1
  BEGIN INSERT OR IGNORE INTO late_impressions(query_id) VALUES (NEW.query_id); END;
INSERT OR IGNORE INTO late_impressions(query_id)
  SELECT DISTINCT c.query_id FROM clicks c JOIN impressions i ON i.query_id = c.query_id
  WHERE c.folded_by IS NULL AND i.folded = 1;
)sql";

// Impressions ready to fold at ?1 = now - settle, oldest first, at most ?2: new ones
// past the window with no recent click ...
constexpr const char* kSettledNew = R"sql(
      SELECT i.query_id, i.created_ms, i.rowid FROM impressions i
      WHERE i.folded = 0 AND i.created_ms <= ?1
        AND NOT EXISTS (SELECT 1 FROM clicks c WHERE c.query_id = i.query_id
                        AND c.folded_by IS NULL AND c.received_ms > ?1)
      ORDER BY i.created_ms, i.rowid LIMIT ?2)sql";
// ... and folded ones whose late clicks have settled: those recorded in
// late_impressions, and those with clicks newer than the last fold's scan (which
// no fold has looked at yet; see kRecordLate).
constexpr const char* kSettledLate = R"sql(
      SELECT i.query_id, i.created_ms, i.rowid FROM (
        SELECT query_id FROM late_impressions
        UNION
        SELECT query_id FROM clicks WHERE seq > (SELECT CAST(value AS INTEGER) FROM settings
                                                 WHERE key = 'late_scan_seq')
                                    AND folded_by IS NULL) l
      CROSS JOIN impressions i ON i.query_id = l.query_id  -- CROSS: l outermost
      WHERE i.folded = 1
        AND NOT EXISTS (SELECT 1 FROM clicks c WHERE c.query_id = i.query_id
                        AND c.folded_by IS NULL AND c.received_ms > ?1)
      ORDER BY i.created_ms, i.rowid LIMIT ?2)sql";

// Schema version 3, for cheaper click inserts: no trigger and no partial index on
// clicks. A fold finds late clicks among the clicks stored since the previous
// fold's scan (settings 'late_scan_seq'; seq only grows), which it records in
// late_impressions before moving the mark. And a user's recent impressions, for
// the learner's influence cap.
constexpr const char* kMigrateToV3 = R"sql(
DROP TRIGGER clicks_late;
DROP INDEX clicks_unfolded;
INSERT INTO settings(key, value) SELECT 'late_scan_seq', COALESCE(MAX(seq), 0) FROM clicks;
CREATE INDEX impressions_by_user ON impressions(user_hash, created_ms) WHERE user_hash <> '';
)sql";

// Schema version 4: RandPair randomization is recorded per impression (policy
// 'randpair' and the position that traded places with position 0), for
// position-bias estimates.
constexpr const char* kMigrateToV4 = R"sql(
ALTER TABLE impressions ADD COLUMN swapped_with INTEGER NOT NULL DEFAULT 0;
)sql";

// Schema version 5: interleaving experiments; impressions record the experiment
// they served and each shown result its team.
constexpr const char* kMigrateToV5 = R"sql(
CREATE TABLE experiments (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  a               INTEGER NOT NULL,
  b               INTEGER NOT NULL,
  share           REAL NOT NULL,
  max_impressions INTEGER NOT NULL,
  state           TEXT NOT NULL DEFAULT 'running',  -- running, stopped, completed
  purpose         TEXT NOT NULL DEFAULT 'manual',   -- manual, canary
  created_ms      INTEGER NOT NULL,
  stopped_ms      INTEGER NOT NULL DEFAULT 0
);
ALTER TABLE impressions ADD COLUMN experiment INTEGER NOT NULL DEFAULT 0;
ALTER TABLE impression_results ADD COLUMN team INTEGER NOT NULL DEFAULT 0;  -- 1 a, 2 b
CREATE INDEX impressions_by_experiment ON impressions(experiment) WHERE experiment <> 0;
)sql";

// Schema version 6, for cheaper folds: a fold appends its click-count deltas as one
// JSON row instead of upserting about ten rows per impression into click_counts;
// every kMergeDeltasAfter-th fold adds the log's sums (which the folder keeps) to
// click_counts, one upsert per distinct pair, and empties the log. Folds repeat
// pairs, so far fewer rows are written. click_counts_now is the sum of both, for
// readers who want the counts as of the last fold.
constexpr const char* kMigrateToV6 = R"sql(
CREATE TABLE click_count_deltas (
  seq    INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: folders tell their log apart
  deltas TEXT NOT NULL   -- JSON array of [query, doc_id, clicks, expected]
);
CREATE VIEW click_count_pending AS
  SELECT d.value ->> 0 AS query, d.value ->> 1 AS doc_id,
         d.value ->> 2 AS clicks, d.value ->> 3 AS expected
  FROM click_count_deltas, json_each(click_count_deltas.deltas) d;
CREATE VIEW click_counts_now AS
  SELECT query, doc_id, SUM(clicks) AS clicks, SUM(expected) AS expected FROM (
    SELECT query, doc_id, clicks, expected FROM click_counts
    UNION ALL
    SELECT query, doc_id, clicks, expected FROM click_count_pending)
  GROUP BY query, doc_id;
)sql";

// Schema version 7: a Plackett-Luce first page records the candidates the policy
// sampled from and did not show, for policy-aware counterfactual estimates (where
// else could each document have been placed?). One row per impression.
constexpr const char* kMigrateToV7 = R"sql(
CREATE TABLE impression_pools (
  query_id     TEXT PRIMARY KEY REFERENCES impressions(query_id) ON DELETE CASCADE,
  sample_depth INTEGER NOT NULL,  -- the best-scored candidates the order was sampled from
  doc_ids      TEXT NOT NULL,     -- JSON array: those of them not shown, best score first
  scores       BLOB NOT NULL,     -- float32 little-endian, one per doc_ids entry
  features     BLOB NOT NULL      -- float32 little-endian, kFeatureCount per doc_ids entry
) WITHOUT ROWID;
)sql";

// Folds between merges: the more, the more a pair's deltas are summed before they
// are written (on the Debian benchmark, 64 folds' 58,000 deltas are 9,900 pairs).
constexpr std::int64_t kMergeDeltasAfter = 64;

// The count log position of the last merge (0: none recorded), as an SQL expression.
constexpr const char* kCountsMergedThrough =
    "COALESCE((SELECT CAST(value AS INTEGER) FROM settings "
    "WHERE key = 'counts_merged_through'), 0)";

// Runs `write` (its own transaction) without a disk sync at its commit: in WAL mode
// the next durable commit syncs the log up to and including its frames.
template <typename Write>
Status WithoutOwnSync(SqliteDb& db, Write&& write) {
  FOLDRANK_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous=NORMAL"));
  Status written = write();
  Status restored = db.Exec("PRAGMA synchronous=FULL");
  return written.ok() ? restored : written;
}

// Run by each fold after its marks: records the impressions that have unfolded
// clicks stored since the last scan and are folded now, then moves the mark.
constexpr const char* kRecordLate = R"sql(
INSERT OR IGNORE INTO late_impressions(query_id)
  SELECT c.query_id FROM clicks c
  CROSS JOIN impressions i ON i.query_id = c.query_id  -- CROSS: the seq range outermost
  WHERE c.seq > (SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'late_scan_seq')
    AND c.folded_by IS NULL AND i.folded = 1;
UPDATE settings SET value = (SELECT COALESCE(MAX(seq), 0) FROM clicks)
  WHERE key = 'late_scan_seq';
)sql";

// Clicks of an impression (?1), folded or not, or folded by version ?2; columns as
// PendingClick. (A fold's batch loads its unfolded clicks with LoadPendingLocked.)
constexpr std::string_view kFoldedClicks =
    "SELECT seq, doc_id, position, clicked_ms, received_ms FROM clicks "
    "WHERE query_id = ?1 AND folded_by IS NOT NULL ORDER BY seq";
constexpr std::string_view kAllClicks =
    "SELECT seq, doc_id, position, clicked_ms, received_ms FROM clicks "
    "WHERE query_id = ?1 ORDER BY seq";
constexpr std::string_view kClicksFoldedBy =
    "SELECT seq, doc_id, position, clicked_ms, received_ms FROM clicks "
    "WHERE query_id = ?1 AND folded_by = ?2 ORDER BY seq";

std::vector<float> FromBytes(std::span<const std::byte> blob) {
  std::vector<float> values(blob.size() / sizeof(float));
  // An empty blob (results read without features) may come with a null pointer.
  if (!values.empty()) std::memcpy(values.data(), blob.data(), values.size() * sizeof(float));
  return values;
}

// Rows read from column `first` on, for statements that select these columns in
// this order (one impression at a time, or a batch's with json_each's key first).
// impressions: created_ms, query, user_hash, model_version, temperature,
// swapped_with, experiment.
void ReadImpressionHead(const Statement& row, int first, Impression& impression) {
  impression.created_ms = row.Int(first);
  impression.query = row.Text(first + 1);
  impression.user_hash = row.Text(first + 2);
  impression.model_version = static_cast<std::uint64_t>(row.Int(first + 3));
  impression.temperature = row.Real(first + 4);
  impression.swapped_with = static_cast<std::int32_t>(row.Int(first + 5));
  impression.experiment = static_cast<std::uint64_t>(row.Int(first + 6));
}
// impression_results: position, doc_id, score, probability, features, team.
ShownResult ReadShownResult(const Statement& row, int first) {
  return {static_cast<std::int32_t>(row.Int(first)),
          row.Text(first + 1),
          static_cast<float>(row.Real(first + 2)),
          row.Real(first + 3),
          FromBytes(row.Blob(first + 4)),
          static_cast<std::int8_t>(row.Int(first + 5))};
}
// clicks: seq, doc_id, position, clicked_ms, received_ms.
PendingClick ReadPendingClick(const Statement& row, int first) {
  return {row.Int(first), row.Text(first + 1), static_cast<std::int32_t>(row.Int(first + 2)),
          row.Int(first + 3), row.Int(first + 4)};
}

}  // namespace

SqliteLedger::SqliteLedger(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
SqliteLedger::~SqliteLedger() = default;

Result<std::unique_ptr<SqliteLedger>> SqliteLedger::Open(const std::filesystem::path& path) {
  auto db = SqliteDb::Open(path);
  if (!db) return db.error();
  std::unique_ptr<SqliteLedger> ledger(new SqliteLedger(std::move(*db)));
  {
    auto secure_delete = ledger->db_->Prepare("PRAGMA secure_delete");
    if (!secure_delete) return secure_delete.error();
    auto row = secure_delete->Step();
    if (!row) return row.error();
    ledger->secure_delete_ = *row ? static_cast<int>(secure_delete->Int(0)) : 0;
  }
  FOLDRANK_RETURN_IF_ERROR(ledger->Migrate().WithContext(path.string()));
  return ledger;
}

Status SqliteLedger::Migrate() {
  std::lock_guard<std::mutex> lock(mu_);
  return InTransaction(*db_, [&]() -> Status {
    auto version = db_->Prepare("PRAGMA user_version");
    if (!version) return version.error();
    auto row = version->Step();
    if (!row) return row.error();
    const std::int64_t current = version->Int(0);
    version->Reset();  // DROP INDEX below needs no statement running.
    if (current > kSchemaVersion) {
      return Status::Corruption("ledger schema v" + std::to_string(current) +
                                " is newer than this foldrank (v" + std::to_string(kSchemaVersion) +
                                ")");
    }
    if (current == 0) FOLDRANK_RETURN_IF_ERROR(db_->Exec(kSchemaV1));
    if (current <= 1) FOLDRANK_RETURN_IF_ERROR(db_->Exec(kMigrateToV2));
    if (current <= 2) FOLDRANK_RETURN_IF_ERROR(db_->Exec(kMigrateToV3));
    if (current <= 3) FOLDRANK_RETURN_IF_ERROR(db_->Exec(kMigrateToV4));
    if (current <= 4) FOLDRANK_RETURN_IF_ERROR(db_->Exec(kMigrateToV5));
    if (current <= 5) FOLDRANK_RETURN_IF_ERROR(db_->Exec(kMigrateToV6));
    if (current <= 6) FOLDRANK_RETURN_IF_ERROR(db_->Exec(kMigrateToV7));
    if (current < kSchemaVersion) {
      FOLDRANK_RETURN_IF_ERROR(
          db_->Exec("PRAGMA user_version = " + std::to_string(kSchemaVersion)));
    }
    return Status::Ok();
  });
}

Status SqliteLedger::AppendImpressions(std::span<const Impression> impressions) {
  std::lock_guard<std::mutex> lock(mu_);
  // Without a sync of its own (see the interface): the impression writer commits
  // often, and each sync held the ledger (and so the click writer) for the length
  // of a disk flush.
  FOLDRANK_RETURN_IF_ERROR(
      WithoutOwnSync(*db_, [&] { return AppendImpressionsLocked(impressions); }));
  for (const Impression& impression : impressions) {
    for (const ShownResult& shown : impression.results) {
      recently_shown_.Add(impression.query_id, shown.position, shown.doc_id);
    }
  }
  return Status::Ok();
}

Status SqliteLedger::AppendImpressionsLocked(std::span<const Impression> impressions) {
  return InTransaction(*db_, [&]() -> Status {
    auto impression = db_->Prepare(
        "INSERT INTO impressions(query_id, created_ms, query, user_hash, model_version, policy, "
        "temperature, feature_set, swapped_with, experiment) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    auto result = db_->Prepare(
        "INSERT INTO impression_results(query_id, position, doc_id, score, probability, features, "
        "team) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    auto pool = db_->Prepare(
        "INSERT INTO impression_pools(query_id, sample_depth, doc_ids, scores, features) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!impression) return impression.error();
    if (!result) return result.error();
    if (!pool) return pool.error();
    std::vector<float> scores, features;
    for (const Impression& i : impressions) {
      impression->Reset();
      impression->Bind(1, i.query_id)
          .Bind(2, i.created_ms)
          .Bind(3, i.query)
          .Bind(4, i.user_hash)
          .Bind(5, static_cast<std::int64_t>(i.model_version))
          .Bind(6, std::string_view(i.swapped_with > 0  ? "randpair"
                                    : i.temperature > 0 ? "plackett_luce"
                                                        : "deterministic"))
          .Bind(7, i.temperature)
          .Bind(8, std::int64_t{kFeatureSetVersion})
          .Bind(9, std::int64_t{i.swapped_with})
          .Bind(10, static_cast<std::int64_t>(i.experiment));
      FOLDRANK_RETURN_IF_ERROR(impression->Run());
      for (const ShownResult& r : i.results) {
        result->Reset();
        result->Bind(1, i.query_id)
            .Bind(2, std::int64_t{r.position})
            .Bind(3, r.doc_id)
            .Bind(4, static_cast<double>(r.score))
            .Bind(5, r.probability)
            .BindBlob(6, AsBytes(r.features))
            .Bind(7, std::int64_t{r.team});
        FOLDRANK_RETURN_IF_ERROR(result->Run());
      }
      if (i.sample_depth == 0) continue;
      nlohmann::json doc_ids = nlohmann::json::array();
      scores.clear();
      features.clear();
      for (const UnshownCandidate& c : i.unshown) {
        doc_ids.push_back(c.doc_id);
        scores.push_back(c.score);
        features.insert(features.end(), c.features.begin(), c.features.end());
      }
      pool->Reset();
      pool->Bind(1, i.query_id)
          .Bind(2, std::int64_t{i.sample_depth})
          // Ids came from JSON, so they are UTF-8; never throw on the writer thread.
          .Bind(3, doc_ids.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
          .BindBlob(4, AsBytes(scores))
          .BindBlob(5, AsBytes(features));
      FOLDRANK_RETURN_IF_ERROR(pool->Run());
    }
    return Status::Ok();
  });
}

Result<ClickOutcome> SqliteLedger::RecordClick(const Click& click) {
  std::vector<Result<ClickOutcome>> outcomes = RecordClicks(std::span<const Click>(&click, 1));
  return std::move(outcomes.front());
}

std::vector<Result<ClickOutcome>> SqliteLedger::RecordClicks(std::span<const Click> clicks) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Result<ClickOutcome>> outcomes;
  outcomes.reserve(clicks.size());
  // One transaction, one sync, for the whole group; a rejected click only fails its
  // own statements, never the group.
  // Stamped by the same clock as folds' "now" (SQLite's own clock, the column's
  // default for other writers, can read a millisecond apart).
  const std::int64_t received_ms = UnixMillis();
  Status status = InTransaction(*db_, [&]() -> Status {
    for (const Click& click : clicks) {
      Result<ClickOutcome> outcome = RecordOneLocked(click, received_ms);
      if (!outcome && outcome.error().code() != Status::Code::kNotFound &&
          outcome.error().code() != Status::Code::kInvalidArgument) {
        return outcome.error();  // The ledger itself failed: nothing of the group holds.
      }
      outcomes.push_back(std::move(outcome));
    }
    return Status::Ok();
  });
  if (!status.ok()) {
    outcomes.assign(clicks.size(), Result<ClickOutcome>(status));
    tally_.failed += clicks.size();
    return outcomes;
  }
  for (const Result<ClickOutcome>& outcome : outcomes) Tally(outcome);
  ++tally_.commits;
  return outcomes;
}

void SqliteLedger::Tally(const Result<ClickOutcome>& outcome) {
  // By outcome; the reason texts below are the ones users see.
  if (outcome) {
    ++(*outcome == ClickOutcome::kAccepted ? tally_.accepted : tally_.duplicate);
    return;
  }
  const std::string_view message = outcome.error().message();
  if (outcome.error().code() == Status::Code::kNotFound) {
    ++tally_.unknown_query;
  } else if (message.find("was not shown") != std::string_view::npos) {
    ++tally_.not_shown;
  } else if (message.find("was shown at position") != std::string_view::npos) {
    ++tally_.wrong_position;
  } else {
    ++tally_.failed;
  }
}

Result<ClickOutcome> SqliteLedger::RecordOneLocked(const Click& click, std::int64_t received_ms) {
  // The common case is one statement: insert the click if the impression showed
  // that document at that position and its event id is new. Where this process
  // logged that impression lately, memory says whether it did, and the foreign key
  // still proves the impression is in the ledger (a prune may have removed it);
  // otherwise the statement checks the impression's results (one primary-key
  // probe). Telling a duplicate from a bad click comes after, off that path.
  const bool shown_here = recently_shown_.Contains(click.query_id, click.position, click.doc_id);
  auto insert = shown_here ? db_->Prepare(
                                 "INSERT INTO clicks(event_id, query_id, doc_id, position, "
                                 "clicked_ms, dwell_ms, received_ms) VALUES (?1, ?2, ?3, ?4, ?5, "
                                 "?6, ?7) ON CONFLICT(event_id) DO NOTHING")
                           : db_->Prepare(
                                 "INSERT INTO clicks(event_id, query_id, doc_id, position, "
                                 "clicked_ms, dwell_ms, received_ms) SELECT ?1, ?2, ?3, ?4, ?5, "
                                 "?6, ?7 WHERE EXISTS (SELECT 1 FROM impression_results WHERE "
                                 "query_id = ?2 AND position = ?4 AND doc_id = ?3) "
                                 "ON CONFLICT(event_id) DO NOTHING");
  if (!insert) return insert.error();
  // `click` outlives the statement's run.
  insert->BindUncopied(1, click.event_id)
      .BindUncopied(2, click.query_id)
      .BindUncopied(3, click.doc_id)
      .Bind(4, std::int64_t{click.position})
      .Bind(5, click.clicked_ms)
      .Bind(7, received_ms);
  if (click.dwell_ms) {
    insert->Bind(6, *click.dwell_ms);
  } else {
    insert->BindNull(6);
  }
  Status inserted = insert->Run();
  // Only the foreign key can fail the insert: the impression is gone.
  if (inserted.code() == Status::Code::kInvalidArgument && shown_here) {
    return ClassifyUninsertedLocked(click);
  }
  FOLDRANK_RETURN_IF_ERROR(inserted);
  if (db_->changes() == 1) return ClickOutcome::kAccepted;
  if (shown_here) return ClickOutcome::kDuplicate;  // The event id is stored already.
  return ClassifyUninsertedLocked(click);
}

Result<ClickOutcome> SqliteLedger::ClassifyUninsertedLocked(const Click& click) {
  auto shown = db_->Prepare(
      "SELECT position FROM impression_results WHERE query_id = ?1 "
      "AND doc_id = ?2");
  if (!shown) return shown.error();
  shown->Bind(1, click.query_id).Bind(2, click.doc_id);
  auto row = shown->Step();
  if (!row) return row.error();
  if (*row) {
    const std::int64_t doc_position = shown->Int(0);
    shown->Reset();
    // A valid click that inserted nothing has an event id already stored.
    if (doc_position == click.position) return ClickOutcome::kDuplicate;
    return Status::InvalidArgument("document '" + click.doc_id + "' was shown at position " +
                                   std::to_string(doc_position) + ", not " +
                                   std::to_string(click.position));
  }
  shown->Reset();
  auto exists = db_->Prepare("SELECT 1 FROM impressions WHERE query_id = ?1");
  if (!exists) return exists.error();
  exists->Bind(1, click.query_id);
  auto known = exists->Step();
  if (!known) return known.error();
  exists->Reset();
  if (!*known) return Status::NotFound("unknown query id '" + click.query_id + "'");
  return Status::InvalidArgument("document '" + click.doc_id + "' was not shown for query id '" +
                                 click.query_id + "'");
}

Result<SettledImpression> SqliteLedger::LoadImpression(const std::string& query_id, bool folded,
                                                       std::string_view clicks_sql,
                                                       std::int64_t version, bool with_features) {
  SettledImpression settled;
  settled.first_fold = !folded;
  Impression& impression = settled.impression;
  auto head = db_->Prepare(
      "SELECT created_ms, query, user_hash, model_version, temperature, swapped_with, "
      "experiment FROM impressions WHERE query_id = ?1");
  if (!head) return head.error();
  head->Bind(1, query_id);
  auto found = head->Step();
  if (!found) return found.error();
  if (!*found) return Status::NotFound("impression '" + query_id + "' vanished");
  impression.query_id = query_id;
  ReadImpressionHead(*head, 0, impression);

  auto results = db_->Prepare(
      with_features ? "SELECT position, doc_id, score, probability, features, team FROM "
                      "impression_results WHERE query_id = ?1 ORDER BY position"
                    : "SELECT position, doc_id, score, probability, NULL, team FROM "
                      "impression_results WHERE query_id = ?1 ORDER BY position");
  if (!results) return results.error();
  results->Bind(1, query_id);
  while (true) {
    auto row = results->Step();
    if (!row) return row.error();
    if (!*row) break;
    impression.results.push_back(ReadShownResult(*results, 0));
  }
  auto clicks = db_->Prepare(clicks_sql);
  if (!clicks) return clicks.error();
  clicks->Bind(1, query_id);
  if (version != 0) clicks->Bind(2, version);
  while (true) {
    auto row = clicks->Step();
    if (!row) return row.error();
    if (!*row) break;
    settled.clicks.push_back(ReadPendingClick(*clicks, 0));
  }
  return settled;
}

Status SqliteLedger::LoadPoolLocked(Impression& impression) {
  auto pool = db_->Prepare(
      "SELECT sample_depth, doc_ids, scores, features FROM impression_pools WHERE query_id = ?1");
  if (!pool) return pool.error();
  pool->Bind(1, impression.query_id);
  auto found = pool->Step();
  if (!found) return found.error();
  if (!*found) return Status::Ok();
  const nlohmann::json doc_ids = nlohmann::json::parse(pool->Text(1), nullptr, false);
  const std::vector<float> scores = FromBytes(pool->Blob(2));
  const std::vector<float> features = FromBytes(pool->Blob(3));
  // A row that does not read (written by hand, or damaged) leaves the impression
  // without a pool: the evaluator then treats it as it treats older impressions.
  if (!doc_ids.is_array() || doc_ids.size() != scores.size() ||
      features.size() != scores.size() * kFeatureCount || pool->Int(0) < 1) {
    return Status::Ok();
  }
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (!doc_ids[i].is_string()) {
      impression.unshown.clear();
      return Status::Ok();
    }
    const auto row = features.begin() + static_cast<std::ptrdiff_t>(i * kFeatureCount);
    impression.unshown.push_back(
        {doc_ids[i].get<std::string>(), scores[i], std::vector<float>(row, row + kFeatureCount)});
  }
  impression.sample_depth = static_cast<std::uint32_t>(pool->Int(0));
  return Status::Ok();
}

Result<std::vector<std::pair<std::string, bool>>> SqliteLedger::SettledIdsLocked(
    std::int64_t now_ms, std::int64_t settle_ms, std::size_t limit) {
  // (created_ms, rowid, query_id, folded) of both kinds, merged oldest first; ties in
  // creation order (rowid), so folds are reproducible for the same traffic.
  std::vector<std::tuple<std::int64_t, std::int64_t, std::string, bool>> found;
  for (const char* sql : {kSettledNew, kSettledLate}) {
    auto select = db_->Prepare(sql);
    if (!select) return select.error();
    select->Bind(1, now_ms - settle_ms).Bind(2, static_cast<std::int64_t>(limit));
    while (true) {
      auto row = select->Step();
      if (!row) return row.error();
      if (!*row) break;
      found.emplace_back(select->Int(1), select->Int(2), select->Text(0), sql == kSettledLate);
    }
  }
  std::sort(found.begin(), found.end());
  if (found.size() > limit) found.resize(limit);
  std::vector<std::pair<std::string, bool>> ids;
  ids.reserve(found.size());
  for (auto& [created_ms, rowid, query_id, folded] : found) {
    ids.emplace_back(std::move(query_id), folded);
  }
  return ids;
}

Result<std::vector<SettledImpression>> SqliteLedger::Settled(std::int64_t now_ms,
                                                             std::int64_t settle_ms,
                                                             std::size_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  return InReadTransaction(*db_, [&]() -> Result<std::vector<SettledImpression>> {
    auto ids = SettledIdsLocked(now_ms, settle_ms, limit);
    if (!ids) return ids.error();
    return LoadPendingLocked(*ids);
  });
}

Result<std::vector<SettledImpression>> SqliteLedger::LoadPendingLocked(
    const std::vector<std::pair<std::string, bool>>& ids) {
  std::vector<SettledImpression> batch(ids.size());
  std::vector<std::string> query_ids;
  query_ids.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    batch[i].first_fold = !ids[i].second;
    batch[i].impression.query_id = ids[i].first;
    query_ids.push_back(ids[i].first);
  }
  if (batch.empty()) return batch;
  const std::string json = JsonStringArray(query_ids);
  // Each statement walks the ids (json_each's key is the index in `batch`) and looks
  // rows up by them: CROSS JOIN keeps json_each outermost.
  auto select = [&](const char* sql,
                    const std::function<void(std::size_t, Statement&)>& read) -> Status {
    auto rows = db_->Prepare(sql);
    if (!rows) return rows.error();
    rows->Bind(1, json);
    while (true) {
      auto row = rows->Step();
      if (!row) return row.error();
      if (!*row) return Status::Ok();
      const std::int64_t index = rows->Int(0);
      if (index < 0 || static_cast<std::size_t>(index) >= batch.size()) {
        return Status::Internal("json_each returned key " + std::to_string(index));
      }
      read(static_cast<std::size_t>(index), *rows);
    }
  };
  std::vector<bool> found(batch.size());
  FOLDRANK_RETURN_IF_ERROR(
      select("SELECT j.key, i.created_ms, i.query, i.user_hash, i.model_version, i.temperature, "
             "i.swapped_with, i.experiment FROM json_each(?1) j "
             "CROSS JOIN impressions i ON i.query_id = j.value",
             [&](std::size_t index, Statement& head) {
               found[index] = true;
               ReadImpressionHead(head, 1, batch[index].impression);
             }));
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!found[i]) return Status::NotFound("impression '" + ids[i].first + "' vanished");
  }
  FOLDRANK_RETURN_IF_ERROR(
      select("SELECT j.key, r.position, r.doc_id, r.score, r.probability, r.features, r.team "
             "FROM json_each(?1) j CROSS JOIN impression_results r ON r.query_id = j.value",
             [&](std::size_t index, Statement& result) {
               batch[index].impression.results.push_back(ReadShownResult(result, 1));
             }));
  FOLDRANK_RETURN_IF_ERROR(
      select("SELECT j.key, c.seq, c.doc_id, c.position, c.clicked_ms, c.received_ms "
             "FROM json_each(?1) j CROSS JOIN clicks c ON c.query_id = j.value "
             "AND c.folded_by IS NULL",
             [&](std::size_t index, Statement& click) {
               batch[index].clicks.push_back(ReadPendingClick(click, 1));
             }));
  // In the order LoadImpression gives: results by position, clicks as they came. The
  // indexes walked give it already; sorting guards against another plan.
  for (SettledImpression& settled : batch) {
    auto& results = settled.impression.results;
    std::sort(results.begin(), results.end(),
              [](const auto& a, const auto& b) { return a.position < b.position; });
    std::sort(settled.clicks.begin(), settled.clicks.end(),
              [](const auto& a, const auto& b) { return a.seq < b.seq; });
  }
  return batch;
}

Status SqliteLedger::CommitFold(FoldCommit& fold) {
  std::lock_guard<std::mutex> lock(mu_);
  // Without a sync of its own (see the interface): the disk flush was about half of
  // a fold's time, and the clicks it marks were made durable when acknowledged.
  LoggedCounts logged;
  Status committed = WithoutOwnSync(*db_, [&] { return CommitFoldLocked(fold, logged); });
  // The sums of the log follow what was committed, and only that.
  if (committed.ok() && !fold.counts.empty()) {
    if (logged.merged) {
      pending_counts_ = PendingCountSums{.rows = 0, .last_seq = 0, .index = {}, .sums = {}};
    } else {
      pending_counts_.Add(fold.counts);
      pending_counts_.rows = logged.rows;
      pending_counts_.last_seq = logged.seq;
    }
  }
  return committed;
}

void SqliteLedger::PendingCountSums::Add(std::span<const FoldCommit::CountDelta> deltas) {
  for (const FoldCommit::CountDelta& delta : deltas) {
    auto [slot, added] = index.try_emplace(ClickCountKey(delta.query, delta.doc_id), sums.size());
    if (added) {
      sums.push_back(delta);
    } else {
      sums[slot->second].delta.clicks += delta.delta.clicks;
      sums[slot->second].delta.expected += delta.delta.expected;
    }
  }
}

Status SqliteLedger::InsertActiveLocked(Model& model, const std::string& metrics) {
  // The model was computed from the active one; if another folder (or an activation)
  // moved it, the computation is stale: abort and let the caller recompute.
  auto active = db_->Prepare("SELECT value FROM settings WHERE key = 'active_version'");
  if (!active) return active.error();
  auto row = active->Step();
  if (!row) return row.error();
  // Before the first fold the ledger holds no version: the cold-start or imported
  // model in force is the parent, whatever its number.
  const bool has_active = *row;
  const std::uint64_t active_version = has_active ? std::stoull(active->Text(0)) : 0;
  if (has_active && active_version != model.parent()) {
    return Status::Unavailable("the active model changed meanwhile (now v" +
                               std::to_string(active_version) + ")");
  }
  auto last = db_->Prepare("SELECT COALESCE(MAX(version), 1) FROM models");
  if (!last) return last.error();
  auto last_row = last->Step();
  if (!last_row) return last_row.error();
  model = model.Renumbered(
      std::max<std::uint64_t>(static_cast<std::uint64_t>(last->Int(0)), model.parent()) + 1,
      model.parent());
  auto insert = db_->Prepare(
      "INSERT INTO models(version, parent, created_ms, metrics, json) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!insert) return insert.error();
  insert->Bind(1, static_cast<std::int64_t>(model.version()))
      .Bind(2, static_cast<std::int64_t>(model.parent()))
      .Bind(3, model.created_at() * 1000)
      .Bind(4, metrics)
      .Bind(5, model.ToJson());
  FOLDRANK_RETURN_IF_ERROR(insert->Run());
  return db_->Exec("INSERT INTO settings(key, value) VALUES ('active_version', '" +
                   std::to_string(model.version()) +
                   "') ON CONFLICT(key) DO UPDATE SET value = excluded.value");
}

Status SqliteLedger::CommitFoldLocked(FoldCommit& fold, LoggedCounts& logged) {
  return InTransaction(*db_, [&]() -> Status {
    if (fold.model) {
      FOLDRANK_RETURN_IF_ERROR(InsertActiveLocked(
          *fold.model,
          "{\"learner_updates\": " + std::to_string(fold.learner_updates) +
              ", \"clicks\": " + std::to_string(fold.folded_clicks.size()) + ", \"impressions\": " +
              std::to_string(fold.settled_impressions.size() + fold.late_impressions.size()) +
              "}"));
    }
    const std::int64_t folded_by =
        fold.model ? static_cast<std::int64_t>(fold.model->version()) : 0;
    // Marks and settles, one statement each over a JSON list; a row another folder
    // marked first does not change, and then the whole fold is stale.
    if (!fold.folded_clicks.empty()) {
      auto mark = db_->Prepare(
          "UPDATE clicks SET folded_by = ?1 WHERE seq IN (SELECT value FROM json_each(?2)) "
          "AND folded_by IS NULL");
      if (!mark) return mark.error();
      mark->Bind(1, folded_by).Bind(2, JsonIntegerArray(fold.folded_clicks));
      FOLDRANK_RETURN_IF_ERROR(mark->Run());
      if (db_->changes() != static_cast<std::int64_t>(fold.folded_clicks.size())) {
        return Status::Unavailable("a click of this fold was folded by another folder");
      }
    }
    if (!fold.settled_impressions.empty()) {
      auto settle = db_->Prepare(
          "UPDATE impressions SET folded = 1 WHERE query_id IN (SELECT value FROM "
          "json_each(?1)) AND folded = 0");
      if (!settle) return settle.error();
      settle->Bind(1, JsonStringArray(fold.settled_impressions));
      FOLDRANK_RETURN_IF_ERROR(settle->Run());
      if (db_->changes() != static_cast<std::int64_t>(fold.settled_impressions.size())) {
        return Status::Unavailable("an impression of this fold was folded by another folder");
      }
    }
    // Late clicks: among the clicks stored since the last scan, those still unfolded
    // whose impression is folded (by now, or before: a site's own insert, or a click
    // that arrived after its impression was loaded for this fold).
    FOLDRANK_RETURN_IF_ERROR(db_->Exec(kRecordLate));
    auto caught_up = db_->Prepare(
        "DELETE FROM late_impressions WHERE query_id = ?1 AND NOT EXISTS "
        "(SELECT 1 FROM clicks WHERE query_id = ?1 AND folded_by IS NULL)");
    if (!caught_up) return caught_up.error();
    for (const std::string& query_id : fold.late_impressions) {
      caught_up->Reset();
      caught_up->Bind(1, query_id);
      FOLDRANK_RETURN_IF_ERROR(caught_up->Run());
    }
    // The log's rows, newest row and position (as CountLogPositionLocked).
    auto state = db_->Prepare(std::string("SELECT COUNT(*), COALESCE(MAX(seq), 0), ") +
                              kCountsMergedThrough + " FROM click_count_deltas");
    if (!state) return state.error();
    auto row = state->Step();
    if (!row) return row.error();
    const std::int64_t rows = state->Int(0), last_seq = state->Int(1);
    fold.counts_seq_before = fold.counts_seq = std::max(last_seq, state->Int(2));
    state->Reset();
    if (fold.counts.empty()) return Status::Ok();
    // The count deltas: logged, or with the log's sums merged into click_counts.
    // Either way the fold takes the log's next number (AUTOINCREMENT: never reused).
    auto log = db_->Prepare("INSERT INTO click_count_deltas(deltas) VALUES (?1) RETURNING seq");
    if (!log) return log.error();
    if (rows != pending_counts_.rows || last_seq != pending_counts_.last_seq) {
      // First fold since opening, or another process folded: sum the log again.
      auto pending = PendingCountDeltasLocked();
      if (!pending) return pending.error();
      pending_counts_ =
          PendingCountSums{.rows = rows, .last_seq = last_seq, .index = {}, .sums = {}};
      pending_counts_.Add(*pending);
    }
    if (rows + 1 >= kMergeDeltasAfter) {
      PendingCountSums merged = pending_counts_;  // The sums change once committed.
      merged.Add(fold.counts);
      FOLDRANK_RETURN_IF_ERROR(UpsertCountsLocked(merged.sums));
      logged.merged = true;
      log->Bind(1, std::string_view("[]"));  // Only to number the fold.
      auto numbered = log->Step();
      if (!numbered) return numbered.error();
      fold.counts_seq = log->Int(0);
      log->Reset();
      FOLDRANK_RETURN_IF_ERROR(
          PutSettingLocked("counts_merged_through", std::to_string(fold.counts_seq)));
      // Debian's SQLite zeroes deleted content (SECURE_DELETE), which was a third of
      // a merge's time for the log's megabytes of JSON; what the log held is now in
      // click_counts, so zeroing it hides nothing. Prunes still zero what they delete.
      FOLDRANK_RETURN_IF_ERROR(db_->Exec("PRAGMA secure_delete = FAST"));
      Status deleted = db_->Exec("DELETE FROM click_count_deltas");
      Status restored = db_->Exec("PRAGMA secure_delete = " + std::to_string(secure_delete_));
      return deleted.ok() ? restored : deleted;
    }
    log->Bind(1, WriteCountDeltasJson(fold.counts));
    auto inserted = log->Step();
    if (!inserted) return inserted.error();
    logged.seq = fold.counts_seq = log->Int(0);
    logged.rows = rows + 1;
    log->Reset();
    return Status::Ok();
  });
}

Result<std::vector<FoldCommit::CountDelta>> SqliteLedger::PendingCountDeltasLocked() {
  auto logged = db_->Prepare("SELECT deltas FROM click_count_deltas ORDER BY seq");
  if (!logged) return logged.error();
  std::vector<FoldCommit::CountDelta> deltas;
  while (true) {
    auto row = logged->Step();
    if (!row) return row.error();
    if (!*row) return deltas;
    FOLDRANK_RETURN_IF_ERROR(ReadCountDeltasJson(logged->Text(0), deltas));
  }
}

Status SqliteLedger::UpsertCountsLocked(std::vector<FoldCommit::CountDelta>& counts) {
  // Up to kChunk rows per statement: per-statement overhead dominated.
  constexpr std::size_t kChunk = 64;
  auto upsert_sql = [](std::size_t rows) {
    std::string sql = "INSERT INTO click_counts(query, doc_id, clicks, expected) VALUES ";
    for (std::size_t r = 0; r < rows; ++r) sql += r == 0 ? "(?,?,?,?)" : ",(?,?,?,?)";
    return sql +
           " ON CONFLICT(query, doc_id) DO UPDATE SET clicks = clicks + excluded.clicks, "
           "expected = expected + excluded.expected";
  };
  // In key order: neighbouring upserts then land on the same B-tree pages.
  std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
    return std::tie(a.query, a.doc_id) < std::tie(b.query, b.doc_id);
  });
  for (std::size_t first = 0; first < counts.size(); first += kChunk) {
    const std::size_t rows = std::min(kChunk, counts.size() - first);
    auto count = db_->Prepare(upsert_sql(rows));
    if (!count) return count.error();
    for (std::size_t r = 0; r < rows; ++r) {
      const FoldCommit::CountDelta& delta = counts[first + r];
      const int at = static_cast<int>(4 * r);
      count->Bind(at + 1, delta.query)
          .Bind(at + 2, delta.doc_id)
          .Bind(at + 3, delta.delta.clicks)
          .Bind(at + 4, delta.delta.expected);
    }
    FOLDRANK_RETURN_IF_ERROR(count->Run());
  }
  return Status::Ok();
}

Result<Ledger::Active> SqliteLedger::ActiveModel() {
  std::lock_guard<std::mutex> lock(mu_);
  auto active = db_->Prepare(
      "SELECT m.json, json_extract(m.metrics, '$.learner_updates') FROM models m "
      "JOIN settings s ON s.key = 'active_version' AND m.version = CAST(s.value AS INTEGER)");
  if (!active) return active.error();
  auto row = active->Step();
  if (!row) return row.error();
  Active result;
  if (!*row) return result;
  auto model = Model::FromJson(active->Text(0));
  if (!model) {
    return Status::Corruption("active model in the ledger: " +
                              std::string(model.error().message()));
  }
  result.model = std::move(*model);
  result.learner_updates = static_cast<std::uint64_t>(active->Int(1));
  return result;
}

Result<ClickCounts> SqliteLedger::Counts(const std::string& query, const std::string& doc_id) {
  std::lock_guard<std::mutex> lock(mu_);
  // The document level is the sum over the document's queries.
  auto counts = db_->Prepare(
      query.empty()
          ? "SELECT COALESCE(SUM(clicks), 0), COALESCE(SUM(expected), 0) "
            "FROM click_counts_now WHERE doc_id = ?2 AND ?1 = ''"
          : "SELECT clicks, expected FROM click_counts_now WHERE query = ?1 AND doc_id = ?2");
  if (!counts) return counts.error();
  counts->Bind(1, query).Bind(2, doc_id);
  auto row = counts->Step();
  if (!row) return row.error();
  if (!*row) return ClickCounts{};
  return ClickCounts{counts->Real(0), counts->Real(1)};
}

Result<std::int64_t> SqliteLedger::CountLogPositionLocked() {
  auto position = db_->Prepare(
      std::string("SELECT MAX(COALESCE((SELECT MAX(seq) FROM click_count_deltas), 0), ") +
      kCountsMergedThrough + ")");
  if (!position) return position.error();
  auto row = position->Step();
  if (!row) return row.error();
  return position->Int(0);
}

Result<std::optional<CountLogTail>> SqliteLedger::CountDeltasAfter(std::int64_t seq) {
  std::lock_guard<std::mutex> lock(mu_);
  return InReadTransaction(*db_, [&]() -> Result<std::optional<CountLogTail>> {
    // Merged past `seq`: by a fold that recorded it, or (its row gone, no mark
    // covering it) by a foldrank from before the mark existed.
    auto merged = db_->Prepare(std::string("SELECT ") + kCountsMergedThrough +
                               ", EXISTS (SELECT 1 FROM click_count_deltas WHERE seq = ?1)");
    if (!merged) return merged.error();
    merged->Bind(1, seq);
    auto row = merged->Step();
    if (!row) return row.error();
    const std::int64_t merged_through = merged->Int(0);
    const bool row_kept = merged->Int(1) != 0;
    merged->Reset();
    if (merged_through > seq || (seq > merged_through && !row_kept)) {
      return std::optional<CountLogTail>();
    }
    auto rows =
        db_->Prepare("SELECT seq, deltas FROM click_count_deltas WHERE seq > ?1 ORDER BY seq");
    if (!rows) return rows.error();
    rows->Bind(1, seq);
    CountLogTail tail{.deltas = {}, .seq = seq};
    while (true) {
      auto stepped = rows->Step();
      if (!stepped) return stepped.error();
      if (!*stepped) break;
      tail.seq = rows->Int(0);
      FOLDRANK_RETURN_IF_ERROR(ReadCountDeltasJson(rows->Text(1), tail.deltas));
    }
    return std::optional<CountLogTail>(std::move(tail));
  });
}

Result<std::int64_t> SqliteLedger::ForEachCount(
    const std::function<void(const FoldCommit::CountDelta&)>& visit) {
  std::lock_guard<std::mutex> lock(mu_);
  // One snapshot: another process's merge moves deltas between the two tables.
  return InReadTransaction(*db_, [&]() -> Result<std::int64_t> {
    auto rows = db_->Prepare("SELECT query, doc_id, clicks, expected FROM click_counts");
    if (!rows) return rows.error();
    FoldCommit::CountDelta row;
    while (true) {
      auto stepped = rows->Step();
      if (!stepped) return stepped.error();
      if (!*stepped) break;
      row.query = rows->Text(0);
      row.doc_id = rows->Text(1);
      row.delta = {rows->Real(2), rows->Real(3)};
      visit(row);
    }
    auto pending = PendingCountDeltasLocked();
    if (!pending) return pending.error();
    for (const FoldCommit::CountDelta& delta : *pending) visit(delta);
    return CountLogPositionLocked();
  });
}

Result<Model> SqliteLedger::StoreModel(const Model& model, std::uint64_t parent) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<Model> stored = Status::Internal("not stored");
  Status status = InTransaction(*db_, [&]() -> Status {
    auto last = db_->Prepare("SELECT COALESCE(MAX(version), 1) FROM models");
    if (!last) return last.error();
    auto row = last->Step();
    if (!row) return row.error();
    const std::uint64_t version =
        std::max<std::uint64_t>(static_cast<std::uint64_t>(last->Int(0)), parent) + 1;
    Model numbered = model.Renumbered(version, parent);
    auto insert = db_->Prepare(
        "INSERT INTO models(version, parent, created_ms, json) VALUES (?1, ?2, ?3, ?4)");
    if (!insert) return insert.error();
    insert->Bind(1, static_cast<std::int64_t>(version))
        .Bind(2, static_cast<std::int64_t>(parent))
        .Bind(3, numbered.created_at() * 1000)
        .Bind(4, numbered.ToJson());
    FOLDRANK_RETURN_IF_ERROR(insert->Run());
    stored = std::move(numbered);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return stored;
}

Result<Model> SqliteLedger::StoreAndActivate(const Model& model, std::uint64_t parent,
                                             const std::string& metrics) {
  std::lock_guard<std::mutex> lock(mu_);
  Model numbered = model.Renumbered(model.version(), parent);
  Status status = InTransaction(*db_, [&] { return InsertActiveLocked(numbered, metrics); });
  if (!status.ok()) return status;
  return numbered;
}

Status SqliteLedger::AnnotateModel(std::uint64_t version, const std::string& state,
                                   const std::string& metrics_patch, const std::string& decision) {
  std::lock_guard<std::mutex> lock(mu_);
  return InTransaction(*db_, [&]() -> Status {
    auto update = db_->Prepare(
        "UPDATE models SET state = CASE WHEN ?2 = '' THEN state ELSE ?2 END, "
        "metrics = json_patch(metrics, ?3) WHERE version = ?1");
    if (!update) return update.error();
    update->Bind(1, static_cast<std::int64_t>(version))
        .Bind(2, state)
        .Bind(3, metrics_patch.empty() ? std::string("{}") : metrics_patch);
    FOLDRANK_RETURN_IF_ERROR(update->Run());
    if (db_->changes() != 1)
      return Status::NotFound("no stored model version " + std::to_string(version));
    if (decision.empty()) return Status::Ok();
    auto append = db_->Prepare(
        "UPDATE models SET metrics = json_set(metrics, '$.decisions', json_insert("
        "COALESCE(json_extract(metrics, '$.decisions'), '[]'), '$[#]', json(?2))) "
        "WHERE version = ?1");
    if (!append) return append.error();
    append->Bind(1, static_cast<std::int64_t>(version)).Bind(2, decision);
    return append->Run();
  });
}

Status SqliteLedger::Activate(std::uint64_t version) {
  std::lock_guard<std::mutex> lock(mu_);
  return InTransaction(*db_, [&]() -> Status {
    if (version != 1) {
      auto exists = db_->Prepare("SELECT 1 FROM models WHERE version = ?1");
      if (!exists) return exists.error();
      exists->Bind(1, static_cast<std::int64_t>(version));
      auto row = exists->Step();
      if (!row) return row.error();
      if (!*row) return Status::NotFound("no model version " + std::to_string(version));
    }
    return db_->Exec("INSERT INTO settings(key, value) VALUES ('active_version', '" +
                     std::to_string(version) +
                     "') ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  });
}

Result<Model> SqliteLedger::LoadModel(std::uint64_t version) {
  if (version == 1) return Model::ColdStart();
  std::lock_guard<std::mutex> lock(mu_);
  auto select = db_->Prepare("SELECT json FROM models WHERE version = ?1");
  if (!select) return select.error();
  select->Bind(1, static_cast<std::int64_t>(version));
  auto row = select->Step();
  if (!row) return row.error();
  if (!*row) return Status::NotFound("no model version " + std::to_string(version));
  auto model = Model::FromJson(select->Text(0));
  if (!model) {
    return Status::Corruption("model v" + std::to_string(version) +
                              " in the ledger: " + std::string(model.error().message()));
  }
  return model;
}

Result<std::vector<std::uint64_t>> SqliteLedger::ModelVersions() {
  std::lock_guard<std::mutex> lock(mu_);
  auto select = db_->Prepare("SELECT version FROM models ORDER BY version");
  if (!select) return select.error();
  std::vector<std::uint64_t> versions;
  while (true) {
    auto row = select->Step();
    if (!row) return row.error();
    if (!*row) return versions;
    versions.push_back(static_cast<std::uint64_t>(select->Int(0)));
  }
}

Result<std::vector<ModelRecord>> SqliteLedger::ModelHistory(std::size_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  auto select = db_->Prepare(
      "SELECT version, parent, created_ms, state, metrics FROM models "
      "ORDER BY version DESC LIMIT ?1");
  if (!select) return select.error();
  select->Bind(1, static_cast<std::int64_t>(limit));
  std::vector<ModelRecord> records;
  while (true) {
    auto row = select->Step();
    if (!row) return row.error();
    if (!*row) return records;
    records.push_back({static_cast<std::uint64_t>(select->Int(0)),
                       static_cast<std::uint64_t>(select->Int(1)), select->Int(2), select->Text(3),
                       select->Text(4)});
  }
}

Result<LedgerStats> SqliteLedger::Stats() {
  std::lock_guard<std::mutex> lock(mu_);
  auto select = db_->Prepare(
      "SELECT (SELECT COUNT(*) FROM impressions), "
      "(SELECT COUNT(*) FROM impressions WHERE folded = 0), (SELECT COUNT(*) FROM clicks), "
      "(SELECT COUNT(*) FROM clicks WHERE folded_by IS NULL), (SELECT COUNT(*) FROM models)");
  if (!select) return select.error();
  auto row = select->Step();
  if (!row) return row.error();
  auto count = [&](int column) { return static_cast<std::uint64_t>(select->Int(column)); };
  return LedgerStats{count(0), count(1), count(2), count(3), count(4)};
}

Result<std::vector<TimelineBucket>> SqliteLedger::Timeline(std::int64_t since_ms,
                                                           std::int64_t bucket_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::int64_t, TimelineBucket> buckets;
  auto bucket = [&](std::int64_t ms) -> TimelineBucket& {
    const std::int64_t start = since_ms + (ms - since_ms) / bucket_ms * bucket_ms;
    TimelineBucket& b = buckets[start];
    b.start_ms = start;
    return b;
  };
  // (?1 since, ?2 bucket): impressions and their clicks, by impression time.
  auto shown = db_->Prepare(
      "SELECT i.created_ms, (SELECT COUNT(*) FROM impression_results r "
      "WHERE r.query_id = i.query_id) >= 3, "
      "(SELECT COUNT(*) FROM clicks c WHERE c.query_id = i.query_id), "
      "(SELECT COUNT(*) FROM clicks c WHERE c.query_id = i.query_id AND c.position < 3) "
      "FROM impressions i WHERE i.created_ms >= ?1");
  if (!shown) return shown.error();
  shown->Bind(1, since_ms);
  while (true) {
    auto row = shown->Step();
    if (!row) return row.error();
    if (!*row) break;
    TimelineBucket& b = bucket(shown->Int(0));
    ++b.impressions;
    b.top3_impressions += shown->Int(1) != 0;
    b.clicks += static_cast<std::uint64_t>(shown->Int(2));
    b.top3_clicks += static_cast<std::uint64_t>(shown->Int(3));
  }
  auto models = db_->Prepare(
      "SELECT created_ms, version, COALESCE(json_extract(metrics, '$.clicks'), 0) "
      "FROM models WHERE created_ms >= ?1");
  if (!models) return models.error();
  models->Bind(1, since_ms);
  while (true) {
    auto row = models->Step();
    if (!row) return row.error();
    if (!*row) break;
    TimelineBucket& b = bucket(models->Int(0));
    ++b.models;
    b.last_version = std::max(b.last_version, static_cast<std::uint64_t>(models->Int(1)));
    b.folded_clicks += static_cast<std::uint64_t>(models->Int(2));
  }
  std::vector<TimelineBucket> timeline;
  for (auto& [start, b] : buckets) timeline.push_back(b);
  return timeline;
}

Result<bool> SqliteLedger::AcquireLease(const std::string& name, const std::string& holder,
                                        std::int64_t now_ms, std::int64_t duration_ms,
                                        std::string* current) {
  std::lock_guard<std::mutex> lock(mu_);
  bool acquired = false;
  Status status = InTransaction(*db_, [&]() -> Status {
    auto select = db_->Prepare("SELECT holder, expires_ms FROM leases WHERE name = ?1");
    if (!select) return select.error();
    select->Bind(1, name);
    auto row = select->Step();
    if (!row) return row.error();
    if (*row && select->Text(0) != holder && select->Int(1) > now_ms) {
      if (current != nullptr) *current = select->Text(0);
      return Status::Ok();
    }
    auto upsert = db_->Prepare(
        "INSERT INTO leases(name, holder, expires_ms) VALUES (?1, ?2, ?3) ON CONFLICT(name) "
        "DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms");
    if (!upsert) return upsert.error();
    upsert->Bind(1, name).Bind(2, holder).Bind(3, now_ms + duration_ms);
    FOLDRANK_RETURN_IF_ERROR(upsert->Run());
    acquired = true;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return acquired;
}

Status SqliteLedger::ReleaseLease(const std::string& name, const std::string& holder) {
  std::lock_guard<std::mutex> lock(mu_);
  auto release = db_->Prepare("DELETE FROM leases WHERE name = ?1 AND holder = ?2");
  if (!release) return release.error();
  release->Bind(1, name).Bind(2, holder);
  return release->Run();
}

Status SqliteLedger::CountEarlierByUser(std::span<SettledImpression> batch,
                                        std::int64_t window_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  // The user's impressions in the window that were logged before this one. Logging
  // order (rowid), not creation time: concurrent searches are logged a little out of
  // creation order, and one created earlier but logged after this fold would count
  // at replay and not here. Every row logged before this impression is committed by
  // now, so the fold and its replay count the same rows. The query comparison is on
  // normalized text, so it happens here. "user_hash <> ''" lets SQLite use the
  // partial index impressions_by_user. The range's upper end only bounds the index
  // scan: rows logged before this one are created at most milliseconds after it.
  auto earlier = db_->Prepare(
      "SELECT query FROM impressions WHERE user_hash = ?1 AND user_hash <> '' "
      "AND created_ms >= ?2 AND created_ms <= ?3 "
      "AND rowid < (SELECT rowid FROM impressions WHERE query_id = ?4)");
  if (!earlier) return earlier.error();
  for (SettledImpression& settled : batch) {
    const Impression& impression = settled.impression;
    settled.earlier_by_user = 0;
    if (settled.clicks.empty() || impression.user_hash.empty()) continue;
    const std::string query = NormalizeQuery(impression.query);
    earlier->Reset();
    earlier->Bind(1, impression.user_hash)
        .Bind(2, impression.created_ms - window_ms)
        .Bind(3, impression.created_ms + window_ms)
        .Bind(4, impression.query_id);
    while (true) {
      auto row = earlier->Step();
      if (!row) return row.error();
      if (!*row) break;
      settled.earlier_by_user += NormalizeQuery(earlier->Text(0)) == query;
    }
  }
  return Status::Ok();
}

Result<std::vector<SettledImpression>> SqliteLedger::LoadFoldedLocked(std::string_view ids_sql,
                                                                      std::string_view clicks_sql,
                                                                      std::int64_t version) {
  auto select = db_->Prepare(ids_sql);
  if (!select) return select.error();
  if (version != 0) select->Bind(1, version);
  std::vector<std::string> ids;
  while (true) {
    auto row = select->Step();
    if (!row) return row.error();
    if (!*row) break;
    ids.push_back(select->Text(0));
  }
  std::vector<SettledImpression> folded;
  folded.reserve(ids.size());
  for (const std::string& query_id : ids) {
    auto impression = LoadImpression(query_id, true, clicks_sql, version);
    if (!impression) return impression.error();
    folded.push_back(std::move(*impression));
  }
  return folded;
}

Result<std::vector<SettledImpression>> SqliteLedger::FoldedBy(std::uint64_t version) {
  std::lock_guard<std::mutex> lock(mu_);
  // The order Settled() handed them to the folder: by creation time, then order.
  return LoadFoldedLocked(
      "SELECT DISTINCT i.query_id, i.created_ms, i.rowid FROM impressions i JOIN clicks c "
      "ON c.query_id = i.query_id WHERE c.folded_by = ?1 ORDER BY i.created_ms, i.rowid",
      kClicksFoldedBy, static_cast<std::int64_t>(version));
}

Result<std::vector<SettledImpression>> SqliteLedger::ClickLog() {
  std::lock_guard<std::mutex> lock(mu_);
  return LoadFoldedLocked(
      "SELECT i.query_id FROM impressions i WHERE EXISTS (SELECT 1 FROM clicks c "
      "WHERE c.query_id = i.query_id AND c.folded_by IS NOT NULL) ORDER BY i.created_ms, i.rowid",
      kFoldedClicks, 0);
}

Status SqliteLedger::VisitRecent(std::int64_t since_ms, std::size_t limit, bool with_features,
                                 const ImpressionVisitor& visit) {
  std::vector<std::pair<std::string, bool>> ids;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto select = db_->Prepare(
        "SELECT query_id, folded FROM (SELECT query_id, folded, created_ms, rowid FROM "
        "impressions WHERE created_ms >= ?1 ORDER BY created_ms DESC, rowid DESC LIMIT ?2) "
        "ORDER BY created_ms, rowid");
    if (!select) return select.error();
    select->Bind(1, since_ms).Bind(2, static_cast<std::int64_t>(limit));
    while (true) {
      auto row = select->Step();
      if (!row) return row.error();
      if (!*row) break;
      ids.emplace_back(select->Text(0), select->Int(1) != 0);
    }
  }
  for (const auto& [query_id, folded] : ids) {
    auto impression = [&, &query_id = query_id, folded = folded] {
      // One impression per lock: a long read never holds up clicks and folds.
      std::lock_guard<std::mutex> lock(mu_);
      auto loaded = LoadImpression(query_id, folded, kAllClicks, 0, with_features);
      if (loaded && with_features) {
        Status pool = LoadPoolLocked(loaded->impression);
        if (!pool.ok()) return Result<SettledImpression>(pool);
      }
      return loaded;
    }();
    if (!impression && impression.error().code() == Status::Code::kNotFound) continue;  // Pruned.
    if (!impression) return impression.error();
    FOLDRANK_RETURN_IF_ERROR(visit(*impression));
  }
  return Status::Ok();
}

Result<std::optional<std::string>> SqliteLedger::Setting(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto select = db_->Prepare("SELECT value FROM settings WHERE key = ?1");
  if (!select) return select.error();
  select->Bind(1, key);
  auto row = select->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(select->Text(0));
}

Status SqliteLedger::PutSetting(const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(mu_);
  return PutSettingLocked(key, value);
}

Status SqliteLedger::PutSettingLocked(const std::string& key, const std::string& value) {
  auto upsert = db_->Prepare(
      "INSERT INTO settings(key, value) VALUES (?1, ?2) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!upsert) return upsert.error();
  upsert->Bind(1, key).Bind(2, value);
  return upsert->Run();
}

namespace {

constexpr const char* kExperimentColumns =
    "id, a, b, share, max_impressions, state, purpose, created_ms, stopped_ms";

Experiment ReadExperiment(Statement& row) {
  Experiment e;
  e.id = static_cast<std::uint64_t>(row.Int(0));
  e.a = static_cast<std::uint64_t>(row.Int(1));
  e.b = static_cast<std::uint64_t>(row.Int(2));
  e.share = row.Real(3);
  e.max_impressions = static_cast<std::uint64_t>(row.Int(4));
  e.state = row.Text(5);
  e.purpose = row.Text(6);
  e.created_ms = row.Int(7);
  e.stopped_ms = row.Int(8);
  return e;
}

}  // namespace

Result<Experiment> SqliteLedger::CreateExperiment(const Experiment& experiment) {
  std::lock_guard<std::mutex> lock(mu_);
  auto insert = db_->Prepare(
      "INSERT INTO experiments(a, b, share, max_impressions, purpose, created_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!insert) return insert.error();
  insert->Bind(1, static_cast<std::int64_t>(experiment.a))
      .Bind(2, static_cast<std::int64_t>(experiment.b))
      .Bind(3, experiment.share)
      .Bind(4, static_cast<std::int64_t>(experiment.max_impressions))
      .Bind(5, experiment.purpose)
      .Bind(6, experiment.created_ms);
  FOLDRANK_RETURN_IF_ERROR(insert->Run());
  Experiment stored = experiment;
  stored.id = static_cast<std::uint64_t>(db_->last_insert_rowid());
  stored.state = "running";
  stored.stopped_ms = 0;
  return stored;
}

Result<std::vector<Experiment>> SqliteLedger::Experiments() {
  std::lock_guard<std::mutex> lock(mu_);
  auto select = db_->Prepare(std::string("SELECT ") + kExperimentColumns +
                             " FROM experiments ORDER BY id DESC");
  if (!select) return select.error();
  std::vector<Experiment> experiments;
  while (true) {
    auto row = select->Step();
    if (!row) return row.error();
    if (!*row) break;
    experiments.push_back(ReadExperiment(*select));
  }
  return experiments;
}

Status SqliteLedger::StopExperiment(std::uint64_t id, const std::string& state,
                                    std::int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto update = db_->Prepare(
      "UPDATE experiments SET state = ?2, stopped_ms = ?3 WHERE id = ?1 AND state = 'running'");
  if (!update) return update.error();
  update->Bind(1, static_cast<std::int64_t>(id)).Bind(2, state).Bind(3, now_ms);
  FOLDRANK_RETURN_IF_ERROR(update->Run());
  if (db_->changes() == 1) return Status::Ok();
  auto exists = db_->Prepare("SELECT state FROM experiments WHERE id = ?1");
  if (!exists) return exists.error();
  exists->Bind(1, static_cast<std::int64_t>(id));
  auto row = exists->Step();
  if (!row) return row.error();
  if (!*row) return Status::NotFound("no experiment " + std::to_string(id));
  return Status::InvalidArgument("experiment " + std::to_string(id) + " is already " +
                                 exists->Text(0));
}

Result<ExperimentCounts> SqliteLedger::CountExperiment(std::uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  ExperimentCounts counts;
  auto shown = db_->Prepare(
      "SELECT COUNT(*) FROM impressions WHERE experiment = ?1 "
      "AND experiment <> 0");
  if (!shown) return shown.error();
  shown->Bind(1, static_cast<std::int64_t>(id));
  auto row = shown->Step();
  if (!row) return row.error();
  counts.impressions = static_cast<std::uint64_t>(shown->Int(0));
  // Per clicked impression: distinct clicked positions of each team.
  auto credited = db_->Prepare(
      "SELECT COUNT(DISTINCT CASE WHEN r.team = 1 THEN r.position END), "
      "COUNT(DISTINCT CASE WHEN r.team = 2 THEN r.position END) "
      "FROM impressions i JOIN clicks c ON c.query_id = i.query_id "
      "JOIN impression_results r ON r.query_id = c.query_id AND r.position = c.position "
      "WHERE i.experiment = ?1 AND i.experiment <> 0 GROUP BY i.query_id");
  if (!credited) return credited.error();
  credited->Bind(1, static_cast<std::int64_t>(id));
  while (true) {
    auto next = credited->Step();
    if (!next) return next.error();
    if (!*next) break;
    const std::int64_t a = credited->Int(0), b = credited->Int(1);
    ++counts.clicked;
    if (a > b) {
      ++counts.wins_a;
    } else if (b > a) {
      ++counts.wins_b;
    } else {
      ++counts.ties;
    }
  }
  return counts;
}

Result<std::uint64_t> SqliteLedger::LearnerUpdates(std::uint64_t version) {
  if (version == 1) return std::uint64_t{0};
  std::lock_guard<std::mutex> lock(mu_);
  auto select = db_->Prepare(
      "SELECT COALESCE(json_extract(metrics, '$.learner_updates'), 0) FROM models WHERE version = "
      "?1");
  if (!select) return select.error();
  select->Bind(1, static_cast<std::int64_t>(version));
  auto row = select->Step();
  if (!row) return row.error();
  if (!*row) return Status::NotFound("no model version " + std::to_string(version));
  return static_cast<std::uint64_t>(select->Int(0));
}

ClickTally SqliteLedger::click_tally() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tally_;
}

Result<PruneResult> SqliteLedger::Prune(std::int64_t cutoff_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  PruneResult result;
  Status status = InTransaction(*db_, [&]() -> Status {
    // Old, settled, and with nothing left to fold.
    FOLDRANK_RETURN_IF_ERROR(db_->Exec(
        "CREATE TEMP TABLE IF NOT EXISTS doomed(query_id TEXT PRIMARY KEY); DELETE FROM doomed;"));
    auto select = db_->Prepare(
        "INSERT INTO doomed SELECT i.query_id FROM impressions i WHERE i.folded = 1 "
        "AND i.created_ms < ?1 AND NOT EXISTS (SELECT 1 FROM clicks c "
        "WHERE c.query_id = i.query_id AND c.folded_by IS NULL)");
    if (!select) return select.error();
    select->Bind(1, cutoff_ms);
    FOLDRANK_RETURN_IF_ERROR(select->Run());
    // The newest version that folded a click about to go: replay stops short of it.
    auto newest = db_->Prepare(
        "SELECT COALESCE(MAX(folded_by), 0) FROM clicks WHERE query_id IN (SELECT query_id FROM "
        "doomed)");
    if (!newest) return newest.error();
    auto row = newest->Step();
    if (!row) return row.error();
    const std::int64_t pruned_version = newest->Int(0);
    if (pruned_version > 0) {
      FOLDRANK_RETURN_IF_ERROR(
          db_->Exec("INSERT INTO settings(key, value) VALUES ('replayable_after', '" +
                    std::to_string(pruned_version) +
                    "') ON CONFLICT(key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), " +
                    std::to_string(pruned_version) + ")"));
    }
    FOLDRANK_RETURN_IF_ERROR(
        db_->Exec("DELETE FROM clicks WHERE query_id IN (SELECT query_id FROM doomed)"));
    result.clicks = static_cast<std::uint64_t>(db_->changes());
    FOLDRANK_RETURN_IF_ERROR(
        db_->Exec("DELETE FROM impressions WHERE query_id IN (SELECT query_id FROM doomed)"));
    result.impressions = static_cast<std::uint64_t>(db_->changes());
    return db_->Exec("DELETE FROM doomed");
  });
  if (!status.ok()) return status;
  return result;
}

Result<std::uint64_t> SqliteLedger::ReplayableAfter() {
  std::lock_guard<std::mutex> lock(mu_);
  auto select = db_->Prepare("SELECT value FROM settings WHERE key = 'replayable_after'");
  if (!select) return select.error();
  auto row = select->Step();
  if (!row) return row.error();
  return *row ? static_cast<std::uint64_t>(std::stoull(select->Text(0))) : std::uint64_t{0};
}

Result<std::size_t> SqliteLedger::CountSettled(std::int64_t now_ms, std::int64_t settle_ms,
                                               std::size_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  auto ids = SettledIdsLocked(now_ms, settle_ms, limit);
  if (!ids) return ids.error();
  return ids->size();
}

SqliteMemory SqliteMemoryInUse() {
  return {static_cast<std::int64_t>(sqlite3_memory_used()),
          static_cast<std::int64_t>(sqlite3_memory_highwater(0))};
}

}  // namespace foldrank
