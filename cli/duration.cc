#include "cli/duration.h"

namespace foldrank::cli {

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

}  // namespace foldrank::cli
