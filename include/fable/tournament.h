// Tournaments: matchups x seeds -> episodes -> findings -> exploit records.
//
// Ports the seed module's orchestration: MatchupSpec and the five default
// matchups, TournamentConfig with the seed's defaults (seeds 0..7, 60 turns,
// treasury 1000), dedup by fingerprint keeping the most severe instance (the
// first one seen on ties) and counting occurrences, ordering by (-severity,
// category, name), ids EXP-NNN from exploit_id_start, a reproduction per
// record, the leaderboard, and the artifacts exploits/EXP-NNN.json,
// episodes/<matchup>-seed<N>.json and summary.md (docs/tournament-format.md).
// Episodes run on a pool of threads; results are consumed in job order, so
// artifacts are byte-identical for any thread count, and only what dedup and
// the leaderboard need is kept in memory.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fable/agent.h"
#include "fable/coverage.h"
#include "fable/detector.h"
#include "fable/distributed.h"
#include "fable/engine.h"
#include "fable/kernel.h"
#include "fable/metrics.h"
#include "fable/minimize.h"
#include "fable/objectives.h"
#include "fable/population.h"
#include "fable/proportion.h"
#include "fable/record.h"
#include "fable/status.h"

namespace fable {

struct ResumePoint;  // tournament/checkpoint.h
struct TournamentResult;

// A matchup: a name (in artifacts) and the roster every seed plays.
struct MatchupSpec {
  std::string name;
  Roster roster;

  Population build_agents() const { return make_population(roster); }
};

const std::vector<MatchupSpec>& default_matchups();
std::optional<MatchupSpec> find_default_matchup(std::string_view name);

// Which episode summaries a run with an output folder writes to episodes/.
// kAll is the contract's default; the others keep very large searches from
// writing one file per episode (docs/tournament-format.md).
enum class EpisodeFiles { kAll, kWithFindings, kNone };

std::string_view episode_files_name(EpisodeFiles which);  // "all", "findings", "none"
std::optional<EpisodeFiles> parse_episode_files(std::string_view name);  // nullopt if unknown

struct TournamentConfig {
  std::string kernel_path;
  std::vector<std::uint64_t> seeds{0, 1, 2, 3, 4, 5, 6, 7};
  int n_turns = 60;
  Money initial_treasury = 1000 * kMoneyScale;
  std::vector<MatchupSpec> matchups = default_matchups();
  std::optional<std::string> out_dir;
  int exploit_id_start = 1;
  int threads = 1;
  EngineSettings settings;
  EpisodeFiles episode_files = EpisodeFiles::kAll;  // episodes/<matchup>-seed<N>.json
  // Honest citizens' behaviour (fable/population.h); default token-vote
  // (default_population()).
  PopulationModel population = default_population();
  // Extra per-matchup means for the leaderboard ("configured secondaries"):
  // names from episode_metrics() (fable/episode_metrics.h), each at most
  // once, shown in this order in summary.md and leaderboard.json. Default:
  // none. An unknown or repeated name is Status::Invalid before anything is
  // played.
  std::vector<std::string> secondary_metrics;
  // Minimise each exploit record before it is written (fable/minimize.h),
  // within `minimize_budget` replays per record (1..kMaxMinimizeBudget), on
  // the worker threads; `minimize_progress` is told after each record. Off
  // in the library; the command line turns it on (`--no-minimize`).
  bool minimize = false;
  int minimize_budget = kDefaultMinimizeBudget;
  MinimizeProgressFn minimize_progress;
  // Count clause coverage (fable/coverage.h) over every episode into
  // TournamentResult::coverage. Off by default: it costs a pass over each trace.
  bool coverage = false;
  // Play across the ranks of this communicator (docs/distributed.md), when
  // it has more than one: every rank runs the same Tournament with the same
  // config; each plays its share of the jobs (chunks of consecutive matchup
  // x seed jobs, dealt round-robin) on its own `threads` workers, and rank 0
  // takes every episode in job order, then minimises and writes, so its
  // result and artifacts are those of one process, byte for byte. Not owned;
  // must outlive run(). nullptr (default) or one rank: one process.
  Communicator* communicator = nullptr;
  // Told about every episode on rank 0 (or the one process), in job order,
  // on the thread that consumes them, after its episode file is written:
  // (matchup, seed, score, findings); without episode files the findings'
  // texts may be empty (FindingTexts, fable/detector.h), those of the
  // findings the run's dedup keeps excepted. What it writes cannot change anything
  // the tournament writes or returns; an error it returns stops the run
  // with that error, as a failed write does. Empty (default): none. The
  // command line's --store (fable/run_store.h) is one.
  std::function<Status(const std::string& matchup, std::uint64_t seed, const EpisodeScore& score,
                       const std::vector<ExploitFinding>& findings)>
      episode_sink;

