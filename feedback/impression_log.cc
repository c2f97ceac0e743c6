#include "feedback/impression_log.h"

#include <vector>

namespace foldrank {

ImpressionLog::ImpressionLog(Ledger& ledger, ImpressionLogOptions options)
    : ledger_(ledger), options_(options), writer_([this] { WriterLoop(); }) {}

ImpressionLog::~ImpressionLog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_writer_.notify_one();
  writer_.join();
}

bool ImpressionLog::Submit(Impression impression) {
  submitted_.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mu_);  // Held for a push: nanoseconds, never I/O.
    if (queue_.size() >= options_.capacity) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    queue_.push_back(std::move(impression));
    ++queued_;
  }
  wake_writer_.notify_one();
  return true;
}

void ImpressionLog::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  // Everything queued before now, not whatever keeps arriving: under steady search
  // traffic the queue may never be empty.
  const std::uint64_t target = queued_;
  drained_.wait(lock, [&] { return done_ >= target; });
}

ImpressionLog::Counters ImpressionLog::counters() const {
  return {submitted_.load(), written_.load(), dropped_.load(), failed_.load()};
}

Status ImpressionLog::LastWrite() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_write_;
}

void ImpressionLog::WriterLoop() {
  std::vector<Impression> batch;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_writer_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() && stopping_) return;
    batch.clear();
    while (!queue_.empty() && batch.size() < options_.max_batch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    // One transaction for the whole group: one fsync for many impressions.
    const Status status = ledger_.AppendImpressions(batch);
    (status.ok() ? written_ : failed_).fetch_add(batch.size(), std::memory_order_relaxed);
    lock.lock();
    last_write_ = status;
    done_ += batch.size();
    drained_.notify_all();
  }
}

}  // namespace foldrank
