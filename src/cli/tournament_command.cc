// `fable-selfplay tournament` and `fable-selfplay run`: thin shells over fable/tournament.h.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "base/files.h"
#include "base/safe_name.h"
#include "cli_limits.h"
#include "cli_support.h"
#include "commands.h"
#include "coverage_output.h"
#include "distributed_session.h"
#include "exploit_dir.h"
#include "fable/action.h"
#include "fable/agent_registry.h"
#include "fable/kernel.h"
#include "fable/limits.h"
#include "fable/minimize.h"
#include "fable/record.h"
#include "fable/record_store.h"
#include "fable/seed_config.h"
#include "fable/seed_run.h"
#include "fable/tournament.h"
#include "fable/tournament_config.h"

namespace fable::cli {

namespace {

namespace fs = std::filesystem;

// Prints "\r[done/total] pct" on stderr when it is a terminal.
ProgressFn progress_line(const std::string& label) {
  if (!::isatty(STDERR_FILENO)) return {};
  return [label](std::uint64_t done, std::uint64_t total) {
    if (done != total && done % 64 != 0) return;
    std::fprintf(stderr, "\r%s: %llu/%llu episodes (%.0f%%)%s", label.c_str(),
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                 100.0 * static_cast<double>(done) / static_cast<double>(total),
                 done == total ? "\n" : "");
    std::fflush(stderr);
  };
}

// --no-minimize and --minimize-budget, on every command that writes records.
struct MinimizeFlags {
  bool off = false;
  int budget = kDefaultMinimizeBudget;

