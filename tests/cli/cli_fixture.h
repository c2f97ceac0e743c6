#pragma once

// The foldrank executable run as a real process on a temp data directory.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/testing/temp_dir.h"

namespace foldrank {

struct ProcessRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline std::string Quote(const std::string& arg) {
  std::string quoted = "'";
  for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

class CliTest : public ::testing::Test {
 protected:
  // Runs foldrank with `args`, feeding `input` on stdin; killed after `timeout_s`
  // seconds when that is set (a command expected to exit that might not).
  ProcessRun Foldrank(const std::vector<std::string>& args, const std::string& input = "",
                      int timeout_s = 0) {
    const auto in_path = dir_.path() / "stdin.txt";
    const auto err_path = dir_.path() / "stderr.txt";
    std::ofstream(in_path) << input;
    std::string command = timeout_s > 0 ? "timeout -s KILL " + std::to_string(timeout_s) + " " : "";
    command += Quote(FOLDRANK_BINARY);
    for (const std::string& arg : args) command.append(" ").append(Quote(arg));
    command.append(" <").append(Quote(in_path.string()));
    command.append(" 2>").append(Quote(err_path.string()));
    ProcessRun run;
    FILE* pipe = popen(command.c_str(), "r");
    EXPECT_NE(pipe, nullptr);
    if (pipe == nullptr) return run;
    std::array<char, 4096> buffer;
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
      run.out.append(buffer.data(), n);
    }
    const int status = pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.err = ReadFile(err_path);
    return run;
  }

  std::string WriteJsonl(const std::string& name, const std::string& text) {
    const auto path = dir_.path() / name;
    std::ofstream(path) << text;
    return path.string();
  }

  std::string Data() const { return (dir_.path() / "data").string(); }

  testing::TempDir dir_;
};

}  // namespace foldrank
