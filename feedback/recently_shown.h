#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace foldrank {

// Which document the impressions this process logged recently showed at which
// position, so that a click on one of them (most clicks: they follow their search
// by seconds) is checked in memory instead of against the ledger's result rows,
// whose pages a click on anything but the newest impressions reads from disk.
//
// Holds keyed 64-bit fingerprints of (query id, position, document): at least the
// newest `capacity` added, at most twice that (two generations; the older one is
// dropped whole). A miss means nothing: the ledger decides. A hit is wrong only on
// a fingerprint collision, 2^-64 per lookup under a random key that never leaves
// the process, so nobody can aim for one. Not thread-safe.
class RecentlyShown {
 public:
  // About 26,000 pages of 10 results: minutes of a busy site's searches, in 8 MiB.
  static constexpr std::size_t kDefaultCapacity = std::size_t{1} << 18;

  explicit RecentlyShown(std::size_t capacity = kDefaultCapacity);

  void Add(std::string_view query_id, int position, std::string_view doc_id);
  bool Contains(std::string_view query_id, int position, std::string_view doc_id) const;

 private:
  // An open-addressing set of fingerprints (0: empty slot), at most half full.
  struct Generation {
    std::vector<std::uint64_t> slots;
    std::size_t size = 0;
    bool Find(std::uint64_t fingerprint) const;
    void Insert(std::uint64_t fingerprint);
  };

  std::uint64_t Fingerprint(std::string_view query_id, int position, std::string_view doc_id) const;

  const std::size_t capacity_;
  const std::array<std::uint64_t, 2> key_;
  mutable std::string scratch_;  // The fingerprint's input, reused.
  Generation current_, previous_;
};

}  // namespace foldrank