  void add_to(CLI::App* cmd) {
    CLI::Option* no =
        cmd->add_flag("--no-minimize", off,
                      "Write records as found, without minimising them (fable-selfplay minimize)");
    cmd->add_option("--minimize-budget", budget,
                    "Most replays spent minimising each record (a record out of budget is written "
                    "reproducing but maybe not 1-minimal)")
        ->capture_default_str()
        ->excludes(no);  // a budget for no minimisation is a contradiction
  }
  Status apply(TournamentConfig& cfg) const {
    if (Status st = check_flag_range("--minimize-budget", budget, 1, kMaxMinimizeBudget); !st.ok())
      return st;
    cfg.minimize = !off;
    cfg.minimize_budget = budget;
    if (cfg.minimize) cfg.minimize_progress = minimize_line(budget);
    return Status::Ok();
  }
};

// Flags whose empty value must be refused, not taken for "not given", are optional.
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
  MinimizeFlags minimize;
  std::optional<std::string> coverage;  // write the clause coverage map here
};

void print_leaderboard(const TournamentResult& r) {
  fmt::print("kernel {} v{} ({}): {} episodes, {} exploit records\n", r.kernel_name,
             r.kernel_version, r.kernel_hash, r.episodes_run, r.exploit_records.size());
  for (const LeaderboardRow& row : r.leaderboard) {
    fmt::print("  {:<16} score {:6.2f}  floor {:.3f}  capture {:.2f}  findings {}\n", row.matchup,
               row.mean_governance_score, row.mean_empathy_floor, row.capture_rate,
               row.total_findings);
  }
  for (const ExploitRecord& rec : r.exploit_records) {
    fmt::print("  {} [{}/sev{}] {} (x{})\n", rec.exploit_id, category_name(rec.category),
               rec.severity, rec.name, rec.occurrences);
  }
}

// --matchups: names of default matchups, comma-separated; none empty, none twice.
Result<std::vector<MatchupSpec>> parse_matchups(std::string_view text) {
  std::vector<MatchupSpec> matchups;
  for (const std::string_view name : split_commas(text)) {
    if (name.empty()) {
      return Status::Invalid(fmt::format(
          "--matchups '{}': expected comma-separated matchup names, none empty", printable(text)));
    }
    const auto m = find_default_matchup(name);
    if (!m) {
      return Status::Invalid(fmt::format(
          "--matchups: unknown matchup '{}' (baseline-honest, drain, entrench, suppress, "
          "mixed-capture)",
          printable(name)));
    }
    matchups.push_back(*m);
  }
  return matchups;
}

// The flags both config formats take over the file: turns, treasury,
// threads, plan length, population and episode files; then the range checks.
Status apply_episode_flags(const TournamentOptions& o, TournamentConfig& cfg) {
  if (Status st = o.minimize.apply(cfg); !st.ok()) return st;
  if (o.turns) cfg.n_turns = *o.turns;
  if (o.treasury) {
    auto t = parse_treasury(*o.treasury);
    if (!t.ok()) return t.status();
    cfg.initial_treasury = *t;
  }
  if (o.threads) cfg.threads = *o.threads;
  if (o.plan_length) cfg.settings.plan_length = *o.plan_length;
  if (o.population) {
    auto m = find_population_preset(*o.population, "--population");
    if (!m.ok()) return m.status();
    cfg.population = *m;
  }
  if (!o.episode_files.empty()) {
    auto e = parse_episode_files_option(o.episode_files, "--episode-files");
    if (!e.ok()) return e.status();
    cfg.episode_files = *e;
  }
  if (Status st = check_tournament_settings(cfg); !st.ok()) return st;
  return check_episode_count(cfg);
}

int run_seed_config(const TournamentOptions& o);

// --coverage FILE: writes the result's coverage map with the run's settings.
Status write_coverage_of(const std::optional<std::string>& path, std::string_view command,
                         const TournamentConfig& cfg, const std::optional<std::string>& config,
                         const TournamentResult& result) {
  if (!path || !result.coverage) return Status::Ok();
  if (Status st = write_coverage(*path, *result.coverage,
                                 tournament_coverage_settings(command, cfg, config));
      !st.ok())
    return st;
  fmt::print("coverage written to {}\n", *path);
  return Status::Ok();
}

// The ranges of the flags that set turns, threads and plan length, checked
// before any config file is read so that an error names the flag as typed.
Status check_episode_flag_ranges(const TournamentOptions& o) {
  if (o.turns) {
    if (Status st = check_flag_range("--turns", *o.turns, 1, limits::kMaxTurns); !st.ok())
      return st;
  }
  if (o.threads) {
    if (Status st = check_flag_range("--threads", *o.threads, 1, kMaxThreads); !st.ok()) return st;
  }
  if (o.plan_length) {
    if (Status st = check_flag_range("--plan-length", *o.plan_length, 1, kMaxPlanLength); !st.ok())
      return st;
  }
  return Status::Ok();
}

// Reads the kernel at `path` before anything is played, when a config file
// named it: its error then says where ("cfg.yaml:3: kernel: ...").
Status check_kernel(const std::string& path, const std::string& given_by) {
  const Result<Kernel> kernel = Kernel::load_file(path);
  if (kernel.ok()) return Status::Ok();
  return Status(kernel.status().code(), fmt::format("{}: {}", given_by, kernel.status().message()));
}

int run_tournament(const TournamentOptions& o) {
  if (Status st = check_episode_flag_ranges(o); !st.ok()) return report(st);
  TournamentConfig cfg;
  ConfigLines config_lines;
  if (o.config) {
    // Checked without blocking first: a FIFO or a device would hang the reader.
    if (Status st = files::check_regular_file(*o.config, "--config"); !st.ok()) return report(st);
    const Result<bool> seed_format = is_seed_config(*o.config);
    if (!seed_format.ok()) return report(seed_format.status());
    if (*seed_format) return run_seed_config(o);
    if (Status st = apply_tournament_config(*o.config, cfg, &config_lines); !st.ok())
      return report(st);
  }
  if (o.exploit_dir) {
    return report(Status::Invalid("--exploit-dir: only with a seed config (docs/seed-config.md)"));
  }
  if (!o.kernel.empty()) cfg.kernel_path = o.kernel;
  if (cfg.kernel_path.empty())
    return report(Status::Invalid("no kernel: give --kernel FILE or kernel: in --config"));
  if (o.seeds) {
    auto seeds = parse_seeds(*o.seeds);
    if (!seeds.ok()) return report(seeds.status());
    cfg.seeds = *seeds;
  }
  if (o.matchups) {
    auto matchups = parse_matchups(*o.matchups);
    if (!matchups.ok()) return report(matchups.status());
    cfg.matchups = *matchups;
  }
  if (Status st = apply_episode_flags(o, cfg); !st.ok()) return report(st);
  if (o.kernel.empty() && o.config) {
    const std::string where = fmt::format("{}:{}: kernel", *o.config, config_lines.kernel);
    if (Status st = check_kernel(cfg.kernel_path, where); !st.ok()) return report(st);
  }
  if (o.out) {
    if (auto out = files::check_out_dir(*o.out); !out.ok()) return report(out.status());
    cfg.out_dir = *o.out;
  }
  if (o.coverage) {
    if (Status st = check_coverage_path(*o.coverage, o.out); !st.ok()) return report(st);
    cfg.coverage = true;
  }

  cfg.communicator = distributed_communicator();  // under mpirun (docs/distributed.md)
  Tournament t(cfg);
  const auto result = t.run(progress_line("tournament"));
  if (!result.ok()) return report(result.status());
  if (!result->merged) return kExitOk;  // another rank than 0: rank 0 reports and writes
  print_leaderboard(*result);
  if (cfg.out_dir) fmt::print("artifacts written to {}\n", *cfg.out_dir);
  if (Status st = write_coverage_of(o.coverage, "tournament", cfg, o.config, *result); !st.ok())
    return report(st);
  return kExitOk;
}

// `tournament --config SEED.yaml`: the seed's format (docs/seed-config.md).
// Flags win over the file; exit 1 when an expected exploit class is missing.
int run_seed_config(const TournamentOptions& o) {
  // The flags that change the file's bounded values, so that its bounds are
  // checked on the values as played (a bad --treasury is reported below).
  SeedOverrides overrides;
  overrides.rounds_per_episode = o.turns;
  if (o.treasury) {
    if (const Result<Money> t = parse_treasury(*o.treasury); t.ok())
      overrides.initial_treasury = *t;
  }
  const Result<SeedConfig> seed = load_seed_config(*o.config, overrides);
  if (!seed.ok()) return report(seed.status());
  TournamentConfig cfg = seed->tournament_config();
  if (!o.kernel.empty()) cfg.kernel_path = o.kernel;
  if (o.matchups) {
    return report(Status::Invalid(
        "--matchups: a seed config plays its own population (population: in the file)"));
  }
  if (o.seeds) {
    auto seeds = parse_seeds(*o.seeds);
    if (!seeds.ok()) return report(seeds.status());
    cfg.seeds = *seeds;
  }
  if (Status st = apply_episode_flags(o, cfg); !st.ok()) return report(st);
  // The load-time bound on the economy, again for flags that changed its terms.
  const auto income = checked_mul(cfg.settings.income_per_turn, cfg.n_turns);
  const auto money = income ? checked_add(*income, cfg.initial_treasury) : std::nullopt;
  if (!money || *money > kMaxMoney) {
    return report(Status::Invalid(fmt::format(
        "economy: treasury + income_per_turn x {} turns is over {:.0f} units (docs/limits.md)",
        cfg.n_turns, kMaxMoneyUnits)));
  }
  // Both kernels are read before anything is played; an error names the field.
  const std::string kernel_field =
      o.kernel.empty() ? fmt::format("{}:{}: tournament.kernel", *o.config, seed->kernel_line)
                       : std::string("--kernel");
  if (Status st = check_kernel(cfg.kernel_path, kernel_field); !st.ok()) return report(st);
  if (seed->verification_kernel) {
    const std::string field = fmt::format("{}:{}: tournament.verification_kernel", *o.config,
                                          seed->verification_kernel_line);
    if (Status st = check_kernel(*seed->verification_kernel, field); !st.ok()) return report(st);
  }
  if (o.out) {
    if (auto out = files::check_out_dir(*o.out); !out.ok()) return report(out.status());
    cfg.out_dir = *o.out;
  }
  // --exploit-dir wins; else outputs.exploits_dir (a relative path checked at load).
  std::optional<std::string> exploit_dir = o.exploit_dir ? o.exploit_dir : seed->exploits_dir;
  if (exploit_dir) {  // checked before any episode is played
    const std::string what = o.exploit_dir ? "--exploit-dir" : "outputs.exploits_dir";
    if (Status st = check_exploit_dir(*exploit_dir, what, o.out); !st.ok()) return report(st);
  }
  if (o.coverage) {
    std::optional<NamedFolder> exploits;
    if (exploit_dir) {
      exploits =
          NamedFolder{*exploit_dir, o.exploit_dir ? "--exploit-dir" : "outputs.exploits_dir"};
    }
    if (Status st = check_coverage_path(*o.coverage, o.out, exploits); !st.ok()) return report(st);
    cfg.coverage = true;
  }

  cfg.communicator = distributed_communicator();
  const auto result = run_seed_tournament(*seed, cfg, progress_line("tournament"));
  if (!result.ok()) return report(result.status());
  if (!result->main.merged) return kExitOk;
  print_leaderboard(result->main);
  if (result->verification) print_leaderboard(*result->verification);
  const std::string text = render_seed_report(*seed, cfg, *result);
  fmt::print("\n{}", text);
  if (cfg.out_dir) {
    fmt::print("artifacts written to {}\n", *cfg.out_dir);
    if (seed->report) {
      const fs::path path = fs::path(*cfg.out_dir) / *seed->report;
      if (Status st = files::write_new_file(path, text); !st.ok()) return report(st);
      fmt::print("report written to {}\n", path.string());
    }
  }
  if (exploit_dir) {
    const auto appended = append_records(*exploit_dir, result->main.exploit_records);
    if (!appended.ok()) return report(appended.status());
    const auto written = std::count_if(appended->begin(), appended->end(),
                                       [](const AppendedRecord& a) { return a.written; });
    fmt::print("{} new exploit record(s) written to {}\n", written, *exploit_dir);
  }
  if (Status st = write_coverage_of(o.coverage, "tournament", cfg, o.config, result->main);
      !st.ok())
    return report(st);
  if (!result->all_expected_found()) {
    for (const ExpectedCheck& e : result->expected) {
      if (!e.found()) fmt::print(stderr, "expected exploit missing: {}\n", e.expected);
    }
    return kExitFinding;
  }
  return kExitOk;
}

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
  MinimizeFlags minimize;
  std::optional<std::string> coverage;
};

