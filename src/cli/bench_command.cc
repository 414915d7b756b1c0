// `fable-selfplay bench`: time the fixed throughput cases, one JSON line each.
//
// A thin shell over tournament/throughput.h and hunt/hunt_bench.h: parse and
// check the flags, pick the cases, load the kernel once, then play each case
// (each hunt of a hunt case) in its own forked child, so that its peak RSS is
// its own, and print its JSON lines on stdout and a progress line on stderr.
// Cases and keys are described in docs/bench-format.md. No thread is started
// in this process: the children start the tournament's and the hunt's threads.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli_limits.h"
#include "cli_support.h"
#include "commands.h"
#include "fable/hunt.h"
#include "fable/kernel.h"
#include "hunt/hunt_bench.h"
#include "tournament/throughput.h"

namespace fable::cli {

namespace {

struct BenchOptions {
  std::string kernel = "kernels/kernel-v0.1.yaml";
  std::string only;
  bool list = false;
  bool quick = false;
  std::optional<int> threads;
  std::optional<std::uint64_t> hunt_budget;
};

// A case of either kind: a tournament (tournament/throughput.h) or hunts
// (hunt/hunt_bench.h).
struct BenchCase {
  std::string name;
  std::string description;
  bool in_default_set = true;
  std::optional<ThroughputCase> tournament;
  std::optional<HuntBenchCase> hunt;
};

// The canonical order: the default set (tournaments, then hunts), then the
// cases run only when named (tournaments, then hunts).
std::vector<BenchCase> all_cases(int all_cores, const BenchOptions& o) {
  std::vector<BenchCase> tournaments;
  std::vector<BenchCase> hunts;
  for (ThroughputCase& c : throughput_cases({all_cores, o.quick})) {
    tournaments.push_back({c.name, c.description, c.in_default_set, c, std::nullopt});
  }
  for (HuntBenchCase& c : hunt_bench_cases({all_cores, o.quick, o.hunt_budget})) {
    hunts.push_back({c.name, c.description, c.in_default_set, std::nullopt, c});
  }
  std::vector<BenchCase> cases;
  for (const bool default_set : {true, false}) {
    for (const std::vector<BenchCase>* group : {&tournaments, &hunts}) {
      for (const BenchCase& c : *group) {
        if (c.in_default_set == default_set) cases.push_back(c);
      }
    }
  }
  return cases;
}

std::string names_of(const std::vector<BenchCase>& cases) {
  std::string s;
  for (const BenchCase& c : cases) s += (s.empty() ? "" : ", ") + c.name;
  return s;
}

// The cases named in `only` (comma-separated), in the canonical order, or
// every case of the default set when `only` is empty.
Result<std::vector<BenchCase>> select_cases(const std::vector<BenchCase>& cases,
                                            std::string_view only) {
  std::vector<bool> wanted(cases.size(), false);
  if (only.empty()) {
    for (std::size_t i = 0; i < cases.size(); ++i) wanted[i] = cases[i].in_default_set;
  }
  for (const std::string_view name :
       only.empty() ? std::vector<std::string_view>{} : split_commas(only)) {
    std::size_t i = 0;
    while (i < cases.size() && cases[i].name != name) ++i;
    if (i == cases.size()) {
      return Status::Invalid(
          fmt::format("--only: unknown case '{}' (valid: {})", name, names_of(cases)));
    }
    wanted[i] = true;
  }
  std::vector<BenchCase> selected;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (wanted[i]) selected.push_back(cases[i]);
  }
  return selected;
}

Status write_line(const std::string& text) {
  const std::string line = text + "\n";
  if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size() || std::fflush(stdout) != 0) {
    return Status::Io("cannot write to standard output");
  }
  return Status::Ok();
}

Status run_tournament_case(const ThroughputCase& c, const Kernel& kernel, bool quick,
                           const ScratchFolder* scratch) {
  const Result<ThroughputFigures> f = measure_case_isolated(kernel, c, scratch);
  if (!f.ok()) {
    fmt::print(std::cerr, "failed\n");
    return f.status();
  }
  if (Status st = write_line(throughput_json_line(c, kernel, *f, quick)); !st.ok()) return st;
  fmt::print(std::cerr, "{:.2f} s, {:.0f} episodes/s, peak RSS {:.1f} MB\n", f->seconds,
             f->seconds > 0 ? static_cast<double>(f->episodes) / f->seconds : 0.0, f->peak_rss_mb);
  return Status::Ok();
}

