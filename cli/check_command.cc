#include <iostream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "engine/data_check.h"

namespace foldrank::cli {

int RunCheck(const std::vector<std::string>& args) {
  namespace po = boost::program_options;
  CommandLine command_line(
      "foldrank check --data DIR [--quick]",
      "Reads a data directory back without changing it and reports damage: the ledger\n"
      "(SQLite's integrity check, schema version, every stored model loads), the index\n"
      "(every segment read through) and the user key. Exits 0 when all is sound, 1 when\n"
      "anything is damaged (each problem on a line naming its file). --quick runs what\n"
      "`foldrank serve` runs before it starts (quick_check, the active model only).");
  command_line.Options()("data,d", po::value<std::string>()->required(), "data directory")(
      "quick", po::bool_switch(), "only the startup checks");
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  const auto& values = command_line.values();
  const std::filesystem::path data_dir = values["data"].as<std::string>();
  if (!std::filesystem::is_directory(data_dir)) {
    std::cerr << "foldrank check: no directory " << data_dir << "\n";
    return 1;
  }
  const DataCheck check = CheckDataDirectory(
      data_dir, values["quick"].as<bool>() ? DataCheckDepth::kStartup : DataCheckDepth::kFull);
  for (const FileCheck& file : check.files) {
    if (!file.present) {
      std::cout << file.path.string() << ": absent\n";
    } else if (file.damage.empty()) {
      std::cout << file.path.string() << ": ok (" << file.summary << ")\n";
    } else {
      for (const std::string& damage : file.damage) {
        std::cout << file.path.string() << ": DAMAGED: " << damage << "\n";
      }
    }
  }
  return check.sound() ? 0 : 1;
}

}  // namespace foldrank::cli
