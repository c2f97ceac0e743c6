#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "feedback/ledger.h"

namespace foldrank {

// Durable click ingestion with group commit: Record() returns only once the click
// is committed (or rejected), and clicks arriving together share one transaction
// and one sync, so throughput grows with concurrency instead of being one fsync per
// click. Thread-safe. Destruction finishes what is queued.
class ClickWriter {
 public:
  // `before_batch` runs on the writer thread before each group is stored; the
  // server flushes its impression log there, so that a click never arrives at the
  // ledger before the impression it refers to.
  explicit ClickWriter(Ledger& ledger, std::size_t max_batch = 256,
                       std::function<void()> before_batch = {});
  ~ClickWriter();
  ClickWriter(const ClickWriter&) = delete;
  ClickWriter& operator=(const ClickWriter&) = delete;

  // Blocks until the click is durably stored (kAccepted), recognized (kDuplicate),
  // or rejected with the reason.
  Result<ClickOutcome> Record(Click click);

  // The same without blocking: `done` runs on the writer thread once the click's
  // group has committed (so it must be quick: hand the outcome to another thread).
  using Done = std::function<void(Result<ClickOutcome>)>;
  void RecordAsync(Click click, Done done);

 private:
  struct Pending {
    Click click;
    Done done;
  };
  void WriterLoop();

  Ledger& ledger_;
  const std::size_t max_batch_;
  const std::function<void()> before_batch_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;  // Guarded by mu_.
  bool stopping_ = false;      // Guarded by mu_.
  std::thread writer_;
};

}  // namespace foldrank
