#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "foldrank/document.h"
#include "foldrank/result.h"
#include "index/index_snapshot.h"

namespace foldrank {

struct IndexOptions {
  // kReadWrite takes the directory's write lock (one writer per directory, across
  // processes); kReadOnly sees what writers have committed, as of Refresh().
  enum class Mode { kReadWrite, kReadOnly };
  Mode mode = Mode::kReadWrite;
  // Create an empty index when the directory holds none (kReadWrite only).
  bool create_if_missing = true;
  // A background thread makes writes searchable this often (milliseconds); 0 leaves
  // it to explicit Refresh() calls.
  int refresh_interval_ms = 100;
  // A background thread commits pending writes to disk this often (milliseconds);
  // 0 leaves it to explicit Commit() calls and to destruction.
  int commit_interval_ms = 5000;
  // Memory for buffered documents before Lucene flushes a segment, in MiB.
  double ram_buffer_mb = 48;
  // The analysis language (a Snowball stemmer, index/analysis.h). A new index
  // records it ("english" when empty); an existing one analyzes as recorded, and
  // naming another here is InvalidArgument (Rebuild() changes it).
  std::string language = {};
};

// A Lucene++ index in one directory: documents in, consistent snapshots out. The
// only way into Lucene++ for the rest of foldrank.
//  * Writes (Upsert, Delete) are thread-safe, and searchable after the next refresh
//    (within refresh_interval_ms, or at once with Refresh()); durable after Commit().
//  * Snapshot() is thread-safe and cheap: readers never wait for writers.
//  * Destruction commits pending writes and stops the background thread.
class Index {
 public:
  // NotFound if the directory has no index and create_if_missing is off (or the mode
  // is kReadOnly); Unavailable if another process holds the write lock or the disk
  // fails; Corruption if the index files are damaged.
  static Result<std::unique_ptr<Index>> Open(const std::filesystem::path& directory,
                                             const IndexOptions& options = {});
  // Rebuilds the index in `directory` from its stored documents with this build's
  // analysis, in `language` (empty: the recorded language, or English for an index
  // from before records). Nothing is lost: the new index is built beside the old one
  // (DIR.rebuild) and replaces it only once complete and committed. Needs the
  // directory's write lock: Unavailable while a writer (a server) holds it.
  // Returns the number of documents rebuilt.
  static Result<std::int64_t> Rebuild(const std::filesystem::path& directory,
                                      std::string_view language = {});

  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Adds the document, replacing any with the same id; true if one was replaced.
  // InvalidArgument for an empty id, invalid UTF-8 or a url CheckDocumentUrl
  // refuses; Unavailable in kReadOnly mode or on a disk error.
  // Whether the id existed is decided against every write so far (read-your-writes),
  // atomically with the write: of two racing upserts of a new id, one returns false.
  Result<bool> Upsert(const Document& document);
  // Removes the document with this id; true if there was one (decided as Upsert
  // decides), false and nothing written if not.
  Result<bool> Delete(std::string_view id);
  // Whether a document with this id exists after every write so far (in kReadOnly
  // mode: in the newest snapshot).
  Result<bool> Contains(std::string_view id) const;
  // Makes every write so far visible to new snapshots.
  Status Refresh();
  // Makes every write so far durable on disk.
  Status Commit();
  // Merges the index into one segment (faster search, slow to run: for bulk loads).
  Status Optimize();

  // The newest snapshot; never null.
  std::shared_ptr<const IndexSnapshot> Snapshot() const;

  const std::filesystem::path& directory() const;

  // Ids written but not yet refreshed that Upsert remembers before it refreshes by
  // itself (bounds that memory during bulk loads that refresh rarely).
  static constexpr std::size_t kMaxPendingWrites = 100'000;

 private:
  struct Impl;
  explicit Index(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace foldrank
