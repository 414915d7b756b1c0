// The run store (fable/run_store.h, docs/store-format.md): what it refuses
// (another schema version, a file that is not a database or not ours, a
// folder, a path it cannot write) without touching the file, the episodes and
// records it keeps, dedup by fingerprint across runs, and the readers' filters.
#include "fable/run_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "store/sqlite.h"
#include "support/files.h"

namespace fable {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("fable-store-test-" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

StoreRunInfo info(const std::string& kernel_name = "K", const std::string& hash = "00aa") {
  StoreRunInfo i;
  i.command = "run";
  i.settings_json = "{}";
  i.kernel_path = "k.yaml";
  i.kernel_name = kernel_name;
  i.kernel_version = "1.0.0";
  i.kernel_hash = hash;
  i.engine_version = "fable-engine/1";
  i.population = "naive";
  i.seeds = "0..1";
  i.episodes_planned = 2;
  return i;
}

ExploitFinding finding(const std::string& fingerprint, Category c = Category::kDrain) {
  ExploitFinding f;
  f.name = "self_dealing";
  f.category = c;
  f.severity = 4;
  f.turn = 3;
  f.fingerprint = fingerprint;
  return f;
}

StoreRecord record(const std::string& id, const std::string& fingerprint, Category c,
                   const std::string& kernel_name = "K", const std::string& hash = "00aa") {
  StoreRecord r;
  r.record.exploit_id = id;
  r.record.name = "self_dealing";
  r.record.category = c;
  r.record.severity = 5;
  r.record.fingerprint = fingerprint;
  r.record.reproduction.kernel_name = kernel_name;
  r.record.reproduction.kernel_version = "1.0.0";
  r.record.reproduction.kernel_hash = hash;
  r.path = "exploits/" + id + ".json";
  return r;
}

// One run of two episodes (one with a finding) and `records`.
void add_run(RunStore& store, const std::vector<StoreRecord>& records,
             const StoreRunInfo& i = info()) {
  ASSERT_TRUE(store.begin_run(i).ok());
  EpisodeScore score;
  score.governance_score = 50;
  score.capture.drain = true;
  ASSERT_TRUE(store.add_episode("drain", 0, score, {finding("f1")}).ok());
  ASSERT_TRUE(store.add_episode("drain", 1, EpisodeScore{}, {}).ok());
  ASSERT_TRUE(store.finish_run(records, nullptr).ok());
}

std::int64_t count(const fs::path& db, const std::string& sql) {
  auto d = store::Database::open(db.string(), store::OpenMode::kReadOnly);
  EXPECT_TRUE(d.ok());
  auto s = store::Statement::prepare(*d, sql);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.status().message());
  auto row = s->step();
  EXPECT_TRUE(row.ok() && *row);
  return s->column_int(0);
}

template <typename T>
Status status_of(const Result<T>& r) {
  return r.ok() ? Status::Ok() : r.status();
}

TEST(RunStore, NewStoreHoldsTheRunItsEpisodesFindingsAndRecords) {
  const fs::path db = fresh_dir("new") / "s.db";
  auto store = RunStore::open(db.string());
  ASSERT_TRUE(store.ok()) << store.status().message();
  add_run(*store, {record("EXP-001", "fp1", Category::kDrain)});
  EXPECT_EQ(count(db, "SELECT count(*) FROM episodes"), 2);
  EXPECT_EQ(count(db, "SELECT count(*) FROM findings"), 1);
  EXPECT_EQ(count(db, "SELECT sum(capture_drain) FROM episodes"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM records WHERE status='open'"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM meta WHERE key='schema_version' AND value='1'"), 1);
  auto runs = store->runs();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].status, "complete");
  EXPECT_EQ((*runs)[0].episodes_done, 2);
  EXPECT_EQ((*runs)[0].findings, 1);
  EXPECT_TRUE((*runs)[0].finished_at.has_value());
}

