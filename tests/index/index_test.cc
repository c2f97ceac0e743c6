#include "index/index.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "tests/index/index_test_util.h"

namespace foldrank {
namespace {

using testing::Contains;
using testing::Doc;
using testing::Ids;
using testing::ManualOptions;
using testing::TempDir;
using Code = Status::Code;

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto index = Index::Open(dir_.path() / "index", ManualOptions());
    ASSERT_OK(index);
    index_ = std::move(*index);
  }
  TempDir dir_;
  std::unique_ptr<Index> index_;
};

TEST_F(IndexTest, NewIndexIsEmptyAndSearchable) {
  auto snapshot = index_->Snapshot();
  EXPECT_EQ(snapshot->doc_count(), 0);
  auto result = snapshot->Candidates("anything", 10);
  ASSERT_OK(result);
  EXPECT_TRUE(result->candidates.empty());
}

TEST_F(IndexTest, AddedDocumentsAreFoundAfterRefresh) {
  ASSERT_OK(index_->Upsert(Doc("vim", "Vim text editor", "A modal editor for the terminal")));
  ASSERT_OK(index_->Upsert(Doc("gimp", "GIMP image editor", "Edit photos and images")));
  EXPECT_TRUE(Ids(*index_, "editor").empty());  // Not refreshed yet.
  ASSERT_OK(index_->Refresh());
  EXPECT_EQ(index_->Snapshot()->doc_count(), 2);
  EXPECT_EQ(Ids(*index_, "terminal"), std::vector<std::string>{"vim"});
  auto both = Ids(*index_, "editor");
  EXPECT_EQ(both.size(), 2u);
}

TEST_F(IndexTest, SameIdReplacesTheDocument) {
  ASSERT_OK(index_->Upsert(Doc("d", "old title", "apples")));
  ASSERT_OK(index_->Refresh());
  ASSERT_OK(index_->Upsert(Doc("d", "new title", "oranges")));
  ASSERT_OK(index_->Refresh());
  auto snapshot = index_->Snapshot();
  EXPECT_EQ(snapshot->doc_count(), 1);
  EXPECT_TRUE(Ids(*index_, "apples").empty());
  EXPECT_EQ(Ids(*index_, "oranges"), std::vector<std::string>{"d"});
  auto stored = snapshot->Lookup("d");
  ASSERT_OK(stored);
  EXPECT_EQ(stored->title, "new title");
}

TEST_F(IndexTest, DeleteRemovesByIdAndIgnoresUnknownIds) {
  ASSERT_OK(index_->Upsert(Doc("a", "first", "shared words")));
  ASSERT_OK(index_->Upsert(Doc("b", "second", "shared words")));
  ASSERT_OK(index_->Refresh());
  ASSERT_OK(index_->Delete("a"));
  ASSERT_OK(index_->Delete("never-existed"));
  ASSERT_OK(index_->Refresh());
  EXPECT_EQ(Ids(*index_, "shared"), std::vector<std::string>{"b"});
  EXPECT_CODE(index_->Snapshot()->Lookup("a"), Code::kNotFound);
}

// Existence is decided against the writes, not the searchable snapshot: no refresh
// happens between these calls (ManualOptions), as none may in a real server.
TEST_F(IndexTest, ExistenceReadsItsOwnWritesBeforeAnyRefresh) {
  auto created = index_->Upsert(Doc("new", "fresh", "text"));
  ASSERT_OK(created);
  EXPECT_FALSE(*created);
  EXPECT_TRUE(*index_->Contains("new"));
  EXPECT_TRUE(*index_->Upsert(Doc("new", "fresh again", "text")));  // Replaced, not created.
  EXPECT_TRUE(*index_->Delete("new"));
  EXPECT_FALSE(*index_->Contains("new"));
  EXPECT_FALSE(*index_->Delete("new"));  // Nothing left to delete.
  ASSERT_OK(index_->Refresh());
  EXPECT_CODE(index_->Snapshot()->Lookup("new"), Code::kNotFound);
  EXPECT_FALSE(*index_->Contains("new"));
  EXPECT_FALSE(*index_->Upsert(Doc("new", "back", "text")));  // Created once more.
}

TEST_F(IndexTest, OfRacingUpsertsOfANewIdExactlyOneCreatesIt) {
  for (int round = 0; round < 20; ++round) {
    const std::string id = "race-" + std::to_string(round);
    std::atomic<int> created{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&] {
        auto existed = index_->Upsert(Doc(id, "title", "body"));
        if (existed && !*existed) created.fetch_add(1);
      });
    }
    for (std::thread& writer : writers) writer.join();
    EXPECT_EQ(created.load(), 1) << id;
  }
}

