#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

namespace foldrank::cli {

// A subcommand's parsed command line. Parse() handles --help and usage errors so
// that every subcommand documents and rejects options the same way.
class CommandLine {
 public:
  // `usage` is the synopsis ("foldrank index --data DIR FILE..."); `summary` one
  // paragraph on what the command does.
  CommandLine(std::string usage, std::string summary);

  boost::program_options::options_description_easy_init Options() { return options_.add_options(); }
  // Trailing arguments without a flag land in option `name`.
  void Positional(const char* name, int max_count) { positional_.add(name, max_count); }
  // Also read options from environment variables PREFIX + NAME (upper case, '-' as
  // '_'; e.g. FOLDRANK_ADMIN_TOKEN for --admin-token) and from the INI-style file
  // named by option `config_option`. The command line wins over the environment,
  // which wins over the file.
  void Environment(std::string prefix) { env_prefix_ = std::move(prefix); }
  void ConfigFileOption(std::string config_option) { config_option_ = std::move(config_option); }
  // Text after the option list, e.g. exit codes.
  void Epilog(std::string text) { epilog_ = std::move(text); }

  // Parses `args` (without the program and subcommand names). Returns an exit code
  // when the command should stop now (0 after --help, 2 after a usage error, with
  // the message printed), nullopt to go on.
  std::optional<int> Parse(const std::vector<std::string>& args);

  const boost::program_options::variables_map& values() const { return values_; }
  void PrintHelp(std::ostream& out) const;

 private:
  std::string usage_;
  std::string summary_;
  std::string epilog_;
  std::string env_prefix_;
  std::string config_option_;
  boost::program_options::options_description options_{"Options"};
  boost::program_options::positional_options_description positional_;
  boost::program_options::variables_map values_;
};

// `value` as a person would type it ("0.1", not "0.10000000000000001"): the shortest
// text that reads back as the same double. For --help's defaults.
std::string ShortestText(double value);

// "a, b,,c" -> {"a", "b", "c"}: a comma-separated option value, items trimmed.
std::vector<std::string> SplitList(const std::string& text);

}  // namespace foldrank::cli
