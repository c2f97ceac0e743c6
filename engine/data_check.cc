#include "engine/data_check.h"

#include <system_error>

#include "feedback/ledger_check.h"
#include "index/index_check.h"

namespace foldrank {
namespace {

// A file whose check could not read it: absent if there is nothing there (NotFound),
// else present, and why it could not be read is its damage.
FileCheck Unreadable(const std::filesystem::path& path, const Status& error) {
  FileCheck file;
  file.path = path;
  if (error.code() != Status::Code::kNotFound) {
    file.present = true;
    file.damage.push_back(std::string(error.message()));
  }
  return file;
}

FileCheck CheckLedger(const std::filesystem::path& path, DataCheckDepth depth) {
  auto ledger = CheckLedgerFile(
      path, depth == DataCheckDepth::kFull ? LedgerCheckDepth::kFull : LedgerCheckDepth::kQuick);
  if (!ledger) return Unreadable(path, ledger.error());
  FileCheck file;
  file.path = path;
  file.present = true;
  file.damage = std::move(ledger->damage);
  file.summary = "schema v" + std::to_string(ledger->schema_version) + ", " +
                 std::to_string(ledger->impressions) + " impressions, " +
                 std::to_string(ledger->clicks) + " clicks (" +
                 std::to_string(ledger->unfolded_clicks) + " not yet folded), " +
                 std::to_string(ledger->models) + " model versions, active v" +
                 std::to_string(ledger->active_version);
  return file;
}

FileCheck CheckIndex(const std::filesystem::path& path) {
  auto index = CheckIndexFiles(path);
  if (!index) return Unreadable(path, index.error());
  FileCheck file;
  file.path = path;
  file.present = true;
  file.damage = std::move(index->damage);
  file.summary = std::to_string(index->documents) + " documents in " +
                 std::to_string(index->segments) + " segments";
  return file;
}

FileCheck CheckUserKey(const std::filesystem::path& path) {
  FileCheck file;
  file.path = path;
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) {
    file.present = std::filesystem::exists(path);
    if (file.present) file.damage.push_back("cannot read its size: " + error.message());
    return file;
  }
  file.present = true;
  if (size != 16) {
    file.damage.push_back(std::to_string(size) +
                          " bytes, not a 16-byte key (a new key would change every user's hash)");
  } else {
    file.summary = "16-byte key";
  }
  return file;
}

}  // namespace

bool DataCheck::sound() const {
  for (const FileCheck& file : files) {
    if (!file.damage.empty()) return false;
  }
  return true;
}

std::string DataCheck::DamageReport() const {
  std::string report;
  for (const FileCheck& file : files) {
    for (const std::string& damage : file.damage) {
      report += (report.empty() ? "" : "\n") + file.path.string() + ": " + damage;
    }
  }
  return report;
}

DataCheck CheckDataDirectory(const std::filesystem::path& data_dir, DataCheckDepth depth) {
  DataCheck check;
  check.files.push_back(CheckLedger(data_dir / "ledger.sqlite", depth));
  check.files.push_back(CheckIndex(data_dir / "index"));
  check.files.push_back(CheckUserKey(data_dir / "user.key"));
  return check;
}

}  // namespace foldrank