  // Checkpoints (docs/resume.md). With an output folder, in one process,
  // the consumer's state is written to the partial folder when the run
  // starts, after every `checkpoint_every` episodes and after the last, so
  // that a run stopped at any moment (SIGKILL included) can go on with
  // `resume`. 0: only at the start and after the last.
  std::uint64_t checkpoint_every = 1024;
  // Called on the consumer thread before each checkpoint is written: what
  // episode_sink wrote must be durable when it returns Ok (--store commits),
  // so a checkpoint never claims more than the sink holds. An error stops
  // the run with it. Empty (default): none.
  std::function<Status()> before_checkpoint;
  // Written into each checkpoint: the --store run id (0: none).
  std::int64_t checkpoint_store_run = 0;
  // Settings outside this config that are part of the run's identity in its
  // checkpoints, as (name, value): the command line adds the command and
  // the --store file. Empty (default): none.
  std::vector<std::pair<std::string, std::string>> checkpoint_identity;
  // Go on with the run stopped at this point (tournament/checkpoint.h,
  // find_resumable) instead of starting one: its partial folder is filled
  // further from the checkpoint's next job, on top of its state, and the
  // results and artifacts are those of a run never stopped. Its identity
  // must be this config's (tournament_identity), or run() refuses
  // (Status::Precondition naming what differs). Needs out_dir; not
  // with a communicator of more than one rank (Status::Invalid).
  std::shared_ptr<const ResumePoint> resume;
  // The steps that end a run outside its output folder (the command line's
  // --exploit-dir, --coverage and --store completion), called on rank 0
  // with the finished result once the folder's files are written and before
  // it is published, while its checkpoint still exists: a run killed or
  // failing in them is finished by `resume`, which calls them again (so
  // they must be idempotent; docs/resume.md, "How a run ends"). Without an
  // output folder it is called last. An error stops the run with it, the
  // folder unpublished. Empty (default): none.
  std::function<Status(const TournamentResult&)> before_publish;
};

struct LeaderboardRow {
  std::string matchup;
  int episodes = 0;
  double mean_governance_score = 0;
  double mean_empathy_ratio = 0;
  double worst_empathy_trough = 0;
  double mean_treasury_final = 0;
  double mean_empathy_floor = 0;  // mean of per-episode floor troughs
  double capture_rate = 0;        // episodes with any capture flag / episodes
  int total_findings = 0;
  std::vector<int> findings_by_category = std::vector<int>(kCategoryCount, 0);
  int episodes_with_findings = 0;
  std::vector<int> episodes_with_category = std::vector<int>(kCategoryCount, 0);  // by Category

  // Statistics over the matchup's episodes (docs/leaderboard-format.md).
  Proportion capture_any;  // episodes with any capture flag; its rate is capture_rate
  std::array<Proportion, kObjectiveCount> capture_by_objective{};  // by Objective: its flag
  double mean_worst_off_welfare = 0;  // mean of empathy_floor_final (the seed's worst_off_welfare)
  double min_worst_off_welfare = 0;   // lowest empathy_floor_final
  double mean_gini = 0;
  double mean_treasury_retention = 0;  // mean of treasury_final / initial treasury
  double mean_participation = 0;
  std::vector<double> secondary_means;  // one per TournamentResult::secondary_metrics name
};

struct TournamentResult {
  std::string kernel_name;
  std::string kernel_version;
  std::string kernel_hash;
  std::uint64_t episodes_run = 0;
  double initial_treasury = 0;                 // units, the divisor of treasury retention
  std::vector<std::string> secondary_metrics;  // TournamentConfig::secondary_metrics
  PopulationModel population;                  // TournamentConfig::population
  std::vector<LeaderboardRow> leaderboard;     // sorted by matchup name
  std::vector<ExploitRecord> exploit_records;
  // With TournamentConfig::coverage: every clause's counters over all the
  // episodes played (no settings; the caller adds them).
  std::optional<CoverageReport> coverage;
  // False on a rank other than 0 of a distributed run: it played its share
  // and sent it to rank 0, which holds the result; here only the kernel
  // fields and episodes_run (this rank's episodes) are set, and nothing was
  // written.
  bool merged = true;
};

// What a tournament has done so far, given to its ProgressFn after each
// episode is consumed (in job order, on the calling thread; on rank 0 only
// under MPI).
struct TournamentProgress {
  std::uint64_t done = 0;      // episodes consumed
  std::uint64_t total = 0;     // episodes to play (matchups x seeds)
  std::uint64_t findings = 0;  // findings of the episodes consumed, before dedup
  std::size_t distinct = 0;    // distinct fingerprints among them (the records to come)
  // Episodes a resumed run had consumed before this process took it up
  // (docs/resume.md): counted in `done`, not played here. 0 otherwise.
  std::uint64_t resumed_at = 0;
};
using ProgressFn = std::function<void(const TournamentProgress&)>;

class Tournament {
 public:
  explicit Tournament(TournamentConfig config);
  Tournament(TournamentConfig config, DetectorSuite suite);

  // Loads the kernel, plays every matchup x seed, dedups, and writes the
  // artifacts when out_dir is set (into a fresh folder, renamed into place
  // only when complete). Errors: Status::Invalid for a bad config, a
  // matchup whose roster fails check_roster (before anything is played) or a
  // non-empty output folder; Status::Io when a write fails (the run stops at
  // once and says how far it got); Status::Internal("internal failure: ...",
  // or "out of memory") when any thread throws, including `progress` on the
  // calling thread: every thread is stopped and joined first. Distributed
  // (TournamentConfig::communicator): every rank returns the same error
  // (the first in rank order), after every rank has stopped; `progress` is
  // called on rank 0 only.
  Result<TournamentResult> run(const ProgressFn& progress = {});
  Result<TournamentResult> run(const Kernel& kernel, const ProgressFn& progress = {});

 private:
  TournamentConfig config_;
  DetectorSuite suite_;
};

// summary.md: the leaderboard, the capture rates with their intervals, the
// welfare statistics and the record list; fixed decimals throughout.
std::string render_summary(const TournamentResult& result);
// leaderboard.json, schema fable-leaderboard/1 (docs/leaderboard-format.md):
// one entry per matchup with every figure of its LeaderboardRow, keys in a
// fixed order, two-space indent, a final newline.
std::string leaderboard_json(const TournamentResult& result);
std::string episode_summary_json(const std::string& matchup, std::uint64_t seed,
                                 const EpisodeScore& score,
                                 const std::vector<ExploitFinding>& findings);

}  // namespace fable
