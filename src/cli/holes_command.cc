// `fable-selfplay holes`: play the six canonical holes on one or more kernels.
#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli_support.h"
#include "commands.h"
#include "fable/holes.h"
#include "fable/kernel.h"
#include "fable/record.h"
#include "fable/record_store.h"

namespace fable::cli {

namespace {

struct HolesOptions {
  std::vector<std::string> kernels{"kernels/kernel-v0.1.yaml", "kernels/kernel-v0.2.yaml"};
  std::uint64_t seed = 0;
  std::string write_records;  // folder for the canonical records, found on the first kernel
};

// Writes exploits/EXP-00N.json for the six holes, discovered on `kernel`,
// through the library's one record writer (fable/record_store.h): each keeps
// its canonical id; a hole whose fingerprint is already in the folder is left
// alone; an id taken by another fingerprint is refused; nothing is overwritten.
int write_records(const Kernel& kernel, const std::string& dir) {
  std::vector<ExploitRecord> records;
  for (const HoleScenario& hole : canonical_holes()) {
    Result<ExploitRecord> rec = canonical_record(hole, kernel);
    if (!rec.ok()) return report(rec.status());
    records.push_back(std::move(*rec));
  }
  AppendOptions keep_ids;
  keep_ids.ids = RecordIds::kAsGiven;
  const auto appended = append_records(dir, records, keep_ids);
  if (!appended.ok()) return report(appended.status());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const AppendedRecord& a = (*appended)[i];
    if (a.written) {
      fmt::print("wrote {} ({}, fingerprint {})\n", a.path, records[i].name,
                 records[i].fingerprint);
    } else {
      fmt::print("unchanged {} (fingerprint {} already recorded)\n", a.path,
                 records[i].fingerprint);
    }
  }
  return kExitOk;
}

int run_holes(const HolesOptions& opt) {
  for (const std::string& path : opt.kernels) {
    Result<Kernel> kernel = Kernel::load_file(path);
    if (!kernel.ok()) {
      std::cerr << kernel.status().message() << "\n";
      return kExitBadInput;
    }
    if (!opt.write_records.empty()) return write_records(*kernel, opt.write_records);
    fmt::print("kernel {} v{} ({})\n", kernel->name(), kernel->version().to_string(), path);
    for (const HoleScenario& hole : canonical_holes()) {
      const HoleOutcome out = play_hole(hole, *kernel, opt.seed);
      fmt::print("  {} {:<21} {:<10} {}\n", out.id, out.name,
                 out.succeeded ? "reproduces" : "blocked", out.measure);
      for (const HoleStop& stop : out.stops) {
        fmt::print("      stopped at turn {} by {} (article {}): {}\n", stop.turn, stop.clause,
                   stop.article, stop.what);
      }
    }
  }
  return kExitOk;
}

}  // namespace

void register_holes_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<HolesOptions>();
  CLI::App* cmd = app.add_subcommand(
      "holes", "Play the six canonical holes of SPEC §7 on each kernel and say which reproduce");
  cmd->add_option("--kernel", opt->kernels, "Kernel document(s) to play on")
      ->check(CLI::ExistingFile)
      ->capture_default_str();
  cmd->add_option("--seed", opt->seed, "Episode seed (agent order)")
      ->capture_default_str()
      ->check(non_negative());
  cmd->add_option(
      "--write-records", opt->write_records,
      "Write the six canonical records, discovered on the first --kernel, to this folder");
  cmd->callback([opt, &exit_code] { exit_code = run_holes(*opt); });
}

}  // namespace fable::cli
