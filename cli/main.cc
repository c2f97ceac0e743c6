#include <iostream>
#include <string_view>

#include "cli/commands.h"

namespace {

constexpr std::string_view kUsage = R"(usage: foldrank COMMAND [OPTIONS] [ARGS]

foldrank is a search engine whose ranking learns from clicks.

Commands:
  index    add or replace documents from JSONL files
  search   answer queries from the command line
  delete   remove documents by id
  model    import, list, show and activate ranking models
  fold     fold settled clicks into new model versions (once, or --follow)
  replay   rebuild folded model versions from the ledger and compare
  prune    delete folded impressions and clicks past an age
  check    diagnose a data directory (ledger, index, key) without changing it
  evaluate estimate offline how a model version would do against another
  serve    run the HTTP server: search, clicks, documents, admin, metrics
  simulate measure how rankers learn from simulated users' clicks

Run 'foldrank COMMAND --help' for a command's options.
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string_view command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "index") return foldrank::cli::RunIndex(args);
  if (command == "search") return foldrank::cli::RunSearch(args);
  if (command == "delete") return foldrank::cli::RunDelete(args);
  if (command == "model") return foldrank::cli::RunModel(args);
  if (command == "fold") return foldrank::cli::RunFold(args);
  if (command == "replay") return foldrank::cli::RunReplay(args);
  if (command == "prune") return foldrank::cli::RunPrune(args);
  if (command == "check") return foldrank::cli::RunCheck(args);
  if (command == "evaluate") return foldrank::cli::RunEvaluate(args);
  if (command == "serve") return foldrank::cli::RunServe(args);
  if (command == "simulate") return foldrank::cli::RunSimulate(args);
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "foldrank " << FOLDRANK_VERSION << "\n";
    return 0;
  }
  std::cerr << "foldrank: unknown command '" << command << "'\n\n" << kUsage;
  return 2;
}
