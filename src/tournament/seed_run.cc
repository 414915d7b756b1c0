// Playing a seed config and reporting on it; see include/fable/seed_run.h.
#include "fable/seed_run.h"

#include <fmt/format.h>

#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <span>

#include "fable/detector_registry.h"
#include "fable/kernel.h"
#include "fable/objectives.h"

namespace fable {

namespace {

// Findings (sum of occurrences) and records per detector name.
struct ByDetector {
  std::map<std::string, int> findings, records;
};

ByDetector by_detector(const TournamentResult& r) {
  ByDetector out;
  for (const ExploitRecord& rec : r.exploit_records) {
    out.findings[rec.name] += rec.occurrences;
    out.records[rec.name] += 1;
  }
  return out;
}

std::string rate(int n, int of) {
  return of > 0 ? fmt::format("{}/{} ({:.2f})", n, of, static_cast<double>(n) / of)
                : std::string("-");
}

// One row per matchup and kernel: episodes with each objective's capture flag.
void captures_table(std::string& out, std::span<const TournamentResult* const> runs) {
  out += fmt::format("| kernel | matchup | episodes |");
  for (const ObjectiveInfo& o : all_objectives()) out += fmt::format(" {} |", o.name);
  out += " any |\n|---|---|---:|";
  for (std::size_t i = 0; i < all_objectives().size(); ++i) out += "---:|";
  out += "---:|\n";
  for (const TournamentResult* r : runs) {
    for (const LeaderboardRow& row : r->leaderboard) {
      out += fmt::format("| v{} | {} | {} |", r->kernel_version, row.matchup, row.episodes);
      for (const ObjectiveInfo& o : all_objectives()) {
        out += fmt::format(
            " {} |", rate(static_cast<int>(
                              row.capture_by_objective[static_cast<std::size_t>(o.id)].successes),
                          row.episodes));
      }
      out += fmt::format(" {:.2f} |\n", row.capture_rate);
    }
  }
}

}  // namespace

bool SeedRunResult::all_expected_found() const {
  return std::all_of(expected.begin(), expected.end(),
                     [](const ExpectedCheck& e) { return e.found(); });
}

DetectorSuite seed_detector_suite(const SeedConfig& config) {
  if (config.detectors.empty()) return default_suite();
  DetectorSuite suite;
  for (const std::string& name : config.detector_kinds) {
    if (const DetectorKind* kind = find_detector_kind(name)) suite.add(*kind);
  }
  return suite;
}

Result<SeedRunResult> run_seed_tournament(const SeedConfig& seed, const TournamentConfig& cfg,
                                          const ProgressFn& progress) {
  // Both kernels are read before anything is played: a bad verification
  // kernel fails at once, not after the main run.
  const Result<Kernel> kernel = Kernel::load_file(cfg.kernel_path);
  if (!kernel.ok()) return kernel.status();
  std::optional<Kernel> verification_kernel;
  if (seed.verification_kernel) {
    Result<Kernel> v = Kernel::load_file(*seed.verification_kernel);
    if (!v.ok()) return v.status();
    verification_kernel = std::move(*v);
  }
  SeedRunResult out;
  {
    auto main = Tournament(cfg, seed_detector_suite(seed)).run(*kernel, progress);
    if (!main.ok()) return main.status();
    out.main = std::move(*main);
  }
  if (verification_kernel) {
    TournamentConfig v = cfg;
    v.kernel_path = *seed.verification_kernel;
    v.episode_sink = {};  // the sink takes the main run only (docs/store-format.md)
    v.out_dir.reset();
    auto verified = Tournament(v, seed_detector_suite(seed)).run(*verification_kernel, progress);
    if (!verified.ok()) return verified.status();
    out.verification = std::move(*verified);
  }
  const ByDetector found = by_detector(out.main);
  for (const std::string& expected : seed.expected_exploits) {
    ExpectedCheck check{expected, seed.expected_kinds(expected), 0, 0};
    for (const std::string& kind : check.kinds) {
      if (const auto it = found.records.find(kind); it != found.records.end())
        check.records += it->second;
      if (const auto it = found.findings.find(kind); it != found.findings.end())
        check.findings += it->second;
    }
    out.expected.push_back(std::move(check));
  }
  return out;
}

std::string render_seed_report(const SeedConfig& seed, const TournamentConfig& cfg,
                               const SeedRunResult& result) {
  const TournamentResult& main = result.main;
  std::string out = fmt::format("# {}{}{}\n\n", seed.id, seed.name.empty() ? "" : " - ", seed.name);
  out += fmt::format(
      "Seed config `{}`: kernel {} v{} ({}), seeds {}..{}, {} turns, {} citizens "
      "(roster {}), initial treasury {}, income {} per turn, stipend {} per "
      "citizen per turn.\n\n",
      seed.path, main.kernel_name, main.kernel_version, main.kernel_hash,
      cfg.seeds.empty() ? 0 : cfg.seeds.front(), cfg.seeds.empty() ? 0 : cfg.seeds.back(),
      cfg.n_turns, seed.citizens, seed.roster().to_string(), format_money(cfg.initial_treasury),
      format_money(cfg.settings.income_per_turn), format_money(cfg.settings.citizen_stipend));
  out += fmt::format("Honest citizens: population model `{}` (`docs/population.md`).\n\n",
                     cfg.population.preset);

  out += "## Detectors\n\n| the seed's | ours |\n|---|---|\n";
  for (const std::string& name : seed.detectors) {
    const std::vector<std::string> kinds = seed.expected_kinds(name);
    out += fmt::format("| {} | {} |\n", name,
                       kinds.empty() ? std::string("none (not run: docs/seed-config.md)")
                                     : fmt::format("{}", fmt::join(kinds, ", ")));
  }
  if (seed.detectors.empty()) out += "| (none listed) | every registered detector |\n";

  out += "\n## Scoring\n\n| metric | ours |\n|---|---|\n";
  std::vector<std::string> metrics;
  if (!seed.scoring_primary.empty()) metrics.push_back(seed.scoring_primary);
  metrics.insert(metrics.end(), seed.scoring_secondary.begin(), seed.scoring_secondary.end());
  for (const std::string& m : metrics) {
    std::string_view ours;
    for (const SeedMetricMapping& s : seed_metric_map())
      if (s.seed == m) ours = s.ours;
    out += fmt::format("| {}{} | {} |\n", m, m == seed.scoring_primary ? " (primary)" : "",
                       ours.empty() ? std::string_view("missing") : ours);
  }
  out +=
      "\n| kernel | matchup | worst_off_welfare: mean | min | treasury "
      "retention |\n|---|---|---:|---:|---:|\n";
  // The same figures as summary.md and leaderboard.json (docs/leaderboard-format.md).
  auto welfare_rows = [&](const TournamentResult& r) {
    for (const LeaderboardRow& row : r.leaderboard) {
      out += fmt::format("| v{} | {} | {:.3f} | {:.3f} | {:.3f} |\n", r.kernel_version, row.matchup,
                         row.mean_worst_off_welfare, row.min_worst_off_welfare,
                         row.mean_treasury_retention);
    }
  };
  welfare_rows(main);
  if (result.verification) welfare_rows(*result.verification);

  out += "\n## Captures per objective (episodes with the flag / episodes)\n\n";
  std::vector<const TournamentResult*> runs{&main};
  if (result.verification) runs.push_back(&*result.verification);
  captures_table(out, runs);

  out += "\n## Findings per detector (findings, records)\n\n";
  const ByDetector on_main = by_detector(main);
  const std::optional<ByDetector> on_verification =
      result.verification ? std::optional<ByDetector>(by_detector(*result.verification))
                          : std::nullopt;
  out += fmt::format("| detector | v{} |", main.kernel_version);
  if (result.verification) out += fmt::format(" v{} |", result.verification->kernel_version);
  out += result.verification ? "\n|---|---:|---:|\n" : "\n|---|---:|\n";
  auto cell = [](const ByDetector& b, const std::string& name) {
    const auto f = b.findings.find(name);
    const auto r = b.records.find(name);
    return fmt::format("{} ({})", f == b.findings.end() ? 0 : f->second,
                       r == b.records.end() ? 0 : r->second);
  };
  const DetectorSuite suite = seed_detector_suite(seed);  // names() are views into it
  for (const std::string_view view : suite.names()) {
    const std::string name(view);
    out += fmt::format("| {} | {} |", name, cell(on_main, name));
    if (on_verification) out += fmt::format(" {} |", cell(*on_verification, name));
    out += "\n";
  }

  out += "\n## Expected exploits\n\n";
  if (result.expected.empty()) out += "None listed.\n";
  for (const ExpectedCheck& e : result.expected) {
    out += fmt::format(
        "- {} ({}): {}\n", e.expected, fmt::join(e.kinds, ", "),
        e.found() ? fmt::format("found, {} record(s), {} finding(s)", e.records, e.findings)
                  : std::string("MISSING"));
  }
  out += fmt::format("\nExpected check: {}\n",
                     result.all_expected_found() ? "passed" : "FAILED (exit 1)");
  return out;
}

}  // namespace fable