int run_run(const RunOptions& o) {
  auto roster = parse_roster(o.roster);
  if (!roster.ok()) return report(roster.status());
  for (const RosterEntry& e : roster->entries) {
    if (const auto role = find_agent_role(e.role); role && role->hunt_only()) {
      return report(Status::Invalid(
          fmt::format("--roster: '{}' plays only what a search chooses (on its own it does "
                      "nothing): use it with `hunt`, not in a run",
                      e.role)));
    }
  }
  if (o.episodes < 1 || o.episodes > kMaxRunEpisodes)
    return report(Status::Invalid(fmt::format("--episodes must be 1..{}", kMaxRunEpisodes)));
  if (o.seed > std::numeric_limits<std::uint64_t>::max() - (o.episodes - 1)) {
    return report(Status::Invalid(
        fmt::format("--seed {} --episodes {}: the seeds would pass 2^64-1", o.seed, o.episodes)));
  }
  if (Status st = check_safe_name(o.name, "--name"); !st.ok()) return report(st);
  TournamentConfig cfg;
  cfg.kernel_path = o.kernel;
  cfg.matchups = {MatchupSpec{o.name, *roster}};
  cfg.seeds.clear();
  for (std::uint64_t i = 0; i < o.episodes; ++i) cfg.seeds.push_back(o.seed + i);
  cfg.n_turns = o.max_turns;
  auto t = parse_treasury(o.treasury);
  if (!t.ok()) return report(t.status());
  cfg.initial_treasury = *t;
  cfg.threads = o.threads;
  auto e = parse_episode_files_option(o.episode_files, "--episode-files");
  if (!e.ok()) return report(e.status());
  cfg.episode_files = *e;
  auto population = find_population_preset(o.population, "--population");
  if (!population.ok()) return report(population.status());
  cfg.population = *population;
  if (Status st = o.minimize.apply(cfg); !st.ok()) return report(st);
  if (Status st = check_flag_range("--max-turns", o.max_turns, 1, limits::kMaxTurns); !st.ok())
    return report(st);
  if (Status st = check_flag_range("--threads", o.threads, 1, kMaxThreads); !st.ok())
    return report(st);
  if (Status st = check_tournament_settings(cfg); !st.ok()) return report(st);
  if (Status st = check_episode_count(cfg); !st.ok()) return report(st);
  if (o.out) {
    if (auto out = files::check_out_dir(*o.out); !out.ok()) return report(out.status());
    cfg.out_dir = *o.out;
  }
  if (o.exploit_dir) {  // checked before any episode is played
    if (Status st = check_exploit_dir(*o.exploit_dir, "--exploit-dir", o.out); !st.ok())
      return report(st);
  }
  if (o.coverage) {
    std::optional<NamedFolder> exploits;
    if (o.exploit_dir) exploits = NamedFolder{*o.exploit_dir, "--exploit-dir"};
    if (Status st = check_coverage_path(*o.coverage, o.out, exploits); !st.ok()) return report(st);
    cfg.coverage = true;
  }
  cfg.communicator = distributed_communicator();
  const auto result = Tournament(cfg).run(progress_line("run"));
  if (!result.ok()) return report(result.status());
  if (!result->merged) return kExitOk;
  print_leaderboard(*result);
  if (o.exploit_dir) {
    // New fingerprints only, numbered after the folder's highest id (fable/record_store.h).
    const auto appended = append_records(*o.exploit_dir, result->exploit_records);
    if (!appended.ok()) return report(appended.status());
    const auto written = std::count_if(appended->begin(), appended->end(),
                                       [](const AppendedRecord& a) { return a.written; });
    fmt::print("{} new exploit record(s) written to {}\n", written, *o.exploit_dir);
  }
  if (Status st = write_coverage_of(o.coverage, "run", cfg, std::nullopt, *result); !st.ok())
    return report(st);
  return kExitOk;
}

}  // namespace

