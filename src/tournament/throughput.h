// Throughput cases: the tournaments `fable-selfplay bench` times, and their figures.
//
// A ThroughputCase is one tournament run with detectors and scoring on, and
// artifacts off except in the `-artifacts` cases, which write every artifact
// of `tournament --out` (every episode file, records, summary, leaderboard)
// into a scratch folder (ScratchFolder), removed afterwards: some matchups x seeds 0..seeds-1, a
// number of turns and worker threads. `throughput_cases` lists the fixed set
// (docs/bench-format.md): the default matchups on one thread and on all cores, the scaling cases
// `scale-<citizens>x<turns>` on one thread, `hunt-pair-1t` (the tournament of the hunt cases' size,
// src/hunt/hunt_bench.h), and the optional `million` case. `measure_case_isolated` plays a case in
// a forked child process (see base/child_process.h) so that its peak RSS is its own, and
// `throughput_json_line` renders the figures as one JSON object with keys in
// a fixed order and fixed float formatting. Timings vary from run to run; the
// counts (episodes, agent-turns, exploit records) do not.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "fable/kernel.h"
#include "fable/status.h"
#include "fable/tournament.h"

namespace fable {

// A matchup of `citizens` agents shaped like `mixed-capture` (5 honest : 1
// drainer : 1 entrencher : 1 suppressor): max(1, citizens / 8) of each red
// role, the rest honest. Named "scale-<citizens>". REQUIRES: citizens >= 4.
MatchupSpec scale_matchup(int citizens);

struct ThroughputCase {
  std::string name;
  std::string description;
  std::vector<MatchupSpec> matchups;
  std::uint64_t seeds = 1;  // every matchup plays seeds 0..seeds-1
  int turns = 60;
  int threads = 1;
  bool in_default_set = true;  // run when no --only is given
  // The honest citizens' behaviour. naive for every case but
  // `default-<N>t-token-vote`: a case's workload stays fixed when the
  // command line's default population changes (docs/bench-format.md).
  PopulationModel population;
  // Write every artifact (episode files: all) into a fresh temporary folder,
  // as `tournament --out DIR` does; the time includes the writing.
  bool artifacts = false;

  std::uint64_t episodes() const;
  std::uint64_t agent_turns() const;  // sum over episodes of citizens x turns
  double mean_citizens() const;       // per episode
};

struct CaseSetOptions {
  int all_core_threads = 1;  // threads of the all-core cases (>= 1)
  bool quick = false;        // every episode count about 20x smaller, at least 2
};

// Every case, in a fixed order. When all_core_threads is 1 the all-core
// default case would repeat `default-1t` and is left out.
std::vector<ThroughputCase> throughput_cases(const CaseSetOptions& options);

struct ThroughputFigures {
  std::uint64_t episodes = 0;         // as played by the tournament
  std::uint64_t exploit_records = 0;  // deduplicated records found
  double seconds = 0;                 // wall clock of Tournament::run
  double cpu_seconds = 0;             // user + system time of the child process
  double peak_rss_mb = 0;             // the child's peak resident set, MiB
};

// A folder made with mkdtemp under std::filesystem::temp_directory_path()
// (fable-bench-XXXXXX), removed with everything in it when this goes away.
// It is the bench's own: nothing else is ever removed. The bench command
// keeps one for all its cases and removes it at the end: ext4 passes over
// recently freed inodes when it allocates one, so files removed just before a
// case would slow that case's own file creation.
class ScratchFolder {
 public:
  // Errors: Status::Io when there is no temporary folder or mkdtemp fails.
  static Result<ScratchFolder> make();
  ScratchFolder(ScratchFolder&& other) noexcept;
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  ScratchFolder& operator=(ScratchFolder&&) = delete;
  ~ScratchFolder();
  const std::filesystem::path& path() const { return path_; }

 private:
  explicit ScratchFolder(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

// Plays the case in this process and times it; cpu_seconds and peak_rss_mb
// are left 0. A case with artifacts writes them into `scratch`/<case name>
// (which must not exist), or, with no `scratch`, into a ScratchFolder of its
// own removed when it returns. Errors: the tournament's; Status::Io when a
// scratch folder cannot be made.
Result<ThroughputFigures> measure_case(const Kernel& kernel, const ThroughputCase& c,
                                       const ScratchFolder* scratch = nullptr);

// Plays the case in a forked child and fills every figure from the child's own
// resource usage (a case with artifacts: as measure_case). Errors: Status::Io
// when fork, pipe or wait fails or the child does not report.
// REQUIRES: no other thread is running in this process.
Result<ThroughputFigures> measure_case_isolated(const Kernel& kernel, const ThroughputCase& c,
                                                const ScratchFolder* scratch = nullptr);

// "release" when NDEBUG is defined for the library, else "debug".
std::string_view build_kind();

// One JSON object (no newline) with keys in the order of docs/bench-format.md.
// Version of the line format; bumped when a key changes meaning or goes away.
inline constexpr std::string_view kBenchSchema = "fable-bench/1";

std::string throughput_json_line(const ThroughputCase& c, const Kernel& kernel,
                                 const ThroughputFigures& f, bool quick);

}  // namespace fable
