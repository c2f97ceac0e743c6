#pragma once

#include <chrono>
#include <cstdint>

namespace foldrank {

// Wall-clock time as Unix milliseconds / seconds: what the ledger and models store.
inline std::int64_t UnixMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
inline std::int64_t UnixSeconds() { return UnixMillis() / 1000; }

}  // namespace foldrank
