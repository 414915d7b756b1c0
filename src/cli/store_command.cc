// `fable-selfplay runs [list|show ID] --store FILE.db` and `fable-selfplay
// records --store FILE.db [--status S] [--category C] [--kernel K]`: the
// readers of a run store (fable/run_store.h, docs/store-format.md). They open
// the store read-only and never create one.
#include <charconv>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/hash.h"
#include "base/safe_name.h"
#include "cli_support.h"
#include "commands.h"
#include "fable/detector.h"
#include "fable/kernel.h"
#include "fable/run_store.h"

namespace fable::cli {

namespace {

namespace fs = std::filesystem;

struct RunsOptions {
  std::string store;
  std::vector<std::string> what;  // [] or ["list"] or ["show", ID]
};

struct RecordsOptions {
  std::string store;
  std::optional<std::string> status;
  std::optional<std::string> category;
  std::optional<std::string> kernel;
};

std::string kernel_label(const StoreRunInfo& info) {
  return fmt::format("{} v{}", info.kernel_name, info.kernel_version);
}

void print_record(const StoredRecord& r) {
  fmt::print("{}  {}/sev{}  {}  {}  found on {} v{} ({}) in run {}", r.record_id, r.category,
             r.severity, r.name, r.status, r.kernel_name, r.kernel_version, r.kernel_hash,
             r.run_id);
  if (r.closed_by) fmt::print("  closed by {}", *r.closed_by);
  fmt::print("  {}\n", r.path.value_or("(no file)"));
}

int list_runs(RunStore& store) {
  const Result<std::vector<StoredRun>> runs = store.runs();
  if (!runs.ok()) return report(runs.status());
  if (runs->empty()) {
    fmt::print("no runs in {}\n", store.path());
    return kExitOk;
  }
  fmt::print("{:<5} {:<10} {:<8} {:<32} {:>15} {:>8} {:>7}  {}\n", "RUN", "COMMAND", "STATUS",
             "KERNEL", "EPISODES", "FINDINGS", "RECORDS", "STARTED (UTC)");
  for (const StoredRun& r : *runs) {
    fmt::print("{:<5} {:<10} {:<8} {:<32} {:>15} {:>8} {:>7}  {}\n", r.id, r.info.command, r.status,
               kernel_label(r.info), fmt::format("{}/{}", r.episodes_done, r.info.episodes_planned),
               r.findings, r.records, r.started_at);
  }
  return kExitOk;
}

// `runs show ID`: the id, checked before the store is opened.
Result<std::int64_t> parse_run_id(const std::string& text) {
  std::int64_t id = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, id);
  if (ec != std::errc() || ptr != end || id < 1) {
    return Status::Invalid(
        fmt::format("runs show '{}': expected a run id (a whole number from 1)", printable(text)));
  }
  return id;
}

int show_run(RunStore& store, std::int64_t id) {
  const Result<std::optional<StoredRun>> run = store.run(id);
  if (!run.ok()) return report(run.status());
  if (!*run) {
    return report(Status::NotFound(
        fmt::format("runs show {}: no run {} in {} (see `runs list`)", id, id, store.path())));
  }
  const StoredRun& r = **run;
  fmt::print("run {}: {}, {}\n", r.id, r.info.command, r.status);
  fmt::print("  kernel: {} ({}) from {}\n", kernel_label(r.info), r.info.kernel_hash,
             r.info.kernel_path);
  fmt::print("  engine: {}\n", r.info.engine_version);
  fmt::print("  population: {}\n", r.info.population);
  fmt::print("  seeds: {}\n", r.info.seeds);
  fmt::print("  episodes: {} of {}\n", r.episodes_done, r.info.episodes_planned);
  fmt::print("  findings: {}\n", r.findings);
  fmt::print("  started: {}  finished: {}\n", r.started_at, r.finished_at.value_or("-"));
  fmt::print("  settings: {}\n", r.info.settings_json);
  if (r.error) fmt::print("  error: {}\n", *r.error);
  const Result<std::vector<StoredMatchup>> matchups = store.matchups(id);
  if (!matchups.ok()) return report(matchups.status());
  fmt::print("matchups:\n");
  for (const StoredMatchup& m : *matchups) {
    fmt::print("  {:<16} episodes {:>6}  captured {:>6}  mean score {:6.2f}  findings {}\n",
               m.matchup, m.episodes, m.captured, m.mean_governance_score, m.findings);
  }
  const Result<std::vector<StoredRecord>> records = store.run_records(id);
  if (!records.ok()) return report(records.status());
  fmt::print("records: {}\n", records->size());
  for (const StoredRecord& rec : *records) {
    fmt::print("  ");
    print_record(rec);
  }
  return kExitOk;
}

int run_runs(const RunsOptions& o) {
  const std::vector<std::string>& w = o.what;
  const bool list = w.empty() || (w.size() == 1 && w[0] == "list");
  const bool show = w.size() == 2 && w[0] == "show";
  if (!list && !show) {
    std::string given;
    for (const std::string& word : w) given += (given.empty() ? "" : " ") + word;
    return report(Status::Invalid(
        fmt::format("runs: expected `list` or `show ID`, got '{}'", printable(given))));
  }
  std::int64_t id = 0;
  if (show) {
    const Result<std::int64_t> parsed = parse_run_id(w[1]);
    if (!parsed.ok()) return report(parsed.status());
    id = *parsed;
  }
  Result<RunStore> store = RunStore::open_read_only(o.store, "--store");
  if (!store.ok()) return report(store.status());
  return list ? list_runs(*store) : show_run(*store, id);
}

// --kernel K: a kernel file (matched by content hash), else a kernel name,
// "NAME vVERSION" or a hash as given.
Result<std::string> kernel_key(const std::string& given) {
  if (given.empty()) return Status::Invalid("--kernel: expected a kernel name, file or hash");
  std::error_code ec;
  if (!fs::is_regular_file(given, ec)) {
    // Something that reads as a path (a folder, a mistyped file) is not a
    // kernel name: matching nothing would hide every record.
    const bool path_like = given.find('/') != std::string::npos || given.ends_with(".yaml") ||
                           given.ends_with(".yml") || fs::exists(given, ec);
    if (path_like) {
      return Status::Invalid(
          fmt::format("--kernel {}: no such kernel file (expected a kernel file, a kernel name, "
                      "\"NAME vVERSION\" or a content hash)",
                      given));
    }
    return given;
  }
  Result<Kernel> kernel = Kernel::load_file(given);
  if (!kernel.ok()) return kernel.status();
  return hex64(kernel->content_hash());
}

int run_records(const RecordsOptions& o) {
  RecordFilter filter;
  if (o.status) {
    if (*o.status != "open" && *o.status != "patched") {
      return report(Status::Invalid(
          fmt::format("--status '{}': expected open or patched", printable(*o.status))));
    }
    filter.status = o.status;
  }
  if (o.category) {
    std::string names;
    for (int c = 0; c < kCategoryCount; ++c) {
      const std::string_view name = category_name(static_cast<Category>(c));
      if (name == *o.category) filter.category = o.category;
      names += fmt::format("{}{}", names.empty() ? "" : ", ", name);
    }
    if (!filter.category) {
      return report(Status::Invalid(
          fmt::format("--category '{}': expected one of {}", printable(*o.category), names)));
    }
  }
  if (o.kernel) {
    Result<std::string> key = kernel_key(*o.kernel);
    if (!key.ok()) return report(key.status());
    filter.kernel = *key;
  }
  Result<RunStore> store = RunStore::open_read_only(o.store, "--store");
  if (!store.ok()) return report(store.status());
  const Result<std::vector<StoredRecord>> records = store->records(filter);
  if (!records.ok()) return report(records.status());
  if (records->empty()) fmt::print("no records match in {}\n", store->path());
  for (const StoredRecord& r : *records) print_record(r);
  return kExitOk;
}

}  // namespace

