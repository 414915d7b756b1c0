// `fable-selfplay sweep`: a grid of kernels x populations from one config
// (fable/sweep.h, docs/sweep-format.md); prints one line per row.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli_support.h"
#include "commands.h"
#include "distributed_session.h"
#include "fable/sweep.h"
#include "run_plans.h"

namespace fable::cli {

namespace {

int run_sweep_command(const SweepOptions& o) {
  Result<SweepConfig> cfg = plan_sweep(o, true);
  if (!cfg.ok()) return report(cfg.status());
  cfg->base.communicator = distributed_communicator();  // under mpirun (docs/distributed.md)
  SweepProgressFn progress;
  if (::isatty(STDERR_FILENO) != 0) {
    progress = [](std::size_t done, std::size_t total) {
      std::fprintf(stderr, "\rsweep: %zu/%zu cells%s", done, total, done == total ? "\n" : "");
      std::fflush(stderr);
    };
  }
  const Result<SweepResult> result = run_sweep(*cfg, progress);
  if (!result.ok()) return report(result.status());
  if (!result->merged) return kExitOk;  // another rank than 0: rank 0 reports
  fmt::print("sweep: {} {}, {} {}\n", result->cells, result->cells == 1 ? "cell" : "cells",
             result->episodes, result->episodes == 1 ? "episode" : "episodes");
  for (const SweepRow& r : result->rows) {
    fmt::print("  {} {} v{} {:<10} {:<16} capture {:.2f}  score {:6.2f}  records {}\n",
               sweep_cell_name(r.cell, result->cells), r.kernel_name, r.kernel_version,
               r.population, r.matchup.matchup, r.matchup.capture_any.rate,
               r.matchup.mean_governance_score, r.fingerprints.size());
  }
  if (cfg->out_dir) fmt::print("written to {}\n", *cfg->out_dir);
  return kExitOk;
}

}  // namespace

void register_sweep_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<SweepOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Play a grid of kernels x honest populations from one config, a tournament per cell; one "
      "row per cell and matchup (docs/sweep-format.md)");
  cmd->add_option("--config", o->config, "Sweep config (YAML, docs/sweep-format.md)")->required();
  cmd->add_option("--out", o->out,
                  "Folder for sweep.csv, sweep.json, summary.md and cells/; must not exist or be "
                  "empty");
  cmd->add_option("--threads", o->threads, "Worker threads (results do not depend on it)");
  cmd->add_option("--seeds", o->seeds, "Seeds: A..B inclusive or A,B,C (default: the config's)");
  cmd->add_option("--episode-files", o->episode_files,
                  "Episode summaries in each cell's folder: all, findings or none (default: the "
                  "config's, else all)");
  add_minimize_flags(cmd, o->minimize.off, o->minimize.budget);
  cmd->footer("Exit codes: 0 success; 2 bad input; 3 I/O failure; 5 internal failure.");
  cmd->callback([o, &exit_code] { exit_code = run_sweep_command(*o); });
}

}  // namespace fable::cli
