// `fable-selfplay tournament` and `fable-selfplay run`: their flags, and the
// printing around run_plans.h, which checks them and plays.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli_limits.h"
#include "cli_support.h"
#include "commands.h"
#include "distributed_session.h"
#include "fable/record.h"
#include "fable/tournament.h"
#include "progress_line.h"
#include "run_plans.h"

namespace fable::cli {

namespace {

// The episodes' progress line on stderr (progress_line.h), or none when quiet.
ProgressFn episode_line(const std::shared_ptr<ProgressLine>& line) {
  if (!line) return {};
  return [line](const TournamentProgress& p) {
    line->update(p.done, p.total, findings_text(p.findings, p.distinct), p.resumed_at);
  };
}

// --resume and --checkpoint-every (docs/resume.md), of tournament and run.
void add_resume_flags(CLI::App* cmd, bool& resume, std::optional<std::uint64_t>& checkpoint_every) {
  cmd->add_flag("--resume", resume,
                "Go on with the stopped run of the same command next to --out (killed or "
                "failed: docs/resume.md); give every other flag as before");
  cmd->add_option("--checkpoint-every", checkpoint_every,
                  "Episodes between checkpoints of a run with --out (default 1024)")
      ->check(non_negative(fmt::format("1..{}", kMaxCheckpointEvery)));
}

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

// Plays a checked tournament or run and prints what it did; exit 1 when a
// seed config's expected exploit is missing.
int play(Result<TournamentPlan> plan, bool quiet) {
  if (!plan.ok()) return report(plan.status());
  plan->cfg.communicator = distributed_communicator();  // under mpirun (docs/distributed.md)
  const std::shared_ptr<ProgressLine> line =
      ProgressLine::for_stderr(plan->command, "episodes", quiet);
  const Result<TournamentOutcome> outcome = execute_tournament(*plan, episode_line(line));
  if (line) line->finish();  // an error ends the run early: its message starts a line
  if (!outcome.ok()) return report(outcome.status());
  if (outcome->finished_before) {  // --resume found the run finished (docs/resume.md)
    for (const std::string& note : outcome->notes) fmt::print("{}", note);
    return kExitOk;
  }
  if (!outcome->result.main.merged) return kExitOk;  // another rank than 0: rank 0 reports
  print_leaderboard(outcome->result.main);
  if (outcome->result.verification) print_leaderboard(*outcome->result.verification);
  for (const std::string& note : outcome->notes) fmt::print("{}", note);
  if (!outcome->finish.ok()) return report(outcome->finish);
  if (plan->seed && !outcome->result.all_expected_found()) {
    for (const ExpectedCheck& e : outcome->result.expected) {
      if (!e.found()) fmt::print(stderr, "expected exploit missing: {}\n", e.expected);
    }
    return kExitFinding;
  }
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
  add_minimize_flags(cmd, o->minimize.off, o->minimize.budget);
  cmd->add_option("--coverage", o->coverage,
                  "Write the clause coverage map to this new file (docs/coverage-format.md)");
  cmd->add_option("--store", o->store,
                  "Add the run, its episodes and records to this SQLite store (created if "
                  "missing; docs/store-format.md)");
  add_resume_flags(cmd, o->resume, o->checkpoint_every);
  auto quiet = std::make_shared<bool>(false);
  add_quiet_flag(cmd, *quiet);
  cmd->callback([o, quiet, &exit_code] { exit_code = play(plan_tournament(*o, !*quiet), *quiet); });
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
  add_minimize_flags(cmd, o->minimize.off, o->minimize.budget);
  cmd->add_option("--coverage", o->coverage,
                  "Write the clause coverage map to this new file (docs/coverage-format.md)");
  cmd->add_option("--store", o->store,
                  "Add the run, its episodes and records to this SQLite store (created if "
                  "missing; docs/store-format.md)");
  add_resume_flags(cmd, o->resume, o->checkpoint_every);
  auto quiet = std::make_shared<bool>(false);
  add_quiet_flag(cmd, *quiet);
  cmd->callback([o, quiet, &exit_code] { exit_code = play(plan_run(*o, !*quiet), *quiet); });
}

}  // namespace fable::cli
