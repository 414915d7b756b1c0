// `fable-selfplay hunt`: the search-based red team (include/fable/hunt.h).
//
// Checks the flags, loads the kernel, runs the hunt with a progress line on
// stderr, then writes DIR/hunt.json and DIR/exploits/EXP-NNN.json, staged in
// DIR.partial-<pid> and moved into place whole (base/files.h) (and
// appends the records to --exploit-dir when given) and prints, per
// objective, the best value reached and whether it was captured.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "base/files.h"
#include "cli_support.h"
#include "commands.h"
#include "coverage_output.h"
#include "exploit_dir.h"
#include "fable/hunt.h"
#include "fable/kernel.h"
#include "fable/minimize.h"
#include "fable/record_store.h"
#include "hunt/executor.h"

namespace fable::cli {

namespace {

struct HuntOptions {
  std::string kernel;
  std::string roster;
  std::string objective = "any";
  std::uint64_t budget = 20000;
  std::uint64_t seed = 0;
  int threads = 1;
  int turns = 30;
  double treasury = 1000;
  std::string out;
  std::optional<std::string> exploit_dir;
  std::string strategy = "both";
  int beam_width = 8;
  int beam_branching = 8;
  std::optional<double> time_limit;
  std::string population = "naive";
  bool quiet = false;
  bool no_minimize = false;
  int minimize_budget = kDefaultMinimizeBudget;
  std::optional<std::string> coverage;  // write the clause coverage map here
};

// One updating line on a terminal; a plain line every few seconds otherwise.
HuntProgressFn progress_line(bool quiet) {
  if (quiet) return {};
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  const auto start = std::chrono::steady_clock::now();
  auto last = std::make_shared<std::chrono::steady_clock::time_point>(start);
  return [tty, start, last](const HuntProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    const bool final = p.executions == p.budget;
    const auto every = tty ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000);
    if (!final && now - *last < every) return;
    *last = now;
    const double seconds = std::chrono::duration<double>(now - start).count();
    std::string best;
    for (const ObjectiveInfo& info : all_objectives()) {
      best += fmt::format(" {}={:.2f}", info.name, p.best[static_cast<int>(info.id)]);
    }
    std::fprintf(stderr, "%shunt: %llu/%llu executions, %.0f/s, corpus %zu, findings %zu, best%s%s",
                 tty ? "\r" : "", static_cast<unsigned long long>(p.executions),
                 static_cast<unsigned long long>(p.budget),
                 seconds > 0 ? static_cast<double>(p.executions) / seconds : 0.0, p.corpus_size,
                 p.findings, best.c_str(), tty && !final ? "" : "\n");
    std::fflush(stderr);
  };
}

// The checks of check_hunt_config on what flags set, first, so that an error
// names the flag as typed ("--threads 0: must be 1..256"); the roster is
// checked on its own first, as check_hunt_config does.
Status check_hunt_flags(const HuntOptions& o, const Roster& roster) {
  if (Status st = check_roster(roster); !st.ok()) return st;
  if (roster.count(hunt::kAttackerRole) < 1) {
    return Status::Invalid(
        fmt::format("--roster: a hunt needs at least one '{}' (the coalition the search plays), "
                    "e.g. honest:9,attacker:11",
                    hunt::kAttackerRole));
  }
  Status st = check_flag_range<std::uint64_t>("--budget", o.budget, 1, kMaxHuntBudget);
  if (st.ok()) st = check_flag_range("--threads", o.threads, 1, kMaxHuntThreads);
  if (st.ok()) st = check_flag_range("--turns", o.turns, 1, kMaxHuntTurns);
  if (st.ok()) st = check_flag_range("--beam-width", o.beam_width, 1, kMaxBeamWidth);
  if (st.ok()) st = check_flag_range("--beam-branching", o.beam_branching, 1, kMaxBeamBranching);
  if (st.ok() && o.time_limit && !(*o.time_limit > 0 && *o.time_limit <= 1e9)) {
    st = Status::Invalid(
        fmt::format("--time-limit {}: expected 0 < seconds <= 10^9", *o.time_limit));
  }
  return st;
}

int run_hunt_command(const HuntOptions& o) {
  auto roster = parse_roster(o.roster);
  if (!roster.ok()) return report(roster.status());
  HuntConfig cfg;
  cfg.roster = *roster;
  if (o.objective != "any") {
    const auto obj = find_objective(o.objective);
    if (!obj) {
      std::string names = "any";
      for (const ObjectiveInfo& info : all_objectives()) names += fmt::format(", {}", info.name);
      return report(
          Status::Invalid(fmt::format("--objective '{}': expected one of {}", o.objective, names)));
    }
    cfg.objective = obj;
  }
  const auto strategy = find_hunt_strategy(o.strategy);
  if (!strategy) {
    return report(Status::Invalid(
        fmt::format("--strategy '{}': expected one of evolve, beam, both", o.strategy)));
  }
  cfg.strategy = *strategy;
  cfg.beam_width = o.beam_width;
  cfg.beam_branching = o.beam_branching;
  cfg.time_limit_seconds = o.time_limit;
  cfg.budget = o.budget;
  cfg.seed = o.seed;
  cfg.threads = o.threads;
  cfg.turns = o.turns;
  if (!(o.treasury >= 0 && o.treasury <= 1e12)) {
    return report(Status::Invalid("--treasury: expected 0..10^12 units"));
  }
  cfg.initial_treasury = static_cast<Money>(o.treasury * static_cast<double>(kMoneyScale));
  auto population = find_population_preset(o.population, "--population");
  if (!population.ok()) return report(population.status());
  cfg.population = *population;
  if (Status st = check_hunt_flags(o, cfg.roster); !st.ok()) return report(st);
  if (Status st = check_hunt_config(cfg); !st.ok()) return report(st);
  if (auto out = files::check_out_dir(o.out); !out.ok()) return report(out.status());
  if (o.exploit_dir) {
    if (Status st =
            check_exploit_dir(*o.exploit_dir, "--exploit-dir", std::optional<std::string>(o.out));
        !st.ok())
      return report(st);
  }
  if (o.coverage) {
    std::optional<NamedFolder> exploits;
    if (o.exploit_dir) exploits = NamedFolder{*o.exploit_dir, "--exploit-dir"};
    if (Status st = check_coverage_path(*o.coverage, std::optional<std::string>(o.out), exploits);
        !st.ok())
      return report(st);
    cfg.coverage = true;
  }
  auto kernel = Kernel::load_file(o.kernel);
  if (!kernel.ok()) return report(kernel.status());

  if (Status st = check_flag_range("--minimize-budget", o.minimize_budget, 1, kMaxMinimizeBudget);
      !st.ok())
    return report(st);
  auto result = run_hunt(*kernel, cfg, progress_line(o.quiet));
  // The updating line ends itself only at the budget; close it when the time
  // limit or an error ended the hunt first.
  if (!o.quiet && ::isatty(STDERR_FILENO) != 0 &&
      (!result.ok() || result->executions != cfg.budget)) {
    std::fputc('\n', stderr);
  }
  if (!result.ok()) {
    if (result.status().code() == StatusCode::kInternal) {
      std::fprintf(stderr, "error: %s\n", result.status().message().c_str());
      return kExitInternal;
    }
    return report(result.status());
  }

  if (!o.no_minimize && !result->records.empty()) {  // written minimised (fable/minimize.h)
    minimize_records(result->records, *kernel, default_suite(), MinimizeOptions{o.minimize_budget},
                     cfg.threads,
                     o.quiet ? MinimizeProgressFn{} : minimize_line(o.minimize_budget));
  }

  // Checked again and staged: the folder may have been made while the hunt ran;
  // it is filled as OUT.partial-<pid> and moved into place without replacing anything.
  auto staged = files::StagedFolder::create(o.out);
  if (!staged.ok()) return report(staged.status());
  const auto left_in = [&](const Status& st) {
    return report({st.code(), fmt::format("{}; incomplete output left in {}", st.message(),
                                          staged->partial().string())});
  };
  std::vector<std::string> ids;
  if (!result->records.empty()) {
    auto written = append_records((staged->partial() / "exploits").string(), result->records);
    if (!written.ok()) return left_in(written.status());
    for (const AppendedRecord& a : *written) ids.push_back(a.exploit_id);
  }
  if (Status st =
          files::write_new_file(staged->partial() / "hunt.json", hunt_json(cfg, *result, ids));
      !st.ok()) {
    return left_in(st);
  }
  if (Status st = staged->publish(); !st.ok()) return report(st);
  if (o.coverage && result->coverage) {
    const CoverageSettings settings{{"command", "hunt"},
                                    {"kernel", o.kernel},
                                    {"roster", cfg.roster.to_string()},
                                    {"objective", o.objective},
                                    {"budget", std::to_string(cfg.budget)},
                                    {"executions", std::to_string(result->executions)},
                                    {"seed", std::to_string(cfg.seed)},
                                    {"turns", std::to_string(cfg.turns)},
                                    {"treasury", format_money(cfg.initial_treasury)},
                                    {"strategy", o.strategy},
                                    {"population", cfg.population.preset}};
    if (Status st = write_coverage(*o.coverage, *result->coverage, settings); !st.ok())
      return report(st);
    fmt::print("coverage written to {}\n", *o.coverage);
  }
  if (o.exploit_dir && !result->records.empty()) {
    auto appended = append_records(*o.exploit_dir, result->records);
    if (!appended.ok()) return report(appended.status());
    int fresh = 0;
    for (const AppendedRecord& a : *appended) fresh += a.written ? 1 : 0;
    fmt::print("{} new exploit record(s) appended to {}\n", fresh, *o.exploit_dir);
  }

  fmt::print("hunt on {} {} ({}), {} executions, corpus {}, {} features\n", result->kernel_name,
             result->kernel_version, result->kernel_hash, result->executions, result->corpus_size,
             result->features);
  if (result->stopped_by_time) {
    fmt::print("stopped by --time-limit after {} of {} executions: not reproducible\n",
               result->executions, cfg.budget);
  }
  fmt::print("{:<10} {:>8} {:>9} {:>10}\n", "objective", "best", "captured", "execution");
  for (const ObjectiveBest& b : result->best) {
    fmt::print("{:<10} {:>8.3f} {:>9} {:>10}\n", objective_info(b.objective).name, b.value,
               b.captured ? "yes" : "no", b.execution);
  }
  fmt::print("{} record(s):\n", result->records.size());
  for (std::size_t i = 0; i < result->records.size(); ++i) {
    const ExploitRecord& r = result->records[i];
    fmt::print("  {} {} ({}/sev{}): {}\n", i < ids.size() ? ids[i] : "-", r.name,
               category_name(r.category), r.severity, r.summary);
  }
  fmt::print("written to {}\n", o.out);
  return kExitOk;
}

}  // namespace