TEST_F(IndexTest, SnapshotsAreIsolatedFromLaterWrites) {
  ASSERT_OK(index_->Upsert(Doc("a", "alpha", "text")));
  ASSERT_OK(index_->Refresh());
  auto before = index_->Snapshot();
  ASSERT_OK(index_->Upsert(Doc("b", "beta", "text")));
  ASSERT_OK(index_->Delete("a"));
  ASSERT_OK(index_->Refresh());
  auto after = index_->Snapshot();
  EXPECT_GT(after->generation(), before->generation());

  auto old_view = before->Candidates("text", 10);
  ASSERT_OK(old_view);
  ASSERT_EQ(old_view->candidates.size(), 1u);
  EXPECT_EQ(old_view->candidates[0].id, "a");
  auto fetched = before->Fetch(old_view->candidates[0]);  // Still readable from the old view.
  ASSERT_OK(fetched);
  EXPECT_EQ(fetched->title, "alpha");
  EXPECT_EQ(Ids(*index_, "text"), std::vector<std::string>{"b"});
}

TEST_F(IndexTest, RefreshWithoutWritesKeepsTheSnapshot) {
  auto before = index_->Snapshot();
  ASSERT_OK(index_->Refresh());
  EXPECT_EQ(index_->Snapshot(), before);
}

TEST_F(IndexTest, FetchReturnsTheWholeDocumentWithStoredExtras) {
  auto document = ParseDocument(
      R"({"id":"p1","title":"Widget","body":"A widget.","url":"/p1","tags":["tools"],)"
      R"("popularity":42,"updated_at":"2025-01-02T03:04:05Z","price":9.5,"stock":{"eu":3}})");
  ASSERT_OK(document);
  ASSERT_OK(index_->Upsert(*document));
  ASSERT_OK(index_->Refresh());
  auto stored = index_->Snapshot()->Lookup("p1");
  ASSERT_OK(stored);
  EXPECT_EQ(*stored, *document);
}

TEST_F(IndexTest, PriorsComeFromTheIndexedValues) {
  Document fresh = Doc("fresh", "common", "x");
  fresh.popularity = 120.5;
  fresh.updated_at = 1700000000;
  ASSERT_OK(index_->Upsert(fresh));
  ASSERT_OK(index_->Upsert(Doc("plain", "common", "y")));
  ASSERT_OK(index_->Refresh());
  auto snapshot = index_->Snapshot();
  auto result = snapshot->Candidates("common", 10);
  ASSERT_OK(result);
  ASSERT_EQ(result->candidates.size(), 2u);
  auto priors = snapshot->Priors(result->candidates);
  for (std::size_t i = 0; i < priors.size(); ++i) {
    if (result->candidates[i].id == "fresh") {
      EXPECT_DOUBLE_EQ(priors[i].popularity, 120.5);
      EXPECT_EQ(priors[i].updated_at, 1700000000);
    } else {
      EXPECT_DOUBLE_EQ(priors[i].popularity, 0);
      EXPECT_FALSE(priors[i].updated_at.has_value());
    }
  }
}

TEST_F(IndexTest, RejectsEmptyIdsAndInvalidUtf8) {
  EXPECT_CODE(index_->Upsert(Doc("", "t", "b")), Code::kInvalidArgument);
  EXPECT_CODE(index_->Upsert(Doc("x", "bad \xFF title", "b")), Code::kInvalidArgument);
}

TEST_F(IndexTest, HitsAcrossSeveralSegmentsMapToTheRightIds) {
  // Each refresh after a write flushes a new segment.
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(index_->Upsert(
        Doc("doc" + std::to_string(i), "segment test", "number " + std::to_string(i))));
    ASSERT_OK(index_->Refresh());
  }
  auto snapshot = index_->Snapshot();
  EXPECT_GE(snapshot->segment_count(), 2);
  for (int i = 0; i < 5; ++i) {
    auto result = snapshot->Candidates(std::to_string(i), 10);
    ASSERT_OK(result);
    ASSERT_EQ(result->candidates.size(), 1u) << i;
    EXPECT_EQ(result->candidates[0].id, "doc" + std::to_string(i));
    auto stored = snapshot->Fetch(result->candidates[0]);
    ASSERT_OK(stored);
    EXPECT_EQ(stored->body, "number " + std::to_string(i));
  }
  ASSERT_OK(index_->Optimize());
  EXPECT_EQ(index_->Snapshot()->segment_count(), 1);
  EXPECT_EQ(Ids(*index_, "3"), std::vector<std::string>{"doc3"});
}

