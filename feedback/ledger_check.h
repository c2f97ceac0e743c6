#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "foldrank/result.h"

namespace foldrank {

// What reading a ledger file back found. The file is opened read-only: nothing is
// migrated, repaired or written.
struct LedgerCheck {
  int schema_version = 0;
  std::int64_t impressions = 0, clicks = 0, unfolded_clicks = 0, models = 0;
  std::uint64_t active_version = 0;  // 0: none stored yet (cold start).
  std::vector<std::string> damage;   // One line per problem; empty: the ledger is sound.
};

enum class LedgerCheckDepth {
  kQuick,  // SQLite's quick_check; the active model must load.
  kFull,   // integrity_check (indexes against tables too); every stored model must load.
};

// Checks the ledger at `path`: the file is an SQLite database of a schema this
// build knows, its pages and indexes are consistent, and its models load. NotFound
// when there is no file; damage is reported in the result, not as an error.
Result<LedgerCheck> CheckLedgerFile(const std::filesystem::path& path, LedgerCheckDepth depth);

}  // namespace foldrank