Status run_hunt_case(const HuntBenchCase& c, const Kernel& kernel, bool quick) {
  std::vector<HuntRunFigures> runs;
  for (const std::uint64_t seed : c.seeds) {
    if (c.kind == HuntBenchKind::kFirstRecord) fmt::print(std::cerr, "\n  seed {} ... ", seed);
    std::cerr.flush();
    Result<HuntRunFigures> f = measure_hunt_isolated(kernel, c, seed);
    if (!f.ok()) {
      fmt::print(std::cerr, "failed\n");
      return f.status();
    }
    // The canonical classes this hunt fired, and when the last of them first did.
    std::size_t classes = 0;
    const HuntRunFigures::First* last = nullptr;
    for (const HuntRunFigures::First& x : f->first) {
      if (std::find(c.classes.begin(), c.classes.end(), x.detector) == c.classes.end()) continue;
      ++classes;
      if (last == nullptr || x.executions > last->executions) last = &x;
    }
    fmt::print(std::cerr, "{:.2f} s, {:.0f} executions/s, peak RSS {:.1f} MB", f->seconds,
               f->seconds > 0 ? static_cast<double>(f->executions) / f->seconds : 0.0,
               f->peak_rss_mb);
    if (c.kind == HuntBenchKind::kFirstRecord) {
      fmt::print(std::cerr, ", {} of {} classes found", classes, c.classes.size());
      if (last != nullptr) {
        fmt::print(std::cerr, ", the last ({}) after {} executions, {:.2f} s", last->detector,
                   last->executions, last->seconds);
      }
    }
    runs.push_back(std::move(*f));
  }
  fmt::print(std::cerr, "\n");
  if (c.kind == HuntBenchKind::kThroughput) {
    return write_line(hunt_throughput_line(c, kernel, runs.front(), quick));
  }
  for (const std::string& detector : c.classes) {
    const FirstRecordSummary summary = summarize_first_record(detector, runs);
    if (Status st = write_line(hunt_first_line(c, kernel, summary, runs, quick)); !st.ok()) {
      return st;
    }
  }
  return Status::Ok();
}

int run_bench(const BenchOptions& o) {
  int all_cores = static_cast<int>(std::thread::hardware_concurrency());
  if (all_cores < 1) all_cores = 1;
  if (o.threads) {
    if (Status st = check_flag_range("--threads", *o.threads, 1, kMaxThreads); !st.ok()) {
      return report(st);
    }
    all_cores = *o.threads;
  }
  if (o.hunt_budget && (*o.hunt_budget < 1 || *o.hunt_budget > kMaxHuntBudget)) {
    return report(Status::Invalid(
        fmt::format("--hunt-budget {}: must be 1..{}", *o.hunt_budget, kMaxHuntBudget)));
  }
  const std::vector<BenchCase> cases = all_cases(all_cores, o);
  if (o.list) {
    for (const BenchCase& c : cases) {
      fmt::print("{:<16} {}{}\n", c.name, c.description,
                 c.in_default_set ? "" : " [only with --only]");
    }
    return kExitOk;
  }
  const Result<std::vector<BenchCase>> selected = select_cases(cases, o.only);
  if (!selected.ok()) return report(selected.status());
  const Result<Kernel> kernel = Kernel::load_file(o.kernel);
  if (!kernel.ok()) return report(kernel.status());

  // One scratch folder for every case that writes artifacts, removed when the
  // bench ends (ScratchFolder says why not after each case).
  std::optional<ScratchFolder> scratch;
  for (const BenchCase& c : *selected) {
    if (c.tournament && c.tournament->artifacts && !scratch) {
      Result<ScratchFolder> made = ScratchFolder::make();
      if (!made.ok()) return report(made.status());
      scratch.emplace(std::move(*made));
    }
  }
  for (const BenchCase& c : *selected) {
    fmt::print(std::cerr, "bench: {}{} ... ", c.name, o.quick ? " (quick)" : "");
    std::cerr.flush();
    const Status st = c.tournament ? run_tournament_case(*c.tournament, *kernel, o.quick,
                                                         scratch ? &*scratch : nullptr)
                                   : run_hunt_case(*c.hunt, *kernel, o.quick);
    if (!st.ok()) return report(st);
  }
  return kExitOk;
}

}  // namespace

void register_bench_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<BenchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "bench", "Time the throughput cases (one JSON line each on stdout; docs/bench-format.md)");
  cmd->add_option("--kernel", o->kernel, "Kernel document")->capture_default_str();
  cmd->add_option(
      "--only", o->only,
      "Comma-separated case names (see --list); default: every case but million and hunt-first");
  cmd->add_flag("--list", o->list, "Print the case names and what each plays, then exit");
  cmd->add_flag("--quick", o->quick,
                "About 20x fewer episodes per case (at least 2), for smoke tests");
  cmd->add_option("--threads", o->threads, "Threads of the all-core cases (default: every core)");
  cmd->add_option(
         "--hunt-budget", o->hunt_budget,
         "Executions per hunt of every hunt case (replaces the case's budget and --quick's)")
      ->check(non_negative());
  cmd->callback([o, &exit_code] { exit_code = run_bench(*o); });
}

}  // namespace fable::cli
