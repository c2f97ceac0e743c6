#include "feedback/impression_log.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/clock.h"
#include "feedback/click_writer.h"
#include "feedback/ids.h"
#include "feedback/sqlite_ledger.h"
#include "tests/feedback/feedback_test_util.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace foldrank {
namespace {

using testing::MakeImpression;

TEST(ImpressionLogTest, ConcurrentSubmitsAreWrittenOrCountedAsDropped) {
  testing::TempDir dir;
  auto ledger = SqliteLedger::Open(dir.path() / "ledger.sqlite");
  ASSERT_OK(ledger);
  std::uint64_t accepted = 0;
  {
    ImpressionLog log(**ledger, {.capacity = 64, .max_batch = 16});
    std::atomic<std::uint64_t> queued{0};
    std::vector<std::thread> searchers;
    for (int t = 0; t < 4; ++t) {
      searchers.emplace_back([&, t] {
        for (int i = 0; i < 200; ++i) {
          const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
          if (log.Submit(MakeImpression(id, {"a", "b"}, {0.1f, 0.2f}, 1000))) queued.fetch_add(1);
        }
      });
    }
    for (auto& searcher : searchers) searcher.join();
    log.Flush();
    const auto counters = log.counters();
    EXPECT_EQ(counters.submitted, 800u);
    EXPECT_EQ(counters.written + counters.dropped, 800u);
    EXPECT_EQ(counters.written, queued.load());
    EXPECT_EQ(counters.failed, 0u);
    accepted = counters.written;
  }
  auto settled = (*ledger)->Settled(4'000'000'000'000, 0, 1000);
  ASSERT_OK(settled);
  EXPECT_EQ(settled->size(), accepted);  // Everything acknowledged as queued is stored.
}

TEST(ImpressionLogTest, DestructionWritesWhatIsQueued) {
  testing::TempDir dir;
  auto ledger = SqliteLedger::Open(dir.path() / "ledger.sqlite");
  ASSERT_OK(ledger);
  {
    ImpressionLog log(**ledger);
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(log.Submit(MakeImpression("q" + std::to_string(i), {"a"}, {0.5f}, 1000)));
    }
  }
  auto settled = (*ledger)->Settled(4'000'000'000'000, 0, 1000);
  ASSERT_OK(settled);
  EXPECT_EQ(settled->size(), 50u);
}

TEST(ClickWriterTest, ConcurrentClicksAreGroupCommittedWithTheirOwnOutcomes) {
  testing::TempDir dir;
  auto ledger = SqliteLedger::Open(dir.path() / "ledger.sqlite");
  ASSERT_OK(ledger);
  std::vector<Impression> impressions;
  for (int i = 0; i < 100; ++i) {
    impressions.push_back(MakeImpression("q" + std::to_string(i), {"a", "b"}, {0.1f, 0.2f}, 1000));
  }
  ASSERT_OK((*ledger)->AppendImpressions(impressions));
  ClickWriter writer(**ledger, /*max_batch=*/16);
  std::atomic<int> accepted{0}, duplicate{0}, rejected{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      for (int i = t; i < 100; i += 8) {
        const std::string q = "q" + std::to_string(i);
        auto first = writer.Record({"e" + std::to_string(i), q, "b", 1, 0, std::nullopt});
        auto again = writer.Record({"e" + std::to_string(i), q, "b", 1, 0, std::nullopt});
        auto bad = writer.Record({"x" + std::to_string(i), q, "b", 0, 0, std::nullopt});
        accepted += first.has_value() && *first == ClickOutcome::kAccepted;
        duplicate += again.has_value() && *again == ClickOutcome::kDuplicate;
        rejected += !bad.has_value();
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(accepted.load(), 100);
  EXPECT_EQ(duplicate.load(), 100);
  EXPECT_EQ(rejected.load(), 100);
  const ClickTally tally = (*ledger)->click_tally();
  EXPECT_EQ(tally.accepted, 100u);
  EXPECT_EQ(tally.wrong_position, 100u);
}

TEST(IdsTest, TimeOrderedIdsSortByIssueTimeAndKeepTheirRandomBits) {
  const std::int64_t before_ms = UnixMillis();
  const std::string first = NewTimeOrderedId();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const std::string second = NewTimeOrderedId(), third = NewTimeOrderedId();
  ASSERT_EQ(first.size(), 44u);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_LT(first, second);  // Issued a millisecond or more apart.
  EXPECT_NE(second, third);  // The same millisecond: the random part differs.
  const std::int64_t issued_ms = std::stoll(first.substr(0, 12), nullptr, 16);
  EXPECT_GE(issued_ms, before_ms);
  EXPECT_LE(issued_ms, UnixMillis());
}

TEST(IdsTest, RandomIdsAreUniqueHexAndUserHashesAreKeyed) {
  const std::string a = NewRandomId(), b = NewRandomId();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  const UserKeyHasher one({1, 2}), other({3, 4});
  EXPECT_EQ(one.Hash("alice"), one.Hash("alice"));
  EXPECT_NE(one.Hash("alice"), one.Hash("bob"));
  EXPECT_NE(one.Hash("alice"), other.Hash("alice"));
  EXPECT_EQ(one.Hash(""), "");
  // SipHash-2-4 reference vector (Aumasson & Bernstein): key 00..0f, message 00..0e.
  std::string message;
  for (int i = 0; i < 15; ++i) message.push_back(static_cast<char>(i));
  EXPECT_EQ(SipHash24({0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL}, message),
            0xa129ca6149be45e5ULL);
}

TEST(IdsTest, UserKeyFileIsCreatedOnceAndReused) {
  testing::TempDir dir;
  auto first = UserKeyHasher::Open(dir.path() / "user.key");
  ASSERT_OK(first);
  auto second = UserKeyHasher::Open(dir.path() / "user.key");
  ASSERT_OK(second);
  EXPECT_EQ(first->Hash("carol"), second->Hash("carol"));
  EXPECT_EQ(std::filesystem::file_size(dir.path() / "user.key"), 16u);
}

}  // namespace
}  // namespace foldrank
