// Internal: what `tournament`, `run` and `hunt` do between reading their
// settings and printing their results. `plan_*` checks the options and builds
// the library config (before anything is played); `execute_*` plays it and
// writes every file the command writes (artifacts, seed report, --exploit-dir,
// --coverage). The command line (tournament_command.cc, hunt_command.cc) and
// the Python module (python/fable_module.cc) both go through here, so the
// same settings give the same runs, files and one-line errors
// (docs/python.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fable/hunt.h"
#include "fable/kernel.h"
#include "fable/minimize.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "fable/seed_config.h"
#include "fable/seed_run.h"
#include "fable/status.h"
#include "fable/sweep.h"
#include "fable/tournament.h"

namespace fable::cli {

// --no-minimize and --minimize-budget, on every command that writes records.
struct MinimizeSettings {
  bool off = false;
  int budget = kDefaultMinimizeBudget;
};

// `tournament`: every flag, unset when not given. Flags whose empty value
// must be refused, not taken for "not given", are optional.
struct TournamentOptions {
  std::string kernel;
  std::optional<std::string> out;
  std::optional<std::string> config;
  std::optional<std::string> seeds;
  std::optional<std::string> matchups;
  std::optional<int> threads;
  std::optional<int> turns;
  std::optional<double> treasury;
  std::optional<int> plan_length;
  std::string episode_files;
  std::optional<std::string> population;
  std::optional<std::string> exploit_dir;  // append new records here (seed configs: outputs)
  MinimizeSettings minimize;
  std::optional<std::string> coverage;  // write the clause coverage map here
  std::optional<std::string> store;     // add the run to this store (fable/run_store.h)
  bool resume = false;  // go on with the stopped run of these settings (docs/resume.md)
  std::optional<std::uint64_t> checkpoint_every;  // episodes between checkpoints
};

// `run`: every flag with its default.
struct RunOptions {
  std::string kernel;
  std::uint64_t episodes = 8;
  std::uint64_t seed = 0;
  std::string roster;
  int max_turns = 60;
  std::string name = "custom";
  std::optional<std::string> out;
  std::optional<std::string> exploit_dir;
  double treasury = 1000;
  int threads = 1;
  std::string episode_files = "all";
  std::string population{kDefaultPopulationPreset};
  MinimizeSettings minimize;
  std::optional<std::string> coverage;
  std::optional<std::string> store;
  bool resume = false;  // as TournamentOptions
  std::optional<std::uint64_t> checkpoint_every;
};

// `hunt`: every flag with its default. Without `out` no folder is written
// (the command line requires --out; the Python module makes it optional).
struct HuntOptions {
  std::string kernel;
  std::string roster;
  std::string objective = "any";
  std::uint64_t budget = 20000;
  std::uint64_t seed = 0;
  int threads = 1;
  int turns = 30;
  double treasury = 1000;
  std::optional<std::string> out;
  std::optional<std::string> exploit_dir;
  std::string strategy = "both";
  int beam_width = 8;
  int beam_branching = 8;
  std::optional<double> time_limit;
  std::string population = "naive";
  MinimizeSettings minimize;
  std::optional<std::string> coverage;  // write the clause coverage map here
  int migrate_every = 8;                // generations between island exchanges (MPI)
  // False on MPI ranks other than 0, which write nothing: the output paths
  // (out, exploit_dir, coverage, store) are rank 0's and are not checked there.
  bool writes = true;
  std::optional<std::string> store;  // add the hunt to this store (fable/run_store.h)
  // Go on with the stopped hunt of these settings next to `out` (docs/resume.md).
  bool resume = false;
  std::optional<std::uint64_t> checkpoint_every;  // generations between checkpoints
};

// A checked tournament or run, ready to play.
struct TournamentPlan {
  std::string command;  // "tournament" or "run": names the run in the coverage map
  TournamentConfig cfg;
  std::optional<SeedConfig> seed;     // a seed-format --config (docs/seed-config.md)
  std::optional<std::string> config;  // --config as given
  std::optional<std::string> exploit_dir;
  std::string exploit_dir_flag;  // "--exploit-dir" or "outputs.exploits_dir"
  std::optional<std::string> coverage;
  // --store: the run, its episodes and records are added to this store
  // (checked by the plan; docs/store-format.md). The Python module sets none.
  std::optional<std::string> store;
  // A kernel given in memory (the Python module's amended kernels): played
  // instead of the one cfg.kernel_path names, which then only labels it.
  std::optional<Kernel> kernel;
  // --resume: go on with the stopped run of these settings next to the
  // output folder (docs/resume.md) instead of starting one.
  bool resume = false;
};

// Errors: Status::Invalid naming the flag or config field and what was
// expected (the messages of the command line); Status::Io when a config or
// folder cannot be read. `show_progress` sets the minimiser's progress line
// (minimize_line; a terminal only).
Result<TournamentPlan> plan_tournament(const TournamentOptions& o, bool show_progress);
Result<TournamentPlan> plan_run(const RunOptions& o, bool show_progress);

// What a tournament or run played and wrote.
struct TournamentOutcome {
  // `main` is the run; a seed config adds its verification run and the
  // expected-exploit check.
  SeedRunResult result;
  // Lines for the command line to print after the leaderboard, in order,
  // each ending in '\n' ("artifacts written to DIR", the seed report, ...).
  std::vector<std::string> notes;
  // Records newly appended to the exploit folder (0 without one).
  std::size_t records_appended = 0;
  // With --store: the run's id in the store (0 without).
  std::int64_t store_run = 0;
  // Ok, or the first failure writing the report, --exploit-dir or --coverage
  // after the run was played, or publishing its folder (the notes stop there).
  Status finish = Status::Ok();
  // --resume found the output folder holding the run, finished but for its
  // checkpoint, and removed it (docs/resume.md): `notes` says so, `result`
  // is empty.
  bool finished_before = false;
};

// Plays `plan` and writes its files. Errors: those of Tournament::run and
// run_seed_tournament (fable/tournament.h, fable/seed_run.h); with
// plan.resume, find_resume_target's (resume_target.h) and
// StoreWriter::resume's; a failure after the run was played (its files,
// --exploit-dir, --coverage, the store, the folder's publication) is in
// TournamentOutcome::finish instead.
Result<TournamentOutcome> execute_tournament(const TournamentPlan& plan,
                                             const ProgressFn& progress);

// A checked hunt, with its kernel loaded.
struct HuntPlan {
  HuntConfig cfg;
  Kernel kernel;
  HuntOptions options;
};

// Errors: Status::Invalid naming the flag ("--threads 0: must be 1..256")
// or the kernel's error; as plan_tournament for folders. With `kernel`, that
// kernel is hunted on and o.kernel only labels it.
Result<HuntPlan> plan_hunt(const HuntOptions& o, const Kernel* kernel = nullptr);

struct HuntOutcome {
  HuntResult result;
  std::vector<std::string> ids;    // the ids the records were written as under out/exploits
  std::vector<std::string> notes;  // lines to print after the run, each ending in '\n'
  std::size_t records_appended = 0;
  Status finish = Status::Ok();  // as TournamentOutcome::finish
  std::int64_t store_run = 0;    // as TournamentOutcome::store_run
  bool finished_before = false;  // as TournamentOutcome::finished_before
};

// Runs the hunt, minimises its records (unless options.minimize.off), then
// writes out/ (filled as OUT.partial-<pid> from the start, with its
// checkpoints), --exploit-dir, --coverage and the store run, then moves
// out/ into place whole (docs/resume.md, "How a hunt ends"). With
// options.resume, goes on with the stopped hunt instead (hunt_checkpoint.h),
// or finishes OUT holding it but for its checkpoint (finished_before).
// Errors: those of run_hunt (Status::Internal when an execution fails); with
// options.resume, find_stopped_hunt's and StoreWriter::resume's; a failure
// after the hunt was played is in HuntOutcome::finish instead.
Result<HuntOutcome> execute_hunt(const HuntPlan& plan, const HuntProgressFn& progress,
                                 const MinimizeProgressFn& minimize_progress);

// `sweep`: the config and the flags that override it.
struct SweepOptions {
  std::string config;
  std::optional<std::string> out;
  std::optional<int> threads;
  std::optional<std::string> seeds;
  std::string episode_files;  // empty: the config's
  MinimizeSettings minimize;
};

// The sweep config with the flags applied, the output folder checked.
// Errors: load_sweep_config's; the flags' as for `tournament`.
Result<SweepConfig> plan_sweep(const SweepOptions& o, bool show_progress);

// The *.json files directly in `dir`, in file-name order; none when it
// cannot be read.
std::vector<std::string> record_files(const std::string& dir);

// `verify`: the kernel a folder of records is replayed on, and the folder's
// records (*.json, in file-name order).
struct VerifySet {
  std::string kernel_path;
  Kernel kernel;
  std::vector<std::string> files;
};

// Errors: the kernel's load error; Status::Invalid when `dir` is not a
// folder or holds no *.json. With `kernel`, that kernel is the one replayed
// on and kernel_path only labels it.
Result<VerifySet> open_verify(const std::string& kernel_path, const std::string& dir,
                              const Kernel* kernel = nullptr);

struct VerifyEntry {
  ExploitRecord record;
  ReplayResult replay;
};

// Replays one of set.files on set.kernel. Errors (naming the file where the
// record does not): the record's load error; a kernel claim the kernel
// contradicts (check_kernel_claim).
Result<VerifyEntry> verify_one(const VerifySet& set, const std::string& file,
                               const DetectorSuite& suite);

}  // namespace fable::cli
