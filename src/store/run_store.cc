// See fable/run_store.h: opening and checking a store, the writer's batched
// transactions, and the readers' queries.
#include "fable/run_store.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>

#include <fmt/format.h>

#include "store/schema.h"
#include "store/sqlite.h"

namespace fable {

namespace fs = std::filesystem;
using store::Database;
using store::OpenMode;
using store::Statement;
using store::Transaction;

namespace {

// Now, UTC, ISO 8601 to the second: the only non-deterministic values written.
std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

// The folder a new or existing file at `path` lives in.
fs::path folder_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// What check() and open() share: whether `path` exists (a regular file),
// after refusing an empty path, a folder and a missing or unwritable folder.
Result<bool> inspect(const std::string& path, std::string_view flag, bool for_writing) {
  if (path.empty()) return Status::Invalid(fmt::format("{}: expected a file name", flag));
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (fs::is_directory(st))
    return Status::Invalid(fmt::format("{} {}: is a folder, expected a store file", flag, path));
  const bool exists = fs::exists(st);
  if (exists && !fs::is_regular_file(st)) {
    return Status::Invalid(
        fmt::format("{} {}: is not a regular file, expected a store file", flag, path));
  }
  if (!for_writing) return exists;
  const fs::path folder = folder_of(path);
  if (!fs::is_directory(folder, ec))
    return Status::Invalid(fmt::format("{} {}: no such folder {}", flag, path, folder.string()));
  // The WAL and shared-memory files live beside the store.
  if (::access(folder.c_str(), W_OK) != 0) {
    return Status::Io(
        fmt::format("{} {}: cannot write in the folder {}", flag, path, folder.string()));
  }
  if (exists && ::access(path.c_str(), R_OK | W_OK) != 0)
    return Status::Io(fmt::format("{} {}: cannot read and write the file", flag, path));
  return exists;
}

// `st` with "FLAG " in front: the one line names the option.
Status flagged(const Status& st, std::string_view flag) {
  return Status(st.code(), fmt::format("{} {}", flag, st.message()));
}

// Opens an existing file and checks it is a store of our version.
Result<Database> open_existing(const std::string& path, std::string_view flag, OpenMode mode) {
  Result<Database> db = Database::open(path, mode);
  if (!db.ok()) return flagged(db.status(), flag);
  if (Status st = store::check_schema(*db, flag); !st.ok()) return st;
  return db;
}

}  // namespace

struct RunStore::Impl {
  Database db;
  std::int64_t run_id = 0;
  std::int64_t episodes = 0;  // written so far
  std::optional<Transaction> batch;
  std::optional<Statement> insert_episode;
  std::optional<Statement> insert_finding;

  explicit Impl(Database d) : db(std::move(d)) {}

