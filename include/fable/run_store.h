// The run store: runs, their episodes, findings, exploit records and clause
// coverage kept in one SQLite file (schema fable-store/1, docs/store-format.md).
//
// `tournament`, `run` and `hunt --store FILE.db` add one run to the file;
// `verify --store FILE.db` marks the records a kernel blocks patched; `runs`
// and `records` read it. A store is appended to only when it is
// ours and of our schema version: anything else (another version, a file that
// is not an SQLite database, an SQLite database without our `meta` row, a
// folder) is refused with one line naming the file and what was expected, and
// is never written. Writes come from one thread (the tournament's consumer,
// in job order) and are batched in transactions; the file is in WAL mode.
// Every column is a function of the run's inputs except the runs table's
// started_at and finished_at, so the same run gives the same rows with any
// thread count.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fable/coverage.h"
#include "fable/detector.h"
#include "fable/metrics.h"
#include "fable/record.h"
#include "fable/status.h"

namespace fable {

inline constexpr std::string_view kStoreSchema = "fable-store/1";
inline constexpr int kStoreSchemaVersion = 1;
// Episodes written per transaction (the last batch is committed at the end).
inline constexpr int kStoreBatchEpisodes = 256;

// What a run is, written when it starts.
struct StoreRunInfo {
  std::string command;        // "tournament", "run" or "hunt"
  std::string settings_json;  // the run's settings, a JSON object with sorted keys
  std::string kernel_path;    // as given
  std::string kernel_name;
  std::string kernel_version;
  std::string kernel_hash;  // 16 hex digits, Kernel::content_hash
  std::string engine_version;
  std::string population;  // the preset's name
  std::string seeds;       // "0..7" or "1,5,9"
  std::int64_t episodes_planned = 0;
  // Whether the run adds a row per episode (add_episode); a hunt adds none
  // (its episodes_done counts executions). Not stored: resume_run checks
  // the rows only when it is true.
  bool episode_rows = true;
};

// One exploit record of a finished run, and where it was written.
struct StoreRecord {
  ExploitRecord record;
  std::optional<std::string> path;  // the file written; nullopt when none was
};

// A row of the runs table.
struct StoredRun {
  std::int64_t id = 0;
  StoreRunInfo info;
  std::int64_t episodes_done = 0;
  std::string status;  // "running", "complete" or "failed"
  std::optional<std::string> error;
  std::string started_at;                  // UTC, ISO 8601
  std::optional<std::string> finished_at;  // null while running
  std::int64_t findings = 0;  // rows of findings; a hunt: its records' occurrences summed
  std::int64_t records = 0;   // records this run found (new or already stored)
};

// A row of the records table.
struct StoredRecord {
  std::string fingerprint;
  std::string record_id;  // "EXP-001": the id it was written with
  std::string name;       // the detector
  std::string category;
  int severity = 1;
  std::string status;       // "open" or "patched"
  std::int64_t run_id = 0;  // the run that first found it
  std::string kernel_name;  // the kernel it was found on
  std::string kernel_version;
  std::string kernel_hash;
  std::optional<std::string> closed_by;  // "NAME vVERSION (HASH)" once patched
  std::optional<std::string> path;
};

// The records to list; an unset field matches everything.
struct RecordFilter {
  std::optional<std::string> status;    // "open" or "patched"
  std::optional<std::string> category;  // category_name()
  // A kernel the records were found on: its name, "NAME vVERSION" or its hash.
  std::optional<std::string> kernel;
};

// Per-matchup figures of one run, from its episodes.
struct StoredMatchup {
  std::string matchup;
  std::int64_t episodes = 0;
  std::int64_t captured = 0;  // episodes with any capture flag
  double mean_governance_score = 0;
  std::int64_t findings = 0;
};

class RunStore {
 public:
  // Ok when `path` could be opened by open(): a folder that exists (the
  // file is created) or an existing store of our schema version in a folder
  // that can be written. Writes nothing. `flag` names the option in errors.
  // Errors: Status::Invalid "FLAG FILE: ..." for an empty path, a folder, a
  // missing folder, a file that is not an SQLite database or not a fable
  // store, another schema version; Status::Io when it cannot be read or its
  // folder written.
  static Status check(const std::string& path, std::string_view flag = "--store");

