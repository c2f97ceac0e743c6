#pragma once

#include <string>
#include <vector>

// The foldrank subcommands. Each takes its arguments (after the subcommand name)
// and returns the process exit code: 0 success, 1 failure, 2 usage error; each
// prints its own --help.
namespace foldrank::cli {

int RunIndex(const std::vector<std::string>& args);
int RunSearch(const std::vector<std::string>& args);
int RunDelete(const std::vector<std::string>& args);
int RunModel(const std::vector<std::string>& args);
int RunFold(const std::vector<std::string>& args);
int RunReplay(const std::vector<std::string>& args);
int RunEvaluate(const std::vector<std::string>& args);
int RunPrune(const std::vector<std::string>& args);
int RunCheck(const std::vector<std::string>& args);
int RunServe(const std::vector<std::string>& args);
int RunSimulate(const std::vector<std::string>& args);

}  // namespace foldrank::cli
