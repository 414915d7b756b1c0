// Internal: a thin RAII layer over SQLite's C API (sqlite3.h), for the run
// store (fable/run_store.h, docs/store-format.md). A Database owns one
// connection; a Statement one prepared statement (bind, step, column, reset);
// a Transaction guard rolls back unless committed. Every failure is a Status
// carrying SQLite's own message, never an exception. Not thread-safe: one
// connection is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "fable/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace fable::store {

// "PATH: WHAT: SQLite's message" for the result code `rc` of a call on `db`
// (may be null): Status::Invalid when the file is not a database
// (SQLITE_NOTADB), Status::Io otherwise.
Status sqlite_failure(sqlite3* db, int rc, std::string_view path, std::string_view what);

// How Database::open opens a file.
enum class OpenMode {
  kReadOnly,   // the file must exist; nothing is written, no file made (open_reader in sqlite.cc)
  kReadWrite,  // the file must exist
  kCreate,     // read and write; the file is created when missing
};

// How long a connection waits for another's lock before SQLITE_BUSY.
inline constexpr int kBusyTimeoutMs = 10000;

class Database {
 public:
  // Opens `path`. Errors: Status::Io with SQLite's message ("unable to open
  // database file") naming the path.
  static Result<Database> open(const std::string& path, OpenMode mode);

  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;
  ~Database() = default;

  // Runs `sql` (one or more statements, no results). Errors: the statement's
  // failure, as error().
  Status exec(std::string_view sql);

  // The status for the last failure on this connection: "PATH: WHAT: MESSAGE"
  // (sqlite_failure).
  Status error(std::string_view what) const;

  std::int64_t last_insert_rowid() const;
  std::int64_t changes() const;  // rows changed by the last INSERT, UPDATE or DELETE
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_.get(); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  Database(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}

  std::string path_;
  std::unique_ptr<sqlite3, Closer> db_;
};

// One prepared statement. Parameters are numbered from 1, columns from 0.
class Statement {
 public:
  // Errors: the SQL does not compile (Database::error).
  static Result<Statement> prepare(Database& db, std::string_view sql);

  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;
  ~Statement() = default;

  // Binds a value to parameter `i`; the text is copied. An empty optional
  // binds NULL.
  Statement& bind(int i, std::int64_t value);
  Statement& bind(int i, double value);
  Statement& bind(int i, std::string_view text);
  Statement& bind(int i, const std::optional<std::string>& text);
  Statement& bind_null(int i);

  // Steps once: true when a row is ready (read it with column_*), false when
  // done. Errors: the step's failure, and any bind that failed before it.
  Result<bool> step();
  // Steps to the end, ignoring rows; then resets the statement and clears
  // its bindings, ready to run again.
  Status run();
  // Ready to step again from the start; bindings are kept.
  void reset();

  bool column_is_null(int i) const;
  std::int64_t column_int(int i) const;
  double column_double(int i) const;
  std::string column_text(int i) const;  // "" for NULL
  std::optional<std::string> column_optional_text(int i) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const;
  };
  Statement(std::string path, sqlite3_stmt* s) : path_(std::move(path)), stmt_(s) {}
  Status failure(int rc) const;

  std::string path_;  // the database's, for error messages
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  int bind_error_ = 0;  // SQLite's code of the first failed bind since the last run
};

// BEGIN IMMEDIATE on construction (begin() reports whether it worked);
// COMMIT on commit(); ROLLBACK when destroyed uncommitted.
class Transaction {
 public:
  explicit Transaction(Database& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  const Status& begin() const { return begun_; }
  Status commit();

 private:
  Database& db_;
  Status begun_;
  bool open_ = false;
};

}  // namespace fable::store
