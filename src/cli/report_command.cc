// `fable-selfplay report`: one self-contained HTML page from a tournament or
// run output folder (docs/report.md).
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "base/files.h"
#include "cli_support.h"
#include "commands.h"
#include "fable/report.h"

namespace fable::cli {

namespace {

struct ReportOptions {
  std::string from;
  std::string store;
  std::string run;
  std::string out;
  std::string coverage;
  std::string kernel;
  std::string kernels_dir = "kernels";
};

// `-o FILE` may be written: it does not exist yet (a link, even a dangling
// one, counts as existing) and its folder does.
Status check_new_output_file(const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) return Status::Invalid("-o '': an output file is required");
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  if (fs::exists(st) || fs::is_symlink(st)) {
    return Status::Invalid(fmt::format("{}: already exists; not overwritten", path));
  }
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    return Status::Invalid(fmt::format("{}: no such folder {}", path, parent.string()));
  }
  return Status::Ok();
}

// The run id of `--run ID`: a positive integer.
Result<std::int64_t> parse_run_id(const std::string& text) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id < 1) {
    return Status::Invalid(fmt::format(
        "--run '{}': expected a run id, a positive integer (`fable-selfplay runs list`)", text));
  }
  return id;
}

Result<ReportModel> read_model(const ReportOptions& o) {
  if (!o.store.empty() || !o.run.empty()) {
    if (!o.from.empty())
      return Status::Invalid("report: give --from DIR or --store FILE.db, not both");
    if (o.store.empty()) return Status::Invalid("report: --run ID needs --store FILE.db");
    if (o.run.empty()) return Status::Invalid("report: --store FILE.db needs --run ID");
    if (!o.coverage.empty()) {
      return Status::Invalid(
          "report: --coverage is for --from DIR; the store holds the run's coverage");
    }
    const Result<std::int64_t> id = parse_run_id(o.run);
    if (!id.ok()) return id.status();
    RunStoreSource source;
    source.store = o.store;
    source.run = *id;
    source.kernel = o.kernel;
    source.kernels_dir = o.kernels_dir;
    return read_run_store(source);
  }
  if (o.from.empty())
    return Status::Invalid("report: --from DIR or --store FILE.db --run ID is required");
  OutputFolderSource source;
  source.dir = o.from;
  source.coverage = o.coverage;
  source.kernel = o.kernel;
  source.kernels_dir = o.kernels_dir;
  return read_output_folder(source);
}

// `-o -`: the page on stdout, and nothing else there.
Status write_stdout(const std::string& html) {
  if (std::fwrite(html.data(), 1, html.size(), stdout) != html.size() || std::fflush(stdout) != 0) {
    return Status::Io(
        fmt::format("-o -: cannot write the page on stdout: {}", std::strerror(errno)));
  }
  return Status::Ok();
}

int run_report(const ReportOptions& o) {
  const bool to_stdout = o.out == "-";
  if (!to_stdout) {
    if (Status s = check_new_output_file(o.out); !s.ok()) return report(s);
  }
  const Result<ReportModel> model = read_model(o);
  if (!model.ok()) return report(model.status());
  const std::string html = render_report_html(*model);
  if (Status s = to_stdout ? write_stdout(html) : files::write_new_file(o.out, html); !s.ok()) {
    return report(s);
  }
  if (!model->kernel_missing.empty()) {
    fmt::print(stderr,
               "note: {}; the page has no per-turn charts and no record timelines (name the "
               "kernel with --kernel FILE or --kernels-dir DIR)\n",
               model->kernel_missing);
  }
  if (!to_stdout) fmt::print("report: {}\n", o.out);
  return kExitOk;
}

}  // namespace

void register_report_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write one self-contained HTML page (charts inlined, no network request) from a "
      "tournament or run output folder (--from DIR) or from one run of a run store (--store "
      "FILE.db --run ID): capture rates with intervals, worst-off welfare and "
      "treasury over turns, clause coverage, one section per record (docs/report.md)");
  cmd->add_option("--from", o->from,
                  "Output folder of `tournament --out` or `run --out` (or --store and --run)");
  cmd->add_option("-o,--output", o->out, "HTML file to write (must not exist); - for stdout")
      ->required();
  cmd->add_option("--coverage", o->coverage,
                  "Coverage file of the same run (`--coverage FILE`) for the clause map");
  cmd->add_option(
      "--kernel", o->kernel,
      "The folder's or run's kernel document (checked by content hash); default: found in "
      "--kernels-dir");
  cmd->add_option(
         "--kernels-dir", o->kernels_dir,
         "Where to find the folder's or run's kernel (by name, version and content hash), for "
         "per-turn figures and record timelines")
      ->capture_default_str();
  cmd->add_option("--store", o->store,
                  "Run store (`--store FILE.db` of tournament or run) to read the run from, "
                  "instead of --from");
  cmd->add_option("--run", o->run, "The run's id in --store (`fable-selfplay runs list`)");
  cmd->callback([o, &exit_code] { exit_code = run_report(*o); });
}

}  // namespace fable::cli
