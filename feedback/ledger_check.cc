#include "feedback/ledger_check.h"

#include <algorithm>
#include <functional>

#include "feedback/count_deltas_json.h"
#include "feedback/internal/sqlite_db.h"
#include "feedback/sqlite_ledger.h"
#include "ranker/model.h"

namespace foldrank {
namespace {

constexpr std::size_t kMaxReported = 10;  // Of SQLite's own findings and bad models.

// A one-value query; a failure to read is damage, not an error of the check.
Result<std::int64_t> Count(SqliteDb& db, const char* sql) {
  auto statement = db.Prepare(sql);
  if (!statement) return statement.error();
  auto row = statement->Step();
  if (!row) return row.error();
  return *row ? statement->Int(0) : 0;
}

// SQLite's quick_check or integrity_check: "ok", or one row per problem.
Status ScanPages(SqliteDb& db, LedgerCheckDepth depth, LedgerCheck& check) {
  auto scan = db.Prepare(depth == LedgerCheckDepth::kFull ? "PRAGMA integrity_check(10)"
                                                          : "PRAGMA quick_check(10)");
  if (!scan) return scan.error();
  while (true) {
    auto row = scan->Step();
    if (!row) return row.error();
    if (!*row) return Status::Ok();
    std::string finding = scan->Text(0);
    std::replace(finding.begin(), finding.end(), '\n', ' ');  // One line per finding.
    if (finding != "ok") check.damage.push_back("pages: " + finding);
  }
}

// How CheckEachRow names a table's rows in its findings.
struct RowNames {
  const char* table;      // "models": for errors reading the table.
  const char* row;        // "model v": before a row's id.
  const char* fails;      // "does not load": after it.
  const char* more_fail;  // "more models do not load": after the count of the rest.
};

// Reads each (id, text) row that `sql` selects and reports those whose text
// `text_damage` refuses: the first kMaxReported with their reason, then how many more.
void CheckEachRow(SqliteDb& db, const char* sql, const RowNames& names,
                  const std::function<Status(const std::string&)>& text_damage,
                  LedgerCheck& check) {
  auto rows = db.Prepare(sql);
  if (!rows) {
    check.damage.push_back(names.table + (": " + std::string(rows.error().message())));
    return;
  }
  std::size_t bad = 0;
  while (true) {
    auto row = rows->Step();
    if (!row) {
      check.damage.push_back(names.table + (": " + std::string(row.error().message())));
      return;
    }
    if (!*row) break;
    const Status damage = text_damage(rows->Text(1));
    if (!damage.ok() && ++bad <= kMaxReported) {
      check.damage.push_back(names.row + std::to_string(rows->Int(0)) + " " + names.fails + ": " +
                             std::string(damage.message()));
    }
  }
  if (bad > kMaxReported) {
    check.damage.push_back(std::to_string(bad - kMaxReported) + " " + names.more_fail);
  }
}

void CheckModels(SqliteDb& db, LedgerCheckDepth depth, LedgerCheck& check) {
  CheckEachRow(
      db,
      depth == LedgerCheckDepth::kFull
          ? "SELECT version, json FROM models ORDER BY version"
          : "SELECT m.version, m.json FROM models m JOIN settings s ON s.key = 'active_version' "
            "AND m.version = CAST(s.value AS INTEGER)",
      {"models", "model v", "does not load", "more models do not load"},
      [](const std::string& json) { return Model::FromJson(json).status(); }, check);
}

// The click-count log (schema 6): every row must read, or the next fold stops.
void CheckCountDeltas(SqliteDb& db, LedgerCheck& check) {
  std::vector<FoldCommit::CountDelta> deltas;
  CheckEachRow(
      db, "SELECT seq, deltas FROM click_count_deltas ORDER BY seq",
      {"click_count_deltas", "click_count_deltas row ", "does not read",
       "more click_count_deltas rows do not read"},
      [&deltas](const std::string& json) {
        deltas.clear();
        return ReadCountDeltasJson(json, deltas);
      },
      check);
}

}  // namespace

Result<LedgerCheck> CheckLedgerFile(const std::filesystem::path& path, LedgerCheckDepth depth) {
  auto opened = SqliteDb::OpenReadOnly(path);
  if (!opened) return opened.error();
  SqliteDb& db = **opened;
  LedgerCheck check;
  // The header is read by the first statement: a file that is not a database (or is
  // encrypted, or truncated inside its header) fails here.
  auto version = Count(db, "PRAGMA user_version");
  if (!version) {
    check.damage.push_back("not a readable SQLite database: " +
                           std::string(version.error().message()));
    return check;
  }
  check.schema_version = static_cast<int>(*version);
  if (check.schema_version > SqliteLedger::kSchemaVersion) {
    check.damage.push_back("schema v" + std::to_string(check.schema_version) +
                           " is newer than this foldrank's (v" +
                           std::to_string(SqliteLedger::kSchemaVersion) + ")");
    return check;
  }
  if (Status scanned = ScanPages(db, depth, check); !scanned.ok()) {
    check.damage.push_back("pages: " + std::string(scanned.message()));
  }
  if (!check.damage.empty()) return check;  // Counting would read damaged pages.
  if (check.schema_version == 0) {
    check.damage.push_back("no foldrank schema (user_version 0): not a foldrank ledger");
    return check;
  }
  struct Counted {
    const char* what;
    const char* sql;
    std::int64_t* into;
  };
  std::int64_t active = 0;
  for (const Counted& counted : {
           Counted{"impressions", "SELECT COUNT(*) FROM impressions", &check.impressions},
           Counted{"clicks", "SELECT COUNT(*) FROM clicks", &check.clicks},
           Counted{"clicks", "SELECT COUNT(*) FROM clicks WHERE folded_by IS NULL",
                   &check.unfolded_clicks},
           Counted{"models", "SELECT COUNT(*) FROM models", &check.models},
           Counted{"settings",
                   "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'active_version'",
                   &active},
       }) {
    auto value = Count(db, counted.sql);
    if (!value) {
      check.damage.push_back(std::string(counted.what) + ": " +
                             std::string(value.error().message()));
      continue;
    }
    *counted.into = *value;
  }
  check.active_version = static_cast<std::uint64_t>(active);
  if (active > 0) {
    auto stored = Count(
        db, ("SELECT COUNT(*) FROM models WHERE version = " + std::to_string(active)).c_str());
    if (stored && *stored == 0) {
      check.damage.push_back("the active version v" + std::to_string(active) + " is not stored");
    }
  }
  CheckModels(db, depth, check);
  if (check.schema_version >= 6) CheckCountDeltas(db, check);
  return check;
}

}  // namespace foldrank
