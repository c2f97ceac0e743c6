#pragma once

#include <filesystem>

namespace foldrank::cli {

// Where each component keeps its files inside a data directory (--data DIR).
inline std::filesystem::path IndexDirectory(const std::filesystem::path& data_dir) {
  return data_dir / "index";
}
// The SQLite ledger: impressions, clicks, model versions (docs/ledger.md).
inline std::filesystem::path LedgerPath(const std::filesystem::path& data_dir) {
  return data_dir / "ledger.sqlite";
}

}  // namespace foldrank::cli
