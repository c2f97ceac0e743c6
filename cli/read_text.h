#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "foldrank/result.h"

namespace foldrank::cli {

// A whole file as text (model files named on the command line); NotFound if it
// cannot be read.
inline Result<std::string> ReadText(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::NotFound("cannot read " + path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace foldrank::cli