void register_runs_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<RunsOptions>();
  CLI::App* cmd =
      app.add_subcommand("runs", "List the runs of a store, or show one (docs/store-format.md)");
  cmd->footer(
      "Usage: runs [list] --store FILE.db | runs show ID --store FILE.db\n"
      "Exit codes: 0 success; 2 bad input (no such store or run, not a store); 3 I/O "
      "failure.");
  cmd->add_option("--store", o->store, "The store (SQLite file) to read")->required();
  cmd->add_option("what", o->what, "list (default) or show ID");
  cmd->callback([o, &exit_code] { exit_code = run_runs(*o); });
}

void register_records_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<RecordsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "records", "List the exploit records of a store, by id (docs/store-format.md)");
  cmd->footer("Exit codes: 0 success (also when no record matches); 2 bad input; 3 I/O failure.");
  cmd->add_option("--store", o->store, "The store (SQLite file) to read")->required();
  cmd->add_option("--status", o->status, "Only records that are open or patched");
  cmd->add_option("--category", o->category,
                  "Only this category: drain, entrench, suppress, procedure, empathy");
  cmd->add_option("--kernel", o->kernel,
                  "Only records found on this kernel: a kernel file, its name, \"NAME vVERSION\" "
                  "or its hash");
  cmd->callback([o, &exit_code] { exit_code = run_records(*o); });
}

}  // namespace fable::cli
