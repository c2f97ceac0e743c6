#include <chrono>
#include <iostream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "cli/duration.h"
#include "common/clock.h"
#include "feedback/sqlite_ledger.h"

namespace foldrank::cli {

int RunPrune(const std::vector<std::string>& args) {
  namespace po = boost::program_options;
  CommandLine command_line(
      "foldrank prune --data DIR --older-than DURATION",
      "Deletes impressions older than DURATION (e.g. 30d, 12h) that are folded and have\n"
      "no unfolded click, with their results and clicks. Click counts and model\n"
      "versions stay; an unfolded click is never deleted. Folded versions whose clicks\n"
      "are deleted can no longer be replayed (replay says where it starts).");
  command_line.Options()("data,d", po::value<std::string>()->required(), "data directory")(
      "older-than", po::value<std::string>()->required(), "age: N followed by d, h, m or s");
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  const auto& values = command_line.values();
  const auto age = ParseDuration(values["older-than"].as<std::string>());
  if (!age) {
    std::cerr << "foldrank prune: --older-than takes a number and a unit (d, h, m, s), e.g. 30d\n";
    return 2;
  }
  const std::filesystem::path path = LedgerPath(values["data"].as<std::string>());
  if (!std::filesystem::exists(path)) {
    std::cerr << "foldrank prune: no ledger at " << path << "\n";
    return 1;
  }
  auto ledger = SqliteLedger::Open(path);
  const std::int64_t now_ms = UnixMillis();
  auto pruned = ledger ? (*ledger)->Prune(now_ms - *age) : Result<PruneResult>(ledger.error());
  if (!pruned) {
    std::cerr << "foldrank prune: " << pruned.error().ToString() << "\n";
    return 1;
  }
  std::cout << "deleted " << pruned->impressions << " impressions and " << pruned->clicks
            << " clicks\n";
  return 0;
}

}  // namespace foldrank::cli
