#include "index/index.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "common/utf8.h"
#include "index/analysis.h"
#include "index/internal/field_names.h"
#include "index/internal/guarded.h"
#include "index/internal/lucene_document.h"
#include "index/internal/snapshot_impl.h"

namespace foldrank {

struct Index::Impl {
  std::filesystem::path directory;
  IndexOptions options;
  Lucene::DirectoryPtr lucene_directory;
  boost::shared_ptr<FoldrankAnalyzer> analyzer;
  Lucene::IndexWriterPtr writer;  // Null in read-only mode.

  mutable std::mutex snapshot_mu;
  std::shared_ptr<const IndexSnapshot> snapshot;  // Guarded by snapshot_mu.

  std::mutex refresh_mu;  // Serializes Refresh() and Commit() with each other.
  // Writes accepted so far, and the count each of the last refresh and commit saw.
  std::atomic<std::uint64_t> writes{0};
  std::uint64_t refreshed_writes = 0;  // Guarded by refresh_mu.
  std::uint64_t committed_writes = 0;  // Guarded by refresh_mu.
  std::uint64_t generation = 0;        // Guarded by refresh_mu.
  // The reader of the published snapshot, which owns (and closes) it.
  Lucene::IndexReaderPtr current_reader;  // Guarded by refresh_mu.

  // Read-your-writes: Upsert and Delete decide whether a document exists against
  // every write accepted so far, not against the last refreshed snapshot (up to
  // refresh_interval_ms old). Writes are serialized so that deciding and writing
  // are one step: of two racing PUTs of a new id, exactly one creates it.
  std::mutex write_mu;
  struct PendingWrite {
    bool exists = false;       // After this id's newest write.
    std::uint64_t number = 0;  // That write's number (the value of `writes` after it).
  };
  // Ids written since the newest snapshot that holds their writes; dropped by the
  // refresh that makes them searchable.
  std::unordered_map<std::string, PendingWrite> pending;  // Guarded by write_mu.

  // Requires write_mu held.
  Result<bool> ExistsLocked(std::string_view id) const {
    if (const auto it = pending.find(std::string(id)); it != pending.end()) {
      return it->second.exists;
    }
    return CurrentSnapshot()->Contains(id);
  }

  // Forgets pending writes that snapshots now show: those numbered up to `seen`.
  void ForgetPending(std::uint64_t seen) {
    std::lock_guard<std::mutex> lock(write_mu);
    std::erase_if(pending, [seen](const auto& entry) { return entry.second.number <= seen; });
  }

  std::mutex background_mu;
  std::condition_variable background_wake;
  bool stopping = false;  // Guarded by background_mu.
  std::thread background;

  std::shared_ptr<const IndexSnapshot> CurrentSnapshot() const {
    std::lock_guard<std::mutex> lock(snapshot_mu);
    return snapshot;
  }

  // Requires refresh_mu held. Wraps `reader` in a snapshot and publishes it.
  void Publish(const Lucene::IndexReaderPtr& reader) {
    auto next = std::make_shared<const IndexSnapshot>(
        std::make_unique<IndexSnapshot::Impl>(reader, analyzer, generation + 1));
    ++generation;
    current_reader = reader;
    std::lock_guard<std::mutex> lock(snapshot_mu);
    snapshot = std::move(next);
  }

  Status RefreshLocked() {
    const std::uint64_t seen = writes.load();
    return Guarded("refresh index", [&]() -> Status {
      // isCurrent() asks the writer (NRT) or the directory (read-only) whether
      // anything changed; an NRT reopen() would otherwise build a new reader anyway.
      if (!current_reader->isCurrent()) {
        // The old reader stays open until the last query holding its snapshot lets go.
        Lucene::IndexReaderPtr next = current_reader->reopen();
        if (next != current_reader) Publish(next);
      }
      refreshed_writes = seen;
      // Every write numbered up to `seen` finished before the reopen: the
      // published snapshot shows it.
      ForgetPending(seen);
      return Status::Ok();
    });
  }

  Status CommitLocked() {
    if (!writer) return Status::Ok();
    const std::uint64_t seen = writes.load();
    return Guarded("commit index", [&]() -> Status {
      writer->commit();
      committed_writes = seen;
      return Status::Ok();
    });
  }

