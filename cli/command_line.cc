#include "cli/command_line.h"

#include <cctype>
#include <charconv>
#include <fstream>
#include <iostream>
#include <sstream>

namespace foldrank::cli {

namespace po = boost::program_options;

CommandLine::CommandLine(std::string usage, std::string summary)
    : usage_(std::move(usage)), summary_(std::move(summary)) {
  options_.add_options()("help,h", "show this help and exit");
}

std::optional<int> CommandLine::Parse(const std::vector<std::string>& args) {
  try {
    po::store(po::command_line_parser(args).options(options_).positional(positional_).run(),
              values_);
    if (values_.count("help")) {
      PrintHelp(std::cout);
      return 0;
    }
    if (!env_prefix_.empty()) {
      po::store(po::parse_environment(options_,
                                      [&](const std::string& variable) -> std::string {
                                        if (variable.rfind(env_prefix_, 0) != 0) return "";
                                        std::string name = variable.substr(env_prefix_.size());
                                        for (char& c : name) {
                                          c = c == '_' ? '-'
                                                       : static_cast<char>(std::tolower(
                                                             static_cast<unsigned char>(c)));
                                        }
                                        return options_.find_nothrow(name, false) ? name : "";
                                      }),
                values_);
    }
    if (!config_option_.empty() && values_.count(config_option_)) {
      const std::string path = values_[config_option_].as<std::string>();
      std::ifstream file(path);
      if (!file) throw po::error("cannot read the configuration file '" + path + "'");
      po::store(po::parse_config_file(file, options_), values_);
    }
    po::notify(values_);
  } catch (const po::error& e) {
    std::cerr << "error: " << e.what() << "\nusage: " << usage_
              << "\n(run with --help for details)\n";
    return 2;
  }
  return std::nullopt;
}

void CommandLine::PrintHelp(std::ostream& out) const {
  out << "usage: " << usage_ << "\n\n" << summary_ << "\n\n" << options_;
  if (!epilog_.empty()) out << "\n" << epilog_ << "\n";
}

std::string ShortestText(double value) {
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return error == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    const auto first = item.find_first_not_of(' '), last = item.find_last_not_of(' ');
    if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
  }
  return items;
}

}  // namespace foldrank::cli
