// See schema.h. The tables are documented column by column in
// docs/store-format.md; a change here is a new schema version.
#include "store/schema.h"

#include <fmt/format.h>

#include "fable/run_store.h"

namespace fable::store {

namespace {

constexpr std::string_view kTables = R"sql(
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  command TEXT NOT NULL,
  settings TEXT NOT NULL,
  kernel_path TEXT NOT NULL,
  kernel_name TEXT NOT NULL,
  kernel_version TEXT NOT NULL,
  kernel_hash TEXT NOT NULL,
  engine_version TEXT NOT NULL,
  population TEXT NOT NULL,
  seeds TEXT NOT NULL,
  episodes_planned INTEGER NOT NULL,
  episodes_done INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
  error TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE TABLE episodes (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  episode INTEGER NOT NULL,
  matchup TEXT NOT NULL,
  seed TEXT NOT NULL,
  governance_score REAL NOT NULL,
  empathy_ratio REAL NOT NULL,
  empathy_floor_final REAL NOT NULL,
  empathy_floor_trough REAL NOT NULL,
  treasury_final REAL NOT NULL,
  gini REAL NOT NULL,
  herfindahl REAL NOT NULL,
  max_drawdown REAL NOT NULL,
  participation REAL NOT NULL,
  minority_participation REAL NOT NULL,
  procedural_legitimacy REAL NOT NULL,
  capture_drain INTEGER NOT NULL,
  capture_entrench INTEGER NOT NULL,
  capture_suppress INTEGER NOT NULL,
  capture_paralysis INTEGER NOT NULL,
  capture_emergency INTEGER NOT NULL,
  capture_exit INTEGER NOT NULL,
  capture_timing INTEGER NOT NULL,
  capture_any INTEGER NOT NULL,
  findings INTEGER NOT NULL,
  PRIMARY KEY (run_id, episode)
);
CREATE TABLE findings (
  run_id INTEGER NOT NULL,
  episode INTEGER NOT NULL,
  finding INTEGER NOT NULL,
  detector TEXT NOT NULL,
  category TEXT NOT NULL,
  severity INTEGER NOT NULL,
  turn INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  PRIMARY KEY (run_id, episode, finding),
  FOREIGN KEY (run_id, episode) REFERENCES episodes(run_id, episode)
);
CREATE INDEX findings_by_fingerprint ON findings(fingerprint);
CREATE TABLE records (
  fingerprint TEXT PRIMARY KEY,
  record_id TEXT NOT NULL,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  severity INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'patched')),
  run_id INTEGER NOT NULL REFERENCES runs(id),
  kernel_name TEXT NOT NULL,
  kernel_version TEXT NOT NULL,
  kernel_hash TEXT NOT NULL,
  closed_by_name TEXT,
  closed_by_version TEXT,
  closed_by_hash TEXT,
  path TEXT
);
CREATE TABLE run_records (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  fingerprint TEXT NOT NULL REFERENCES records(fingerprint),
  record_id TEXT NOT NULL,
  occurrences INTEGER NOT NULL,
  PRIMARY KEY (run_id, fingerprint)
);
CREATE TABLE coverage (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  clause TEXT NOT NULL,
  structural INTEGER NOT NULL,
  article TEXT NOT NULL,
  permitted INTEGER NOT NULL,
  refused INTEGER NOT NULL,
  near_margin INTEGER NOT NULL,
  tallies INTEGER NOT NULL,
  amended INTEGER NOT NULL,
  applied INTEGER NOT NULL,
  PRIMARY KEY (run_id, clause)
);
)sql";

}  // namespace

Status create_schema(Database& db) {
  // WAL first: journal_mode cannot change inside a transaction.
  if (Status st = db.exec("PRAGMA journal_mode=WAL"); !st.ok()) return st;
  Transaction tx(db);
  if (!tx.begin().ok()) return tx.begin();
  if (Status st = db.exec(kTables); !st.ok()) return st;
  Result<Statement> meta = Statement::prepare(db, "INSERT INTO meta(key, value) VALUES (?1, ?2)");
  if (!meta.ok()) return meta.status();
  if (Status st = meta->bind(1, std::string_view("schema")).bind(2, kStoreSchema).run(); !st.ok())
    return st;
  if (Status st = meta->bind(1, std::string_view("schema_version"))
                      .bind(2, std::string_view(std::to_string(kStoreSchemaVersion)))
                      .run();
      !st.ok())
    return st;
  return tx.commit();
}

Status check_schema(Database& db, std::string_view flag) {
  const auto refuse = [&](std::string_view why) {
    return Status::Invalid(
        fmt::format("{} {}: {}; expected a fable store ({}, docs/store-format.md)", flag, db.path(),
                    why, kStoreSchema));
  };
  // Reading the schema is the first read: a file that is not a database fails here.
  Result<Statement> tables = Statement::prepare(
      db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'");
  if (!tables.ok()) {
    if (tables.status().code() == StatusCode::kInvalidArgument)
      return refuse("not an SQLite database");
    return tables.status();
  }
  const Result<bool> row = tables->step();
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kInvalidArgument)
      return refuse("not an SQLite database");
    return row.status();
  }
  if (!*row || tables->column_int(0) == 0) return refuse("an SQLite database without a meta table");
  Result<Statement> meta = Statement::prepare(db, "SELECT key, value FROM meta");
  if (!meta.ok()) return refuse("a meta table that cannot be read");
  std::optional<std::string> schema;
  std::optional<std::string> version;
  for (;;) {
    const Result<bool> next = meta->step();
    if (!next.ok()) return next.status();
    if (!*next) break;
    const std::string key = meta->column_text(0);
    if (key == "schema") schema = meta->column_text(1);
    if (key == "schema_version") version = meta->column_text(1);
  }
  if (!schema || schema->rfind("fable-store/", 0) != 0)
    return refuse("an SQLite database whose meta table has no fable-store schema");
  const std::string expected = std::to_string(kStoreSchemaVersion);
  if (*schema != kStoreSchema || version != expected) {
    return Status::Invalid(fmt::format(
        "{} {}: a fable store of schema {} (schema_version {}); this build reads and writes "
        "only {} (schema_version {}, docs/store-format.md)",
        flag, db.path(), *schema, version.value_or("missing"), kStoreSchema, expected));
  }
  return Status::Ok();
}

}  // namespace fable::store
