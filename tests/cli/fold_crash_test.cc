// Crash safety of folding, with real processes: a site keeps writing clicks into
// the ledger while `foldrank fold --follow` is killed with SIGKILL at random moments,
// 20 times. Afterwards every acknowledged click must be in the ledger, every click
// folded exactly once (counted once), and every folded model equal to its replay.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include "feedback/sqlite_ledger.h"
#include "tests/testing/temp_dir.h"

extern char** environ;

namespace foldrank {
namespace {

pid_t Spawn(const std::vector<std::string>& args, const std::string& output) {
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, output.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(FoldCrashTest, KilledFoldersLoseNothingAndFoldEachClickOnce) {
  testing::TempDir dir;
  const std::string data = (dir.path() / "data").string();
  const std::string ledger = data + "/ledger.sqlite";
  const std::string acked = (dir.path() / "acked.txt").string();
  const std::string log = (dir.path() / "processes.log").string();
  const std::string writer_script =
      std::string(std::getenv("FOLDRANK_SOURCE_DIR")) + "/tests/cli/crash_writer.py";
  std::filesystem::create_directories(data);
  ASSERT_TRUE(SqliteLedger::Open(ledger).has_value());  // Creates the schema.

  const pid_t writer =
      Spawn({"/usr/bin/python3", writer_script, "write", ledger, acked, "500"}, log);
  ASSERT_GT(writer, 0);
  std::mt19937 rng(2026);
  int kills = 0;
  for (int round = 0; round < 20; ++round) {
    const pid_t folder = Spawn({FOLDRANK_BINARY, "fold", "--data", data, "--follow", "--settle-ms",
                                "0", "--interval-ms", "10", "--lease-ms", "150"},
                               log);
    ASSERT_GT(folder, 0);
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(60, 400)(rng)));
    kill(folder, SIGKILL);
    Wait(folder);
    ++kills;
  }
  ASSERT_EQ(Wait(writer), 0) << "the click writer failed; see " << log;

  // A last folder finishes the job once the killed one's lease has expired.
  int final_status = 3;
  for (int attempt = 0; attempt < 50 && final_status == 3; ++attempt) {
    final_status = Wait(Spawn({FOLDRANK_BINARY, "fold", "--data", data, "--settle-ms", "0"}, log));
    if (final_status == 3) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(final_status, 0);
  EXPECT_EQ(kills, 20);
  const std::string verify_log = (dir.path() / "verify.txt").string();
  const int verified =
      Wait(Spawn({"/usr/bin/python3", writer_script, "verify", ledger, acked}, verify_log));
  std::ifstream verify_output(verify_log);
  std::string summary((std::istreambuf_iterator<char>(verify_output)),
                      std::istreambuf_iterator<char>());
  std::cout << "crash test: " << kills << " SIGKILLs; " << summary;
  EXPECT_EQ(verified, 0) << summary;
  EXPECT_EQ(Wait(Spawn({FOLDRANK_BINARY, "replay", "--data", data}, verify_log)), 0)
      << "a folded version differs from its replay; see " << verify_log;
}

}  // namespace
}  // namespace foldrank
