#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "foldrank/result.h"

namespace foldrank {

// 128 random bits from the kernel (getrandom), as 32 lowercase hex digits: query
// ids and generated event ids, unguessable so nobody can click for someone else.
std::string NewRandomId();

// The same 128 random bits behind 12 hex digits of the Unix time in milliseconds:
// as unguessable, and ids issued later sort later, so the ledger's indexes on
// query ids grow at one end. Inserting an impression, and checking a click against
// a recent one, then touch a few hot pages instead of a random page per row (on
// the Debian benchmark, about 3x the impression and 2x the click rate).
std::string NewTimeOrderedId();

// Hashes site user keys with SipHash-2-4 under a secret key, so the ledger never
// holds a user key and the hash cannot be reversed by trying likely keys without
// the secret. Thread-safe (immutable).
class UserKeyHasher {
 public:
  // Reads the secret from `key_file`, creating it (random, mode 0600) if missing.
  static Result<UserKeyHasher> Open(const std::filesystem::path& key_file);
  explicit UserKeyHasher(std::array<std::uint64_t, 2> key) : key_(key) {}

  // 16 hex digits; empty for an empty user key (anonymous).
  std::string Hash(std::string_view user_key) const;

 private:
  std::array<std::uint64_t, 2> key_;
};

// A fresh random SipHash key, for in-memory hash tables that must resist chosen
// collisions.
std::array<std::uint64_t, 2> NewSipHashKey();

// SipHash-2-4 of `data` under `key` (Aumasson & Bernstein 2012). Exposed for tests.
std::uint64_t SipHash24(std::array<std::uint64_t, 2> key, std::string_view data);

}  // namespace foldrank
