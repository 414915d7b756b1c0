// The subcommands of fable-selfplay, each registered on the root CLI11 app.
//
// Each `register_*` adds one subcommand whose callback stores its exit code in
// `exit_code`. Exit codes are the same everywhere (see `--help`):
// 0 success, 1 the run completed and found what the command checks for
// (e.g. a record reproduces), 2 bad input (flags, kernel, record), 3 an I/O
// failure, 4 a record is stale (cannot be applied for a reason other than the
// kernel's rules), 5 an internal failure (out of memory, or a bug). Errors go
// to stderr as one line each (cli_support.h).
#pragma once

#include <CLI/CLI.hpp>

namespace fable::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFinding = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitIo = 3;
inline constexpr int kExitStale = 4;
inline constexpr int kExitInternal = 5;  // out of memory, or a bug: one error line, never an abort

void register_kernel_command(CLI::App& app, int& exit_code);
void register_holes_command(CLI::App& app, int& exit_code);
void register_tournament_command(CLI::App& app, int& exit_code);
void register_run_command(CLI::App& app, int& exit_code);
void register_replay_command(CLI::App& app, int& exit_code);
void register_verify_command(CLI::App& app, int& exit_code);
void register_generate_tests_command(CLI::App& app, int& exit_code);
void register_bench_command(CLI::App& app, int& exit_code);
void register_list_command(CLI::App& app, int& exit_code);
void register_hunt_command(CLI::App& app, int& exit_code);
void register_minimize_command(CLI::App& app, int& exit_code);
void register_explain_command(CLI::App& app, int& exit_code);
void register_coverage_command(CLI::App& app, int& exit_code);
void register_sweep_command(CLI::App& app, int& exit_code);
void register_report_command(CLI::App& app, int& exit_code);
void register_runs_command(CLI::App& app, int& exit_code);     // store_command.cc
void register_records_command(CLI::App& app, int& exit_code);  // store_command.cc

}  // namespace fable::cli
