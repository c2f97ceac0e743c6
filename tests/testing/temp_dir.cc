#include "tests/testing/temp_dir.h"

#include <stdlib.h>

#include <string>

#include "common/check.h"

namespace foldrank::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "foldrank-test-XXXXXX").string();
  FOLDRANK_CHECK(mkdtemp(pattern.data()) != nullptr);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;  // Best effort: a leftover temp dir fails no test.
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace foldrank::testing