void register_hunt_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<HuntOptions>();
  CLI::App* cmd = app.add_subcommand(
      "hunt",
      "Search the legal move space for captures: a coalition of 'attacker' citizens whose moves "
      "are chosen by coverage-guided evolution and a lookahead, scored by objectives "
      "(docs/hunt-format.md)");
  cmd->add_option("--kernel", o->kernel, "Kernel document")->required();
  cmd->add_option("--roster", o->roster, "Population with attackers, e.g. honest:9,attacker:11")
      ->required();
  cmd->add_option("--objective", o->objective,
                  "drain, entrench, suppress, paralysis, emergency, exit, timing or any")
      ->capture_default_str();
  cmd->add_option("--budget", o->budget, "Executions (episodes played); fixes the result")
      ->capture_default_str()
      ->check(non_negative());
  cmd->add_option("--seed", o->seed, "Seed of the search and of the episode")
      ->capture_default_str()
      ->check(non_negative());
  cmd->add_option("--threads", o->threads, "Worker threads (the result does not depend on it)")
      ->capture_default_str();
  cmd->add_option("--turns", o->turns, "Turns per execution")->capture_default_str();
  cmd->add_option("--treasury", o->treasury, "Initial treasury in units")->capture_default_str();
  cmd->add_option("--out", o->out, "Folder for hunt.json and exploits/; must not exist or be empty")
      ->required();
  cmd->add_option("--exploit-dir", o->exploit_dir,
                  "Also append new records (by fingerprint) to this folder");
  cmd->add_option("--population", o->population,
                  "How honest citizens behave: naive, assembly, token-vote (docs/population.md; "
                  "a hunt's default is naive: see \"The default\" there)")
      ->capture_default_str();
  cmd->add_option("--strategy", o->strategy,
                  "evolve (coverage-guided evolution), beam (lookahead) or both, alternating")
      ->capture_default_str();
  cmd->add_option("--beam-width", o->beam_width, "Beam states kept per turn")
      ->capture_default_str();
  cmd->add_option("--beam-branching", o->beam_branching, "Candidate moves per beam state")
      ->capture_default_str();
  cmd->add_option("--coverage", o->coverage,
                  "Write the clause coverage map of every execution to this new file "
                  "(docs/coverage-format.md)");
  cmd->add_option("--time-limit", o->time_limit,
                  "Also stop after this many seconds (the result is then not reproducible)");
  cmd->add_flag("--quiet", o->quiet, "No progress line");
  CLI::Option* no =
      cmd->add_flag("--no-minimize", o->no_minimize,
                    "Write records as found, without minimising them (fable-selfplay minimize)");
  cmd->add_option("--minimize-budget", o->minimize_budget,
                  "Most replays spent minimising each record (a record out of budget is written "
                  "reproducing but maybe not 1-minimal)")
      ->capture_default_str()
      ->excludes(no);  // a budget for no minimisation is a contradiction
  cmd->callback([o, &exit_code] { exit_code = run_hunt_command(*o); });
}

}  // namespace fable::cli