void register_tournament_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<TournamentOptions>();
  CLI::App* cmd = app.add_subcommand("tournament",
                                     "Play matchups x seeds on a kernel and write exploit records");
  cmd->footer(
      "Exit codes: 0 success; 1 a seed config's expected_exploits class was not found; 2 bad "
      "input; 3 I/O failure; 5 internal failure.");
  cmd->add_option("--kernel", o->kernel, "Kernel document (or kernel: in --config)");
  cmd->add_option("--out", o->out, "Folder for the artifacts; must not exist or be empty");
  cmd->add_option("--config", o->config,
                  "Tournament config file (YAML): ours (docs/tournament-format.md) or the "
                  "seed's (docs/seed-config.md; exit 1 when an expected_exploits class is not "
                  "found)");
  cmd->add_option("--exploit-dir", o->exploit_dir,
                  "Seed configs: append new records here (default outputs.exploits_dir)");
  cmd->add_option("--threads", o->threads, "Worker threads (results do not depend on it)");
  cmd->add_option("--seeds", o->seeds, "Seeds: A..B inclusive or A,B,C (default 0..7)");
  cmd->add_option("--turns", o->turns, "Turns per episode (default 60)");
  cmd->add_option("--treasury", o->treasury, "Initial treasury in units (default 1000)");
  cmd->add_option("--matchups", o->matchups,
                  "Comma-separated default matchups (default: all five)");
  cmd->add_option("--plan-length", o->plan_length, "Actions per agent per turn (default 3)");
  cmd->add_option(
      "--episode-files", o->episode_files,
      "Episode summaries under --out: all (default), findings (only episodes with findings), none");
  cmd->add_option("--population", o->population,
                  "How honest citizens behave: naive, assembly, token-vote (default; "
                  "docs/population.md)");
  o->minimize.add_to(cmd);
  cmd->add_option("--coverage", o->coverage,
                  "Write the clause coverage map to this new file (docs/coverage-format.md)");
  cmd->callback([o, &exit_code] { exit_code = run_tournament(*o); });
}