  Status commit_batch() {
    if (!batch) return Status::Ok();
    Status st = batch->commit();
    batch.reset();
    return st;
  }
  // The statements add_episode runs, for the run `run_id`.
  Status prepare_inserts();
  Status update_done() {
    Result<Statement> s = Statement::prepare(db, "UPDATE runs SET episodes_done=?1 WHERE id=?2");
    if (!s.ok()) return s.status();
    return s->bind(1, episodes).bind(2, run_id).run();
  }
};

RunStore::RunStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RunStore::RunStore(RunStore&&) noexcept = default;
RunStore& RunStore::operator=(RunStore&&) noexcept = default;
RunStore::~RunStore() = default;

const std::string& RunStore::path() const {
  return impl_->db.path();
}
std::int64_t RunStore::run_id() const {
  return impl_->run_id;
}

Status RunStore::check(const std::string& path, std::string_view flag) {
  const Result<bool> exists = inspect(path, flag, true);
  if (!exists.ok()) return exists.status();
  if (!*exists) return Status::Ok();
  const Result<Database> db = open_existing(path, flag, OpenMode::kReadOnly);
  return db.ok() ? Status::Ok() : db.status();
}

Result<RunStore> RunStore::open(const std::string& path, std::string_view flag, bool create) {
  const Result<bool> exists = inspect(path, flag, true);
  if (!exists.ok()) return exists.status();
  if (!*exists && !create) return Status::NotFound(fmt::format("{} {}: no such store", flag, path));
  if (*exists) {
    Result<Database> db = open_existing(path, flag, OpenMode::kReadWrite);
    if (!db.ok()) return db.status();
    return RunStore(std::make_unique<Impl>(std::move(*db)));
  }
  // Made whole under a temporary name, then linked into place, which fails
  // if the name exists: a store is never seen half-made, and of two
  // processes creating the same store one makes it and both use it.
  const std::string partial = fmt::format("{}.partial-{}", path, ::getpid());
  const auto remove_partial = [&] {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(partial + suffix, ec);
  };
  // SQLite's messages name the temporary file; the user named `path`.
  const auto failed = [&](const Status& st) {
    std::string message = st.message();
    if (const std::size_t at = message.find(partial); at != std::string::npos)
      message.replace(at, partial.size(), path);
    remove_partial();
    return flagged(Status(st.code(), message), flag);
  };
  remove_partial();
  {
    Result<Database> made = Database::open(partial, OpenMode::kCreate);
    if (!made.ok()) return failed(made.status());
    if (Status st = store::create_schema(*made); !st.ok()) {
      made = Status::Io("closed");
      return failed(st);
    }
  }  // closed: its WAL is checkpointed into the file
  if (::link(partial.c_str(), path.c_str()) != 0 && errno != EEXIST) {
    const Status st =
        Status::Io(fmt::format("{} {}: cannot create: {}", flag, path, std::strerror(errno)));
    remove_partial();
    return st;
  }
  remove_partial();
  Result<Database> db = open_existing(path, flag, OpenMode::kReadWrite);
  if (!db.ok()) return db.status();
  return RunStore(std::make_unique<Impl>(std::move(*db)));
}

Result<RunStore> RunStore::open_read_only(const std::string& path, std::string_view flag) {
  const Result<bool> exists = inspect(path, flag, false);
  if (!exists.ok()) return exists.status();
  if (!*exists) return Status::NotFound(fmt::format("{} {}: no such store", flag, path));
  Result<Database> db = open_existing(path, flag, OpenMode::kReadOnly);
  if (!db.ok()) return db.status();
  return RunStore(std::make_unique<Impl>(std::move(*db)));
}

Status RunStore::begin_run(const StoreRunInfo& info) {
  Impl& m = *impl_;
  Result<Statement> s = Statement::prepare(
      m.db,
      "INSERT INTO runs(command, settings, kernel_path, kernel_name, kernel_version, kernel_hash, "
      "engine_version, population, seeds, episodes_planned, status, started_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'running', ?11)");
  if (!s.ok()) return s.status();
  s->bind(1, std::string_view(info.command))
      .bind(2, std::string_view(info.settings_json))
      .bind(3, std::string_view(info.kernel_path))
      .bind(4, std::string_view(info.kernel_name))
      .bind(5, std::string_view(info.kernel_version))
      .bind(6, std::string_view(info.kernel_hash))
      .bind(7, std::string_view(info.engine_version))
      .bind(8, std::string_view(info.population))
      .bind(9, std::string_view(info.seeds))
      .bind(10, info.episodes_planned)
      .bind(11, std::string_view(utc_now()));
  if (Status st = s->run(); !st.ok()) return st;
  m.run_id = m.db.last_insert_rowid();
  m.episodes = 0;
  return m.prepare_inserts();
}

Status RunStore::resume_run(std::int64_t run_id, std::int64_t episodes_done,
                            const StoreRunInfo& info, std::string_view flag) {
  Impl& m = *impl_;
  const auto refuse = [&](std::string_view why) {
    return Status::Precondition(
        fmt::format("{} {}: run {} cannot be resumed: {}", flag, m.db.path(), run_id, why));
  };
  {
    Result<Statement> q = Statement::prepare(
        m.db,
        "SELECT command, settings, kernel_hash, engine_version, status, episodes_planned, "
        "episodes_done FROM runs WHERE id=?1");
    if (!q.ok()) return q.status();
    q->bind(1, run_id);
    Result<bool> row = q->step();
    if (!row.ok()) return row.status();
    if (!*row) return refuse("the store holds no such run (is it the store the run started with?)");
    if (q->column_text(0) != info.command || q->column_text(1) != info.settings_json ||
        q->column_text(2) != info.kernel_hash || q->column_text(3) != info.engine_version) {
      return refuse("it is another run (its command, settings, kernel or engine differ)");
    }
    // Complete, it is taken up only in its finishing phase: every episode played and
    // stored, the run killed or failing after its completion was committed and before
    // its folder was published (docs/resume.md, "How a run ends").
    if (q->column_text(4) == "complete" &&
        !(episodes_done == q->column_int(5) && episodes_done == q->column_int(6)))
      return refuse("it is complete");
  }
  if (info.episode_rows) {
    if (Status st = check_episode_rows(run_id, episodes_done, flag); !st.ok()) return st;
  }
  Transaction tx(m.db);
  if (!tx.begin().ok()) return tx.begin();
  // The run's records links and coverage are written only by finish_run: a resumed run
  // writes them again.
  for (const char* sql : {"DELETE FROM findings WHERE run_id=?1 AND episode>=?2",
                          "DELETE FROM episodes WHERE run_id=?1 AND episode>=?2",
                          "DELETE FROM run_records WHERE run_id=?1 AND ?2>=0",
                          "DELETE FROM coverage WHERE run_id=?1 AND ?2>=0",
                          "UPDATE runs SET status='running', error=NULL, finished_at=NULL, "
                          "episodes_done=?2 WHERE id=?1"}) {
    Result<Statement> s = Statement::prepare(m.db, sql);
    if (!s.ok()) return s.status();
    if (Status st = s->bind(1, run_id).bind(2, episodes_done).run(); !st.ok()) return st;
  }
  if (Status st = tx.commit(); !st.ok()) return st;
  m.run_id = run_id;
  m.episodes = episodes_done;
  return m.prepare_inserts();
}

Status RunStore::check_episode_rows(std::int64_t run_id, std::int64_t episodes,
                                    std::string_view flag) {
  Impl& m = *impl_;
  Result<Statement> q = Statement::prepare(
      m.db, "SELECT COUNT(*) FROM episodes WHERE run_id=?1 AND episode>=0 AND episode<?2");
  if (!q.ok()) return q.status();
  q->bind(1, run_id).bind(2, episodes);
  Result<bool> row = q->step();
  if (!row.ok()) return row.status();
  const std::int64_t held = *row ? q->column_int(0) : 0;
  if (held == episodes) return Status::Ok();
  return Status::Precondition(fmt::format(
      "{} {}: run {} cannot be resumed: it holds {} of the {} episode rows its checkpoint counts "
      "on (episodes 0..{}); the store lost rows it had committed (was its -wal file removed?); "
      "nothing was changed: run the command again without --resume",
      flag, m.db.path(), run_id, held, episodes, episodes - 1));
}

Status RunStore::commit() {
  Impl& m = *impl_;
  if (!m.batch) return Status::Ok();
  if (Status st = m.update_done(); !st.ok()) return st;
  return m.commit_batch();
}

Status RunStore::Impl::prepare_inserts() {
  Impl& m = *this;
  Result<Statement> e = Statement::prepare(
      m.db,
      "INSERT INTO episodes VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
      "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)");
  if (!e.ok()) return e.status();
  m.insert_episode.emplace(std::move(*e));
  Result<Statement> f =
      Statement::prepare(m.db, "INSERT INTO findings VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!f.ok()) return f.status();
  m.insert_finding.emplace(std::move(*f));
  return Status::Ok();
}

Status RunStore::add_episode(const std::string& matchup, std::uint64_t seed,
                             const EpisodeScore& score,
                             const std::vector<ExploitFinding>& findings) {
  Impl& m = *impl_;
  if (!m.batch) {
    m.batch.emplace(m.db);
    if (!m.batch->begin().ok()) {
      Status st = m.batch->begin();
      m.batch.reset();
      return st;
    }
  }
  const std::int64_t episode = m.episodes;
  const CaptureFlags& c = score.capture;
  Statement& e = *m.insert_episode;
  e.bind(1, m.run_id)
      .bind(2, episode)
      .bind(3, std::string_view(matchup))
      .bind(4, std::string_view(std::to_string(seed)))
      .bind(5, score.governance_score)
      .bind(6, score.empathy_ratio)
      .bind(7, score.empathy_floor_final)
      .bind(8, score.empathy_floor_trough)
      .bind(9, score.treasury_final)
      .bind(10, score.gini)
      .bind(11, score.herfindahl)
      .bind(12, score.max_drawdown)
      .bind(13, score.participation)
      .bind(14, score.minority_participation)
      .bind(15, score.procedural_legitimacy)
      .bind(16, std::int64_t{c.drain})
      .bind(17, std::int64_t{c.entrench})
      .bind(18, std::int64_t{c.suppress})
      .bind(19, std::int64_t{c.paralysis})
      .bind(20, std::int64_t{c.emergency})
      .bind(21, std::int64_t{c.exit})
      .bind(22, std::int64_t{c.timing})
      .bind(23, std::int64_t{c.any()})
      .bind(24, static_cast<std::int64_t>(findings.size()));
  if (Status st = e.run(); !st.ok()) return st;
  Statement& f = *m.insert_finding;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const ExploitFinding& x = findings[i];
    f.bind(1, m.run_id)
        .bind(2, episode)
        .bind(3, static_cast<std::int64_t>(i))
        .bind(4, std::string_view(x.name))
        .bind(5, category_name(x.category))
        .bind(6, std::int64_t{x.severity})
        .bind(7, std::int64_t{x.turn})
        .bind(8, std::string_view(x.fingerprint));
    if (Status st = f.run(); !st.ok()) return st;
  }
  m.episodes += 1;
  if (m.episodes % kStoreBatchEpisodes == 0) {
    if (Status st = m.update_done(); !st.ok()) return st;
    return m.commit_batch();
  }
  return Status::Ok();
}

Status RunStore::finish_run(const std::vector<StoreRecord>& records, const CoverageReport* coverage,
                            std::optional<std::int64_t> episodes_done) {
  Impl& m = *impl_;
  if (episodes_done) m.episodes = *episodes_done;
  if (!m.batch) {
    m.batch.emplace(m.db);
    if (!m.batch->begin().ok()) {
      Status st = m.batch->begin();
      m.batch.reset();
      return st;
    }
  }
  if (Status st = m.update_done(); !st.ok()) return st;
  Result<Statement> rec = Statement::prepare(
      m.db,
      "INSERT INTO records(fingerprint, record_id, name, category, severity, status, run_id, "
      "kernel_name, kernel_version, kernel_hash, path) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT(fingerprint) DO NOTHING");
  if (!rec.ok()) return rec.status();
  Result<Statement> link =
      Statement::prepare(m.db, "INSERT INTO run_records VALUES (?1, ?2, ?3, ?4)");
  if (!link.ok()) return link.status();
  for (const StoreRecord& r : records) {
    const ExploitRecord& x = r.record;
    rec->bind(1, std::string_view(x.fingerprint))
        .bind(2, std::string_view(x.exploit_id))
        .bind(3, std::string_view(x.name))
        .bind(4, category_name(x.category))
        .bind(5, std::int64_t{x.severity})
        .bind(6, std::string_view(x.status))
        .bind(7, m.run_id)
        .bind(8, std::string_view(x.reproduction.kernel_name))
        .bind(9, std::string_view(x.reproduction.kernel_version))
        .bind(10, std::string_view(x.reproduction.kernel_hash))
        .bind(11, r.path);
    if (Status st = rec->run(); !st.ok()) return st;
    link->bind(1, m.run_id)
        .bind(2, std::string_view(x.fingerprint))
        .bind(3, std::string_view(x.exploit_id))
        .bind(4, std::int64_t{x.occurrences});
    if (Status st = link->run(); !st.ok()) return st;
  }
  if (coverage != nullptr) {
    Result<Statement> cov = Statement::prepare(
        m.db, "INSERT INTO coverage VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!cov.ok()) return cov.status();
    for (const CoverageEntry& c : coverage->clauses) {
      cov->bind(1, m.run_id)
          .bind(2, std::string_view(c.clause))
          .bind(3, std::int64_t{c.structural})
          .bind(4, std::string_view(c.article));
      for (int k = 0; k < kCoverageCounterCount; ++k)
        cov->bind(5 + k, static_cast<std::int64_t>(c.counters.n[static_cast<std::size_t>(k)]));
      if (Status st = cov->run(); !st.ok()) return st;
    }
  }
  Result<Statement> done =
      Statement::prepare(m.db, "UPDATE runs SET status='complete', finished_at=?1 WHERE id=?2");
  if (!done.ok()) return done.status();
  if (Status st = done->bind(1, std::string_view(utc_now())).bind(2, m.run_id).run(); !st.ok())
    return st;
  return m.commit_batch();
}

Status RunStore::fail_run(const std::string& reason) {
  Impl& m = *impl_;
  if (Status st = m.commit_batch(); !st.ok()) return st;
  Result<Statement> s = Statement::prepare(
      m.db,
      "UPDATE runs SET status='failed', error=?1, finished_at=?2, episodes_done=?3 WHERE id=?4");
  if (!s.ok()) return s.status();
  return s->bind(1, std::string_view(reason))
      .bind(2, std::string_view(utc_now()))
      .bind(3, m.episodes)
      .bind(4, m.run_id)
      .run();
}

Result<std::int64_t> RunStore::mark_patched(const std::vector<std::string>& fingerprints,
                                            const std::string& kernel_name,
                                            const std::string& kernel_version,
                                            const std::string& kernel_hash) {
  Impl& m = *impl_;
  Transaction tx(m.db);
  if (!tx.begin().ok()) return tx.begin();
  Result<Statement> s = Statement::prepare(
      m.db,
      "UPDATE records SET status='patched', closed_by_name=?1, closed_by_version=?2, "
      "closed_by_hash=?3 WHERE fingerprint=?4 AND status='open'");
  if (!s.ok()) return s.status();
  std::int64_t marked = 0;
  for (const std::string& fp : fingerprints) {
    s->bind(1, std::string_view(kernel_name))
        .bind(2, std::string_view(kernel_version))
        .bind(3, std::string_view(kernel_hash))
        .bind(4, std::string_view(fp));
    if (Status st = s->run(); !st.ok()) return st;
    marked += m.db.changes();
  }
  if (Status st = tx.commit(); !st.ok()) return st;
  return marked;
}

namespace {

constexpr std::string_view kRunColumns =
    "SELECT id, command, settings, kernel_path, kernel_name, kernel_version, kernel_hash, "
    "engine_version, population, seeds, episodes_planned, episodes_done, status, error, "
    "started_at, finished_at, "
    // A hunt has no findings rows: its findings are its records' occurrences.
    "CASE WHEN command = 'hunt' "
    "THEN (SELECT coalesce(sum(occurrences), 0) FROM run_records o WHERE o.run_id = runs.id) "
    "ELSE (SELECT count(*) FROM findings f WHERE f.run_id = runs.id) END, "
    "(SELECT count(*) FROM run_records r WHERE r.run_id = runs.id) FROM runs";

StoredRun read_run(const Statement& s) {
  StoredRun r;
  r.id = s.column_int(0);
  r.info.command = s.column_text(1);
  r.info.settings_json = s.column_text(2);
  r.info.kernel_path = s.column_text(3);
  r.info.kernel_name = s.column_text(4);
  r.info.kernel_version = s.column_text(5);
  r.info.kernel_hash = s.column_text(6);
  r.info.engine_version = s.column_text(7);
  r.info.population = s.column_text(8);
  r.info.seeds = s.column_text(9);
  r.info.episodes_planned = s.column_int(10);
  r.episodes_done = s.column_int(11);
  r.status = s.column_text(12);
  r.error = s.column_optional_text(13);
  r.started_at = s.column_text(14);
  r.finished_at = s.column_optional_text(15);
  r.findings = s.column_int(16);
  r.records = s.column_int(17);
  return r;
}

constexpr std::string_view kRecordColumns =
    "SELECT r.fingerprint, r.record_id, r.name, r.category, r.severity, r.status, r.run_id, "
    "r.kernel_name, r.kernel_version, r.kernel_hash, r.closed_by_name, r.closed_by_version, "
    "r.closed_by_hash, r.path FROM records r";

StoredRecord read_record(const Statement& s) {
  StoredRecord r;
  r.fingerprint = s.column_text(0);
  r.record_id = s.column_text(1);
  r.name = s.column_text(2);
  r.category = s.column_text(3);
  r.severity = static_cast<int>(s.column_int(4));
  r.status = s.column_text(5);
  r.run_id = s.column_int(6);
  r.kernel_name = s.column_text(7);
  r.kernel_version = s.column_text(8);
  r.kernel_hash = s.column_text(9);
  if (!s.column_is_null(10)) {
    r.closed_by =
        fmt::format("{} v{} ({})", s.column_text(10), s.column_text(11), s.column_text(12));
  }
  r.path = s.column_optional_text(13);
  return r;
}

// Every row of `s`, read with `read`.
template <typename Row, typename Read>
Result<std::vector<Row>> all_rows(Statement& s, Read read) {
  std::vector<Row> rows;
  for (;;) {
    const Result<bool> next = s.step();
    if (!next.ok()) return next.status();
    if (!*next) break;
    rows.push_back(read(s));
  }
  return rows;
}

}  // namespace

Result<std::vector<StoredRun>> RunStore::runs() {
  Result<Statement> s = Statement::prepare(impl_->db, fmt::format("{} ORDER BY id", kRunColumns));
  if (!s.ok()) return s.status();
  return all_rows<StoredRun>(*s, read_run);
}

Result<std::optional<StoredRun>> RunStore::run(std::int64_t id) {
  Result<Statement> s = Statement::prepare(impl_->db, fmt::format("{} WHERE id=?1", kRunColumns));
  if (!s.ok()) return s.status();
  s->bind(1, id);
  Result<std::vector<StoredRun>> rows = all_rows<StoredRun>(*s, read_run);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredRun>();
  return std::optional<StoredRun>(std::move(rows->front()));
}

Result<std::vector<StoredMatchup>> RunStore::matchups(std::int64_t run_id) {
  Result<Statement> s = Statement::prepare(
      impl_->db,
      "SELECT matchup, count(*), sum(capture_any), avg(governance_score), sum(findings) "
      "FROM episodes WHERE run_id=?1 GROUP BY matchup ORDER BY matchup");
  if (!s.ok()) return s.status();
  s->bind(1, run_id);
  return all_rows<StoredMatchup>(*s, [](const Statement& row) {
    return StoredMatchup{row.column_text(0), row.column_int(1), row.column_int(2),
                         row.column_double(3), row.column_int(4)};
  });
}

Result<std::vector<StoredRecord>> RunStore::run_records(std::int64_t run_id) {
  Result<Statement> s = Statement::prepare(
      impl_->db, fmt::format("{} JOIN run_records l ON l.fingerprint = r.fingerprint "
                             "WHERE l.run_id=?1 ORDER BY r.record_id, r.fingerprint",
                             kRecordColumns));
  if (!s.ok()) return s.status();
  s->bind(1, run_id);
  return all_rows<StoredRecord>(*s, read_record);
}

Result<std::vector<StoredRecord>> RunStore::records(const RecordFilter& filter) {
  std::string sql = fmt::format("{} WHERE 1", kRecordColumns);
  if (filter.status) sql += " AND r.status = ?1";
  if (filter.category) sql += " AND r.category = ?2";
  if (filter.kernel) {
    sql +=
        " AND (r.kernel_name = ?3 OR r.kernel_hash = ?3"
        " OR r.kernel_name || ' v' || r.kernel_version = ?3)";
  }
  sql += " ORDER BY r.record_id, r.fingerprint";
  Result<Statement> s = Statement::prepare(impl_->db, sql);
  if (!s.ok()) return s.status();
  if (filter.status) s->bind(1, std::string_view(*filter.status));
  if (filter.category) s->bind(2, std::string_view(*filter.category));
  if (filter.kernel) s->bind(3, std::string_view(*filter.kernel));
  return all_rows<StoredRecord>(*s, read_record);
}

}  // namespace fable
