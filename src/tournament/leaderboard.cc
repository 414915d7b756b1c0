// Accumulating leaderboard rows; see src/tournament/leaderboard.h.
#include "tournament/leaderboard.h"

#include <algorithm>
#include <array>

namespace fable {

void Leaderboard::add(const std::string& matchup, const EpisodeScore& score,
                      const std::vector<ExploitFinding>& findings) {
  Sums& s = by_matchup_[matchup];
  LeaderboardRow& row = s.row;
  row.matchup = matchup;
  row.episodes += 1;
  s.score += score.governance_score;
  s.ratio += score.empathy_ratio;
  s.treasury += score.treasury_final;
  s.floor += score.empathy_floor_trough;
  row.worst_empathy_trough = row.episodes == 1
                                 ? score.empathy_floor_trough
                                 : std::min(row.worst_empathy_trough, score.empathy_floor_trough);
  s.captured += score.capture.any() ? 1 : 0;
  // The flags the capture rate counts, in Objective order (objectives.h).
  static_assert(kObjectiveCount == 7, "one flag per objective");
  const CaptureFlags& cap = score.capture;
  const std::array<bool, kObjectiveCount> flags{
      cap.drain, cap.entrench, cap.suppress, cap.paralysis, cap.emergency, cap.exit, cap.timing};
  for (std::size_t o = 0; o < flags.size(); ++o) row.captures_by_objective[o] += flags[o] ? 1 : 0;
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
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace fable