// Whether the index's snapshot holds `count` documents within a second, without a
// Refresh() call (the background refresh's promise).
bool CountWithinASecond(const Index& index, std::int64_t count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (std::chrono::steady_clock::now() < deadline) {
    if (index.Snapshot()->doc_count() == count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(IndexLifecycleTest, WritesBecomeSearchableWithinOneSecondWithoutARefreshCall) {
  TempDir dir;
  IndexOptions options;  // Defaults: background refresh.
  auto index = Index::Open(dir.path(), options);
  ASSERT_OK(index);
  ASSERT_OK((*index)->Upsert(Doc("nrt", "near real time", "visible soon")));
  EXPECT_TRUE(CountWithinASecond(**index, 1)) << "the write was not searchable within 1 s";
}

TEST(IndexLifecycleTest, WritesAfterAnExplicitRefreshAlsoBecomeSearchable) {
  TempDir dir;
  auto index = Index::Open(dir.path(), IndexOptions());
  ASSERT_OK(index);
  ASSERT_OK((*index)->Upsert(Doc("first", "first", "one")));
  ASSERT_OK((*index)->Refresh());
  ASSERT_OK((*index)->Upsert(Doc("second", "second", "two")));
  EXPECT_TRUE(CountWithinASecond(**index, 2)) << "the write was not searchable within 1 s";
}

TEST(IndexLifecycleTest, DocumentsSurviveCloseAndReopen) {
  TempDir dir;
  {
    auto index = Index::Open(dir.path(), ManualOptions());
    ASSERT_OK(index);
    ASSERT_OK((*index)->Upsert(Doc("keep", "persistent", "on disk")));
  }  // Destruction commits.
  auto reopened = Index::Open(dir.path(), ManualOptions());
  ASSERT_OK(reopened);
  EXPECT_EQ(Ids(**reopened, "persistent"), std::vector<std::string>{"keep"});
}

TEST(IndexLifecycleTest, ReadOnlyOpenSeesCommittedWritesAfterRefresh) {
  TempDir dir;
  auto writer = Index::Open(dir.path(), ManualOptions());
  ASSERT_OK(writer);
  IndexOptions read_only = ManualOptions();
  read_only.mode = IndexOptions::Mode::kReadOnly;
  auto reader = Index::Open(dir.path(), read_only);
  ASSERT_OK(reader);
  EXPECT_CODE((*reader)->Upsert(Doc("x", "t", "b")), Code::kUnavailable);

  ASSERT_OK((*writer)->Upsert(Doc("a", "committed", "text")));
  ASSERT_OK((*reader)->Refresh());
  EXPECT_EQ((*reader)->Snapshot()->doc_count(), 0);  // Not committed yet.
  ASSERT_OK((*writer)->Commit());
  ASSERT_OK((*reader)->Refresh());
  EXPECT_EQ(Ids(**reader, "committed"), std::vector<std::string>{"a"});
}

TEST(IndexLifecycleTest, SecondWriterIsRefusedWhileTheFirstHoldsTheLock) {
  TempDir dir;
  auto first = Index::Open(dir.path(), ManualOptions());
  ASSERT_OK(first);
  auto second = Index::Open(dir.path(), ManualOptions());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), Code::kUnavailable) << second.error().ToString();
}

TEST(IndexLifecycleTest, OpenReportsMissingAndInvalidDirectories) {
  TempDir dir;
  IndexOptions no_create = ManualOptions();
  no_create.create_if_missing = false;
  EXPECT_CODE(Index::Open(dir.path() / "absent", no_create), Code::kNotFound);
  IndexOptions read_only = ManualOptions();
  read_only.mode = IndexOptions::Mode::kReadOnly;
  EXPECT_CODE(Index::Open(dir.path(), read_only), Code::kNotFound);  // Exists, holds no index.
  std::ofstream(dir.path() / "file") << "not a directory";
  EXPECT_CODE(Index::Open(dir.path() / "file", ManualOptions()), Code::kInvalidArgument);
}

TEST(IndexLifecycleTest, DamagedIndexFilesAreAnErrorNotACrash) {
  TempDir dir;
  {
    auto index = Index::Open(dir.path(), ManualOptions());
    ASSERT_OK(index);
    ASSERT_OK((*index)->Upsert(Doc("a", "title", "body")));
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().filename().string().rfind("segments_", 0) == 0) {
      std::ofstream(entry.path(), std::ios::trunc) << "garbage";
    }
  }
  auto reopened = Index::Open(dir.path(), ManualOptions());
  ASSERT_FALSE(reopened);
  EXPECT_NE(reopened.error().code(), Code::kOk);
  EXPECT_NE(reopened.error().message().find(dir.path().string()), std::string::npos)
      << reopened.error().ToString();
}

}  // namespace
}  // namespace foldrank