TEST(RunStore, IsInWalMode) {
  const fs::path db = fresh_dir("wal") / "s.db";
  ASSERT_TRUE(RunStore::open(db.string()).ok());
  // The file says so: its read and write format versions (header bytes 18
  // and 19) are 2 in WAL mode. (A reader opens a closed store immutable,
  // which reports journal_mode "delete" whatever the file says.)
  const std::string header = fable::testing::read_file(db).substr(0, 20);
  ASSERT_EQ(header.size(), 20u);
  EXPECT_EQ(header[18], 2);
  EXPECT_EQ(header[19], 2);
  auto d = store::Database::open(db.string(), store::OpenMode::kReadWrite);
  ASSERT_TRUE(d.ok());
  auto s = store::Statement::prepare(*d, "PRAGMA journal_mode");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(*s->step());
  EXPECT_EQ(s->column_text(0), "wal");
}

TEST(RunStore, EpisodesPastOneBatchAreAllKept) {
  const fs::path db = fresh_dir("batch") / "s.db";
  auto store = RunStore::open(db.string());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->begin_run(info()).ok());
  const int n = kStoreBatchEpisodes * 2 + 3;
  for (int i = 0; i < n; ++i)
    ASSERT_TRUE(store->add_episode("m", static_cast<std::uint64_t>(i), EpisodeScore{}, {}).ok());
  ASSERT_TRUE(store->finish_run({}, nullptr).ok());
  EXPECT_EQ(count(db, "SELECT count(*) FROM episodes"), n);
  EXPECT_EQ(count(db, "SELECT episodes_done FROM runs"), n);
}

TEST(RunStore, FailedRunKeepsItsEpisodesAndSaysWhy) {
  const fs::path db = fresh_dir("failed") / "s.db";
  auto store = RunStore::open(db.string());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->begin_run(info()).ok());
  ASSERT_TRUE(store->add_episode("m", 0, EpisodeScore{}, {}).ok());
  ASSERT_TRUE(store->fail_run("disk full").ok());
  auto run = store->run(1);
  ASSERT_TRUE(run.ok() && run->has_value());
  EXPECT_EQ((*run)->status, "failed");
  EXPECT_EQ((*run)->error.value_or(""), "disk full");
  EXPECT_EQ((*run)->episodes_done, 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM episodes"), 1);
}

TEST(RunStore, AResumedRunLosesItsRowsPastTheCheckpointAndKeepsItsId) {
  const fs::path db = fresh_dir("resume") / "s.db";
  {
    auto store = RunStore::open(db.string());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->begin_run(info()).ok());
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(store
                      ->add_episode("m", static_cast<std::uint64_t>(i), EpisodeScore{},
                                    {finding("f" + std::to_string(i))})
                      .ok());
      if (i == 2) {
        ASSERT_TRUE(store->commit().ok());  // a checkpoint after 3 episodes
      }
    }
    ASSERT_TRUE(store->fail_run("killed").ok());  // 5 episodes committed
  }
  EXPECT_EQ(count(db, "SELECT count(*) FROM episodes"), 5);
  auto store = RunStore::open(db.string());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->resume_run(1, 3, info()).ok());
  EXPECT_EQ(count(db, "SELECT count(*) FROM episodes"), 3);
  EXPECT_EQ(count(db, "SELECT count(*) FROM findings"), 3);
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM runs WHERE status='running' AND error IS NULL "
                  "AND finished_at IS NULL AND episodes_done=3"),
            1);
  ASSERT_TRUE(store->add_episode("m", 3, EpisodeScore{}, {}).ok());
  ASSERT_TRUE(store->finish_run({}, nullptr).ok());
  EXPECT_EQ(count(db, "SELECT max(episode) FROM episodes WHERE run_id=1"), 3);
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs"), 1);
  EXPECT_EQ(count(db, "SELECT episodes_done FROM runs WHERE status='complete'"), 4);

  // No such run, another run, a complete run: refused, nothing changed.
  const Status missing = store->resume_run(2, 0, info());
  EXPECT_EQ(missing.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.message().find("no such run"), std::string::npos) << missing.message();
  const Status other = store->resume_run(1, 0, info("K", "00bb"));
  EXPECT_NE(other.message().find("another run"), std::string::npos) << other.message();
  const Status complete = store->resume_run(1, 0, info());
  EXPECT_NE(complete.message().find("it is complete"), std::string::npos) << complete.message();
  EXPECT_EQ(count(db, "SELECT count(*) FROM episodes"), 4);
}

