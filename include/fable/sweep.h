// Sweeps: one config, a grid of kernels x honest populations, every cell a
// tournament (docs/sweep-format.md).
//
// A sweep config is a tournament config (docs/tournament-format.md) whose
// `kernel` and `population` keys are replaced by lists, `kernels` and
// `populations`. Each (kernel, population) pair is a cell; every cell plays
// the config's matchups x seeds as a tournament of its own (its artifacts in
// DIR/cells/cell-NN/), and the sweep writes one row per cell and matchup:
// DIR/sweep.csv, DIR/sweep.json (schema fable-sweep/1) and DIR/summary.md.
// Cells are played in order (kernels outer, populations inner), each on the
// config's threads (and, under MPI, on every rank: docs/distributed.md), so
// the output is byte-identical for any thread or rank count. Cell folders are
// numbered from 01, zero-padded to the width of the cell count.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fable/population.h"
#include "fable/status.h"
#include "fable/tournament.h"

namespace fable {

inline constexpr std::string_view kSweepSchema = "fable-sweep/1";
inline constexpr std::size_t kMaxSweepKernels = 64;
inline constexpr std::size_t kMaxSweepPopulations = 16;

struct SweepConfig {
  // Every cell's tournament settings (seeds, turns, treasury, matchups,
  // threads, minimisation...); its kernel_path, population and out_dir are
  // set per cell.
  TournamentConfig base;
  std::vector<std::string> kernels;          // kernel documents, 1..kMaxSweepKernels
  std::vector<PopulationModel> populations;  // 1..kMaxSweepPopulations, distinct presets
  std::optional<std::string> out_dir;        // DIR; nothing is written without it
};

// Reads a sweep config (docs/sweep-format.md). Errors: Status::Invalid
// naming "FILE:LINE: KEY: what" (an unknown key, `kernel` or `population`
// written instead of the lists, an empty or over-long list, a population
// preset given twice) or the settings check (check_tournament_settings);
// Status::NotFound / Io for a missing or unreadable file. Kernels are not
// loaded here (run_sweep loads each before anything is played).
Result<SweepConfig> load_sweep_config(const std::string& path);

// One row: a matchup of one cell.
struct SweepRow {
  std::size_t cell = 0;  // 0-based: cell-NN is cell + 1 (sweep_cell_name)
  std::string kernel_path;
  std::string kernel_name;
  std::string kernel_version;
  std::string kernel_hash;
  std::string population;  // the preset name, or "custom"
  LeaderboardRow matchup;  // the cell tournament's row for this matchup
  // Fingerprints of the cell's records whose first instance was in this
  // matchup, sorted.
  std::vector<std::string> fingerprints;
};

struct SweepResult {
  std::uint64_t episodes = 0;  // over every cell
  std::size_t cells = 0;
  std::vector<SweepRow> rows;  // cell order, then the leaderboard's matchup order
  // False on MPI ranks other than 0, which hold no rows (docs/distributed.md).
  bool merged = true;
};

// Called after each cell: (cells done, cells).
using SweepProgressFn = std::function<void(std::size_t, std::size_t)>;

// Loads every kernel (an error names it: "kernels[2]: FILE: ..."), then plays
// the cells in order; with base.communicator (MPI), every cell across the
// ranks, rank 0 alone writing and holding the rows. With out_dir, DIR must not exist or be empty
// (checked first); each cell's tournament writes DIR/cells/cell-NN/ (episode files as
// base.episode_files), then sweep.json, sweep.csv and summary.md are written.
// Errors: those of Tournament::run, naming the cell.
// `episode_progress` is handed to every cell's Tournament::run (its episodes
// done and total, on the calling thread; fable/tournament.h).
Result<SweepResult> run_sweep(const SweepConfig& config, const SweepProgressFn& progress = {},
                              const ProgressFn& episode_progress = {});

// "cell-07" for cell 6 (0-based) of `cells`: at least two digits, as many
// as `cells` has, so that the names sort in grid order.
std::string sweep_cell_name(std::size_t cell, std::size_t cells);

// sweep.csv: a header line, then one line per row: cell, kernel, version,
// hash, population, matchup, episodes, capture rate and 95% Wilson bounds
// (any objective), the capture rate of each objective, mean governance score,
// mean and lowest worst-off welfare, mean treasury retention, mean
// participation, findings, records; fixed decimals (6), '\n' line ends.
std::string sweep_csv(const SweepResult& result);
// sweep.json (fable-sweep/1): the settings and every row, keys in a fixed
// order, two-space indent, a final newline.
std::string sweep_json(const SweepConfig& config, const SweepResult& result);
// summary.md: one table, a line per row.
std::string render_sweep_summary(const SweepResult& result);

}  // namespace fable
