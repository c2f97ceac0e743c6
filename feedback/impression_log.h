#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "feedback/ledger.h"
#include "foldrank/engine_status.h"

namespace foldrank {

struct ImpressionLogOptions {
  // Impressions waiting for the writer; beyond this, new ones are dropped.
  std::size_t capacity = 10'000;
  // Impressions per ledger transaction (group commit).
  std::size_t max_batch = 512;
};

// Takes impressions off the query path: Submit() only queues (never waits for the
// ledger), and one writer thread commits them in groups. When the queue is full
// the impression is dropped and counted: searches never block on the ledger.
// Thread-safe. Destruction writes what is queued, then stops the writer.
class ImpressionLog {
 public:
  ImpressionLog(Ledger& ledger, ImpressionLogOptions options = {});
  ~ImpressionLog();
  ImpressionLog(const ImpressionLog&) = delete;
  ImpressionLog& operator=(const ImpressionLog&) = delete;

  // Queues `impression`; false (and counted) if the queue is full.
  bool Submit(Impression impression);
  // Waits until everything submitted before the call is written (or failed); what
  // arrives meanwhile does not prolong the wait.
  void Flush();

  using Counters = ImpressionCounters;
  Counters counters() const;
  // OK when the newest group of impressions was stored; else why it was not (e.g.
  // the disk is full), until a later group is stored again.
  Status LastWrite() const;

 private:
  void WriterLoop();

  Ledger& ledger_;
  const ImpressionLogOptions options_;
  mutable std::mutex mu_;
  std::condition_variable wake_writer_;
  std::condition_variable drained_;
  std::deque<Impression> queue_;  // Guarded by mu_.
  std::uint64_t queued_ = 0;      // Guarded by mu_: ever queued (not dropped).
  std::uint64_t done_ = 0;        // Guarded by mu_: ever written or failed.
  bool stopping_ = false;         // Guarded by mu_.
  Status last_write_;             // Guarded by mu_.
  std::atomic<std::uint64_t> submitted_{0}, written_{0}, dropped_{0}, failed_{0};
  std::thread writer_;
};

}  // namespace foldrank
