#pragma once

#include <filesystem>
#include <string>

#include "foldrank/result.h"

namespace foldrank::http {

// The admin token a server uses when none is configured: made once, at random (256
// bits, hex), in `file` (mode 0600: only the server's user reads it), and the same
// on every later start.
struct StoredToken {
  std::string token;
  bool created = false;    // Made by this call.
  bool tightened = false;  // The file was readable by others and is now 0600.
};
// Unavailable if the file cannot be created or read; Corruption if it holds no
// usable token (fewer than 16 or more than 256 characters, or any outside
// printable ASCII), so that a damaged file is never silently replaced.
Result<StoredToken> LoadOrCreateAdminToken(const std::filesystem::path& file);

}  // namespace foldrank::http