  // Opens `path` for adding runs, creating the store (WAL mode) when it does
  // not exist (unless `create` is false: then Status::NotFound "FLAG FILE:
  // no such store"). Errors as check().
  static Result<RunStore> open(const std::string& path, std::string_view flag = "--store",
                               bool create = true);
  // Opens an existing store for the readers. Errors as check(), and
  // Status::NotFound "FLAG FILE: no such store" when it does not exist.
  static Result<RunStore> open_read_only(const std::string& path,
                                         std::string_view flag = "--store");

  RunStore(RunStore&&) noexcept;
  RunStore& operator=(RunStore&&) noexcept;
  ~RunStore();

  // Adds a run (status "running", started now) and commits it; later calls
  // write into it. Errors: Status::Io with SQLite's message.
  Status begin_run(const StoreRunInfo& info);
  std::int64_t run_id() const;

  // Takes up run `run_id` again, killed or failed after its first
  // `episodes_done` episodes (a checkpoint's, docs/resume.md): its episode
  // and finding rows from episode `episodes_done` on are deleted, so are its
  // run_records and coverage rows (finish_run writes them again), and it is
  // marked running again (error and finished_at cleared, episodes_done
  // set), in one transaction; later calls write into it. `info` must be
  // what begin_run was given (command, settings, kernel hash and engine are
  // compared). A complete run is taken up only in its finishing phase:
  // `episodes_done` is its episodes_planned and its episodes_done (a run
  // killed after finish_run, before its folder was published:
  // docs/resume.md). With info.episode_rows, the run must still hold the
  // rows of its episodes 0..episodes_done-1 (a store whose -wal file was
  // lost holds fewer). Errors: Status::Precondition "FLAG FILE: ..." when
  // the store holds no such run, it is another run, it is complete (outside
  // that phase) or it lacks episode rows (check_episode_rows); Status::Io
  // from SQLite.
  Status resume_run(std::int64_t run_id, std::int64_t episodes_done, const StoreRunInfo& info,
                    std::string_view flag = "--store");
  // Ok when run `run_id` holds the rows of its episodes 0..episodes-1 (what
  // a checkpoint after `episodes` episodes counts on). Errors:
  // Status::Precondition "FLAG FILE: run N cannot be resumed: it holds X of
  // the K episode rows ..." when some are missing; Status::Io from SQLite.
  Status check_episode_rows(std::int64_t run_id, std::int64_t episodes,
                            std::string_view flag = "--store");
  // Commits the episodes added so far (and episodes_done) now rather than
  // at the end of their batch: a checkpoint then never claims more than the
  // store holds.
  Status commit();

  // Adds the next episode of the run (episodes are numbered 0, 1, ... in
  // the order given) and its findings; committed every kStoreBatchEpisodes
  // episodes and by finish_run. REQUIRES: begin_run succeeded.
  Status add_episode(const std::string& matchup, std::uint64_t seed, const EpisodeScore& score,
                     const std::vector<ExploitFinding>& findings);

  // Commits the last episodes, the run's records (a fingerprint already in
  // the store keeps its row; the run is linked to it either way) and its
  // coverage (when given), and marks the run complete; one transaction.
  // `episodes_done`, when given, is written instead of the episodes added
  // (a hunt's executions: it adds no episode rows).
  Status finish_run(const std::vector<StoreRecord>& records, const CoverageReport* coverage,
                    std::optional<std::int64_t> episodes_done = std::nullopt);
  // Commits the episodes so far and marks the run failed with `reason`.
  Status fail_run(const std::string& reason);

  // Marks the open records with these fingerprints patched, closed by the
  // kernel NAME vVERSION (HASH); one transaction. Fingerprints not in the
  // store and records already patched are left alone. Returns how many
  // records it marked. Errors: Status::Io from SQLite.
  Result<std::int64_t> mark_patched(const std::vector<std::string>& fingerprints,
                                    const std::string& kernel_name,
                                    const std::string& kernel_version,
                                    const std::string& kernel_hash);

  // Readers.
  Result<std::vector<StoredRun>> runs();  // by id
  Result<std::optional<StoredRun>> run(std::int64_t id);
  Result<std::vector<StoredMatchup>> matchups(std::int64_t run_id);       // by name
  Result<std::vector<StoredRecord>> run_records(std::int64_t run_id);     // by record id
  Result<std::vector<StoredRecord>> records(const RecordFilter& filter);  // by record id

  const std::string& path() const;

 private:
  struct Impl;
  explicit RunStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fable
