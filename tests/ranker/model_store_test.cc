#include "ranker/model_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace foldrank {
namespace {

std::shared_ptr<const Model> Version(const Model& base, float marker) {
  LinearFunction delta;
  delta.bias = marker;  // Each published model is recognizable by its delta bias.
  return std::make_shared<const Model>(base.WithDelta(delta, "test"));
}

TEST(ModelStoreTest, CurrentReturnsWhatWasPublished) {
  const Model base = Model::ColdStart();
  ModelStore store(Version(base, 0));
  EXPECT_EQ(store.Current()->delta().bias, 0.0f);
  store.Publish(Version(base, 1));
  EXPECT_EQ(store.Current()->delta().bias, 1.0f);
}

TEST(ModelStoreTest, TwoStoresInOneThreadDoNotMixUp) {
  const Model base = Model::ColdStart();
  ModelStore a(Version(base, 10)), b(Version(base, 20));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(a.Current()->delta().bias, 10.0f);
    EXPECT_EQ(b.Current()->delta().bias, 20.0f);
  }
}

// Readers racing a publisher see only whole models, in publication order. Run under
// ThreadSanitizer by scripts/test.sh.
TEST(ModelStoreTest, SwapUnderConcurrentQueries) {
  const Model base = Model::ColdStart();
  ModelStore store(Version(base, 0));
  constexpr int kPublishes = 2000;
  std::atomic<bool> done{false};
  std::atomic<long> reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      float last = 0;
      FeatureMatrix x(4);
      std::vector<float> scores(4);
      while (!done.load()) {
        auto model = store.Current();
        const float marker = model->delta().bias;
        EXPECT_GE(marker, last);  // Never goes back in time.
        last = marker;
        model->Score(x, scores);  // Use it while the publisher keeps swapping.
        EXPECT_EQ(scores[0], marker + model->base_linear().bias);
        reads.fetch_add(1);
      }
    });
  }
  // Swap only once readers are running, and stop them only after they have read
  // past the last swap, so reads and swaps overlap on any scheduler.
  while (reads.load() < 100) std::this_thread::yield();
  for (int i = 1; i <= kPublishes; ++i) store.Publish(Version(base, static_cast<float>(i)));
  const long after_swaps = reads.load();
  while (reads.load() < after_swaps + 100) std::this_thread::yield();
  done = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(store.Current()->delta().bias, static_cast<float>(kPublishes));
  EXPECT_GT(reads.load(), 0);
}

}  // namespace
}  // namespace foldrank
