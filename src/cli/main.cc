// fable-selfplay: the command-line shell over the library.
#include <CLI/CLI.hpp>

#include <csignal>
#include <exception>
#include <iostream>
#include <new>

#include "cli_support.h"
#include "commands.h"
#include "distributed_session.h"

int main(int argc, char** argv) {
  // Under a file-size limit (ulimit -f) a write past it then fails with EFBIG,
  // reported as one error line and exit 3, instead of killing the process.
  std::signal(SIGXFSZ, SIG_IGN);
  // Under mpirun (FABLE_MPI builds): MPI is initialised here and finalized
  // when `session` goes (docs/distributed.md).
  fable::cli::DistributedSession session(argc, argv);
  CLI::App app{"fable-selfplay " FABLE_VERSION
               ": red-team a constitution.\n"
               "Exit codes: 0 success; 1 the command found what it checks for (e.g. a record that\n"
               "reproduces); 2 bad input (flags, kernel, record); 3 an I/O failure; 4 a record is\n"
               "stale (its script cannot be applied for a reason other than the kernel's rules);\n"
               "5 an internal failure (out of memory, or a bug to report)."};
  app.require_subcommand(1);
  // One `error:` line per refusal, as for every other bad input (README "Exit codes").
  app.failure_message([](const CLI::App* root, const CLI::Error& e) {
    return fable::cli::parse_error_line(*root, e);
  });
  app.set_version_flag("--version", "fable-selfplay " FABLE_VERSION);
  int exit_code = fable::cli::kExitOk;
  fable::cli::register_kernel_command(app, exit_code);
  fable::cli::register_holes_command(app, exit_code);
  fable::cli::register_tournament_command(app, exit_code);
  fable::cli::register_run_command(app, exit_code);
  fable::cli::register_replay_command(app, exit_code);
  fable::cli::register_verify_command(app, exit_code);
  fable::cli::register_generate_tests_command(app, exit_code);
  fable::cli::register_bench_command(app, exit_code);
  fable::cli::register_list_command(app, exit_code);
  fable::cli::register_hunt_command(app, exit_code);
  fable::cli::register_minimize_command(app, exit_code);
  fable::cli::register_explain_command(app, exit_code);
  fable::cli::register_coverage_command(app, exit_code);
  fable::cli::register_sweep_command(app, exit_code);
  fable::cli::register_report_command(app, exit_code);
  fable::cli::register_runs_command(app, exit_code);
  fable::cli::register_records_command(app, exit_code);
  fable::cli::check_number_flags(app);
  if (const int refused = session.refuse_other_commands(argc, argv); refused != 0)
    return session.finish(refused, false);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return session.finish(app.exit(e), false);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return session.finish(fable::cli::kExitBadInput, false);
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory\n";
    return session.finish(fable::cli::kExitInternal, true);
  } catch (const std::exception& e) {
    std::cerr << "error: internal failure: " << e.what() << "\n";
    return session.finish(fable::cli::kExitInternal, true);
  }
  return session.finish(exit_code, false);
}
