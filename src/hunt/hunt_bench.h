// Hunt cases of `fable-selfplay bench`: what they hunt, timing them, their JSON lines.
//
// Two kinds of case (docs/bench-format.md):
//  * throughput (`hunt-default-<threads>t`): one `run_hunt` of a fixed budget;
//    figures are executions per second and nanoseconds per agent-turn, to be
//    set beside the tournament case of the same size (`hunt-pair-1t`);
//  * time to first record (`hunt-first`): one hunt per seed, each of the full
//    budget; from the progress callback (HuntProgress::detectors, updated
//    after every generation) the wall time and executions at which each
//    detector first fired. One line per canonical class, with the median over
//    the seeds.
// Every hunt runs in its own forked child (base/child_process.h), so its peak
// RSS is its own. Timings vary from run to run; executions, corpus size,
// record counts and the executions at which a class first fired do not (the
// hunt is deterministic for a given kernel, roster, seed and budget).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fable/agent.h"
#include "fable/kernel.h"
#include "fable/status.h"

namespace fable {

enum class HuntBenchKind { kThroughput, kFirstRecord };

struct HuntBenchCase {
  std::string name;
  std::string description;
  HuntBenchKind kind = HuntBenchKind::kThroughput;
  Roster roster;
  std::uint64_t budget = 20000;      // executions per hunt
  std::vector<std::uint64_t> seeds;  // one hunt per seed
  int turns = 30;
  int threads = 1;
  bool in_default_set = true;  // run when no --only is given
  // kFirstRecord: the detectors whose first record is timed, one line each.
  std::vector<std::string> classes;

  std::uint64_t agent_turns_per_execution() const;  // citizens x turns
};

struct HuntCaseSetOptions {
  int all_core_threads = 1;             // threads of the all-core cases (>= 1)
  bool quick = false;                   // budgets about 20x smaller
  std::optional<std::uint64_t> budget;  // replaces every case's budget (and --quick's)
};

// The six canonical holes' detectors, in the order their lines are printed.
const std::vector<std::string>& canonical_detector_classes();

// `hunt-default-1t`, `hunt-default-<N>t` (left out when N is 1) and
// `hunt-first`, in this order. The first two are in the default set.
std::vector<HuntBenchCase> hunt_bench_cases(const HuntCaseSetOptions& options);

// The figures of one hunt, measured in its own child process.
struct HuntRunFigures {
  std::uint64_t seed = 0;
  std::uint64_t executions = 0;
  std::uint64_t corpus_size = 0;
  std::uint64_t exploit_records = 0;
  double seconds = 0;      // wall clock of run_hunt in the child
  double cpu_seconds = 0;  // user + system time of the child process
  double peak_rss_mb = 0;  // the child's peak resident set, MiB
  // For each detector that fired: when it first appeared in the progress
  // (executions done and wall seconds since run_hunt started, both at the
  // end of that generation). Sorted by name.
  struct First {
    std::string detector;
    std::uint64_t executions = 0;
    double seconds = 0;
  };
  std::vector<First> first;
};

// Runs one hunt of `c` with `seed` in a forked child. Errors: Status::Io when
// fork, pipe or wait fails, or the child fails or does not report.
// REQUIRES: no other thread is running in this process.
Result<HuntRunFigures> measure_hunt_isolated(const Kernel& kernel, const HuntBenchCase& c,
                                             std::uint64_t seed);

// Time to first record of one class over the seeds' runs.
struct FirstRecordSummary {
  std::string detector;
  std::uint64_t found = 0;  // seeds whose hunt fired it
  // Per seed, in run order; nullopt: not fired within the budget.
  std::vector<std::optional<double>> seconds;
  std::vector<std::optional<std::uint64_t>> executions;
  // Medians over all seeds, a seed that did not fire counting as later than
  // any that did: the middle value, the lower of the two middle ones for an
  // even count (so always a value some seed measured); nullopt when it falls
  // on a seed that did not fire (for 5 seeds: fewer than 3 found it).
  std::optional<double> median_seconds;
  std::optional<std::uint64_t> median_executions;
};

FirstRecordSummary summarize_first_record(std::string_view detector,
                                          const std::vector<HuntRunFigures>& runs);

// One JSON object (no newline) per case, keys in the order of
// docs/bench-format.md. `hunt_throughput_line` takes the case's single run;
// `hunt_first_line` one class's summary and all the runs.
std::string hunt_throughput_line(const HuntBenchCase& c, const Kernel& kernel,
                                 const HuntRunFigures& run, bool quick);
std::string hunt_first_line(const HuntBenchCase& c, const Kernel& kernel,
                            const FirstRecordSummary& summary,
                            const std::vector<HuntRunFigures>& runs, bool quick);

}  // namespace fable
