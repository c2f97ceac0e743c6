#include "feedback/recently_shown.h"

#include <algorithm>
#include <bit>

#include "feedback/ids.h"

namespace foldrank {

RecentlyShown::RecentlyShown(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)), key_(NewSipHashKey()) {}

std::uint64_t RecentlyShown::Fingerprint(std::string_view query_id, int position,
                                         std::string_view doc_id) const {
  // Lengths first, so that no two triples share an input.
  scratch_.clear();
  for (std::uint64_t value : {static_cast<std::uint64_t>(query_id.size()),
                              static_cast<std::uint64_t>(static_cast<std::uint32_t>(position))}) {
    scratch_.append(reinterpret_cast<const char*>(&value), sizeof(value));
  }
  scratch_.append(query_id);
  scratch_.append(doc_id);
  const std::uint64_t fingerprint = SipHash24(key_, scratch_);
  return fingerprint == 0 ? 1 : fingerprint;  // 0 marks an empty slot.
}

bool RecentlyShown::Generation::Find(std::uint64_t fingerprint) const {
  if (slots.empty()) return false;
  const std::size_t mask = slots.size() - 1;
  for (std::size_t i = fingerprint & mask;; i = (i + 1) & mask) {
    if (slots[i] == fingerprint) return true;
    if (slots[i] == 0) return false;
  }
}

void RecentlyShown::Generation::Insert(std::uint64_t fingerprint) {
  const std::size_t mask = slots.size() - 1;
  for (std::size_t i = fingerprint & mask;; i = (i + 1) & mask) {
    if (slots[i] == fingerprint) return;
    if (slots[i] == 0) {
      slots[i] = fingerprint;
      ++size;
      return;
    }
  }
}

void RecentlyShown::Add(std::string_view query_id, int position, std::string_view doc_id) {
  if (current_.size == capacity_) {
    std::swap(current_, previous_);
    std::fill(current_.slots.begin(), current_.slots.end(), 0);
    current_.size = 0;
  }
  // Allocated on first use, so that a ledger opened only to read costs nothing.
  if (current_.slots.empty()) current_.slots.assign(std::bit_ceil(2 * capacity_), 0);
  current_.Insert(Fingerprint(query_id, position, doc_id));
}

bool RecentlyShown::Contains(std::string_view query_id, int position,
                             std::string_view doc_id) const {
  const std::uint64_t fingerprint = Fingerprint(query_id, position, doc_id);
  return current_.Find(fingerprint) || previous_.Find(fingerprint);
}

}  // namespace foldrank
