// `fable-selfplay hunt`: the search-based red team (include/fable/hunt.h).
//
// Reads the flags; run_plans.h checks them, runs the hunt (with a progress
// line on stderr here) and writes DIR/hunt.json and DIR/exploits/EXP-NNN.json,
// staged in DIR.partial-<pid> (with the hunt's checkpoints: --resume,
// --checkpoint-every, hunt_checkpoint.h) and moved into place whole
// (base/files.h) after the records are appended to --exploit-dir when given;
// this file then prints, per objective, the best value reached and whether it was
// captured.
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "cli_support.h"
#include "commands.h"
#include "distributed_session.h"
#include "fable/hunt.h"
#include "fable/objectives.h"
#include "fable/record.h"
#include "progress_line.h"
#include "run_plans.h"

namespace fable::cli {

namespace {

// The executions' progress line on stderr (progress_line.h), or none when
// quiet: distinct findings, corpus and the best value of each objective.
HuntProgressFn execution_line(const std::shared_ptr<ProgressLine>& line) {
  if (!line) return {};
  return [line](const HuntProgress& p) {
    std::string extra = fmt::format("distinct findings {}  corpus {}  best",
                                    group_thousands(p.findings), group_thousands(p.corpus_size));
    for (const ObjectiveInfo& info : all_objectives()) {
      extra += fmt::format(" {}={:.2f}", info.name, p.best[static_cast<int>(info.id)]);
    }
    line->update(p.executions, p.budget, std::move(extra), p.resumed_at);
  };
}

int run_hunt_command(const HuntOptions& o, bool quiet) {
  // Islands under mpirun (docs/distributed.md): rank 0 alone writes.
  Communicator* const comm = distributed_communicator();
  HuntOptions mine = o;
  mine.writes = comm == nullptr || comm->rank() == 0;
  Result<HuntPlan> plan = plan_hunt(mine);
  if (!plan.ok()) return report(plan.status());
  plan->cfg.communicator = comm;
  const std::shared_ptr<ProgressLine> line = ProgressLine::for_stderr("hunt", "executions", quiet);
  MinimizeProgressFn minimize_progress;
  if (!quiet) {  // a hunt stopped by --time-limit ends its line before the minimiser's
    minimize_progress = [line, next = minimize_line(o.minimize.budget)](
                            std::size_t done, std::size_t total, std::uint64_t replays) {
      line->finish();
      next(done, total, replays);
    };
  }
  const Result<HuntOutcome> outcome = execute_hunt(*plan, execution_line(line), minimize_progress);
  // The line ends itself at the budget; the time limit or an error may end
  // the hunt first.
  if (line) line->finish();
  if (!outcome.ok()) return report(outcome.status());
  for (const std::string& note : outcome->notes) fmt::print("{}", note);
  if (outcome->finished_before) return kExitOk;  // --resume found it finished (docs/resume.md)
  if (!outcome->finish.ok()) return report(outcome->finish);

  const HuntResult& result = outcome->result;
  const std::vector<std::string>& ids = outcome->ids;
  fmt::print("hunt on {} {} ({}), {} executions, corpus {}, {} features\n", result.kernel_name,
             result.kernel_version, result.kernel_hash, result.executions, result.corpus_size,
             result.features);
  if (!result.islands.empty()) {
    fmt::print("{} islands (one per MPI rank); exchanges: {} (every {} generation(s))\n",
               result.islands.size(), result.exchanges, plan->cfg.migrate_every);
  }
  if (result.stopped_by_time) {
    fmt::print("stopped by --time-limit after {} of {} executions: not reproducible\n",
               result.executions, plan->cfg.budget);
  }
  fmt::print("{:<10} {:>8} {:>9} {:>10}\n", "objective", "best", "captured", "execution");
  for (const ObjectiveBest& b : result.best) {
    fmt::print("{:<10} {:>8.3f} {:>9} {:>10}\n", objective_info(b.objective).name, b.value,
               b.captured ? "yes" : "no", b.execution);
  }
  fmt::print("{} record(s):\n", result.records.size());
  for (std::size_t i = 0; i < result.records.size(); ++i) {
    const ExploitRecord& r = result.records[i];
    fmt::print("  {} {} ({}/sev{}): {}\n", i < ids.size() ? ids[i] : "-", r.name,
               category_name(r.category), r.severity, r.summary);
  }
  fmt::print("written to {}\n", *o.out);
  return kExitOk;
}

}  // namespace

void register_hunt_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<HuntOptions>();
  auto quiet = std::make_shared<bool>(false);
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
  cmd->add_option("--migrate-every", o->migrate_every,
                  "Under mpirun: generations between two exchanges of the islands' best scripts "
                  "(docs/distributed.md)")
      ->capture_default_str();
  cmd->add_option("--store", o->store,
                  "Add the hunt and its records to this SQLite store (created if missing; "
                  "docs/store-format.md)");
  cmd->add_flag("--resume", o->resume,
                "Go on with the stopped hunt of the same command next to --out (killed or "
                "failed: docs/resume.md); give every other flag as before");
  cmd->add_option("--checkpoint-every", o->checkpoint_every,
                  "Generations (evolution batches or beam passes) between checkpoints "
                  "(default 8; docs/resume.md)")
      ->check(non_negative(fmt::format("1..{}", kMaxHuntCheckpointEvery)));
  add_quiet_flag(cmd, *quiet);
  add_minimize_flags(cmd, o->minimize.off, o->minimize.budget);
  cmd->callback([o, quiet, &exit_code] { exit_code = run_hunt_command(*o, *quiet); });
}

}  // namespace fable::cli
