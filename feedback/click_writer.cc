#include "feedback/click_writer.h"

#include <future>
#include <memory>
#include <vector>

namespace foldrank {

ClickWriter::ClickWriter(Ledger& ledger, std::size_t max_batch, std::function<void()> before_batch)
    : ledger_(ledger),
      max_batch_(max_batch),
      before_batch_(std::move(before_batch)),
      writer_([this] { WriterLoop(); }) {}

ClickWriter::~ClickWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

Result<ClickOutcome> ClickWriter::Record(Click click) {
  auto promise = std::make_shared<std::promise<Result<ClickOutcome>>>();
  std::future<Result<ClickOutcome>> result = promise->get_future();
  RecordAsync(std::move(click),
              [promise](Result<ClickOutcome> outcome) { promise->set_value(std::move(outcome)); });
  return result.get();
}

void ClickWriter::RecordAsync(Click click, Done done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      queue_.push_back({std::move(click), std::move(done)});
      done = nullptr;
    }
  }
  if (done) {
    done(Status::Unavailable("the click writer is shutting down"));
    return;
  }
  wake_.notify_one();
}

void ClickWriter::WriterLoop() {
  std::vector<Click> clicks;
  std::vector<Done> dones;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // Stopping, and nothing left.
    // Everything that queued while the previous group committed goes in this one.
    clicks.clear();
    dones.clear();
    while (!queue_.empty() && clicks.size() < max_batch_) {
      clicks.push_back(std::move(queue_.front().click));
      dones.push_back(std::move(queue_.front().done));
      queue_.pop_front();
    }
    lock.unlock();
    if (before_batch_) before_batch_();
    std::vector<Result<ClickOutcome>> outcomes = ledger_.RecordClicks(clicks);
    for (std::size_t i = 0; i < dones.size(); ++i) dones[i](std::move(outcomes[i]));
    dones.clear();  // Callbacks may hold resources (a connection): release them now.
    lock.lock();
  }
}

}  // namespace foldrank
