// `--store` on tournament, run and hunt, and the readers `runs` and `records`, as a
// process: the done-when check (the episode count from sqlite3, what
// the readers list), the same rows with 1 and 2 threads (timing columns
// aside), nothing else the run writes changes, and one error line for each
// bad flag or store.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "support/cli_test_support.h"
#include "support/files.h"

namespace {

namespace fs = std::filesystem;
using fable::testing::CliRun;

CliRun run_cli(const std::string& args) {
  return fable::testing::run_command(std::string("cd ") + FABLE_SOURCE_DIR + " && " + FABLE_BINARY +
                                     " " + args + " 2>&1");
}

// sqlite3 (Debian's sqlite3, tools/install-deps.sh) on `db`.
CliRun sqlite(const fs::path& db, const std::string& sql) {
  return fable::testing::run_command("sqlite3 '" + db.string() + "' \"" + sql + "\" 2>&1");
}

fs::path fresh_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("fable-store-cli-" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

const std::string kKernel = std::string(FABLE_SOURCE_DIR) + "/kernels/kernel-v0.1.yaml";

TEST(StoreCli, TournamentStoreAnswersTheEpisodeCountAndTheReadersListIt) {
  const fs::path dir = fresh_dir("done-when");
  const fs::path db = dir / "runs.db";
  const CliRun t =
      run_cli("tournament --kernel kernels/kernel-v0.1.yaml --seeds 0..3 --store " + db.string());
  ASSERT_EQ(t.code, 0) << t.out;
  EXPECT_NE(t.out.find("run 1 added to " + db.string()), std::string::npos) << t.out;
  // 5 default matchups x 4 seeds.
  EXPECT_EQ(sqlite(db, "select count(*) from episodes").out, "20\n");
  const CliRun records_sql = sqlite(db, "select count(*) from records");
  const CliRun list = run_cli("runs list --store " + db.string());
  ASSERT_EQ(list.code, 0) << list.out;
  EXPECT_NE(list.out.find("tournament complete Commons Charter v0.1.0"), std::string::npos)
      << list.out;
  EXPECT_NE(list.out.find("20/20"), std::string::npos) << list.out;
  EXPECT_EQ(run_cli("runs --store " + db.string()).out, list.out);  // list is the default
  const CliRun show = run_cli("runs show 1 --store " + db.string());
  ASSERT_EQ(show.code, 0) << show.out;
  EXPECT_NE(show.out.find("episodes: 20 of 20"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("mixed-capture    episodes      4"), std::string::npos) << show.out;
  const CliRun records = run_cli("records --store " + db.string());
  ASSERT_EQ(records.code, 0) << records.out;
  // One line per record in the store, each open and found in run 1.
  std::size_t lines = 0;
  for (char c : records.out) lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(std::to_string(lines) + "\n", records_sql.out);
  EXPECT_GT(lines, 0u);
  EXPECT_NE(records.out.find("EXP-001  "), std::string::npos) << records.out;
  EXPECT_NE(records.out.find(" open  found on Commons Charter v0.1.0"), std::string::npos);
  const CliRun drains = run_cli("records --category drain --status open --kernel " + kKernel +
                                " --store " + db.string());
  ASSERT_EQ(drains.code, 0) << drains.out;
  EXPECT_NE(drains.out.find("drain/sev"), std::string::npos) << drains.out;
  EXPECT_EQ(drains.out.find("entrench/sev"), std::string::npos) << drains.out;
  const CliRun patched = run_cli("records --status patched --store " + db.string());
  EXPECT_EQ(patched.out, "no records match in " + db.string() + "\n");
}

// The rows of a store with the timing columns blanked, as sqlite3's .dump.
std::string dump_without_timings(const fs::path& db) {
  const CliRun blank = sqlite(db, "update runs set started_at='', finished_at=NULL");
  EXPECT_EQ(blank.code, 0) << blank.out;
  const CliRun dump = sqlite(db, ".dump");
  EXPECT_EQ(dump.code, 0) << dump.out;
  return dump.out;
}

TEST(StoreCli, SameRowsWithOneAndTwoThreadsAndTheSameArtifacts) {
  std::string dumps[2];
  std::map<std::string, std::string> artifacts[2];
  std::string printed[2];
  for (int threads = 1; threads <= 2; ++threads) {
    const fs::path dir = fresh_dir("threads-" + std::to_string(threads));
    const std::string cmd =
        "cd '" + dir.string() + "' && " + FABLE_BINARY + " run --kernel " + kKernel +
        " --roster honest:5,drainer:1,entrencher:1,suppressor:1 --episodes 12 --threads " +
        std::to_string(threads) + " --coverage cov.json --out out --store s.db 2>&1";
    const CliRun r = fable::testing::run_command(cmd);
    ASSERT_EQ(r.code, 0) << r.out;
    // A second run into the same store: dedup by fingerprint, new run rows.
    const CliRun again = fable::testing::run_command(
        "cd '" + dir.string() + "' && " + FABLE_BINARY + " tournament --kernel " + kKernel +
        " --seeds 0..2 --threads " + std::to_string(threads) + " --store s.db 2>&1");
    ASSERT_EQ(again.code, 0) << again.out;
    printed[threads - 1] = r.out;
    dumps[threads - 1] = dump_without_timings(dir / "s.db");
    artifacts[threads - 1] = fable::testing::folder_contents(dir / "out");
  }
  EXPECT_EQ(dumps[0], dumps[1]);
  EXPECT_NE(dumps[0].find("INSERT INTO episodes VALUES(2,11,"), std::string::npos);
  EXPECT_NE(dumps[0].find("INSERT INTO coverage VALUES(1,"), std::string::npos);
  EXPECT_EQ(artifacts[0], artifacts[1]);
  EXPECT_EQ(printed[0], printed[1]);
}

TEST(StoreCli, TheStoreChangesNothingElseTheRunWrites) {
  const fs::path dir = fresh_dir("unchanged");
  const std::string args =
      "run --kernel kernels/kernel-v0.1.yaml --roster honest:5,drainer:2 "
      "--episodes 6 --out ";
  const CliRun plain = run_cli(args + (dir / "plain").string());
  const CliRun stored =
      run_cli(args + (dir / "stored").string() + " --store " + (dir / "s.db").string());
  ASSERT_EQ(plain.code, 0) << plain.out;
  ASSERT_EQ(stored.code, 0) << stored.out;
  EXPECT_EQ(fable::testing::folder_contents(dir / "plain"),
            fable::testing::folder_contents(dir / "stored"));
  // The same lines with the folder's name, and one more naming the store.
  const std::string added = "run 1 added to " + (dir / "s.db").string() + "\n";
  std::string expected = plain.out;
  const std::string plain_dir = (dir / "plain").string();
  for (std::size_t at = expected.find(plain_dir); at != std::string::npos;
       at = expected.find(plain_dir, at + 1))
    expected.replace(at, plain_dir.size(), (dir / "stored").string());
  EXPECT_EQ(stored.out, expected + added);
}

TEST(StoreCli, BadStoresAndFlagsGetOneErrorLine) {
  const fs::path dir = fresh_dir("errors");
  std::ofstream(dir / "notes.db") << "not a database\n";
  fs::create_directories(dir / "out");
  const std::string notes = (dir / "notes.db").string();
  struct Case {
    std::string args;
    int code;
    std::string says;
  };
  const Case cases[] = {
      {"tournament --kernel kernels/kernel-v0.1.yaml --store " + notes, 2,
       "error: --store " + notes + ": not an SQLite database; expected a fable store"},
      {"run --kernel kernels/kernel-v0.1.yaml --roster honest:4 --store " + dir.string(), 2,
       "error: --store " + dir.string() + ": is a folder, expected a store file"},
      {"run --kernel kernels/kernel-v0.1.yaml --roster honest:4 --out " + (dir / "out").string() +
           " --store " + (dir / "out" / "s.db").string(),
       2, "inside the output folder"},
      {"runs --store " + notes, 2, "not an SQLite database"},
      {"runs --store " + (dir / "none.db").string(), 2, "no such store"},
      {"runs show --store " + notes, 2, "runs: expected `list` or `show ID`, got 'show'"},
      {"runs show 0 --store " + notes, 2, "expected a run id"},
      {"runs frobnicate --store " + notes, 2, "got 'frobnicate'"},
      {"runs list", 2, "--store is required"},
      {"records --store " + notes + " --status closed", 2,
       "--status 'closed': expected open or patched"},
      {"records --store " + notes + " --category nope", 2,
       "--category 'nope': expected one of drain, entrench"},
      {"records --store " + notes + " --kernel ''", 2, "--kernel: expected a kernel"},
      // A mistyped kernel path or a folder is not taken for a kernel name
      // (which would match nothing and hide every record).
      {"records --store " + notes + " --kernel /nonexistent/k.yaml", 2,
       "--kernel /nonexistent/k.yaml: no such kernel file"},
      {"records --store " + notes + " --kernel " + dir.string(), 2, "no such kernel file"},
  };
  for (const Case& c : cases) {
    const CliRun r = run_cli(c.args);
    EXPECT_EQ(r.code, c.code) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.says), std::string::npos) << c.args << "\n" << r.out;
    EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << c.args << "\n" << r.out;  // one line
  }
  // Nothing was written: the user's file is as it was, no store was made.
  EXPECT_EQ(fable::testing::read_file(dir / "notes.db"), "not a database\n");
  EXPECT_FALSE(fs::exists(dir / "none.db"));
  EXPECT_TRUE(fs::is_empty(dir / "out"));
}

TEST(StoreCli, HuntAddsItsRunAndRecordsWithTheirFiles) {
  const fs::path dir = fresh_dir("hunt");
  const fs::path db = dir / "s.db";
  const CliRun h = run_cli(
      "hunt --kernel kernels/kernel-v0.1.yaml --roster honest:9,attacker:11 "
      "--budget 200 --quiet --no-minimize --out " +
      (dir / "out").string() + " --store " + db.string());
  ASSERT_EQ(h.code, 0) << h.out;
  EXPECT_NE(h.out.find("run 1 added to " + db.string()), std::string::npos) << h.out;
  const CliRun list = run_cli("runs --store " + db.string());
  EXPECT_NE(list.out.find("hunt       complete"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("200/200"), std::string::npos) << list.out;
  EXPECT_EQ(sqlite(db, "select count(*) from episodes").out, "0\n");  // a hunt has no episodes
  // Its findings are its records' occurrences (there are no findings rows).
  const std::string occurrences = sqlite(db, "select sum(occurrences) from run_records").out;
  ASSERT_NE(occurrences, "0\n");
  const CliRun show = run_cli("runs show 1 --store " + db.string());
  EXPECT_NE(show.out.find("findings: " + occurrences), std::string::npos) << show.out;
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir / "out" / "exploits"))
    files += e.is_regular_file();
  ASSERT_GT(files, 0u);
  EXPECT_EQ(sqlite(db, "select count(*) from records").out, std::to_string(files) + "\n");
  // Every stored path is a record file the hunt wrote.
  const CliRun paths = sqlite(db, "select path from records");
  std::size_t at = 0;
  for (std::size_t nl = paths.out.find('\n'); nl != std::string::npos;
       at = nl + 1, nl = paths.out.find('\n', at))
    EXPECT_TRUE(fs::is_regular_file(paths.out.substr(at, nl - at))) << paths.out;
}

