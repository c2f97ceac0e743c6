#include <csignal>
#include <iostream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "common/clock.h"
#include "feedback/fold_loop.h"
#include "feedback/replay.h"
#include "feedback/sqlite_ledger.h"

namespace foldrank::cli {
namespace {

namespace po = boost::program_options;

std::atomic<bool> stop_requested{false};
void RequestStop(int) { stop_requested.store(true); }

}  // namespace

int RunFold(const std::vector<std::string>& args) {
  CommandLine command_line(
      "foldrank fold --data DIR [--follow] [--settle-ms N]",
      "Folds settled clicks from the ledger in DIR into new model versions, exactly\n"
      "once. Without --follow, folds what has settled and exits; with --follow, keeps\n"
      "folding until SIGINT or SIGTERM. Only one folder per ledger runs at a time (a\n"
      "lease in the ledger); a second one waits (--follow) or exits with status 3.");
  command_line.Options()("data,d", po::value<std::string>()->required(), "data directory")(
      "follow", "keep folding until interrupted")(
      "settle-ms", po::value<std::int64_t>()->default_value(2000),
      "fold an impression once no click arrived for it for this long")(
      "interval-ms", po::value<int>()->default_value(1000),
      "fold at most this often unless a full batch of 100 impressions waits")(
      "lease-ms", po::value<std::int64_t>()->default_value(5000),
      "the folder lease lasts this long unless renewed (a killed folder's lease expires)");
  command_line.Epilog(
      "Exit status: 0 done, 1 failure, 2 usage error, 3 another folder holds the lease.");
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  const auto& values = command_line.values();
  const std::filesystem::path data_dir = values["data"].as<std::string>();
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  auto ledger = SqliteLedger::Open(LedgerPath(data_dir));
  if (!ledger) {
    std::cerr << "foldrank fold: " << ledger.error().ToString() << "\n";
    return 1;
  }
  FoldLoopOptions options;
  options.folder.settle_ms = values["settle-ms"].as<std::int64_t>();
  options.interval_ms = values["interval-ms"].as<int>();
  options.lease_ms = values["lease-ms"].as<std::int64_t>();
  ModelStore models(std::make_shared<const Model>(Model::ColdStart()));
  FoldLoop loop(**ledger, options, models, nullptr);
  auto report = [](const FoldLoop::StepResult& step) {
    if (step.fold.model) {
      std::cout << "folded " << step.fold.clicks << " clicks from " << step.fold.impressions
                << " new impressions into model v" << step.fold.model->version() << std::endl;
    }
  };
  if (values.count("follow")) {
    std::signal(SIGINT, RequestStop);
    std::signal(SIGTERM, RequestStop);
    loop.Run(stop_requested, report);
    return 0;
  }
  std::size_t impressions = 0, clicks = 0;
  while (true) {
    auto step = loop.Step(UnixMillis());
    if (!step) {
      std::cerr << "foldrank fold: " << step.error().ToString() << "\n";
      return 1;
    }
    if (!step->holds_lease) {
      std::cerr << "foldrank fold: another folder holds the ledger (" << step->lease_holder
                << "); nothing folded\n";
      return 3;
    }
    report(*step);
    impressions += step->fold.impressions;
    clicks += step->fold.clicks;
    if (step->fold.impressions + step->fold.clicks == 0) break;
  }
  std::cout << "settled " << impressions << " impressions and folded " << clicks
            << " clicks; model v" << models.Current()->version() << " is active" << std::endl;
  return 0;
}

int RunReplay(const std::vector<std::string>& args) {
  CommandLine command_line(
      "foldrank replay --data DIR [--to VERSION]",
      "Rebuilds every folded model version from the ledger (its parent and the clicks\n"
      "it folded) and reports whether each matches the stored version bit for bit.");
  command_line.Options()("data,d", po::value<std::string>()->required(), "data directory")(
      "to", po::value<std::uint64_t>()->default_value(0), "last version to replay (0 = all)");
  command_line.Epilog("Exit status: 0 all match, 1 failure, 2 usage error, 4 a version differs.");
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  const auto& values = command_line.values();
  const std::filesystem::path path = LedgerPath(values["data"].as<std::string>());
  if (!std::filesystem::exists(path)) {
    std::cerr << "foldrank replay: no ledger at " << path << "\n";
    return 1;
  }
  auto ledger = SqliteLedger::Open(path);
  auto replayed = ledger ? Replay(**ledger, LearnerOptions{}, values["to"].as<std::uint64_t>())
                         : Result<std::vector<ReplayedVersion>>(ledger.error());
  if (!replayed) {
    std::cerr << "foldrank replay: " << replayed.error().ToString() << "\n";
    return 1;
  }
  int differing = 0;
  for (const ReplayedVersion& version : *replayed) {
    std::cout << "v" << version.version << " (parent v" << version.parent << "): " << version.clicks
              << " clicks from " << version.impressions
              << " impressions: " << (version.matches ? "matches" : "DIFFERS") << "\n";
    differing += !version.matches;
  }
  std::cout << replayed->size() << " versions replayed, " << differing << " differ\n";
  return differing == 0 ? 0 : 4;
}

}  // namespace foldrank::cli
