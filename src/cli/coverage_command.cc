// `fable-selfplay coverage FILE`: a clause coverage map (docs/coverage-format.md) as a table.
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli_support.h"
#include "commands.h"
#include "fable/coverage.h"

namespace fable::cli {

void register_coverage_command(CLI::App& app, int& exit_code) {
  auto file = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "coverage",
      "Print a clause coverage map (--coverage of tournament, run, hunt) as a table, the least "
      "stressed clauses first");
  cmd->footer(
      "Order: never exercised; exercised but never refused or near a margin; refused only; near a "
      "margin only; both; then by refused + near_margin, then table order "
      "(docs/coverage-format.md).\nExit codes: 0 printed; 2 bad file; 3 I/O failure.");
  cmd->add_option("FILE", *file, "Coverage file (fable-coverage/1)")->required();
  cmd->callback([file, &exit_code] {
    const Result<CoverageReport> r = load_coverage_file(*file);
    if (!r.ok()) {
      exit_code = report(r.status());
      return;
    }
    fmt::print("{}", render_coverage_table(*r));
    exit_code = kExitOk;
  });
}

}  // namespace fable::cli
