#include "ranker/model_store.h"

#include "common/check.h"

namespace foldrank {
namespace {

std::atomic<std::uint64_t> next_store_id{1};

// The model this thread last read, and from which store and generation.
struct CachedModel {
  std::uint64_t store = 0;
  std::uint64_t generation = 0;
  std::shared_ptr<const Model> model;
};
thread_local CachedModel cached;

}  // namespace

ModelStore::ModelStore(std::shared_ptr<const Model> initial)
    : id_(next_store_id.fetch_add(1)), current_(std::move(initial)) {
  FOLDRANK_CHECK(current_ != nullptr);
}

std::shared_ptr<const Model> ModelStore::Current() const {
  // Fast path: this thread already holds the newest model. The acquire pairs with
  // Publish's release, so a new generation implies current_ is already the new model.
  const std::uint64_t generation = generation_.load(std::memory_order_acquire);
  if (cached.store == id_ && cached.generation == generation) return cached.model;
  std::lock_guard<std::mutex> lock(mu_);
  cached = {id_, generation_.load(std::memory_order_relaxed), current_};
  return cached.model;
}

void ModelStore::Publish(std::shared_ptr<const Model> next) {
  FOLDRANK_CHECK(next != nullptr);
  std::lock_guard<std::mutex> lock(mu_);
  current_ = std::move(next);
  generation_.fetch_add(1, std::memory_order_release);
}

}  // namespace foldrank