// A run killed after its completion was committed and before its folder was published
// (docs/resume.md, "How a run ends") is taken up again in that finishing phase only: its
// records links and coverage are written again by finish_run, the rows end as before.
TEST(RunStore, ACompleteRunIsResumedOnlyInItsFinishingPhase) {
  const fs::path db = fresh_dir("finishing") / "s.db";
  CoverageReport coverage;
  coverage.clauses.push_back(CoverageEntry{});
  coverage.clauses.back().clause = "art1.c1";
  {
    auto store = RunStore::open(db.string());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->begin_run(info()).ok());
    ASSERT_TRUE(store->add_episode("m", 0, EpisodeScore{}, {finding("fp1")}).ok());
    ASSERT_TRUE(store->add_episode("m", 1, EpisodeScore{}, {}).ok());
    ASSERT_TRUE(store->finish_run({record("EXP-001", "fp1", Category::kDrain)}, &coverage).ok());
  }
  auto store = RunStore::open(db.string());
  ASSERT_TRUE(store.ok());
  // Not in its finishing phase (a checkpoint before the last episode): refused.
  const Status early = store->resume_run(1, 1, info());
  EXPECT_NE(early.message().find("it is complete"), std::string::npos) << early.message();
  EXPECT_EQ(count(db, "SELECT count(*) FROM run_records"), 1);
  ASSERT_TRUE(store->resume_run(1, 2, info()).ok());
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs WHERE status='running' AND episodes_done=2"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM run_records"), 0);
  EXPECT_EQ(count(db, "SELECT count(*) FROM coverage"), 0);
  EXPECT_EQ(count(db, "SELECT count(*) FROM episodes"), 2);
  EXPECT_EQ(count(db, "SELECT count(*) FROM records"), 1);  // the record row stays
  const Status again = store->finish_run({record("EXP-001", "fp1", Category::kDrain)}, &coverage);
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs WHERE status='complete' AND episodes_done=2"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM run_records"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM coverage"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM records"), 1);
}

TEST(RunStore, RecordsAreKeptOncePerFingerprintAcrossRuns) {
  const fs::path db = fresh_dir("dedup") / "s.db";
  {
    auto store = RunStore::open(db.string());
    ASSERT_TRUE(store.ok());
    add_run(*store, {record("EXP-001", "fp1", Category::kDrain),
                     record("EXP-002", "fp2", Category::kEntrench)});
  }
  auto store = RunStore::open(db.string());  // appended to: ours, our version
  ASSERT_TRUE(store.ok()) << store.status().message();
  add_run(*store, {record("EXP-001", "fp2", Category::kEntrench),
                   record("EXP-002", "fp3", Category::kSuppress)});
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs"), 2);
  EXPECT_EQ(count(db, "SELECT count(*) FROM records"), 3);
  // fp2 keeps the row of the run that found it first.
  EXPECT_EQ(count(db, "SELECT run_id FROM records WHERE fingerprint='fp2'"), 1);
  EXPECT_EQ(count(db, "SELECT run_id FROM records WHERE fingerprint='fp3'"), 2);
  auto second = store->run_records(2);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ((*second)[0].fingerprint, "fp2");
  EXPECT_EQ((*second)[0].record_id, "EXP-002");  // its id in the store, from run 1
  auto runs = store->runs();
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ((*runs)[1].records, 2);
}