TEST(StoreCli, VerifyMarksTheRecordsTheKernelBlocksPatched) {
  const fs::path dir = fresh_dir("verify");
  const fs::path db = dir / "s.db";
  const fs::path out = dir / "out";
  ASSERT_EQ(run_cli("run --kernel kernels/kernel-v0.1.yaml --roster honest:5,drainer:2 "
                    "--episodes 4 --out " +
                    out.string() + " --store " + db.string())
                .code,
            0);
  const std::string open_count = sqlite(db, "select count(*) from records").out;
  ASSERT_NE(open_count, "0\n");
  // Without --store verify prints what it always printed.
  const CliRun plain =
      run_cli("verify --kernel kernels/kernel-v0.2.yaml " + (out / "exploits").string());
  const CliRun v = run_cli("verify --kernel kernels/kernel-v0.2.yaml " +
                           (out / "exploits").string() + " --store " + db.string());
  EXPECT_EQ(v.code, plain.code) << v.out;
  ASSERT_EQ(v.out.rfind(plain.out, 0), 0u) << v.out;
  const std::string blocked = sqlite(db,
                                     "select count(*) from records where status='patched' and "
                                     "closed_by_version='0.2.0'")
                                  .out;
  EXPECT_EQ(
      v.out.substr(plain.out.size()),
      blocked.substr(0, blocked.size() - 1) + " record(s) marked patched in " + db.string() + "\n");
  EXPECT_NE(blocked, "0\n");
  const CliRun listed = run_cli("records --status patched --store " + db.string());
  EXPECT_NE(listed.out.find("closed by Commons Charter v0.2.0"), std::string::npos) << listed.out;
  // A store that does not exist is refused before any replay, and not made.
  const CliRun none =
      run_cli("verify --kernel kernels/kernel-v0.2.yaml " + (out / "exploits").string() +
              " --store " + (dir / "none.db").string());
  EXPECT_EQ(none.code, 2);
  EXPECT_EQ(none.out, "error: --store " + (dir / "none.db").string() + ": no such store\n");
  EXPECT_FALSE(fs::exists(dir / "none.db"));
}

