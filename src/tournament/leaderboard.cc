// Accumulating leaderboard rows; see src/tournament/leaderboard.h.
#include "tournament/leaderboard.h"

#include <algorithm>
#include <array>

namespace fable {

bool capture_flag(const CaptureFlags& flags, Objective o) {
  switch (o) {
    case Objective::kDrain:
      return flags.drain;
    case Objective::kEntrench:
      return flags.entrench;
    case Objective::kSuppress:
      return flags.suppress;
    case Objective::kParalysis:
      return flags.paralysis;
    case Objective::kEmergency:
      return flags.emergency;
    case Objective::kExit:
      return flags.exit;
    case Objective::kTiming:
      return flags.timing;
  }
  return false;
}

void Leaderboard::add(const std::string& matchup, const EpisodeScore& score,
                      const std::vector<ExploitFinding>& findings) {
  Sums& s = by_matchup_[matchup];
  LeaderboardRow& row = s.row;
  row.matchup = matchup;
  row.episodes += 1;
  const bool first = row.episodes == 1;
  s.score += score.governance_score;
  s.ratio += score.empathy_ratio;
  s.treasury += score.treasury_final;
  s.floor += score.empathy_floor_trough;
  row.worst_empathy_trough = first ? score.empathy_floor_trough
                                   : std::min(row.worst_empathy_trough, score.empathy_floor_trough);
  s.worst_off += score.empathy_floor_final;
  row.min_worst_off_welfare = first
                                  ? score.empathy_floor_final
                                  : std::min(row.min_worst_off_welfare, score.empathy_floor_final);
  s.gini += score.gini;
  s.retention += treasury_retention(score.treasury_final, initial_treasury_);
  s.participation += score.participation;
  s.captured += score.capture.any() ? 1 : 0;
  for (const ObjectiveInfo& info : all_objectives()) {
    s.captured_by_objective[static_cast<std::size_t>(info.id)] +=
        capture_flag(score.capture, info.id) ? 1 : 0;
  }
  s.secondaries.resize(secondaries_.size(), 0.0);
  for (std::size_t i = 0; i < secondaries_.size(); ++i) {
    s.secondaries[i] += secondaries_[i]->value(score, initial_treasury_);
  }
  row.total_findings += static_cast<int>(findings.size());
  row.episodes_with_findings += findings.empty() ? 0 : 1;
  std::array<bool, kCategoryCount> has{};
  for (const ExploitFinding& f : findings) {
    row.findings_by_category[static_cast<std::size_t>(f.category)] += 1;
    has[static_cast<std::size_t>(f.category)] = true;
  }
  for (std::size_t c = 0; c < has.size(); ++c) row.episodes_with_category[c] += has[c] ? 1 : 0;
}

std::vector<LeaderboardRow> Leaderboard::rows() const {
  std::vector<LeaderboardRow> rows;
  for (const auto& [name, s] : by_matchup_) {
    LeaderboardRow row = s.row;
    const double n = row.episodes;
    row.mean_governance_score = s.score / n;
    row.mean_empathy_ratio = s.ratio / n;
    row.mean_treasury_final = s.treasury / n;
    row.mean_empathy_floor = s.floor / n;
    row.capture_rate = s.captured / n;
    row.capture_any = Proportion::of(s.captured, row.episodes);
    for (std::size_t o = 0; o < s.captured_by_objective.size(); ++o) {
      row.capture_by_objective[o] = Proportion::of(s.captured_by_objective[o], row.episodes);
    }
    row.mean_worst_off_welfare = s.worst_off / n;
    row.mean_gini = s.gini / n;
    row.mean_treasury_retention = s.retention / n;
    row.mean_participation = s.participation / n;
    row.secondary_means.clear();
    for (const double sum : s.secondaries) row.secondary_means.push_back(sum / n);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace fable