TEST(RunStore, RecordFiltersSelectByStatusCategoryAndKernel) {
  const fs::path db = fresh_dir("filters") / "s.db";
  auto store = RunStore::open(db.string());
  ASSERT_TRUE(store.ok());
  add_run(*store, {record("EXP-001", "fp1", Category::kDrain),
                   record("EXP-002", "fp2", Category::kEntrench)});
  add_run(*store, {record("EXP-003", "fp3", Category::kDrain, "Other", "00bb")},
          info("Other", "00bb"));
  {
    auto d = store::Database::open(db.string(), store::OpenMode::kReadWrite);
    ASSERT_TRUE(d.ok());
    ASSERT_TRUE(d->exec("UPDATE records SET status='patched', closed_by_name='K', "
                        "closed_by_version='2.0.0', closed_by_hash='00cc' WHERE fingerprint='fp1'")
                    .ok());
  }
  const auto ids = [&](const RecordFilter& f) {
    std::vector<std::string> out;
    auto rows = store->records(f);
    EXPECT_TRUE(rows.ok());
    for (const StoredRecord& r : *rows) out.push_back(r.record_id);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids({}), (V{"EXP-001", "EXP-002", "EXP-003"}));
  EXPECT_EQ(ids({"open", std::nullopt, std::nullopt}), (V{"EXP-002", "EXP-003"}));
  EXPECT_EQ(ids({"patched", std::nullopt, std::nullopt}), (V{"EXP-001"}));
  EXPECT_EQ(ids({std::nullopt, "drain", std::nullopt}), (V{"EXP-001", "EXP-003"}));
  EXPECT_EQ(ids({std::nullopt, std::nullopt, "Other"}), (V{"EXP-003"}));
  EXPECT_EQ(ids({std::nullopt, std::nullopt, "K v1.0.0"}), (V{"EXP-001", "EXP-002"}));
  EXPECT_EQ(ids({std::nullopt, std::nullopt, "00bb"}), (V{"EXP-003"}));
  EXPECT_EQ(ids({"open", "drain", "K"}), V{});
  auto patched = store->records({"patched", std::nullopt, std::nullopt});
  ASSERT_TRUE(patched.ok());
  EXPECT_EQ((*patched)[0].closed_by.value_or(""), "K v2.0.0 (00cc)");
}

TEST(RunStore, MarkPatchedClosesOpenRecordsOnceWithTheKernel) {
  const fs::path db = fresh_dir("patched") / "s.db";
  auto store = RunStore::open(db.string());
  ASSERT_TRUE(store.ok());
  add_run(*store, {record("EXP-001", "fp1", Category::kDrain),
                   record("EXP-002", "fp2", Category::kEntrench)});
  auto marked = store->mark_patched({"fp1", "fp-unknown"}, "K", "2.0.0", "00cc");
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(*marked, 1);
  // Already patched: left as it is, closed by the first kernel.
  marked = store->mark_patched({"fp1"}, "K", "3.0.0", "00dd");
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(*marked, 0);
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM records WHERE status='patched' AND "
                  "closed_by_version='2.0.0' AND fingerprint='fp1'"),
            1);
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM records WHERE status='open' AND "
                  "closed_by_name IS NULL AND fingerprint='fp2'"),
            1);
  // verify --store never creates a store.
  const fs::path none = db.parent_path() / "none.db";
  EXPECT_EQ(status_of(RunStore::open(none.string(), "--store", false)).code(),
            StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(none));
}

// Every refusal is Status::Invalid naming the flag and the file, and the file
// is unchanged, and no FILE-wal is made beside it (`wal_database`: a store
// whose writer made them).
void expect_refused(const fs::path& db, const std::string& says, bool wal_database = false) {
  const std::string before = fable::testing::read_file(db);
  for (const Status& st : {RunStore::check(db.string()), status_of(RunStore::open(db.string())),
                           status_of(RunStore::open_read_only(db.string()))}) {
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.message();
    EXPECT_NE(st.message().find("--store " + db.string() + ": "), std::string::npos)
        << st.message();
    EXPECT_NE(st.message().find(says), std::string::npos) << st.message();
    EXPECT_EQ(st.message().find('\n'), std::string::npos);
  }
  EXPECT_EQ(fable::testing::read_file(db), before);
  if (!wal_database) {
    EXPECT_FALSE(fs::exists(db.string() + "-wal"));
  }
}

