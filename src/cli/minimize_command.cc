// `fable-selfplay minimize`: shrink a record to a 1-minimal reproduction and
// write it as a new record (include/fable/minimize.h).
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "base/files.h"
#include "base/hash.h"
#include "cli_support.h"
#include "commands.h"
#include "fable/limits.h"
#include "fable/minimize.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "record_kernel.h"

namespace fable::cli {

namespace {

namespace fs = std::filesystem;

struct MinimizeCommandOptions {
  std::string record;
  std::string kernel;
  std::string kernels_dir = "kernels";
  std::string out;
  int budget = kDefaultMinimizeBudget;
};

int run_minimize(const MinimizeCommandOptions& o) {
  if (Status st = check_flag_range("--budget", o.budget, 1, kMaxMinimizeBudget); !st.ok())
    return report(st);
  // The new record is named by its file, as every record is (<exploit_id>.json).
  const fs::path out(o.out);
  const std::string stem = out.stem().string();
  const std::optional<int> number = exploit_number(stem);
  if (out.extension() != ".json" || !number || *number > limits::kMaxExploitNumber) {
    return report(Status::Invalid(fmt::format(
        "--out {}: a record is stored as <exploit_id>.json, e.g. EXP-013.json", o.out)));
  }
  std::error_code ec;
  if (fs::exists(fs::symlink_status(out, ec))) {
    return report(Status::Invalid(
        fmt::format("--out {}: already exists; records are never overwritten", o.out)));
  }
  const auto rec = load_record(o.record);
  if (!rec.ok()) return report(rec.status());
  // The folder is checked before the work, not after it.
  if (const fs::path dir = out.parent_path(); !dir.empty() && !fs::is_directory(dir, ec)) {
    return report(Status::Invalid(fmt::format("--out {}: no folder {}", o.out, dir.string())));
  }
  const auto kernel = record_kernel(o.record, *rec, o.kernel, o.kernels_dir);
  if (!kernel.ok()) return report(kernel.status());
  auto result = minimize_record(*rec, *kernel, default_suite(), MinimizeOptions{o.budget});
  if (!result.ok()) {
    // A record the engine or kernel can no longer apply is stale, as replay says.
    const ReplayResult replayed = replay_record(*rec, *kernel, default_suite());
    if (replayed.verdict == Verdict::kStale) {
      fmt::print(stderr, "error: {}: stale on {} v{}: {}\n", o.record, kernel->name(),
                 kernel->version().to_string(), replayed.reason);
      return kExitStale;
    }
    return report({result.status().code(), o.record + ": " + result.status().message()});
  }
  result->record.exploit_id = stem;
  // A new record: it claims the kernel it was minimised on, where it reproduces.
  result->record.reproduction.kernel_name = kernel->name();
  result->record.reproduction.kernel_version = kernel->version().to_string();
  result->record.reproduction.kernel_hash = hex64(kernel->content_hash());
  if (Status st = files::write_new_file(out, record_to_json(result->record)); !st.ok())
    return report(st);
  const Reproduction& before = rec->reproduction;
  const Reproduction& after = result->record.reproduction;
  fmt::print("{} {}: steps {} -> {}, perpetrators {} -> {}, n_turns {} -> {}\n", rec->exploit_id,
             rec->name, script_step_count(before), script_step_count(after),
             before.perpetrators.size(), after.perpetrators.size(), before.n_turns, after.n_turns);
  fmt::print(
      "  {} replay(s) of {}; {}\n", result->replays, o.budget,
      result->one_minimal
          ? "1-minimal: removing any step or perpetrator stops the reproduction"
          : "budget spent before 1-minimality: the record reproduces but may shrink further");
  fmt::print("written to {}\n", o.out);
  return kExitOk;
}

}  // namespace

void register_minimize_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<MinimizeCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "minimize",
      "Shrink a record to a 1-minimal reproduction (same fingerprint, legal steps) and write it "
      "as a new record");
  cmd->footer(
      "The new record names the record it came from (minimized_from; docs/record-format.md). "
      "Exit codes: 0 written; 2 bad input (record, kernel, an existing --out, a record that does "
      "not reproduce); 3 I/O failure; 5 internal failure.");
  cmd->add_option("record", o->record, "Exploit record (JSON)")->required();
  cmd->add_option("--kernel", o->kernel,
                  "Kernel to minimise on (default: the discovery kernel, found by name and "
                  "version, checked by hash)");
  cmd->add_option("--kernels-dir", o->kernels_dir, "Where to look for the discovery kernel")
      ->capture_default_str();
  cmd->add_option("--out", o->out,
                  "The new record, <exploit_id>.json (e.g. min/EXP-001.json); must not exist")
      ->required();
  cmd->add_option("--budget", o->budget, "Most replays to spend")->capture_default_str();
  cmd->callback([o, &exit_code] { exit_code = run_minimize(*o); });
}

}  // namespace fable::cli
