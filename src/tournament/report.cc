// The tournament's reports for people and programs: summary.md and
// leaderboard.json (docs/tournament-format.md, docs/leaderboard-format.md).
// Both are pure functions of the TournamentResult, so they are byte-identical
// for any thread count. Floats in summary.md have fixed decimals; in
// leaderboard.json they are the shortest text that reads back to the same
// double.
#include <string>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/population_json.h"
#include "fable/episode_metrics.h"
#include "fable/tournament.h"

namespace fable {

namespace {

using ordered_json = nlohmann::ordered_json;

// `v` with `decimals` decimals. A value that rounds to zero is written without
// a sign: "-0.000" would be noise (the gini of equal wealths can compute as
// -1e-17).
std::string fixed(double v, int decimals) {
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (!s.empty() && s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos)
    s.erase(0, 1);
  return s;
}

// "0.41 [0.29, 0.54]"
std::string rate_cell(const Proportion& p) {
  return fmt::format("{} [{}, {}]", fixed(p.rate, 2), fixed(p.interval.lower, 2),
                     fixed(p.interval.upper, 2));
}

void leaderboard_table(std::string& s, const TournamentResult& r) {
  s += "| matchup | episodes | mean score | mean empathy ratio | worst floor trough | "
       "mean floor trough | capture rate | findings | drain / entrench / suppress / procedure / "
       "empathy |\n";
  s += "|---|---:|---:|---:|---:|---:|---:|---:|---|\n";
  for (const LeaderboardRow& row : r.leaderboard) {
    const auto& c = row.findings_by_category;
    s += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} / {} / {} / {} / {} |\n",
                     row.matchup, row.episodes, fixed(row.mean_governance_score, 2),
                     fixed(row.mean_empathy_ratio, 3), fixed(row.worst_empathy_trough, 2),
                     fixed(row.mean_empathy_floor, 3), fixed(row.capture_rate, 2),
                     row.total_findings, c[0], c[1], c[2], c[3], c[4]);
  }
}

void capture_table(std::string& s, const TournamentResult& r) {
  s += "\n## Capture rates (95% Wilson interval)\n\n";
  s += "Share of episodes in which the red team captured each objective "
       "(`docs/objectives.md`); `any` counts an episode with at least one.\n\n";
  s += "| matchup | episodes | any |";
  std::string rule = "|---|---:|---:|";
  for (const ObjectiveInfo& info : all_objectives()) {
    s += fmt::format(" {} |", info.name);
    rule += "---:|";
  }
  s += "\n" + rule + "\n";
  for (const LeaderboardRow& row : r.leaderboard) {
    s += fmt::format("| {} | {} | {} |", row.matchup, row.episodes, rate_cell(row.capture_any));
    for (const ObjectiveInfo& info : all_objectives()) {
      s += fmt::format(" {} |",
                       rate_cell(row.capture_by_objective[static_cast<std::size_t>(info.id)]));
    }
    s += "\n";
  }
}

void welfare_table(std::string& s, const TournamentResult& r) {
  s += "\n## Welfare and the commons\n\n";
  s += "Means over each matchup's episodes; the worst-off welfare is the empathy floor after "
       "the last turn, treasury retention the final treasury over the initial one "
       "(`docs/metrics.md`).\n\n";
  s += "| matchup | worst-off welfare mean | worst-off welfare min | gini | treasury retention | "
       "participation |";
  std::string rule = "|---|---:|---:|---:|---:|---:|";
  for (const std::string& name : r.secondary_metrics) {
    s += fmt::format(" {} |", name);
    rule += "---:|";
  }
  s += "\n" + rule + "\n";
  for (const LeaderboardRow& row : r.leaderboard) {
    s += fmt::format("| {} | {} | {} | {} | {} | {} |", row.matchup,
                     fixed(row.mean_worst_off_welfare, 3), fixed(row.min_worst_off_welfare, 3),
                     fixed(row.mean_gini, 3), fixed(row.mean_treasury_retention, 3),
                     fixed(row.mean_participation, 3));
    for (const double mean : row.secondary_means) s += fmt::format(" {} |", fixed(mean, 3));
    s += "\n";
  }
}

