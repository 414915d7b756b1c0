// `fable-selfplay explain`: the story of a record's reproduction (docs/explain-format.md).
#include <memory>

#include <fmt/format.h>

#include "cli_support.h"
#include "commands.h"
#include "fable/explain.h"
#include "record_kernel.h"

namespace fable::cli {

namespace {

struct ExplainOptions {
  std::string record;
  std::string kernel;
  std::string kernels_dir = "kernels";
  std::string format = "text";
};

int run_explain(const ExplainOptions& o) {
  const auto rec = load_record(o.record);
  if (!rec.ok()) return report(rec.status());
  const auto kernel = record_kernel(o.record, *rec, o.kernel, o.kernels_dir);
  if (!kernel.ok()) return report(kernel.status());
  // On another kernel, the discovery kernel (when it can be found) tells which
  // stops the reproduction survives there; without it every stop is listed.
  const auto discovery = o.kernel.empty() ? Result<Kernel>(Status::NotFound("no --kernel given"))
                                          : record_kernel(o.record, *rec, "", o.kernels_dir);
  const Explanation x =
      explain_record(*rec, *kernel, default_suite(), discovery.ok() ? &*discovery : nullptr);
  fmt::print("{}", o.format == "json" ? explanation_json(x) : explanation_text(x));
  return verdict_exit(x.verdict);
}

}  // namespace

void register_explain_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ExplainOptions>();
  CLI::App* cmd = app.add_subcommand(
      "explain",
      "Tell a record's reproduction as a timeline citing the articles, marking essential steps; "
      "exit as replay: 1 reproduces, 0 blocked, 4 stale (2 bad input, 3 I/O)");
  cmd->add_option("record", o->record, "Exploit record (JSON)")->required();
  cmd->add_option("--kernel", o->kernel,
                  "Kernel to tell it on (default: the discovery kernel, found by name and "
                  "version, checked by hash)");
  cmd->add_option("--kernels-dir", o->kernels_dir, "Where to look for the discovery kernel")
      ->capture_default_str();
  cmd->add_option("--format", o->format,
                  "text (for a constitution author) or json "
                  "(docs/explain-format.md)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([o, &exit_code] { exit_code = run_explain(*o); });
}

}  // namespace fable::cli
