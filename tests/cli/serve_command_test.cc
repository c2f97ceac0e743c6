// `foldrank serve` as a process: configuration from flags, environment and a file
// (in that order of precedence), usage errors, and a clean stop on SIGTERM.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "tests/http/http_client.h"
#include "tests/testing/temp_dir.h"

namespace foldrank {
namespace {

// A `foldrank serve` child with its standard output on a pipe.
class ServeProcess {
 public:
  // `prefix` is put before the command (e.g. "FOLDRANK_X=1").
  ServeProcess(const std::string& prefix, const std::string& args) {
    // The shell prints its pid, then execs foldrank under that pid.
    const std::string command = "sh -c 'echo $$; exec env " + prefix + " " + FOLDRANK_BINARY +
                                " serve " + args + " 2>/dev/null'";
    pipe_ = popen(command.c_str(), "r");
    pid_ = std::stoi(Line());
  }
  ~ServeProcess() {
    if (pipe_ != nullptr) {
      kill(pid_, SIGKILL);
      pclose(pipe_);
    }
  }
  std::string Line() {
    char buffer[512];
    return std::fgets(buffer, sizeof(buffer), pipe_) != nullptr ? buffer : "";
  }
  // SIGTERM, then the exit status and the rest of the output.
  int Terminate(std::string* rest) {
    kill(pid_, SIGTERM);
    return Wait(rest);
  }
  // The exit status once the process ends by itself, and the rest of the output.
  int Wait(std::string* rest) {
    for (std::string line = Line(); !line.empty(); line = Line()) *rest += line;
    const int status = pclose(pipe_);
    pipe_ = nullptr;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  FILE* pipe_ = nullptr;
  int pid_ = 0;
};

// Starts serve with `env` and `flags` on a config file that sets the token to
// "from-file", and returns which of `tokens` the admin API accepts.
std::string AcceptedToken(const std::string& env, const std::string& flags) {
  testing::TempDir dir;
  const auto config = dir.path() / "foldrank.conf";
  std::ofstream(config) << "# foldrank serve options\nport = 0\nadmin-token = from-file\n";
  ServeProcess serve(env, "--data " + (dir.path() / "data").string() + " --config " +
                              config.string() + " " + flags);
  const std::string banner = serve.Line();
  std::smatch port;
  EXPECT_TRUE(std::regex_search(banner, port, std::regex("127\\.0\\.0\\.1:(\\d+)/"))) << banner;
  if (port.empty()) return "";
  const auto p = static_cast<std::uint16_t>(std::stoi(port[1]));
  EXPECT_EQ(testing::Http(p, "GET", "/admin/status").status, 401);
  std::string accepted;
  for (const char* token : {"from-file", "from-env", "from-flag"}) {
    const int status = testing::Http(p, "GET", "/admin/status", "",
                                     {{"Authorization", std::string("Bearer ") + token}})
                           .status;
    if (status == 200) accepted += token;
  }
  std::string rest;
  EXPECT_EQ(serve.Terminate(&rest), 0);  // SIGTERM: a clean stop.
  EXPECT_NE(rest.find("stopped"), std::string::npos) << rest;
  return accepted;
}

TEST(ServeCommandTest, FlagsBeatTheEnvironmentWhichBeatsTheConfigFile) {
  EXPECT_EQ(AcceptedToken("FOLDRANK_UNRELATED=1", ""), "from-file");
  EXPECT_EQ(AcceptedToken("FOLDRANK_ADMIN_TOKEN=from-env", ""), "from-env");
  EXPECT_EQ(AcceptedToken("FOLDRANK_ADMIN_TOKEN=from-env", "--admin-token from-flag"), "from-flag");
}

// The main command's case: no token configured. Loopback alone opens nothing; the
// server makes a token once (0600, kept for later starts) and prints a one-time
// sign-in link for the admin page.
TEST(ServeCommandTest, WithoutAConfiguredTokenOneIsMadeKeptAndASignInLinkPrinted) {
  testing::TempDir dir;
  const auto data = dir.path() / "data";
  std::string first_token;
  for (int start = 0; start < 2; ++start) {
    ServeProcess serve("FOLDRANK_UNRELATED=1", "--data " + data.string() + " --port 0");
    const std::string banner = serve.Line();
    const std::string link = serve.Line();
    std::smatch port, code;
    ASSERT_TRUE(std::regex_search(banner, port, std::regex("127\\.0\\.0\\.1:(\\d+)/"))) << banner;
    ASSERT_TRUE(std::regex_search(link, code, std::regex("/admin/login\\?code=([0-9a-f]+)")))
        << link;
    EXPECT_EQ(link.find(first_token.empty() ? "never" : first_token), std::string::npos)
        << "the link carries a one-time code, never the token";
    const auto p = static_cast<std::uint16_t>(std::stoi(port[1]));
    std::ifstream file(data / "admin-token");
    std::string token;
    std::getline(file, token);
    ASSERT_EQ(token.size(), 64u);
    if (start == 0) first_token = token;
    EXPECT_EQ(token, first_token);  // The same token on every start.
    EXPECT_EQ(
        std::filesystem::status(data / "admin-token").permissions() & std::filesystem::perms::all,
        std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    EXPECT_EQ(testing::Http(p, "GET", "/admin/status").status, 401);  // From loopback, too.
    EXPECT_EQ(
        testing::Http(p, "GET", "/admin/status", "", {{"Authorization", "Bearer " + token}}).status,
        200);
    const auto signed_in = testing::Http(p, "GET", "/admin/login?code=" + code[1].str());
    EXPECT_EQ(signed_in.status, 303);
    EXPECT_NE(signed_in.header("set-cookie").find(token), std::string::npos);
    std::string rest;
    EXPECT_EQ(serve.Terminate(&rest), 0);
  }
}

// The server's way to rebuild an index from another analysis (index/analysis.h).
TEST(ServeCommandTest, RebuildIndexRebuildsAnOldIndexBeforeServing) {
  testing::TempDir dir;
  const auto data = dir.path() / "data";
  const auto corpus = dir.path() / "corpus.jsonl";
  std::ofstream(corpus) << R"({"id":"k","title":"Kinetics of gases"})"
                        << "\n";
  ASSERT_EQ(std::system((std::string(FOLDRANK_BINARY) + " index --data " + data.string() + " " +
                         corpus.string() + " >/dev/null")
                            .c_str()),
            0);
  std::filesystem::remove(data / "index" / "analysis.json");  // As an older version left it.
  {
    ServeProcess refused("FOLDRANK_UNRELATED=1", "--data " + data.string() + " --port 0");
    std::string rest;
    EXPECT_EQ(refused.Wait(&rest), 1);
  }
  ServeProcess serve("FOLDRANK_UNRELATED=1",
                     "--data " + data.string() + " --port 0 --rebuild-index");
  const std::string banner = serve.Line();
  std::smatch port;
  ASSERT_TRUE(std::regex_search(banner, port, std::regex("127\\.0\\.0\\.1:(\\d+)/"))) << banner;
  const auto p = static_cast<std::uint16_t>(std::stoi(port[1]));
  const auto page = testing::Http(p, "GET", "/search?q=kinetic");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.json()["total"], 1) << page.body;
  std::string rest;
  EXPECT_EQ(serve.Terminate(&rest), 0);
}

TEST(ServeCommandTest, UsageErrorsExitTwo) {
  testing::TempDir dir;
  const std::string data = "--data " + (dir.path() / "data").string();
  for (const std::string& args :
       {data + " --port 70000", data + " --threads 0", data + " --config /no/such/file",
        data + " --bogus", std::string("--port 0")}) {
    const std::string command =
        std::string(FOLDRANK_BINARY) + " serve " + args + " >/dev/null 2>&1";
    const int status = std::system(command.c_str());
    EXPECT_EQ(WEXITSTATUS(status), 2) << args;
  }
}

}  // namespace
}  // namespace foldrank
