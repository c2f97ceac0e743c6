#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "common/check.h"

namespace foldrank {

// Holds the current immutable snapshot of a T that queries read and a background
// task replaces (the serving model, click counts).
//  * Current() is the query path: once a thread has seen the current snapshot it
//    takes no lock (one atomic load of a generation counter, then a thread-local
//    copy); after a swap, each thread takes the mutex once to pick up the new one.
//  * Publish() swaps atomically: a reader sees the old snapshot or the new one whole.
//  * A snapshot stays alive while any reader still holds it.
template <typename T>
class SnapshotCell {
 public:
  explicit SnapshotCell(std::shared_ptr<const T> initial)
      : id_(NextId()), current_(std::move(initial)) {
    FOLDRANK_CHECK(current_ != nullptr);
  }
  SnapshotCell(const SnapshotCell&) = delete;
  SnapshotCell& operator=(const SnapshotCell&) = delete;

  std::shared_ptr<const T> Current() const {
    // The acquire pairs with Publish's release: a new generation implies current_
    // already holds the new snapshot.
    const std::uint64_t generation = generation_.load(std::memory_order_acquire);
    Cached& cached = cache()[id_ % kCacheSlots];
    if (cached.cell == id_ && cached.generation == generation) return cached.value;
    std::lock_guard<std::mutex> lock(mu_);
    cached = {id_, generation_.load(std::memory_order_relaxed), current_};
    return cached.value;
  }

  // Requires next != nullptr.
  void Publish(std::shared_ptr<const T> next) {
    FOLDRANK_CHECK(next != nullptr);
    std::lock_guard<std::mutex> lock(mu_);
    current_ = std::move(next);
    generation_.fetch_add(1, std::memory_order_release);
  }

 private:
  // The snapshot this thread last read, and from which cell and generation.
  struct Cached {
    std::uint64_t cell = 0;
    std::uint64_t generation = 0;
    std::shared_ptr<const T> value;
  };
  // A few cells per thread (the model, click counts, experiments) each keep their
  // slot, so reading one does not evict another.
  static constexpr std::uint64_t kCacheSlots = 8;
  static std::array<Cached, kCacheSlots>& cache() {
    thread_local std::array<Cached, kCacheSlots> cached;
    return cached;
  }
  static std::uint64_t NextId() {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1);
  }

  const std::uint64_t id_;  // Tells this cell's entry in the thread-local cache apart.
  std::atomic<std::uint64_t> generation_{1};
  mutable std::mutex mu_;
  std::shared_ptr<const T> current_;  // Guarded by mu_.
};

}  // namespace foldrank