  void BackgroundLoop() {
    using Clock = std::chrono::steady_clock;
    const auto refresh_every = std::chrono::milliseconds(options.refresh_interval_ms);
    const auto commit_every = std::chrono::milliseconds(options.commit_interval_ms);
    const auto tick = options.refresh_interval_ms > 0 ? refresh_every : commit_every;
    auto last_commit = Clock::now();
    std::unique_lock<std::mutex> lock(background_mu);
    while (!background_wake.wait_for(lock, tick, [&] { return stopping; })) {
      lock.unlock();
      {
        std::lock_guard<std::mutex> refresh_lock(refresh_mu);
        const std::uint64_t written = writes.load();
        // A failed background refresh or commit is retried on the next tick; the
        // explicit Refresh()/Commit() calls report errors to their callers.
        if (options.refresh_interval_ms > 0 && written != refreshed_writes) {
          (void)RefreshLocked();
        }
        if (options.commit_interval_ms > 0 && Clock::now() - last_commit >= commit_every) {
          if (written != committed_writes) (void)CommitLocked();
          last_commit = Clock::now();
        }
      }
      lock.lock();
    }
  }

  Status Writable() const {
    if (!writer) return Status::Unavailable("index is open read-only");
    return Status::Ok();
  }
};

namespace {

// The analysis an existing index in `directory` was built with, if this build runs
// it; otherwise InvalidArgument saying how to rebuild. `language`: the caller's
// wish (empty: whatever is recorded).
Result<AnalysisRecord> RecordedAnalysis(const std::filesystem::path& directory,
                                        std::string_view language) {
  auto recorded = ReadAnalysisRecord(directory);
  if (!recorded && recorded.error().code() != Status::Code::kNotFound) return recorded.error();
  const AnalysisRecord found = recorded ? *recorded : AnalysisRecord{1, "english"};
  const std::string rebuild =
      "rebuild it from its stored documents, losing nothing: foldrank index --data DIR --rebuild" +
      std::string(language.empty() ? "" : " --language " + std::string(language)) +
      " (or foldrank serve --rebuild-index)";
  if (found.version != kAnalysisVersion) {
    return Status::InvalidArgument(
        "the index in " + directory.string() + " was built with analysis version " +
        std::to_string(found.version) + (found.version == 1 ? " (Lucene++'s Porter stemmer)" : "") +
        "; this foldrank analyzes with version " + std::to_string(kAnalysisVersion) +
        " (Unicode folding, Snowball stemming): " + rebuild);
  }
  if (!language.empty() && language != found.language) {
    return Status::InvalidArgument("the index in " + directory.string() + " analyzes " +
                                   found.language + ", not " + std::string(language) + ": " +
                                   rebuild);
  }
  return found;
}

}  // namespace

Result<std::unique_ptr<Index>> Index::Open(const std::filesystem::path& directory,
                                           const IndexOptions& options) {
  const bool read_only = options.mode == IndexOptions::Mode::kReadOnly;
  std::error_code error;
  if (!std::filesystem::exists(directory, error)) {
    if (read_only || !options.create_if_missing) {
      return Status::NotFound("no index directory at " + directory.string());
    }
    std::filesystem::create_directories(directory, error);
    if (error) {
      return Status::Unavailable("cannot create " + directory.string() + ": " + error.message());
    }
  } else if (!std::filesystem::is_directory(directory, error)) {
    return Status::InvalidArgument(directory.string() + " is not a directory");
  }

  if (!options.language.empty()) FOLDRANK_RETURN_IF_ERROR(CheckAnalysisLanguage(options.language));
  auto impl = std::make_unique<Impl>();
  impl->directory = directory;
  impl->options = options;
  Status opened = Guarded("open index", [&]() -> Status {
    impl->lucene_directory =
        Lucene::FSDirectory::open(Lucene::StringUtils::toUnicode(directory.string()));
    const bool exists = Lucene::IndexReader::indexExists(impl->lucene_directory);
    if (!exists && (read_only || !options.create_if_missing)) {
      return Status::NotFound("no index in " + directory.string());
    }
    auto analysis =
        exists ? RecordedAnalysis(directory, options.language)
               : Result<AnalysisRecord>(AnalysisRecord{
                     kAnalysisVersion,
                     options.language.empty() ? std::string(kDefaultLanguage) : options.language});
    if (!analysis) return analysis.error();
    impl->analyzer = Lucene::newLucene<FoldrankAnalyzer>(analysis->language);
    // Recorded before the first commit: an index never exists without its record.
    if (!exists) FOLDRANK_RETURN_IF_ERROR(WriteAnalysisRecord(directory, *analysis));
    Lucene::IndexReaderPtr reader;
    if (read_only) {
      reader = Lucene::IndexReader::open(impl->lucene_directory, true);
    } else {
      impl->writer = Lucene::newLucene<Lucene::IndexWriter>(
          impl->lucene_directory, impl->analyzer, /*create=*/!exists,
          Lucene::IndexWriter::MaxFieldLengthUNLIMITED);
      impl->writer->setRAMBufferSizeMB(options.ram_buffer_mb);
      // A new index is committed empty at once, so read-only openers find it.
      if (!exists) impl->writer->commit();
      reader = impl->writer->getReader();
    }
    std::lock_guard<std::mutex> lock(impl->refresh_mu);
    impl->Publish(reader);
    return Status::Ok();
  });
  if (!opened.ok()) {
    if (impl->writer) {
      (void)Guarded("close index", [&]() -> Status {
        impl->writer->close();
        return Status::Ok();
      });
    }
    return opened.WithContext(directory.string());
  }
  if (options.refresh_interval_ms > 0 || (options.commit_interval_ms > 0 && !read_only)) {
    Impl* raw = impl.get();
    impl->background = std::thread([raw] { raw->BackgroundLoop(); });
  }
  return std::unique_ptr<Index>(new Index(std::move(impl)));
}

Result<std::int64_t> Index::Rebuild(const std::filesystem::path& directory,
                                    std::string_view language) {
  std::filesystem::path old_copy = directory, building = directory;
  old_copy += ".old";
  building += ".rebuild";
  std::error_code error;
  // A rebuild stopped between its two renames left the old index beside: put it back.
  if (!std::filesystem::exists(directory, error) && std::filesystem::exists(old_copy, error)) {
    std::filesystem::rename(old_copy, directory, error);
    if (error) return Status::Unavailable("cannot restore " + old_copy.string());
  }
  std::string target(language);
  if (target.empty()) {
    auto recorded = ReadAnalysisRecord(directory);
    target = recorded ? recorded->language : std::string(kDefaultLanguage);
  }
  FOLDRANK_RETURN_IF_ERROR(CheckAnalysisLanguage(target));
  std::filesystem::remove_all(building, error);
  // The old index through Lucene alone (its analysis is not this build's). The
  // writer holds the write lock until the new index is complete.
  Lucene::IndexWriterPtr old_writer;
  Lucene::IndexReaderPtr old_reader;
  FOLDRANK_RETURN_IF_ERROR(Guarded("open the index to rebuild", [&]() -> Status {
    auto lucene_directory =
        Lucene::FSDirectory::open(Lucene::StringUtils::toUnicode(directory.string()));
    if (!Lucene::IndexReader::indexExists(lucene_directory)) {
      return Status::NotFound("no index in " + directory.string());
    }
    old_writer = Lucene::newLucene<Lucene::IndexWriter>(
        lucene_directory, Lucene::newLucene<FoldrankAnalyzer>(target), /*create=*/false,
        Lucene::IndexWriter::MaxFieldLengthUNLIMITED);
    old_reader = old_writer->getReader();
    return Status::Ok();
  }));
  auto close_old = [&] {
    (void)Guarded("close the old index", [&]() -> Status {
      old_writer->close();
      return Status::Ok();
    });
  };
  std::int64_t rebuilt = 0;
  Status built = [&]() -> Status {
    auto fresh =
        Open(building, {.refresh_interval_ms = 0, .commit_interval_ms = 0, .language = target});
    if (!fresh) return fresh.error();
    const IndexSnapshot old_view(std::make_unique<IndexSnapshot::Impl>(
        old_reader, Lucene::newLucene<FoldrankAnalyzer>(target), 0));
    for (std::int32_t doc = 0; doc < old_reader->maxDoc(); ++doc) {
      if (old_reader->isDeleted(doc)) continue;
      auto document = old_view.Fetch(Candidate{doc, "#" + std::to_string(doc), 0});
      if (!document) return document.error();
      FOLDRANK_RETURN_IF_ERROR((*fresh)->Upsert(*document).status());
      ++rebuilt;
    }
    return (*fresh)->Commit();
  }();
  close_old();
  if (!built.ok()) {
    std::filesystem::remove_all(building, error);
    return built.WithContext("rebuilding " + directory.string() + " (left as it was)");
  }
  std::filesystem::rename(directory, old_copy, error);
  if (!error) std::filesystem::rename(building, directory, error);
  if (error) return Status::Unavailable("cannot swap in the rebuilt index: " + error.message());
  std::filesystem::remove_all(old_copy, error);
  return rebuilt;
}

Index::Index(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Index::~Index() {
  {
    std::lock_guard<std::mutex> lock(impl_->background_mu);
    impl_->stopping = true;
  }
  impl_->background_wake.notify_all();
  if (impl_->background.joinable()) impl_->background.join();
  std::lock_guard<std::mutex> lock(impl_->refresh_mu);
  impl_->current_reader.reset();
  impl_->snapshot.reset();  // Snapshots still held elsewhere keep their own reader.
  if (impl_->writer) {
    // close() commits. A destructor cannot report failure; Commit() before
    // destruction is how a caller learns of one.
    (void)Guarded("close index", [&]() -> Status {
      impl_->writer->close();
      return Status::Ok();
    });
  }
}

Result<bool> Index::Upsert(const Document& document) {
  FOLDRANK_RETURN_IF_ERROR(impl_->Writable());
  if (document.id.empty()) return Status::InvalidArgument("document id is empty");
  for (const std::string* text : {&document.id, &document.title, &document.body, &document.url}) {
    if (!IsValidUtf8(*text)) {
      return Status::InvalidArgument("document '" + SanitizeUtf8(document.id) +
                                     "' has text that is not valid UTF-8");
    }
  }
  if (Status url = CheckDocumentUrl(document.url); !url.ok()) {
    return url.WithContext("document '" + SanitizeUtf8(document.id) + "'");
  }
  LuceneDocument converted;
  FOLDRANK_RETURN_IF_ERROR(Guarded("convert document", [&]() -> Status {
    BuildLuceneDocument(document, impl_->analyzer->language(), converted);
    return Status::Ok();
  }));
  bool existed = false;
  std::size_t pending_size = 0;
  {
    std::lock_guard<std::mutex> lock(impl_->write_mu);
    auto exists = impl_->ExistsLocked(document.id);
    if (!exists) return exists.error();
    existed = *exists;
    FOLDRANK_RETURN_IF_ERROR(Guarded("add document", [&]() -> Status {
      impl_->writer->updateDocument(
          Lucene::newLucene<Lucene::Term>(fields::kId, Lucene::StringUtils::toUnicode(document.id)),
          converted.document);
      return Status::Ok();
    }));
    impl_->pending[document.id] = {true, impl_->writes.fetch_add(1) + 1};
    pending_size = impl_->pending.size();
  }
  // A bulk load with refresh left to its caller would otherwise hold every id here.
  if (pending_size > kMaxPendingWrites) FOLDRANK_RETURN_IF_ERROR(Refresh());
  return existed;
}

Result<bool> Index::Delete(std::string_view id) {
  FOLDRANK_RETURN_IF_ERROR(impl_->Writable());
  std::lock_guard<std::mutex> lock(impl_->write_mu);
  auto exists = impl_->ExistsLocked(id);
  if (!exists) return exists.error();
  if (!*exists) return false;
  FOLDRANK_RETURN_IF_ERROR(Guarded("delete document", [&]() -> Status {
    impl_->writer->deleteDocuments(Lucene::newLucene<Lucene::Term>(
        fields::kId, Lucene::StringUtils::toUnicode(std::string(id))));
    return Status::Ok();
  }));
  impl_->pending[std::string(id)] = {false, impl_->writes.fetch_add(1) + 1};
  return true;
}

Result<bool> Index::Contains(std::string_view id) const {
  if (!impl_->writer) return Snapshot()->Contains(id);
  std::lock_guard<std::mutex> lock(impl_->write_mu);
  return impl_->ExistsLocked(id);
}

Status Index::Refresh() {
  std::lock_guard<std::mutex> lock(impl_->refresh_mu);
  return impl_->RefreshLocked();
}

Status Index::Commit() {
  FOLDRANK_RETURN_IF_ERROR(impl_->Writable());
  std::lock_guard<std::mutex> lock(impl_->refresh_mu);
  return impl_->CommitLocked();
}

Status Index::Optimize() {
  FOLDRANK_RETURN_IF_ERROR(impl_->Writable());
  FOLDRANK_RETURN_IF_ERROR(Guarded("optimize index", [&]() -> Status {
    impl_->writer->optimize();
    return Status::Ok();
  }));
  // Optimizing changes segments, not documents: make the merged view current.
  std::lock_guard<std::mutex> lock(impl_->refresh_mu);
  return impl_->RefreshLocked();
}

std::shared_ptr<const IndexSnapshot> Index::Snapshot() const { return impl_->CurrentSnapshot(); }

const std::filesystem::path& Index::directory() const { return impl_->directory; }

}  // namespace foldrank
