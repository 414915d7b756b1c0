// `fable-selfplay sweep`: a grid of kernels x populations from one config
// (fable/sweep.h, docs/sweep-format.md); prints one line per row.
#include <cstdint>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli_support.h"
#include "commands.h"
#include "distributed_session.h"
#include "fable/sweep.h"
#include "fable/tournament.h"
#include "progress_line.h"
#include "run_plans.h"

namespace fable::cli {

namespace {

// The sweep's progress line: episodes over every cell, and the findings of
// the cells so far (distinct fingerprints counted per cell: the records the
// cells write).
struct SweepLine {
  std::shared_ptr<ProgressLine> line;
  std::uint64_t per_cell = 0;  // episodes of one cell
  std::size_t cells = 0;
  std::size_t cells_done = 0;
  std::uint64_t findings_before = 0, distinct_before = 0;  // of the cells done
  TournamentProgress current;                              // of the cell being played

  void episode(const TournamentProgress& p) {
    current = p;
    line->update(
        cells_done * per_cell + p.done, cells * per_cell,
        fmt::format("cell {}/{}  {}", cells_done + 1, cells,
                    findings_text(findings_before + p.findings, distinct_before + p.distinct)));
  }
  void cell(std::size_t done) {
    cells_done = done;
    findings_before += current.findings;
    distinct_before += current.distinct;
    current = TournamentProgress{};
  }
};

int run_sweep_command(const SweepOptions& o, bool quiet) {
  Result<SweepConfig> cfg = plan_sweep(o, !quiet);
  if (!cfg.ok()) return report(cfg.status());
  cfg->base.communicator = distributed_communicator();  // under mpirun (docs/distributed.md)
  SweepProgressFn cell_progress;
  ProgressFn episode_progress;
  std::shared_ptr<ProgressLine> line = ProgressLine::for_stderr("sweep", "episodes", quiet);
  if (line) {
    auto state = std::make_shared<SweepLine>();
    state->line = line;
    state->per_cell = cfg->base.matchups.size() * cfg->base.seeds.size();
    state->cells = cfg->kernels.size() * cfg->populations.size();
    cell_progress = [state](std::size_t done, std::size_t) { state->cell(done); };
    episode_progress = [state](const TournamentProgress& p) { state->episode(p); };
  }
  const Result<SweepResult> result = run_sweep(*cfg, cell_progress, episode_progress);
  if (line) line->finish();
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
  auto quiet = std::make_shared<bool>(false);
  add_quiet_flag(cmd, *quiet);
  cmd->callback([o, quiet, &exit_code] { exit_code = run_sweep_command(*o, *quiet); });
}

}  // namespace fable::cli
