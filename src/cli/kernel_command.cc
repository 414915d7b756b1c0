// `fable-selfplay kernel validate|diff|show`: thin shells over fable/kernel.h.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <iostream>
#include <string>
#include <vector>

#include "base/hash.h"
#include "commands.h"
#include "fable/kernel.h"

namespace fable::cli {

namespace {

int exit_for(const Status& s) {
  return s.code() == StatusCode::kIoError ? kExitIo : kExitBadInput;
}

int run_validate(const std::vector<std::string>& files) {
  int code = kExitOk;
  for (const auto& file : files) {
    const auto k = Kernel::load_file(file);
    if (!k.ok()) {
      fmt::print(std::cerr, "{}\n", k.status().message());
      if (code == kExitOk) code = exit_for(k.status());
      continue;
    }
    fmt::print(std::cout, "ok {}: {} v{} hash {} ({} articles, {} params)\n", file, k->name(),
               k->version().to_string(), hex64(k->content_hash()), k->document().articles.size(),
               kParamCount);
  }
  return code;
}

int run_diff(const std::string& a_path, const std::string& b_path) {
  const auto a = Kernel::load_file(a_path);
  if (!a.ok()) {
    fmt::print(std::cerr, "{}\n", a.status().message());
    return exit_for(a.status());
  }
  const auto b = Kernel::load_file(b_path);
  if (!b.ok()) {
    fmt::print(std::cerr, "{}\n", b.status().message());
    return exit_for(b.status());
  }
  const KernelDiff d = diff_kernels(*a, *b);
  for (const auto& c : d.params) {
    fmt::print(std::cout, "{}: {} -> {} ({})\n", param_info(c.id).path,
               format_param_value(c.id, c.before), format_param_value(c.id, c.after),
               bump_name(c.bump));
  }
  for (const auto& t : d.text_changes) fmt::print(std::cout, "{} (patch)\n", t);
  fmt::print(std::cout, "overall: {} ({} -> {})\n", bump_name(d.overall), a->version().to_string(),
             b->version().to_string());
  return kExitOk;
}

int run_show(const std::string& path) {
  const auto k = Kernel::load_file(path);
  if (!k.ok()) {
    fmt::print(std::cerr, "{}\n", k.status().message());
    return exit_for(k.status());
  }
  fmt::print(std::cout, "{} v{} hash {}\n", k->name(), k->version().to_string(),
             hex64(k->content_hash()));
  for (const auto& info : all_params()) {
    fmt::print(std::cout, "{} = {}  [{}]\n", info.path,
               format_param_value(info.id, get_param(k->params(), info.id)),
               k->article_label(clause_of(info.id)));
  }
  for (int c = kParamCount; c < kClauseCount; ++c) {
    const auto clause = static_cast<ClauseId>(c);
    fmt::print(std::cout, "{} (structural)  [{}]\n", clause_name(clause), k->article_label(clause));
  }
  return kExitOk;
}

}  // namespace

void register_kernel_command(CLI::App& app, int& exit_code) {
  CLI::App* kernel = app.add_subcommand("kernel", "Validate, compare and show kernel documents");
  kernel->require_subcommand(1);

  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* validate = kernel->add_subcommand(
      "validate", "Check kernel files; one line each, exit 2 if any is malformed");
  validate->add_option("FILE", *files, "kernel YAML files")->required();
  validate->callback([files, &exit_code] { exit_code = run_validate(*files); });

  auto pair = std::make_shared<std::vector<std::string>>();
  CLI::App* diff = kernel->add_subcommand(
      "diff", "Parameter and text changes from A to B, each with its governance-semver bump");
  diff->add_option("A B", *pair, "the earlier and the later kernel")->required()->expected(2);
  diff->callback([pair, &exit_code] { exit_code = run_diff((*pair)[0], (*pair)[1]); });

  auto file = std::make_shared<std::string>();
  CLI::App* show = kernel->add_subcommand(
      "show", "Every parameter's value and the article governing each clause");
  show->add_option("FILE", *file, "kernel YAML file")->required();
  show->callback([file, &exit_code] { exit_code = run_show(*file); });
}

}  // namespace fable::cli
