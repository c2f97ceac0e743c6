#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "ranker/model.h"

namespace foldrank {

// The serving model, swappable while queries run.
//  * Current() is the query path: it takes no lock once a thread has seen the
//    current model (one atomic load of a generation counter, then a thread-local
//    copy); after a swap, each thread takes a mutex once to pick up the new model.
//  * Publish() swaps atomically: a query sees the old model or the new one whole.
//  * A model stays alive while any query still holds it.
class ModelStore {
 public:
  explicit ModelStore(std::shared_ptr<const Model> initial);
  ModelStore(const ModelStore&) = delete;
  ModelStore& operator=(const ModelStore&) = delete;

  std::shared_ptr<const Model> Current() const;
  // Requires next != nullptr.
  void Publish(std::shared_ptr<const Model> next);

 private:
  const std::uint64_t id_;                    // Tells this store's thread-local cache apart.
  std::atomic<std::uint64_t> generation_{1};  // Bumped by every Publish.
  mutable std::mutex mu_;
  std::shared_ptr<const Model> current_;  // Guarded by mu_.
};

}  // namespace foldrank
