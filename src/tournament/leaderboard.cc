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

void Leaderboard::save(ByteWriter& w) const {
  w.u64(by_matchup_.size());
  for (const auto& [name, s] : by_matchup_) {
    const LeaderboardRow& row = s.row;
    w.str(name);
    w.i32(row.episodes);
    w.f64(row.worst_empathy_trough);
    w.f64(row.min_worst_off_welfare);
    w.i32(row.total_findings);
    w.i32(row.episodes_with_findings);
    for (const int n : row.findings_by_category) w.i32(n);
    for (const int n : row.episodes_with_category) w.i32(n);
    for (const double v : {s.score, s.ratio, s.treasury, s.floor, s.worst_off, s.gini, s.retention,
                           s.participation}) {
      w.f64(v);
    }
    w.i32(s.captured);
    for (const int n : s.captured_by_objective) w.i32(n);
    w.u64(s.secondaries.size());
    for (const double v : s.secondaries) w.f64(v);
  }
}

void Leaderboard::load(ByteReader& r) {
  by_matchup_.clear();
  const std::size_t n = r.count(8);
  for (std::size_t i = 0; i < n && r.ok(); ++i) {
    std::string name = r.text();
    Sums& s = by_matchup_[name];
    LeaderboardRow& row = s.row;
    row.matchup = name;
    row.episodes = r.i32();
    if (row.episodes < 1) r.fail();
    row.worst_empathy_trough = r.f64();
    row.min_worst_off_welfare = r.f64();
    row.total_findings = r.i32();
    row.episodes_with_findings = r.i32();
    for (int& c : row.findings_by_category) c = r.i32();
    for (int& c : row.episodes_with_category) c = r.i32();
    for (double* v : {&s.score, &s.ratio, &s.treasury, &s.floor, &s.worst_off, &s.gini,
                      &s.retention, &s.participation}) {
      *v = r.f64();
    }
    s.captured = r.i32();
    for (int& c : s.captured_by_objective) c = r.i32();
    const std::size_t k = r.count(8);
    if (k != secondaries_.size() && k != 0) r.fail();
    s.secondaries.assign(k, 0.0);
    for (double& v : s.secondaries) v = r.f64();
  }
  if (!r.ok()) by_matchup_.clear();
}

}  // namespace fable