void register_run_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Play one roster over many episodes");
  cmd->add_option("--kernel", o->kernel, "Kernel document")->required();
  cmd->add_option("--episodes", o->episodes, "Number of episodes (seeds SEED..SEED+N-1)")
      ->capture_default_str()
      ->check(non_negative());
  cmd->add_option("--seed", o->seed, "First seed")->capture_default_str()->check(non_negative());
  cmd->add_option("--roster", o->roster, "Population, e.g. honest:8,drainer:2")->required();
  cmd->add_option("--max-turns", o->max_turns, "Turns per episode")->capture_default_str();
  cmd->add_option("--name", o->name, "Name of the matchup in artifacts")->capture_default_str();
  cmd->add_option("--out", o->out, "Folder for the artifacts; must not exist or be empty");
  cmd->add_option("--exploit-dir", o->exploit_dir,
                  "Append new records (by fingerprint) to this folder, after its highest id");
  cmd->add_option("--treasury", o->treasury, "Initial treasury in units")->capture_default_str();
  cmd->add_option("--threads", o->threads, "Worker threads")->capture_default_str();
  cmd->add_option("--episode-files", o->episode_files,
                  "Episode summaries under --out: all, findings or none")
      ->capture_default_str();
  cmd->add_option("--population", o->population,
                  "How honest citizens behave: naive, assembly, token-vote (docs/population.md)")
      ->capture_default_str();
  o->minimize.add_to(cmd);
  cmd->add_option("--coverage", o->coverage,
                  "Write the clause coverage map to this new file (docs/coverage-format.md)");
  cmd->callback([o, &exit_code] { exit_code = run_run(*o); });
}

}  // namespace fable::cli