TEST(RunStore, RefusesAnotherSchemaVersion) {
  const fs::path db = fresh_dir("version") / "s.db";
  ASSERT_TRUE(RunStore::open(db.string()).ok());
  {
    auto d = store::Database::open(db.string(), store::OpenMode::kReadWrite);
    ASSERT_TRUE(d.ok());
    ASSERT_TRUE(d->exec("UPDATE meta SET value='2' WHERE key='schema_version'").ok());
    ASSERT_TRUE(d->exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  }
  fs::remove(db.string() + "-wal");
  fs::remove(db.string() + "-shm");
  expect_refused(db, "schema_version 2); this build reads and writes only fable-store/1", true);
}

TEST(RunStore, RefusesAFileThatIsNotADatabase) {
  const fs::path db = fresh_dir("notdb") / "notes.txt";
  std::ofstream(db) << "my notes, not a database\n";
  expect_refused(db, "not an SQLite database; expected a fable store (fable-store/1");
}

TEST(RunStore, RefusesAnEmptyFile) {
  const fs::path db = fresh_dir("empty") / "empty.db";
  std::ofstream(db).flush();
  expect_refused(db, "without a meta table; expected a fable store");
}

TEST(RunStore, RefusesADatabaseThatIsNotOurs) {
  const fs::path db = fresh_dir("theirs") / "theirs.db";
  {
    auto d = store::Database::open(db.string(), store::OpenMode::kCreate);
    ASSERT_TRUE(d.ok());
    ASSERT_TRUE(d->exec("CREATE TABLE meta(key TEXT, value TEXT);"
                        "INSERT INTO meta VALUES ('schema', 'someone-else/3')")
                    .ok());
  }
  expect_refused(db, "has no fable-store schema");
}

TEST(RunStore, RefusesAFolder) {
  const fs::path dir = fresh_dir("folder");
  const Status st = RunStore::check(dir.string());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("is a folder, expected a store file"), std::string::npos);
  EXPECT_EQ(status_of(RunStore::open(dir.string())).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status_of(RunStore::open_read_only(dir.string())).code(), StatusCode::kInvalidArgument);
}

TEST(RunStore, RefusesPathsItCannotWrite) {
  const fs::path missing = fresh_dir("unwritable") / "no-such-folder" / "s.db";
  const Status st = RunStore::check(missing.string());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("no such folder"), std::string::npos) << st.message();
  EXPECT_FALSE(fs::exists(missing.parent_path()));
  // /proc takes no new files, even from root.
  const Result<RunStore> proc = RunStore::open("/proc/fable-store-test.db");
  ASSERT_FALSE(proc.ok());
  EXPECT_EQ(proc.status().code(), StatusCode::kIoError);
  EXPECT_EQ(proc.status().message().rfind("--store /proc/fable-store-test.db: ", 0), 0u)
      << proc.status().message();
}

// The files of `dir`, sorted.
std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// A reader (runs, records, report --store) of a store no writer has open
// makes no file beside it, no -wal and no -shm, so a store in a read-only
// folder is readable (root ignores folder permissions: the test checks that
// nothing is made) and nothing is left behind. While a writer has it open,
// FILE-wal exists and a reader sees the writer's commits.
TEST(RunStore, ReadersMakeNoFileAndSeeAWriterAtWork) {
  const fs::path dir = fresh_dir("readers");
  const fs::path db = dir / "s.db";
  {
    auto store = RunStore::open(db.string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    add_run(*store, {record("EXP-001", "fp1", Category::kDrain)});
  }
  const std::vector<std::string> alone{"s.db"};
  ASSERT_EQ(files_in(dir), alone);
  {
    auto reader = RunStore::open_read_only(db.string());
    ASSERT_TRUE(reader.ok()) << reader.status().message();
    const auto runs = reader->runs();
    ASSERT_TRUE(runs.ok()) << runs.status().message();
    EXPECT_EQ(runs->size(), 1u);
    const auto records = reader->records(RecordFilter{});
    ASSERT_TRUE(records.ok());
    EXPECT_EQ(records->size(), 1u);
    EXPECT_EQ(files_in(dir), alone);
  }
  EXPECT_EQ(files_in(dir), alone);
  ASSERT_TRUE(RunStore::check(db.string()).ok());
  EXPECT_EQ(files_in(dir), alone);

  auto writer = RunStore::open(db.string());
  ASSERT_TRUE(writer.ok());
  add_run(*writer, {record("EXP-002", "fp2", Category::kDrain)});
  ASSERT_TRUE(fs::exists(db.string() + "-wal"));
  auto reader = RunStore::open_read_only(db.string());
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  const auto runs = reader->runs();
  ASSERT_TRUE(runs.ok()) << runs.status().message();
  EXPECT_EQ(runs->size(), 2u);
}

TEST(RunStore, ReadersNeverCreateAStore) {
  const fs::path db = fresh_dir("reader") / "none.db";
  const Result<RunStore> store = RunStore::open_read_only(db.string(), "--store");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(db));
}

}  // namespace
}  // namespace fable
