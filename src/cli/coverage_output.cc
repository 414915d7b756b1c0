// `--coverage FILE`; see coverage_output.h.
#include "coverage_output.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "base/files.h"
#include "fable/money.h"

namespace fable::cli {

namespace fs = std::filesystem;

namespace {

// "0..7" for consecutive seeds, else "0,3,9".
std::string seeds_text(const std::vector<std::uint64_t>& seeds) {
  bool consecutive = seeds.size() > 1;
  for (std::size_t i = 1; i < seeds.size() && consecutive; ++i) {
    consecutive = seeds[i] == seeds[i - 1] + 1;
  }
  if (consecutive) return fmt::format("{}..{}", seeds.front(), seeds.back());
  std::string out;
  for (std::uint64_t s : seeds) out += fmt::format("{}{}", out.empty() ? "" : ",", s);
  return out;
}

}  // namespace

bool inside(const std::string& path, const std::string& folder) {
  std::error_code ec;
  const fs::path file = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) return false;
  const fs::path dir = fs::weakly_canonical(fs::absolute(folder, ec), ec);
  if (ec) return false;
  const auto rel = file.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

Status check_coverage_path(const std::string& path, const std::optional<std::string>& out,
                           const std::optional<NamedFolder>& exploit_dir, bool resuming) {
  if (path.empty()) return Status::Invalid("--coverage: the path is empty");
  std::error_code ec;
  const fs::file_status there = fs::symlink_status(path, ec);
  if (fs::exists(there) && !(resuming && fs::is_regular_file(there))) {
    return Status::Invalid(fmt::format("--coverage {}: already exists; not overwritten", path));
  }
  if (out && inside(path, *out)) {
    return Status::Invalid(
        fmt::format("--coverage {}: inside the output folder {}, which the run fills with its own "
                    "artifacts",
                    path, *out));
  }
  if (exploit_dir && inside(path, exploit_dir->folder)) {
    return Status::Invalid(fmt::format(
        "--coverage {}: inside the exploit folder {} ({}), which holds exploit records only", path,
        exploit_dir->folder, exploit_dir->flag));
  }
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    return Status::Invalid(fmt::format("--coverage {}: no folder {}", path, parent.string()));
  }
  return Status::Ok();
}

CoverageSettings tournament_coverage_settings(std::string_view command, const TournamentConfig& cfg,
                                              const std::optional<std::string>& config) {
  CoverageSettings s;
  s.emplace_back("command", std::string(command));
  s.emplace_back("kernel", cfg.kernel_path);
  if (config) s.emplace_back("config", *config);
  std::string matchups;
  for (const MatchupSpec& m : cfg.matchups) {
    matchups += fmt::format("{}{}={}", matchups.empty() ? "" : ";", m.name, m.roster.to_string());
  }
  s.emplace_back("matchups", matchups);
  s.emplace_back("seeds", seeds_text(cfg.seeds));
  s.emplace_back("turns", std::to_string(cfg.n_turns));
  s.emplace_back("treasury", format_money(cfg.initial_treasury));
  s.emplace_back("plan_length", std::to_string(cfg.settings.plan_length));
  s.emplace_back("population", cfg.population.preset);
  return s;
}

Status write_coverage(const std::string& path, CoverageReport report, CoverageSettings settings) {
  std::sort(settings.begin(), settings.end());
  report.settings = std::move(settings);
  return files::write_new_file_or_same(path, coverage_json(report));
}

}  // namespace fable::cli
