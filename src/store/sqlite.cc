// See sqlite.h.
#include "store/sqlite.h"

#include <sqlite3.h>

#include <cctype>
#include <filesystem>
#include <string>
#include <system_error>

#include <fmt/format.h>

namespace fable::store {

Status sqlite_failure(sqlite3* db, int rc, std::string_view path, std::string_view what) {
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const int primary = rc & 0xff;
  std::string text = fmt::format("{}: {}: {}", path, what, message);
  if (primary == SQLITE_NOTADB) return Status::Invalid(std::move(text));
  return Status::Io(std::move(text));
}

void Database::Closer::operator()(sqlite3* db) const {
  sqlite3_close_v2(db);
}

namespace {

// The SQLite URI filename of `path` with `query` ("file:PATH?QUERY"): the
// characters a URI gives a meaning to are percent-encoded, and an absolute
// path gets an empty authority ("file:///abs"), so "//x" stays a path.
std::string file_uri(const std::string& path, std::string_view query) {
  std::string uri = path.starts_with('/') ? "file://" : "file:";
  for (const char ch : path) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '/' || c == '.' || c == '-' || c == '_' || c == '~') {
      uri += ch;
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  return uri + "?" + std::string(query);
}

// Opens `name` with `flags`; on failure the status names `path`.
Result<sqlite3*> open_handle(const std::string& path, const std::string& name, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status st = sqlite_failure(db, rc, path, "cannot open");
    sqlite3_close_v2(db);
    return st;
  }
  return db;
}

// A reader's connection (docs/store-format.md, "Opening a store"). While no
// FILE-wal exists no writer has the store open and every change is in the
// file itself: it is opened immutable, which creates no -wal or -shm file,
// so that a store in a read-only folder is readable and nothing is left
// behind. With FILE-wal (a writer at work, or one that was killed) it is
// opened read-only as a WAL database, which needs FILE-shm; when that cannot
// be opened or made (a read-only folder), immutable after all: what only the
// -wal file holds is then not seen.
Result<sqlite3*> open_reader(const std::string& path) {
  constexpr int kFlags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
  std::error_code ec;
  if (std::filesystem::exists(path + "-wal", ec)) {
    Result<sqlite3*> db = open_handle(path, file_uri(path, "mode=ro"), kFlags);
    if (!db.ok()) return db;
    // The -shm file is opened at the first read.
    const int rc =
        sqlite3_exec(*db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    if ((rc & 0xff) != SQLITE_CANTOPEN && (rc & 0xff) != SQLITE_READONLY) return db;
    sqlite3_close_v2(*db);
  }
  return open_handle(path, file_uri(path, "immutable=1"), kFlags);
}

}  // namespace

Result<Database> Database::open(const std::string& path, OpenMode mode) {
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case OpenMode::kReadOnly:
      break;
    case OpenMode::kReadWrite:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case OpenMode::kCreate:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
  }
  Result<sqlite3*> db =
      mode == OpenMode::kReadOnly ? open_reader(path) : open_handle(path, path, flags);
  if (!db.ok()) return db.status();
  sqlite3_extended_result_codes(*db, 1);
  // Another process writing the same store holds its lock for one batch:
  // wait for it rather than fail at once.
  sqlite3_busy_timeout(*db, kBusyTimeoutMs);
  return Database(path, *db);
}

Status Database::exec(std::string_view sql) {
  const std::string text(sql);
  const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_failure(db_.get(), rc, path_, "cannot run SQL");
  return Status::Ok();
}

Status Database::error(std::string_view what) const {
  return sqlite_failure(db_.get(), sqlite3_errcode(db_.get()), path_, what);
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_.get());
}

std::int64_t Database::changes() const {
  return sqlite3_changes64(db_.get());
}

void Statement::Finalizer::operator()(sqlite3_stmt* s) const {
  sqlite3_finalize(s);
}

Result<Statement> Statement::prepare(Database& db, std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  const int rc =
      sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(s);
    // A store whose tables are not those of its schema (altered by hand) ends here too.
    return sqlite_failure(db.handle(), rc, db.path(), "cannot use the store");
  }
  return Statement(db.path(), s);
}

Statement& Statement::bind(int i, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_.get(), i, value);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind(int i, double value) {
  const int rc = sqlite3_bind_double(stmt_.get(), i, value);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind(int i, std::string_view text) {
  const int rc =
      sqlite3_bind_text64(stmt_.get(), i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind(int i, const std::optional<std::string>& text) {
  if (!text) return bind_null(i);
  return bind(i, std::string_view(*text));
}

Statement& Statement::bind_null(int i) {
  const int rc = sqlite3_bind_null(stmt_.get(), i);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Status Statement::failure(int rc) const {
  return sqlite_failure(sqlite3_db_handle(stmt_.get()), rc, path_, "cannot write or read");
}

Result<bool> Statement::step() {
  if (bind_error_ != 0) {
    const int rc = bind_error_;
    bind_error_ = 0;
    return failure(rc);
  }
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status st = failure(rc);
  sqlite3_reset(stmt_.get());
  return st;
}

Status Statement::run() {
  for (;;) {
    const Result<bool> row = step();
    if (!row.ok()) {
      sqlite3_clear_bindings(stmt_.get());
      return row.status();
    }
    if (!*row) break;
  }
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  return Status::Ok();
}

void Statement::reset() {
  sqlite3_reset(stmt_.get());
}

bool Statement::column_is_null(int i) const {
  return sqlite3_column_type(stmt_.get(), i) == SQLITE_NULL;
}

std::int64_t Statement::column_int(int i) const {
  return sqlite3_column_int64(stmt_.get(), i);
}

double Statement::column_double(int i) const {
  return sqlite3_column_double(stmt_.get(), i);
}

std::string Statement::column_text(int i) const {
  const unsigned char* text = sqlite3_column_text(stmt_.get(), i);
  if (text == nullptr) return {};
  const int n = sqlite3_column_bytes(stmt_.get(), i);
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(n));
}

std::optional<std::string> Statement::column_optional_text(int i) const {
  if (column_is_null(i)) return std::nullopt;
  return column_text(i);
}

Transaction::Transaction(Database& db) : db_(db) {
  begun_ = db_.exec("BEGIN IMMEDIATE");
  open_ = begun_.ok();
}

Transaction::~Transaction() {
  if (open_) (void)db_.exec("ROLLBACK");
}

Status Transaction::commit() {
  if (!open_) return begun_.ok() ? Status::Internal("transaction committed twice") : begun_;
  Status st = db_.exec("COMMIT");
  if (st.ok()) open_ = false;  // else the destructor rolls back
  return st;
}

}  // namespace fable::store
