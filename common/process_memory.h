#pragma once

#include <cstdint>

namespace foldrank {

// Resident memory of this process in bytes (from /proc/self/statm), or 0 where
// that file cannot be read.
std::int64_t ResidentBytes();

}  // namespace foldrank