TEST(StoreCli, ProcessesCreatingOneStoreTogetherAllAddTheirRuns) {
  const fs::path dir = fresh_dir("together");
  const fs::path db = dir / "s.db";
  std::string cmd = "cd '" + dir.string() + "' && (";
  for (int i = 0; i < 3; ++i) {
    cmd += std::string(FABLE_BINARY) + " run --kernel " + kKernel +
           " --roster honest:5,drainer:2 --no-minimize --episodes 60 --seed " +
           std::to_string(i * 100) + " --store s.db > r" + std::to_string(i) +
           ".log 2>&1 || echo failed " + std::to_string(i) + " & ";
  }
  cmd += "wait)";
  const CliRun r = fable::testing::run_command(cmd);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(sqlite(db, "select count(*), sum(status='complete') from runs").out, "3|3\n");
  EXPECT_EQ(sqlite(db, "select count(*) from episodes").out, "180\n");
  for (const auto& e : fs::directory_iterator(dir)) {  // no temporary store left behind
    EXPECT_EQ(e.path().filename().string().find(".partial-"), std::string::npos) << e.path();
  }
}

// Found by a fresh user: a store whose last transaction failed (here its
// records table was dropped by hand) left the run `running`, and the error
// said "cannot read" for a write.
TEST(StoreCli, ARunWhoseStoreWriteFailsIsMarkedFailed) {
  const fs::path dir = fresh_dir("write-fails");
  const fs::path db = dir / "s.db";
  ASSERT_EQ(run_cli("run --kernel kernels/kernel-v0.1.yaml --roster honest:4 --episodes 2 "
                    "--store " +
                    db.string())
                .code,
            0);
  ASSERT_EQ(sqlite(db, "drop table run_records; drop table records").out, "");
  const CliRun r = run_cli(
      "run --kernel kernels/kernel-v0.1.yaml --roster honest:5,drainer:2 "
      "--episodes 4 --no-minimize --store " +
      db.string());
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_NE(r.out.find("cannot use the store"), std::string::npos) << r.out;
  EXPECT_EQ(sqlite(db, "select id, status from runs order by id").out, "1|complete\n2|failed\n");
}

TEST(StoreCli, ShowOfAnUnknownRunIdIsRefused) {
  const fs::path dir = fresh_dir("show-missing");
  ASSERT_EQ(run_cli("run --kernel kernels/kernel-v0.1.yaml --roster honest:4 --episodes 2 "
                    "--store " +
                    (dir / "s.db").string())
                .code,
            0);
  const CliRun r = run_cli("runs show 2 --store " + (dir / "s.db").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out,
            "error: runs show 2: no run 2 in " + (dir / "s.db").string() + " (see `runs list`)\n");
}

}  // namespace
