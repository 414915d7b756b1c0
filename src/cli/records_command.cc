// `fable-selfplay replay`, `verify` and `generate-tests`: records against kernels.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "base/files.h"
#include "base/hash.h"
#include "cli_support.h"
#include "commands.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "fable/run_store.h"
#include "record_kernel.h"
#include "records/regression_source.h"
#include "run_plans.h"

namespace fable::cli {

namespace {

namespace fs = std::filesystem;

struct ReplayOptions {
  std::string record;
  std::string kernel;
  std::string kernels_dir = "kernels";
};

int run_replay(const ReplayOptions& o) {
  const auto rec = load_record(o.record);
  if (!rec.ok()) return report(rec.status());
  const auto kernel = record_kernel(o.record, *rec, o.kernel, o.kernels_dir);
  if (!kernel.ok()) return report(kernel.status());
  const ReplayResult r = replay_record(*rec, *kernel, default_suite());
  fmt::print("{} {} on {} v{}: {}\n", rec->exploit_id, rec->name, kernel->name(),
             kernel->version().to_string(), verdict_name(r.verdict));
  fmt::print("  {}\n", r.reason);
  for (const std::string& stop : r.stops) fmt::print("  - {}\n", stop);
  return verdict_exit(r.verdict);
}

struct VerifyOptions {
  std::string kernel;
  std::string dir = "exploits";
  std::optional<std::string> store;  // mark the blocked records patched here
};

int run_verify(const VerifyOptions& o) {
  const Result<VerifySet> set = open_verify(o.kernel, o.dir);
  if (!set.ok()) return report(set.status());
  std::optional<RunStore> store;
  if (o.store) {  // opened (never created) before any replay
    Result<RunStore> opened = RunStore::open(*o.store, "--store", false);
    if (!opened.ok()) return report(opened.status());
    store.emplace(std::move(*opened));
  }
  std::vector<std::string> blocked;
  const DetectorSuite suite = default_suite();
  int reproduces = 0, stale = 0;
  fmt::print("verify {} v{} against {} record(s) in {}\n", set->kernel.name(),
             set->kernel.version().to_string(), set->files.size(), o.dir);
  fmt::print("{:<9} {:<26} {:<11} {}\n", "id", "name", "verdict", "what stopped it / why");
  for (const std::string& f : set->files) {
    const Result<VerifyEntry> e = verify_one(*set, f, suite);
    if (!e.ok()) return report(e.status());
    const ReplayResult& r = e->replay;
    reproduces += r.verdict == Verdict::kReproduces;
    stale += r.verdict == Verdict::kStale;
    if (r.verdict == Verdict::kBlocked) blocked.push_back(e->record.fingerprint);
    fmt::print("{:<9} {:<26} {:<11} {}\n", e->record.exploit_id, e->record.name,
               verdict_name(r.verdict), r.reason);
  }
  fmt::print("{} reproduce, {} stale, {} blocked\n", reproduces, stale,
             static_cast<int>(set->files.size()) - reproduces - stale);
  if (store) {
    const Result<std::int64_t> marked =
        store->mark_patched(blocked, set->kernel.name(), set->kernel.version().to_string(),
                            hex64(set->kernel.content_hash()));
    if (!marked.ok()) return report(marked.status());
    fmt::print("{} record(s) marked patched in {}\n", *marked, *o.store);
  }
  if (reproduces > 0) return kExitFinding;
  return stale > 0 ? kExitStale : kExitOk;
}

struct GenerateOptions {
  std::string exploits = "exploits";
  std::string kernels = "kernels";
  std::string out = "tests/regressions";
};

int run_generate(const GenerateOptions& o) {
  const std::vector<std::string> files = record_files(o.exploits);
  if (files.empty())
    return report(Status::Invalid(fmt::format("{}: no exploit records (*.json)", o.exploits)));
  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec) return report(Status::Io(fmt::format("{}: cannot create: {}", o.out, ec.message())));
  int written = 0, unchanged = 0;
  for (const std::string& f : files) {
    const auto rec = load_record(f);
    if (!rec.ok()) return report(rec.status());
    const auto kernel = find_discovery_kernel(o.kernels, rec->reproduction);
    if (!kernel.ok()) return report({kernel.status().code(), f + ": " + kernel.status().message()});
    // Record data enters the C++ text only as checked ids, escaped literals and
    // escaped comments (records/regression_source.h).
    const auto source = regression_test_source(*rec, fs::path(f).generic_string(),
                                               fs::path(*kernel).generic_string());
    if (!source.ok()) return report({source.status().code(), f + ": " + source.status().message()});
    const fs::path path = fs::path(o.out) / source->file_name;
    const std::string& text = source->text;
    if (fs::exists(path, ec)) {
      std::ifstream in(path);
      std::stringstream buf;
      buf << in.rdbuf();
      if (buf.str() == text) {
        ++unchanged;
        continue;
      }
      if (buf.str().rfind(kGeneratedMarker, 0) != 0) {
        return report(Status::Invalid(
            fmt::format("{}: exists and was not generated; not overwritten", path.string())));
      }
      if (Status st = files::replace_file(path, text); !st.ok()) return report(st);
    } else if (Status st = files::write_new_file(path, text); !st.ok()) {
      return report(st);
    }
    ++written;
  }
  fmt::print("{} test(s) written, {} unchanged, in {}\n", written, unchanged, o.out);
  return kExitOk;
}

}  // namespace

void register_replay_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ReplayOptions>();
  CLI::App* cmd = app.add_subcommand(
      "replay",
      "Re-run a record's reproduction; exit 1 reproduces, 0 blocked, 4 stale (2 bad input, 3 I/O)");
  cmd->add_option("record", o->record, "Exploit record (JSON)")->required();
  cmd->add_option(
      "--kernel", o->kernel,
      "Kernel to replay on (default: the discovery kernel, found by name and version, checked "
      "by hash)");
  cmd->add_option("--kernels-dir", o->kernels_dir, "Where to look for the discovery kernel")
      ->capture_default_str();
  cmd->callback([o, &exit_code] { exit_code = run_replay(*o); });
}

void register_verify_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<VerifyOptions>();
  CLI::App* cmd = app.add_subcommand("verify",
                                     "Amendment gate: replay every record in DIR on a kernel; exit "
                                     "1 if any reproduces, 4 if any is stale");
  cmd->add_option("--kernel", o->kernel, "Proposed kernel")->required();
  cmd->add_option("dir", o->dir, "Folder of exploit records")->capture_default_str();
  cmd->add_option("--store", o->store,
                  "Mark the records this kernel blocks patched (closed by it) in this existing "
                  "store (docs/store-format.md)");
  cmd->callback([o, &exit_code] { exit_code = run_verify(*o); });
}

void register_generate_tests_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<GenerateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "generate-tests", "Write one regression test per exploit record (tests/regressions/)");
  cmd->add_option("--exploits", o->exploits, "Folder of exploit records")->capture_default_str();
  cmd->add_option("--kernels", o->kernels, "Folder of kernel documents")->capture_default_str();
  cmd->add_option("--out", o->out, "Folder for the generated tests")->capture_default_str();
  cmd->callback([o, &exit_code] { exit_code = run_generate(*o); });
}

}  // namespace fable::cli
