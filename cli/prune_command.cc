#include <chrono>
#include <iostream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "common/clock.h"
#include "feedback/sqlite_ledger.h"

namespace foldrank::cli {
namespace {

// "30d", "12h", "90m", "45s" -> milliseconds; nullopt for anything else.
std::optional<std::int64_t> ParseDuration(const std::string& text) {
  if (text.size() < 2) return std::nullopt;
  const std::string digits = text.substr(0, text.size() - 1);
  if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) {
    return std::nullopt;
  }
  const std::int64_t amount = std::stoll(digits);
  switch (text.back()) {
    case 'd':
      return amount * 86'400'000;
    case 'h':
      return amount * 3'600'000;
    case 'm':
      return amount * 60'000;
    case 's':
      return amount * 1'000;
    default:
      return std::nullopt;
  }
}

}  // namespace

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
