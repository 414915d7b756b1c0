// `fable-selfplay holes`: play the six canonical holes on one or more kernels.
#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "fable/holes.h"
#include "fable/kernel.h"

namespace fable::cli {

namespace {

struct HolesOptions {
  std::vector<std::string> kernels{"kernels/kernel-v0.1.yaml", "kernels/kernel-v0.2.yaml"};
  std::uint64_t seed = 0;
};

int run_holes(const HolesOptions& opt) {
  for (const std::string& path : opt.kernels) {
    Result<Kernel> kernel = Kernel::load_file(path);
    if (!kernel.ok()) {
      std::cerr << kernel.status().message() << "\n";
      return kExitBadInput;
    }
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
  cmd->add_option("--seed", opt->seed, "Episode seed (agent order)")->capture_default_str();
  cmd->callback([opt, &exit_code] { exit_code = run_holes(*opt); });
}

}  // namespace fable::cli
