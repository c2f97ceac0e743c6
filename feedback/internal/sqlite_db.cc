#include "feedback/internal/sqlite_db.h"

#include <sqlite3.h>

namespace foldrank {
namespace {

// The one mapping from SQLite result codes to Status codes.
Status StatusFor(int code, std::string message) {
  switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(std::move(message));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
      return Status::Unavailable(std::move(message));
    case SQLITE_CONSTRAINT:
      return Status::InvalidArgument(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), statement_(other.statement_), in_use_(other.in_use_) {
  other.statement_ = nullptr;
  other.in_use_ = nullptr;
}

Statement::~Statement() {
  if (statement_ == nullptr) return;
  if (in_use_ != nullptr) {
    // Back to the cache, reset so it holds no read lock or bindings.
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(statement_);
  }
}

Statement& Statement::Bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}
Statement& Statement::Bind(int index, double value) {
  sqlite3_bind_double(statement_, index, value);
  return *this;
}
Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
Statement& Statement::BindUncopied(int index, std::string_view text) {
  sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
  return *this;
}
Statement& Statement::BindBlob(int index, std::span<const std::byte> blob) {
  // SQLite stores a null pointer as NULL: an empty blob is bound as a zero-length one.
  if (blob.empty()) {
    sqlite3_bind_zeroblob(statement_, index, 0);
  } else {
    sqlite3_bind_blob64(statement_, index, blob.data(), blob.size(), SQLITE_TRANSIENT);
  }
  return *this;
}
Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

Result<bool> Statement::Step() {
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return StatusFor(code, sqlite3_errmsg(db_));
}

Status Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row) return row.error();
    if (!*row) return Status::Ok();
  }
}

void Statement::Reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(statement_, column); }
double Statement::Real(int column) const { return sqlite3_column_double(statement_, column); }
std::string Statement::Text(int column) const {
  const auto* text = sqlite3_column_text(statement_, column);
  return text ? std::string(reinterpret_cast<const char*>(text),
                            static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)))
              : std::string();
}
bool Statement::IsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}
std::span<const std::byte> Statement::Blob(int column) const {
  const void* data = sqlite3_column_blob(statement_, column);
  return {static_cast<const std::byte*>(data),
          static_cast<std::size_t>(sqlite3_column_bytes(statement_, column))};
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::filesystem::path& path) {
  sqlite3* handle = nullptr;
  const int code =
      sqlite3_open_v2(path.c_str(), &handle,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (code != SQLITE_OK) {
    std::string message = handle ? sqlite3_errmsg(handle) : "out of memory";
    sqlite3_close(handle);
    return Status::Unavailable("cannot open ledger " + path.string() + ": " + message);
  }
  std::unique_ptr<SqliteDb> db(new SqliteDb(handle));
  sqlite3_busy_timeout(handle, 5000);  // Another process (a folder, a site's writer) may hold it.
  // journal_mode reads the file header: the first statement to notice a non-database.
  Status status = db->Exec("PRAGMA journal_mode=WAL");
  if (!status.ok()) {
    if (status.code() == Status::Code::kCorruption) {
      return Status::Corruption(path.string() + " is not a foldrank ledger (" +
                                std::string(status.message()) + ")");
    }
    return status.WithContext(path.string());
  }
  FOLDRANK_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=FULL"));
  FOLDRANK_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  // 32 MiB of page cache (the default is 2 MiB): folds touch click counts spread over
  // the whole table, and re-reading evicted pages doubled their cost.
  FOLDRANK_RETURN_IF_ERROR(db->Exec("PRAGMA cache_size=-32768"));
  return db;
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::OpenReadOnly(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return Status::NotFound("no ledger " + path.string());
  sqlite3* handle = nullptr;
  const int code =
      sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (code != SQLITE_OK) {
    std::string message = handle ? sqlite3_errmsg(handle) : "out of memory";
    sqlite3_close(handle);
    return Status::Unavailable("cannot open " + path.string() + ": " + message);
  }
  sqlite3_busy_timeout(handle, 5000);
  return std::unique_ptr<SqliteDb>(new SqliteDb(handle));
}

SqliteDb::~SqliteDb() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.statement);
  sqlite3_close_v2(db_);
}

Status SqliteDb::Error(int code, std::string_view what) const {
  return StatusFor(code, std::string(what) + ": " + sqlite3_errmsg(db_));
}

Status SqliteDb::Exec(std::string_view sql) {
  char* error = nullptr;
  const std::string text(sql);
  const int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);
  if (code != SQLITE_OK) return Error(code, text.substr(0, 60));
  return Status::Ok();
}

Result<Statement> SqliteDb::Prepare(std::string_view sql) {
  auto entry = cache_.find(sql);
  if (entry == cache_.end()) entry = cache_.emplace(std::string(sql), Cached{}).first;
  Cached& cached = entry->second;
  if (!cached.in_use) {
    if (cached.statement == nullptr) {
      const int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                          SQLITE_PREPARE_PERSISTENT, &cached.statement, nullptr);
      if (code != SQLITE_OK) {
        cache_.erase(entry);
        return Error(code, "prepare");
      }
    }
    cached.in_use = true;
    return Statement(db_, cached.statement, &cached.in_use);
  }
  // The same SQL is still in use by a caller up the stack: a private statement.
  sqlite3_stmt* statement = nullptr;
  const int code =
      sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
  if (code != SQLITE_OK) return Error(code, "prepare");
  return Statement(db_, statement);
}

std::int64_t SqliteDb::changes() const { return sqlite3_changes64(db_); }
std::int64_t SqliteDb::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

}  // namespace foldrank
