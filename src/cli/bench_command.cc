// `fable-selfplay bench`: time the fixed throughput cases, one JSON line each.
//
// A thin shell over tournament/throughput.h: parse and check the flags, pick the
// cases, load the kernel once, then play each case in its own forked child
// (so that its peak RSS is its own) and print its JSON line on stdout and a
// progress line on stderr. Cases and keys are described in
// docs/bench-format.md. No thread is started in this process: the children
// start the tournament's threads.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli_support.h"
#include "commands.h"
#include "fable/kernel.h"
#include "tournament/throughput.h"

namespace fable::cli {

namespace {

struct BenchOptions {
  std::string kernel = "kernels/kernel-v0.1.yaml";
  std::string only;
  bool list = false;
  bool quick = false;
  std::optional<int> threads;
};

std::string names_of(const std::vector<ThroughputCase>& cases) {
  std::string s;
  for (const ThroughputCase& c : cases) s += (s.empty() ? "" : ", ") + c.name;
  return s;
}

// The cases named in `only` (comma-separated), in the canonical order, or
// every case of the default set when `only` is empty.
Result<std::vector<ThroughputCase>> select_cases(const std::vector<ThroughputCase>& cases,
                                                 std::string_view only) {
  std::vector<bool> wanted(cases.size(), false);
  if (only.empty()) {
    for (std::size_t i = 0; i < cases.size(); ++i) wanted[i] = cases[i].in_default_set;
  }
  for (const std::string_view name :
       only.empty() ? std::vector<std::string_view>{} : split_commas(only)) {
    std::size_t i = 0;
    while (i < cases.size() && cases[i].name != name) ++i;
    if (i == cases.size()) {
      return Status::Invalid(
          fmt::format("--only: unknown case '{}' (valid: {})", name, names_of(cases)));
    }
    wanted[i] = true;
  }
  std::vector<ThroughputCase> selected;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (wanted[i]) selected.push_back(cases[i]);
  }
  return selected;
}

int run_bench(const BenchOptions& o) {
  int all_cores = static_cast<int>(std::thread::hardware_concurrency());
  if (all_cores < 1) all_cores = 1;
  if (o.threads) {
    if (*o.threads < 1 || *o.threads > 256) {
      return report(Status::Invalid(fmt::format("--threads {}: must be 1..256", *o.threads)));
    }
    all_cores = *o.threads;
  }
  const std::vector<ThroughputCase> cases = throughput_cases({all_cores, o.quick});
  if (o.list) {
    for (const ThroughputCase& c : cases) {
      fmt::print("{:<16} {}{}\n", c.name, c.description,
                 c.in_default_set ? "" : " [only with --only]");
    }
    return kExitOk;
  }
  const Result<std::vector<ThroughputCase>> selected = select_cases(cases, o.only);
  if (!selected.ok()) return report(selected.status());
  const Result<Kernel> kernel = Kernel::load_file(o.kernel);
  if (!kernel.ok()) return report(kernel.status());

  for (const ThroughputCase& c : *selected) {
    fmt::print(std::cerr, "bench: {}{} ... ", c.name, o.quick ? " (quick)" : "");
    std::cerr.flush();
    const Result<ThroughputFigures> f = measure_case_isolated(*kernel, c);
    if (!f.ok()) {
      fmt::print(std::cerr, "failed\n");
      return report(f.status());
    }
    const std::string line = throughput_json_line(c, *kernel, *f, o.quick) + "\n";
    if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size() ||
        std::fflush(stdout) != 0) {
      return report(Status::Io("cannot write to standard output"));
    }
    fmt::print(std::cerr, "{:.2f} s, {:.0f} episodes/s, peak RSS {:.1f} MB\n", f->seconds,
               f->seconds > 0 ? static_cast<double>(f->episodes) / f->seconds : 0.0,
               f->peak_rss_mb);
  }
  return kExitOk;
}

}  // namespace

void register_bench_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<BenchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "bench", "Time the throughput cases (one JSON line each on stdout; docs/bench-format.md)");
  cmd->add_option("--kernel", o->kernel, "Kernel document")->capture_default_str();
  cmd->add_option("--only", o->only,
                  "Comma-separated case names (see --list); default: every case but million");
  cmd->add_flag("--list", o->list, "Print the case names and what each plays, then exit");
  cmd->add_flag("--quick", o->quick,
                "About 20x fewer episodes per case (at least 2), for smoke tests");
  cmd->add_option("--threads", o->threads, "Threads of the all-core cases (default: every core)");
  cmd->callback([o, &exit_code] { exit_code = run_bench(*o); });
}

}  // namespace fable::cli
