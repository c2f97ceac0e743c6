#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace foldrank {

// One file (or directory) of a data directory, as a check found it.
struct FileCheck {
  std::filesystem::path path;
  bool present = false;
  std::string summary;              // What was read, e.g. "schema v5, 1,200 clicks".
  std::vector<std::string> damage;  // Empty: sound (or absent, which is not damage).
};

struct DataCheck {
  std::vector<FileCheck> files;  // The ledger, the index, the user key.
  bool sound() const;
  // "PATH: DAMAGE" lines for every damaged file; empty when sound.
  std::string DamageReport() const;
};

enum class DataCheckDepth {
  // Before a server opens the directory: SQLite's quick_check, the active model,
  // every index segment read through, the key's size. Seconds for a large ledger.
  kStartup,
  // `foldrank check`: integrity_check (indexes too) and every stored model.
  kFull,
};

// Reads DIR/ledger.sqlite, DIR/index and DIR/user.key without writing anything.
// Missing files are reported as absent (a new directory is sound).
DataCheck CheckDataDirectory(const std::filesystem::path& data_dir, DataCheckDepth depth);

}  // namespace foldrank
