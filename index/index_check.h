#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "foldrank/result.h"

namespace foldrank {

// What reading a whole index back found. Read-only: nothing in the directory is
// written, repaired or locked.
struct IndexCheck {
  std::int64_t documents = 0;  // Live documents in the segments that opened.
  std::int32_t segments = 0;
  std::vector<std::string> damage;  // One line per problem; empty: the index is sound.
};

// Opens every segment of the index in `directory` and reads it through (norms,
// term dictionary and postings, stored fields, term vectors). NotFound when there
// is no index there; damage found is reported in the result, not as an error.
// Costs a full read of the index (about a second per 100,000 small documents).
Result<IndexCheck> CheckIndexFiles(const std::filesystem::path& directory);

}  // namespace foldrank
