// See run_plans.h.
#include "run_plans.h"

#include <algorithm>
#include <filesystem>
#include <limits>

#include <fmt/format.h>

#include "base/files.h"
#include "base/safe_name.h"
#include "base/test_kill.h"
#include "cli_limits.h"
#include "cli_support.h"
#include "coverage_output.h"
#include "exploit_dir.h"
#include "fable/agent_registry.h"
#include "fable/limits.h"
#include "fable/record_store.h"
#include "fable/tournament_config.h"
#include "hunt/executor.h"
#include "hunt_checkpoint.h"
#include "resume_target.h"
#include "store_run.h"
#include "tournament/checkpoint.h"

namespace fable::cli {

namespace fs = std::filesystem;

namespace {

// --treasury in units, as parse_treasury reads it (0..kMaxMoneyUnits), with
// the refusal naming the flag as typed: "--treasury -1: must be
// 0..1000000000000 units" (a config file's `treasury` key keeps its own
// phrasing, with the file and line).
Result<Money> treasury_flag(double units) {
  Result<Money> t = parse_treasury(units);
  if (t.ok()) return t;
  return Status::Invalid(fmt::format("--treasury {}: must be 0..{} units", units, kMaxMoneyUnits));
}

Status apply_minimize(const MinimizeSettings& m, bool show_progress, TournamentConfig& cfg) {
  if (Status st = check_flag_range("--minimize-budget", m.budget, 1, kMaxMinimizeBudget); !st.ok())
    return st;
  cfg.minimize = !m.off;
  cfg.minimize_budget = m.budget;
  if (cfg.minimize && show_progress) cfg.minimize_progress = minimize_line(m.budget);
  return Status::Ok();
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
Status apply_episode_flags(const TournamentOptions& o, bool show_progress, TournamentConfig& cfg) {
  if (Status st = apply_minimize(o.minimize, show_progress, cfg); !st.ok()) return st;
  if (o.turns) cfg.n_turns = *o.turns;
  if (o.treasury) {
    auto t = treasury_flag(*o.treasury);
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

// `tournament --config SEED.yaml`: the seed's format (docs/seed-config.md).
// Flags win over the file.
Result<TournamentPlan> plan_seed_config(const TournamentOptions& o, bool show_progress) {
  // The flags that change the file's bounded values, so that its bounds are
  // checked on the values as played (a bad --treasury is reported below).
  SeedOverrides overrides;
  overrides.rounds_per_episode = o.turns;
  if (o.treasury) {
    if (const Result<Money> t = parse_treasury(*o.treasury); t.ok())
      overrides.initial_treasury = *t;
  }
  Result<SeedConfig> seed = load_seed_config(*o.config, overrides);
  if (!seed.ok()) return seed.status();
  TournamentPlan plan;
  plan.command = "tournament";
  plan.config = o.config;
  TournamentConfig& cfg = plan.cfg;
  cfg = seed->tournament_config();
  if (!o.kernel.empty()) cfg.kernel_path = o.kernel;
  if (o.matchups) {
    return Status::Invalid(
        "--matchups: a seed config plays its own population (population: in the file)");
  }
  if (o.seeds) {
    auto seeds = parse_seeds(*o.seeds);
    if (!seeds.ok()) return seeds.status();
    cfg.seeds = *seeds;
  }
  if (Status st = apply_episode_flags(o, show_progress, cfg); !st.ok()) return st;
  // The load-time bound on the economy, again for flags that changed its terms.
  const auto income = checked_mul(cfg.settings.income_per_turn, cfg.n_turns);
  const auto money = income ? checked_add(*income, cfg.initial_treasury) : std::nullopt;
  if (!money || *money > kMaxMoney) {
    return Status::Invalid(fmt::format(
        "economy: treasury + income_per_turn x {} turns is over {:.0f} units (docs/limits.md)",
        cfg.n_turns, kMaxMoneyUnits));
  }
  // Both kernels are read before anything is played; an error names the field.
  const std::string kernel_field =
      o.kernel.empty() ? fmt::format("{}:{}: tournament.kernel", *o.config, seed->kernel_line)
                       : std::string("--kernel");
  if (Status st = check_kernel(cfg.kernel_path, kernel_field); !st.ok()) return st;
  if (seed->verification_kernel) {
    const std::string field = fmt::format("{}:{}: tournament.verification_kernel", *o.config,
                                          seed->verification_kernel_line);
    if (Status st = check_kernel(*seed->verification_kernel, field); !st.ok()) return st;
  }
  if (o.out) {
    if (auto out = files::check_out_dir(*o.out); !out.ok()) return out.status();
    cfg.out_dir = *o.out;
  }
  // --exploit-dir wins; else outputs.exploits_dir (a relative path checked at load).
  plan.exploit_dir = o.exploit_dir ? o.exploit_dir : seed->exploits_dir;
  plan.exploit_dir_flag = o.exploit_dir ? "--exploit-dir" : "outputs.exploits_dir";
  if (plan.exploit_dir) {  // checked before any episode is played
    if (Status st = check_exploit_dir(*plan.exploit_dir, plan.exploit_dir_flag, o.out); !st.ok())
      return st;
  }
  if (o.coverage) {
    std::optional<NamedFolder> exploits;
    if (plan.exploit_dir) exploits = NamedFolder{*plan.exploit_dir, plan.exploit_dir_flag};
    if (Status st = check_coverage_path(*o.coverage, o.out, exploits); !st.ok()) return st;
    cfg.coverage = true;
    plan.coverage = o.coverage;
  }
  if (o.store) {
    if (Status st = check_store_path(*o.store, o.out, o.coverage); !st.ok()) return st;
    plan.store = o.store;
  }
  plan.seed = std::move(*seed);
  return plan;
}

// Appends `records` to `dir` (new fingerprints only); the count appended.
// `entries`, when given, gets what became of each record.
Result<std::size_t> append_to(const std::string& dir, const std::vector<ExploitRecord>& records,
                              std::vector<AppendedRecord>* entries = nullptr) {
  const auto appended = append_records(dir, records);
  if (!appended.ok()) return appended.status();
  if (entries != nullptr) *entries = *appended;
  return static_cast<std::size_t>(std::count_if(appended->begin(), appended->end(),
                                                [](const AppendedRecord& a) { return a.written; }));
}

// What the end of a run writes outside its folder, besides the store (docs/resume.md,
// "How a run ends"), each step idempotent when redone by --resume.
struct OutsideFiles {
  std::optional<std::string> exploit_dir;    // records appended there (new fingerprints only)
  std::optional<std::string> coverage_path;  // --coverage
  const CoverageReport* coverage = nullptr;  // written to coverage_path when both are given
  CoverageSettings coverage_settings;
};

// Appends `records` to the exploit folder (numbered after its highest id:
// fable/record_store.h), then writes the coverage file; the first failure
// stops it. `notes` gets a line per file, `appended` what became of each
// record, `records_appended` how many were new.
Status write_outside(const OutsideFiles& f, const std::vector<ExploitRecord>& records,
                     std::vector<std::string>& notes, std::size_t& records_appended,
                     std::vector<AppendedRecord>& appended) {
  if (f.exploit_dir) {
    const Result<std::size_t> n = append_to(*f.exploit_dir, records, &appended);
    if (!n.ok()) return n.status();
    records_appended = *n;
    notes.push_back(fmt::format("{} new exploit record(s) written to {}\n", *n, *f.exploit_dir));
    test_kill_point("exploit-dir");  // tests only (base/test_kill.h)
  }
  if (f.coverage_path && f.coverage != nullptr) {
    if (Status st = write_coverage(*f.coverage_path, *f.coverage, f.coverage_settings); !st.ok())
      return st;
    notes.push_back(fmt::format("coverage written to {}\n", *f.coverage_path));
    test_kill_point("coverage");
  }
  return Status::Ok();
}

// Writes everything after the run; the first failure stops it. `appended`
// gets what became of each record in the exploit folder (when there is one).
Status finish_tournament(const TournamentPlan& plan, TournamentOutcome& out,
                         std::vector<AppendedRecord>& appended) {
  const TournamentConfig& cfg = plan.cfg;
  std::string report_text;
  if (plan.seed) {
    report_text = render_seed_report(*plan.seed, cfg, out.result);
    out.notes.push_back(fmt::format("\n{}", report_text));
  }
  if (cfg.out_dir && plan.command == "tournament") {
    out.notes.push_back(fmt::format("artifacts written to {}\n", *cfg.out_dir));
    if (plan.seed && plan.seed->report) {
      const fs::path path = fs::path(*cfg.out_dir) / *plan.seed->report;
      if (Status st = files::write_new_file(path, report_text); !st.ok()) return st;
      out.notes.push_back(fmt::format("report written to {}\n", path.string()));
    }
  }
  OutsideFiles outside{plan.exploit_dir, plan.coverage, nullptr, {}};
  if (plan.coverage && out.result.main.coverage) {
    outside.coverage = &*out.result.main.coverage;
    outside.coverage_settings = tournament_coverage_settings(plan.command, cfg, plan.config);
  }
  return write_outside(outside, out.result.main.exploit_records, out.notes, out.records_appended,
                       appended);
}

// --resume and --checkpoint-every into `plan`.
Status apply_checkpoint_flags(bool resume, const std::optional<std::uint64_t>& every,
                              TournamentPlan& plan) {
  if (every) {
    if (Status st =
            check_flag_range<std::uint64_t>("--checkpoint-every", *every, 1, kMaxCheckpointEvery);
        !st.ok())
      return st;
    plan.cfg.checkpoint_every = *every;
  }
  if (resume && !plan.cfg.out_dir) {
    return Status::Invalid(
        "--resume: needs --out DIR (the stopped run's checkpoint is in DIR.partial-<pid>; "
        "docs/resume.md)");
  }
  plan.resume = resume;
  return Status::Ok();
}

// What a run's checkpoints carry besides its config: the command and --store.
std::vector<std::pair<std::string, std::string>> checkpoint_identity(const TournamentPlan& plan) {
  return {{"command", plan.command}, {"store", plan.store ? *plan.store : std::string("none")}};
}

// The stopped run of plan's settings next to its output folder, or its output folder
// finished here (one process only; resume_target.h).
Result<ResumeTarget> find_stopped_run(const TournamentPlan& plan) {
  if (plan.cfg.communicator != nullptr && plan.cfg.communicator->size() > 1) {
    return Status::Invalid(
        "--resume: not under MPI (a distributed run is not checkpointed; docs/resume.md)");
  }
  std::optional<Kernel> loaded;
  if (!plan.kernel) {
    Result<Kernel> k = Kernel::load_file(plan.cfg.kernel_path);
    if (!k.ok()) return k.status();
    loaded = std::move(*k);
  }
  TournamentConfig cfg = plan.cfg;
  cfg.checkpoint_identity = checkpoint_identity(plan);
  return find_resume_target(*plan.cfg.out_dir,
                            tournament_identity(cfg, plan.kernel ? *plan.kernel : *loaded),
                            plan.cfg.matchups.size() * plan.cfg.seeds.size(), plan.store);
}

}  // namespace

Result<TournamentPlan> plan_tournament(const TournamentOptions& o, bool show_progress) {
  if (Status st = check_episode_flag_ranges(o); !st.ok()) return st;
  TournamentPlan plan;
  plan.command = "tournament";
  plan.config = o.config;
  TournamentConfig& cfg = plan.cfg;
  ConfigLines config_lines;
  if (o.config) {
    // Checked without blocking first: a FIFO or a device would hang the reader.
    if (Status st = files::check_regular_file(*o.config, "--config"); !st.ok()) return st;
    const Result<bool> seed_format = is_seed_config(*o.config);
    if (!seed_format.ok()) return seed_format.status();
    if (*seed_format) {
      if (o.resume) return Status::Invalid("--resume: not with a seed config (docs/resume.md)");
      return plan_seed_config(o, show_progress);
    }
    if (Status st = apply_tournament_config(*o.config, cfg, &config_lines); !st.ok()) return st;
  }
  if (o.exploit_dir) {
    return Status::Invalid("--exploit-dir: only with a seed config (docs/seed-config.md)");
  }
  if (!o.kernel.empty()) cfg.kernel_path = o.kernel;
  if (cfg.kernel_path.empty())
    return Status::Invalid("no kernel: give --kernel FILE or kernel: in --config");
  if (o.seeds) {
    auto seeds = parse_seeds(*o.seeds);
    if (!seeds.ok()) return seeds.status();
    cfg.seeds = *seeds;
  }
  if (o.matchups) {
    auto matchups = parse_matchups(*o.matchups);
    if (!matchups.ok()) return matchups.status();
    cfg.matchups = *matchups;
  }
  if (Status st = apply_episode_flags(o, show_progress, cfg); !st.ok()) return st;
  if (o.kernel.empty() && o.config) {
    const std::string where = fmt::format("{}:{}: kernel", *o.config, config_lines.kernel);
    if (Status st = check_kernel(cfg.kernel_path, where); !st.ok()) return st;
  }
  if (o.out) {  // --resume: what DIR holds is looked at by execute_tournament
    if (auto out = files::check_out_dir(*o.out, o.resume); !out.ok()) return out.status();
    cfg.out_dir = *o.out;
  }
  if (o.coverage) {
    if (Status st = check_coverage_path(*o.coverage, o.out, std::nullopt, o.resume); !st.ok())
      return st;
    cfg.coverage = true;
    plan.coverage = o.coverage;
  }
  if (o.store) {
    if (Status st = check_store_path(*o.store, o.out, o.coverage); !st.ok()) return st;
    plan.store = o.store;
  }
  if (Status st = apply_checkpoint_flags(o.resume, o.checkpoint_every, plan); !st.ok()) return st;
  return plan;
}

Result<TournamentPlan> plan_run(const RunOptions& o, bool show_progress) {
  auto roster = parse_roster(o.roster);
  if (!roster.ok()) return roster.status();
  for (const RosterEntry& e : roster->entries) {
    if (const auto role = find_agent_role(e.role); role && role->hunt_only()) {
      return Status::Invalid(
          fmt::format("--roster: '{}' plays only what a search chooses (on its own it does "
                      "nothing): use it with `hunt`, not in a run",
                      e.role));
    }
  }
  if (o.episodes < 1 || o.episodes > kMaxRunEpisodes)
    return Status::Invalid(fmt::format("--episodes must be 1..{}", kMaxRunEpisodes));
  if (o.seed > std::numeric_limits<std::uint64_t>::max() - (o.episodes - 1)) {
    return Status::Invalid(
        fmt::format("--seed {} --episodes {}: the seeds would pass 2^64-1", o.seed, o.episodes));
  }
  if (Status st = check_safe_name(o.name, "--name"); !st.ok()) return st;
  TournamentPlan plan;
  plan.command = "run";
  TournamentConfig& cfg = plan.cfg;
  cfg.kernel_path = o.kernel;
  cfg.matchups = {MatchupSpec{o.name, *roster}};
  cfg.seeds.clear();
  for (std::uint64_t i = 0; i < o.episodes; ++i) cfg.seeds.push_back(o.seed + i);
  cfg.n_turns = o.max_turns;
  auto t = treasury_flag(o.treasury);
  if (!t.ok()) return t.status();
  cfg.initial_treasury = *t;
  cfg.threads = o.threads;
  auto e = parse_episode_files_option(o.episode_files, "--episode-files");
  if (!e.ok()) return e.status();
  cfg.episode_files = *e;
  auto population = find_population_preset(o.population, "--population");
  if (!population.ok()) return population.status();
  cfg.population = *population;
  if (Status st = apply_minimize(o.minimize, show_progress, cfg); !st.ok()) return st;
  if (Status st = check_flag_range("--max-turns", o.max_turns, 1, limits::kMaxTurns); !st.ok())
    return st;
  if (Status st = check_flag_range("--threads", o.threads, 1, kMaxThreads); !st.ok()) return st;
  if (Status st = check_tournament_settings(cfg); !st.ok()) return st;
  if (Status st = check_episode_count(cfg); !st.ok()) return st;
  if (o.out) {  // --resume: what DIR holds is looked at by execute_tournament
    if (auto out = files::check_out_dir(*o.out, o.resume); !out.ok()) return out.status();
    cfg.out_dir = *o.out;
  }
  plan.exploit_dir = o.exploit_dir;
  plan.exploit_dir_flag = "--exploit-dir";
  if (o.exploit_dir) {  // checked before any episode is played
    if (Status st = check_exploit_dir(*o.exploit_dir, "--exploit-dir", o.out); !st.ok()) return st;
  }
  if (o.coverage) {
    std::optional<NamedFolder> exploits;
    if (o.exploit_dir) exploits = NamedFolder{*o.exploit_dir, "--exploit-dir"};
    if (Status st = check_coverage_path(*o.coverage, o.out, exploits, o.resume); !st.ok())
      return st;
    cfg.coverage = true;
    plan.coverage = o.coverage;
  }
  if (o.store) {
    if (Status st = check_store_path(*o.store, o.out, o.coverage); !st.ok()) return st;
    plan.store = o.store;
  }
  if (Status st = apply_checkpoint_flags(o.resume, o.checkpoint_every, plan); !st.ok()) return st;
  return plan;
}

Result<TournamentOutcome> execute_tournament(const TournamentPlan& plan,
                                             const ProgressFn& progress) {
  // --store: only the rank that writes (rank 0 under MPI) opens it.
  const Communicator* comm = plan.cfg.communicator;
  TournamentOutcome out;
  // --resume: the stopped run, found and locked before anything is written.
  std::shared_ptr<ResumePoint> resume;
  if (plan.resume) {
    Result<ResumeTarget> found = find_stopped_run(plan);
    if (!found.ok()) return found.status();
    if (!found->stopped) {  // DIR held the run, finished but for its checkpoint
      out.finished_before = true;
      out.notes.push_back(found->finished);
      return out;
    }
    resume = std::move(found->stopped);
  }
  std::optional<StoreWriter> stored;
  if (plan.store && (comm == nullptr || comm->rank() == 0)) {
    Result<StoreWriter> started =
        resume ? StoreWriter::resume(plan, resume->checkpoint.store_run,
                                     static_cast<std::int64_t>(resume->checkpoint.next_job))
               : StoreWriter::start(plan);
    if (!started.ok()) return started.status();
    stored.emplace(std::move(*started));
  }
  TournamentConfig cfg = stored ? stored->config_with_sink(plan.cfg) : plan.cfg;
  cfg.checkpoint_identity = checkpoint_identity(plan);
  cfg.checkpoint_store_run = stored ? stored->run_id() : 0;
  cfg.resume = resume;
  if (resume) {
    out.notes.push_back(fmt::format("resumed {} at episode {} of {}\n", resume->partial.string(),
                                    resume->checkpoint.next_job, resume->checkpoint.total));
  }
  // The steps after the play outside the output folder: --exploit-dir, --coverage, the store
  // run complete. Without a seed config they are done before the folder is published, while
  // its checkpoint exists, and are redone by --resume (docs/resume.md, "How a run ends").
  std::vector<AppendedRecord> appended;
  bool finishing = false;  // those steps were reached
  const auto finish_outside = [&]() -> Status {
    finishing = true;
    out.finish = finish_tournament(plan, out, appended);
    if (stored) {
      const Status st = stored->finish(plan, out, appended);
      if (out.finish.ok()) out.finish = st;
      if (out.finish.ok()) test_kill_point("store-complete");  // tests only (base/test_kill.h)
    }
    return out.finish;
  };
  if (!plan.seed) {
    cfg.before_publish = [&](const TournamentResult& result) {
      out.result.main = result;
      return finish_outside();
    };
  }
  if (plan.seed) {
    Result<SeedRunResult> r = run_seed_tournament(*plan.seed, cfg, progress);
    if (!r.ok()) return stored ? stored->fail(r.status()) : r.status();
    out.result = std::move(*r);
  } else {
    Result<TournamentResult> r =
        plan.kernel ? Tournament(cfg).run(*plan.kernel, progress) : Tournament(cfg).run(progress);
    if (!r.ok()) {
      // The store must not say complete while the folder is not published.
      if (stored) (void)stored->fail(r.status());
      if (!finishing) return r.status();
      out.finish = r.status();  // the leaderboard and notes are printed, then this error
      return out;
    }
    out.result.main = std::move(*r);
  }
  // Under MPI only rank 0 holds the merged run and writes (docs/distributed.md).
  if (!out.result.main.merged) return out;
  if (plan.seed) (void)finish_outside();
  if (stored && out.finish.ok()) {
    out.store_run = stored->run_id();
    out.notes.push_back(fmt::format("run {} added to {}\n", out.store_run, *plan.store));
  }
  return out;
}

Result<HuntPlan> plan_hunt(const HuntOptions& o, const Kernel* given) {
  auto roster = parse_roster(o.roster);
  if (!roster.ok()) return roster.status();
  HuntConfig cfg;
  cfg.roster = *roster;
  if (o.objective != "any") {
    const auto obj = find_objective(o.objective);
    if (!obj) {
      std::string names = "any";
      for (const ObjectiveInfo& info : all_objectives()) names += fmt::format(", {}", info.name);
      return Status::Invalid(
          fmt::format("--objective '{}': expected one of {}", o.objective, names));
    }
    cfg.objective = obj;
  }
  const auto strategy = find_hunt_strategy(o.strategy);
  if (!strategy) {
    return Status::Invalid(
        fmt::format("--strategy '{}': expected one of evolve, beam, both", o.strategy));
  }
  cfg.strategy = *strategy;
  cfg.beam_width = o.beam_width;
  cfg.beam_branching = o.beam_branching;
  cfg.migrate_every = o.migrate_every;
  cfg.time_limit_seconds = o.time_limit;
  cfg.budget = o.budget;
  cfg.seed = o.seed;
  cfg.threads = o.threads;
  cfg.turns = o.turns;
  // The range is parse_treasury's; the hunt keeps its own conversion to milli-units.
  if (Result<Money> t = treasury_flag(o.treasury); !t.ok()) return t.status();
  cfg.initial_treasury = static_cast<Money>(o.treasury * static_cast<double>(kMoneyScale));
  auto population = find_population_preset(o.population, "--population");
  if (!population.ok()) return population.status();
  cfg.population = *population;
  // The checks of check_hunt_config on what flags set, first, so that an
  // error names the flag as typed; the roster is checked on its own first,
  // as check_hunt_config does.
  if (Status st = check_roster(cfg.roster); !st.ok()) return st;
  if (cfg.roster.count(hunt::kAttackerRole) < 1) {
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
  if (st.ok()) st = check_flag_range("--migrate-every", o.migrate_every, 1, kMaxMigrateEvery);
  if (st.ok() && o.time_limit && !(*o.time_limit > 0 && *o.time_limit <= 1e9)) {
    st = Status::Invalid(
        fmt::format("--time-limit {}: expected 0 < seconds <= 10^9", *o.time_limit));
  }
  if (st.ok() && o.checkpoint_every) {
    st = check_flag_range<std::uint64_t>("--checkpoint-every", *o.checkpoint_every, 1,
                                         kMaxHuntCheckpointEvery);
    cfg.checkpoint_every = *o.checkpoint_every;
  }
  if (st.ok() && o.resume && o.time_limit) {
    st = Status::Invalid(
        "--resume: not with --time-limit (a hunt stopped by time is not reproducible; "
        "docs/resume.md)");
  }
  if (st.ok() && o.resume && !o.out) {
    st = Status::Invalid(
        "--resume: needs --out DIR (the stopped hunt's checkpoint is in DIR.partial-<pid>; "
        "docs/resume.md)");
  }
  if (!st.ok()) return st;
  if (Status c = check_hunt_config(cfg); !c.ok()) return c;
  const std::optional<std::string>& out = o.out;
  if (out && o.writes) {  // --resume: what DIR holds is looked at by execute_hunt
    if (auto checked = files::check_out_dir(*out, o.resume); !checked.ok()) return checked.status();
  }
  if (o.exploit_dir && o.writes) {
    if (Status e = check_exploit_dir(*o.exploit_dir, "--exploit-dir", out); !e.ok()) return e;
  }
  if (o.coverage) {
    std::optional<NamedFolder> exploits;
    if (o.exploit_dir) exploits = NamedFolder{*o.exploit_dir, "--exploit-dir"};
    if (o.writes) {
      if (Status c = check_coverage_path(*o.coverage, out, exploits, o.resume); !c.ok()) return c;
    }
    cfg.coverage = true;
  }
  if (o.store && o.writes) {
    if (Status s = check_store_path(*o.store, out, o.coverage); !s.ok()) return s;
  }
  Result<Kernel> kernel = given != nullptr ? Result<Kernel>(*given) : Kernel::load_file(o.kernel);
  if (!kernel.ok()) return kernel.status();
  if (Status m = check_flag_range("--minimize-budget", o.minimize.budget, 1, kMaxMinimizeBudget);
      !m.ok())
    return m;
  return HuntPlan{std::move(cfg), std::move(*kernel), o};
}

namespace {

// The settings written with a hunt's coverage map.
CoverageSettings hunt_coverage_settings(const HuntPlan& plan, const HuntResult& result) {
  const HuntOptions& o = plan.options;
  const HuntConfig& cfg = plan.cfg;
  CoverageSettings settings{{"command", "hunt"},
                            {"kernel", o.kernel},
                            {"roster", cfg.roster.to_string()},
                            {"objective", o.objective},
                            {"budget", std::to_string(cfg.budget)},
                            {"executions", std::to_string(result.executions)},
                            {"seed", std::to_string(cfg.seed)},
                            {"turns", std::to_string(cfg.turns)},
                            {"treasury", format_money(cfg.initial_treasury)},
                            {"strategy", o.strategy},
                            {"population", cfg.population.preset}};
  if (!result.islands.empty()) {  // across MPI ranks (docs/distributed.md)
    settings.push_back({"ranks", std::to_string(result.islands.size())});
    settings.push_back({"migrate_every", std::to_string(cfg.migrate_every)});
  }
  return settings;
}

// The hunt's own files in its partial folder: exploits/ (the records, from
// EXP-001) and hunt.json.
Status write_hunt_files(const HuntPlan& plan, const files::StagedFolder& staged,
                        HuntOutcome& outcome) {
  const auto left_in = [&](const Status& st) {
    return Status(st.code(), fmt::format("{}; incomplete output left in {}", st.message(),
                                         staged.partial().string()));
  };
  const HuntResult& result = outcome.result;
  if (!result.records.empty()) {
    auto written = append_records((staged.partial() / "exploits").string(), result.records);
    if (!written.ok()) return left_in(written.status());
    for (const AppendedRecord& a : *written) outcome.ids.push_back(a.exploit_id);
  }
  if (Status st = files::write_new_file(staged.partial() / "hunt.json",
                                        hunt_json(plan.cfg, result, outcome.ids));
      !st.ok()) {
    return left_in(st);
  }
  return Status::Ok();
}

// How a hunt ends (docs/resume.md, "How a hunt ends"), as a tournament's: its
// files in the partial folder `folder`; OUT checked still free; the steps
// outside the folder (--exploit-dir, --coverage, the store run complete),
// each of which --resume can redo; the folder published with its checkpoint
// (so that a kill anywhere before leaves it resumable); the checkpoint
// removed. `resumable`: the partial folder holds a checkpoint. A failure
// marks the store run failed; the first one is returned.
Status finish_hunt(const HuntPlan& plan, const std::optional<HuntFolder>& folder,
                   StoreWriter* stored, bool resumable, HuntOutcome& outcome) {
  const HuntOptions& o = plan.options;
  const HuntResult& result = outcome.result;
  const files::StagedFolder* const staged = folder ? &folder->staged : nullptr;
  const auto failed = [&](const Status& st) {
    const Status why =
        resumable ? Status(st.code(), fmt::format("{}; the hunt can be finished: once that is "
                                                  "fixed, run the same command with --resume",
                                                  st.message()))
                  : st;
    return stored != nullptr ? stored->fail(why) : why;
  };
  if (staged != nullptr) {
    if (Status st = write_hunt_files(plan, *staged, outcome); !st.ok()) return failed(st);
    test_kill_point("files-written");  // tests only (base/test_kill.h)
    // Where the folder goes must still be free, or the steps outside it wait.
    if (Result<fs::path> free = files::check_out_dir(staged->out().string()); !free.ok()) {
      return failed(Status::Io(fmt::format(
          "{}: something was created there while the hunt was going; nothing was replaced; the "
          "complete results are in {}",
          staged->out().string(), staged->partial().string())));
    }
  }
  OutsideFiles outside;
  if (!result.records.empty()) outside.exploit_dir = o.exploit_dir;
  if (o.coverage && result.coverage) {
    outside.coverage_path = o.coverage;
    outside.coverage = &*result.coverage;
    outside.coverage_settings = hunt_coverage_settings(plan, result);
  }
  std::vector<AppendedRecord> appended;
  if (Status st =
          write_outside(outside, result.records, outcome.notes, outcome.records_appended, appended);
      !st.ok())
    return failed(st);
  if (stored != nullptr) {
    if (Status st = stored->finish(plan, outcome, appended); !st.ok()) return failed(st);
    test_kill_point("store-complete");
  }
  if (staged != nullptr) {
    if (Status st = staged->publish(); !st.ok()) return failed(st);
    test_kill_point("published");
    // A finished folder holds no checkpoint.
    if (Status st = remove_checkpoint(staged->out()); !st.ok()) {
      return Status(st.code(), fmt::format("{}; the hunt is complete in {}: --resume removes it",
                                           st.message(), staged->out().string()));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<HuntOutcome> execute_hunt(const HuntPlan& plan, const HuntProgressFn& progress,
                                 const MinimizeProgressFn& minimize_progress) {
  // Across ranks, rank 0 alone minimises and writes (docs/distributed.md).
  const Communicator* const comm = plan.cfg.communicator;
  const bool writes = comm == nullptr || comm->rank() == 0;
  const HuntOptions& o = plan.options;
  HuntOutcome outcome;
  // --resume: the stopped hunt, found and locked before anything is written.
  std::shared_ptr<ResumePoint> resume;
  HuntResumeData resumed;
  if (o.resume) {
    Result<ResumeTarget> found = find_stopped_hunt(plan);
    if (!found.ok()) return found.status();
    if (!found->stopped) {  // DIR held the hunt, finished but for its checkpoint
      outcome.finished_before = true;
      outcome.notes.push_back(found->finished);
      return outcome;
    }
    resume = std::move(found->stopped);
    Result<HuntResumeData> read = read_hunt_resume(*resume);
    if (!read.ok()) return read.status();
    resumed = std::move(*read);
  }
  std::optional<StoreWriter> stored;
  if (o.store && writes) {
    Result<StoreWriter> started =
        resume ? StoreWriter::resume(plan, resume->checkpoint.store_run,
                                     resume->checkpoint.next_job == resume->checkpoint.total)
               : StoreWriter::start(plan);
    if (!started.ok()) return started.status();
    stored.emplace(std::move(*started));
  }
  // The partial folder, from the start: it holds the checkpoints.
  std::optional<HuntFolder> folder;
  if (o.out && writes) {
    Result<HuntFolder> opened = open_hunt_folder(*o.out, resume, resumed.corpus.length);
    if (!opened.ok()) return stored ? stored->fail(opened.status()) : opened.status();
    folder.emplace(std::move(*opened));
  }
  HuntConfig cfg = plan.cfg;
  std::optional<std::uint64_t> checkpointed;  // executions of the last checkpoint
  if (folder && (comm == nullptr || comm->size() == 1) && !cfg.time_limit_seconds) {
    cfg.checkpoint =
        hunt_checkpoint_writer(folder->staged.partial(), hunt_identity(plan), cfg.budget,
                               stored ? stored->run_id() : 0, resumed.corpus, &checkpointed);
  }
  if (resume) {
    cfg.resume_from = resumed.state;
    checkpointed = resume->checkpoint.next_job;
    outcome.notes.push_back(fmt::format("resumed {} at execution {} of {}\n",
                                        resume->partial.string(), resume->checkpoint.next_job,
                                        resume->checkpoint.total));
  }
  Result<HuntResult> result = run_hunt(plan.kernel, cfg, progress);
  if (!result.ok()) {
    Status failed = result.status();
    // A hunt stopped before its first checkpoint (refused across ranks, or
    // failing at once) leaves no folder; else the folder holds the last one.
    if (folder && (checkpointed || !discard_hunt_folder(*folder))) {
      const std::string last = checkpointed
                                   ? fmt::format(" (its last checkpoint after {} of {} executions)",
                                                 *checkpointed, cfg.budget)
                                   : std::string();
      failed =
          Status(failed.code(), fmt::format("{}; incomplete output left in {}{}", failed.message(),
                                            folder->staged.partial().string(), last));
    }
    return stored ? stored->fail(failed) : failed;
  }
  outcome.result = std::move(*result);
  if (!writes) return outcome;
  // Minimised after the last checkpoint (deterministic: a hunt resumed in its
  // end minimises again, as no minimised record is kept before publication).
  if (!plan.options.minimize.off && !outcome.result.records.empty()) {
    // Written minimised (fable/minimize.h).
    minimize_records(outcome.result.records, plan.kernel, default_suite(),
                     MinimizeOptions{plan.options.minimize.budget}, plan.cfg.threads,
                     minimize_progress);
  }
  outcome.finish = finish_hunt(plan, folder, stored ? &*stored : nullptr,
                               cfg.checkpoint != nullptr && checkpointed.has_value(), outcome);
  if (stored && outcome.finish.ok()) {
    outcome.store_run = stored->run_id();
    outcome.notes.push_back(
        fmt::format("run {} added to {}\n", outcome.store_run, *plan.options.store));
  }
  return outcome;
}

Result<SweepConfig> plan_sweep(const SweepOptions& o, bool show_progress) {
  if (o.threads) {
    if (Status st = check_flag_range("--threads", *o.threads, 1, kMaxThreads); !st.ok()) return st;
  }
  if (Status st = files::check_regular_file(o.config, "--config"); !st.ok()) return st;
  Result<SweepConfig> sweep = load_sweep_config(o.config);
  if (!sweep.ok()) return sweep.status();
  TournamentConfig& cfg = sweep->base;
  if (o.threads) cfg.threads = *o.threads;
  if (o.seeds) {
    auto seeds = parse_seeds(*o.seeds);
    if (!seeds.ok()) return seeds.status();
    cfg.seeds = *seeds;
  }
  if (!o.episode_files.empty()) {
    auto e = parse_episode_files_option(o.episode_files, "--episode-files");
    if (!e.ok()) return e.status();
    cfg.episode_files = *e;
  }
  if (Status st = apply_minimize(o.minimize, show_progress, cfg); !st.ok()) return st;
  if (Status st = check_episode_count(cfg); !st.ok()) return st;
  if (o.out) {
    if (auto out = files::check_out_dir(*o.out); !out.ok()) return out.status();
    sweep->out_dir = o.out;
  }
  return sweep;
}

std::vector<std::string> record_files(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<VerifySet> open_verify(const std::string& kernel_path, const std::string& dir,
                              const Kernel* given) {
  Result<Kernel> kernel =
      given != nullptr ? Result<Kernel>(*given) : Kernel::load_file(kernel_path);
  if (!kernel.ok()) return kernel.status();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::Invalid(fmt::format("{}: not a folder", dir));
  std::vector<std::string> files = record_files(dir);
  if (files.empty()) return Status::Invalid(fmt::format("{}: no exploit records (*.json)", dir));
  return VerifySet{kernel_path, std::move(*kernel), std::move(files)};
}

Result<VerifyEntry> verify_one(const VerifySet& set, const std::string& file,
                               const DetectorSuite& suite) {
  Result<ExploitRecord> rec = load_record(file);
  if (!rec.ok()) return rec.status();
  const KernelFile claimed{set.kernel_path, set.kernel.name(), set.kernel.version().to_string(),
                           set.kernel.content_hash()};
  if (Status st = check_kernel_claim(rec->reproduction, claimed); !st.ok())
    return Status(st.code(), file + ": " + st.message());
  ReplayResult replay = replay_record(*rec, set.kernel, suite);
  return VerifyEntry{std::move(*rec), std::move(replay)};
}

}  // namespace fable::cli
