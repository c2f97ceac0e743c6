#include "cli/command_line.h"

#include <iostream>

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

}  // namespace foldrank::cli