ordered_json proportion_json(const Proportion& p) {
  return ordered_json{{"count", p.successes},
                      {"rate", p.rate},
                      {"lower", p.interval.lower},
                      {"upper", p.interval.upper}};
}

ordered_json mean_json(double mean) {
  return ordered_json{{"mean", mean}};
}

ordered_json by_category_json(const std::vector<int>& counts) {
  ordered_json out = ordered_json::object();
  for (std::size_t c = 0; c < counts.size(); ++c) {
    out[std::string(category_name(static_cast<Category>(c)))] = counts[c];
  }
  return out;
}

ordered_json row_json(const TournamentResult& r, const LeaderboardRow& row) {
  ordered_json capture = ordered_json::object();
  capture["any"] = proportion_json(row.capture_any);
  for (const ObjectiveInfo& info : all_objectives()) {
    capture[std::string(info.name)] =
        proportion_json(row.capture_by_objective[static_cast<std::size_t>(info.id)]);
  }
  ordered_json secondary = ordered_json::object();
  for (std::size_t i = 0; i < r.secondary_metrics.size() && i < row.secondary_means.size(); ++i) {
    secondary[r.secondary_metrics[i]] = mean_json(row.secondary_means[i]);
  }
  return ordered_json{
      {"matchup", row.matchup},
      {"episodes", row.episodes},
      {"capture", capture},
      {"worst_off_welfare",
       ordered_json{{"mean", row.mean_worst_off_welfare}, {"min", row.min_worst_off_welfare}}},
      {"empathy_floor_trough",
       ordered_json{{"mean", row.mean_empathy_floor}, {"min", row.worst_empathy_trough}}},
      {"governance_score", mean_json(row.mean_governance_score)},
      {"empathy_ratio", mean_json(row.mean_empathy_ratio)},
      {"gini", mean_json(row.mean_gini)},
      {"treasury_final", mean_json(row.mean_treasury_final)},
      {"treasury_retention", mean_json(row.mean_treasury_retention)},
      {"participation", mean_json(row.mean_participation)},
      {"secondary", secondary},
      {"findings",
       ordered_json{{"total", row.total_findings},
                    {"episodes_with_findings", row.episodes_with_findings},
                    {"by_category", by_category_json(row.findings_by_category)},
                    {"episodes_with_category", by_category_json(row.episodes_with_category)}}}};
}

}  // namespace

std::string render_summary(const TournamentResult& r) {
  std::string s = fmt::format("# Tournament summary (kernel v{})\n\n", r.kernel_version);
  s += fmt::format("Kernel: {} v{} (content hash {}); {} episodes.\n\n", r.kernel_name,
                   r.kernel_version, r.kernel_hash, r.episodes_run);
  s += fmt::format("Honest citizens: population model `{}` (`docs/population.md`).\n\n",
                   r.population.preset);
  leaderboard_table(s, r);
  capture_table(s, r);
  welfare_table(s, r);
  s += "\n## Exploit records\n\n";
  if (r.exploit_records.empty()) {
    s += "No exploits found. Either the kernel held, or the red team needs a raise.\n";
  }
  for (const ExploitRecord& rec : r.exploit_records) {
    s += fmt::format("- **{}** [{}/sev{}] {} (x{}): {}\n", rec.exploit_id,
                     category_name(rec.category), rec.severity, rec.name, rec.occurrences,
                     rec.summary);
  }
  return s;
}

std::string leaderboard_json(const TournamentResult& r) {
  ordered_json matchups = ordered_json::array();
  for (const LeaderboardRow& row : r.leaderboard) matchups.push_back(row_json(r, row));
  const ordered_json doc{
      {"schema", "fable-leaderboard/1"},
      {"kernel",
       ordered_json{
           {"name", r.kernel_name}, {"version", r.kernel_version}, {"hash", r.kernel_hash}}},
      {"episodes", r.episodes_run},
      {"initial_treasury", r.initial_treasury},
      {"interval", ordered_json{{"method", "wilson"}, {"confidence", 0.95}, {"z", kZ95}}},
      {"secondary_metrics", r.secondary_metrics},
      {"population", ordered_json::parse(population_json(r.population).dump())},
      {"matchups", matchups}};
  return doc.dump(2) + "\n";
}

}  // namespace fable
