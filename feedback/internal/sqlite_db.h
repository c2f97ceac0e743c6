#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "foldrank/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace foldrank {

// A prepared statement: owned (finalized on destruction) or borrowed from the
// connection's cache (reset and handed back on destruction). Move-only. Not
// thread-safe.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* statement, bool* in_use = nullptr)
      : db_(db), statement_(statement), in_use_(in_use) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Binds 1-based parameters.
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view text);
  // Binds `text` without copying it: it must outlive the statement's run (hot
  // paths binding strings they hold anyway).
  Statement& BindUncopied(int index, std::string_view text);
  // An empty span binds an empty blob (never NULL).
  Statement& BindBlob(int index, std::span<const std::byte> blob);
  Statement& BindNull(int index);

  // Runs one step: true when a row is available, false when done.
  Result<bool> Step();
  // Runs to completion, ignoring rows.
  Status Run();
  void Reset();

  std::int64_t Int(int column) const;
  double Real(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;
  std::span<const std::byte> Blob(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_;
  bool* in_use_;  // Set for a cached statement: cleared when this handle is done.
};

// One SQLite connection. Not thread-safe: callers serialize.
class SqliteDb {
 public:
  // Opens or creates the file, in WAL mode with foreign keys on and full sync, so a
  // committed transaction survives a crash. Corruption if the file is not a
  // database; Unavailable if it cannot be opened.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::filesystem::path& path);
  // Opens an existing file read-only, with no pragma that could write: for checks.
  // NotFound if there is no file.
  static Result<std::unique_ptr<SqliteDb>> OpenReadOnly(const std::filesystem::path& path);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  Status Exec(std::string_view sql);
  // A statement for `sql`, from the connection's cache when it is not already in
  // use (preparing costs more than running most of our statements).
  Result<Statement> Prepare(std::string_view sql);
  std::int64_t changes() const;
  std::int64_t last_insert_rowid() const;

  // The Status for a SQLite result code, with the connection's message.
  Status Error(int code, std::string_view what) const;

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  struct Cached {
    sqlite3_stmt* statement = nullptr;
    bool in_use = false;
  };
  // Looked up by the caller's string_view, without building a string per call.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      return std::hash<std::string_view>{}(sql);
    }
  };
  sqlite3* db_;
  // Nodes are stable: handles point in.
  std::unordered_map<std::string, Cached, SqlHash, std::equal_to<>> cache_;
};

// Runs `body` in BEGIN IMMEDIATE ... COMMIT, rolling back on any error.
template <typename Body>
Status InTransaction(SqliteDb& db, Body&& body) {
  FOLDRANK_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  Status status = body();
  if (status.ok()) status = db.Exec("COMMIT");
  if (!status.ok()) (void)db.Exec("ROLLBACK");
  return status;
}

// Runs `body` (returning Result<T>) in one read transaction: one snapshot for all
// its statements, and one read lock instead of one per statement.
template <typename Body>
auto InReadTransaction(SqliteDb& db, Body&& body) -> decltype(body()) {
  FOLDRANK_RETURN_IF_ERROR(db.Exec("BEGIN"));
  auto result = body();
  (void)db.Exec(result ? "COMMIT" : "ROLLBACK");
  return result;
}

}  // namespace foldrank
