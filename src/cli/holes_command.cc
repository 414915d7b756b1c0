// `fable-selfplay holes`: play the six canonical holes on one or more kernels.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "fable/holes.h"
#include "fable/kernel.h"
#include "fable/record.h"

namespace fable::cli {

namespace {

struct HolesOptions {
  std::vector<std::string> kernels{"kernels/kernel-v0.1.yaml", "kernels/kernel-v0.2.yaml"};
  std::uint64_t seed = 0;
  std::string write_records;  // folder for the canonical records, found on the first kernel
};

// Writes exploits/EXP-00N.json for the six holes, discovered on `kernel`.
// A record already there is left alone when identical and refused otherwise:
// records are one-way doors.
int write_records(const Kernel& kernel, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::cerr << "error: " << dir << ": cannot create: " << ec.message() << "\n";
    return kExitIo;
  }
  for (const HoleScenario& hole : canonical_holes()) {
    Result<ExploitRecord> rec = canonical_record(hole, kernel);
    if (!rec.ok()) {
      std::cerr << "error: " << rec.status().message() << "\n";
      return kExitBadInput;
    }
    const std::string text = record_to_json(*rec);
    const std::filesystem::path path = std::filesystem::path(dir) / (rec->exploit_id + ".json");
    if (std::filesystem::exists(path, ec)) {
      std::ifstream in(path);
      std::stringstream old;
      old << in.rdbuf();
      if (old.str() != text) {
        std::cerr << "error: " << path.string()
                  << ": exists with other content; records are never overwritten\n";
        return kExitBadInput;
      }
      fmt::print("unchanged {}\n", path.string());
      continue;
    }
    std::ofstream out(path);
    out << text;
    if (!out) {
      std::cerr << "error: " << path.string() << ": cannot write\n";
      return kExitIo;
    }
    fmt::print("wrote {} ({}, fingerprint {})\n", path.string(), rec->name, rec->fingerprint);
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
  cmd->add_option("--seed", opt->seed, "Episode seed (agent order)")->capture_default_str();
  cmd->add_option(
      "--write-records", opt->write_records,
      "Write the six canonical records, discovered on the first --kernel, to this folder");
  cmd->callback([opt, &exit_code] { exit_code = run_holes(*opt); });
}

}  // namespace fable::cli
