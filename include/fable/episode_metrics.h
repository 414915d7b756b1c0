// Named per-episode metrics: the figures a tournament can average per matchup
// as "secondary" columns of its leaderboard (TournamentConfig::
// secondary_metrics), each a number read from an episode's score.
//
// Every value comes from EpisodeScore (fable/metrics.h, docs/metrics.md) and,
// for treasury_retention, the run's initial treasury; nothing here re-reads a
// trace. The names are the EpisodeScore field names, plus worst_off_welfare
// (the seed's name for the final empathy floor) and treasury_retention. A
// config format with other names (the seed's `participation_rate`, ...) maps
// them onto these, or adds a row here with its formula in docs/metrics.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fable/metrics.h"

namespace fable {

// The share of the initial treasury left at the end: treasury_final /
// initial_treasury, both in units. Above 1 when the treasury gained more than
// it paid out; 1 when the initial treasury is 0 or less (nothing to lose).
double treasury_retention(double treasury_final, double initial_treasury);

struct EpisodeMetric {
  std::string_view name;     // "worst_off_welfare", "gini", ...
  std::string_view meaning;  // one line, with the unit
  // The value for one episode; `initial_treasury` in units.
  double (*value)(const EpisodeScore& score, double initial_treasury);
};

// Every named metric, in the order docs/leaderboard-format.md lists them.
const std::vector<EpisodeMetric>& episode_metrics();

// The metric called `name`, or nullptr.
const EpisodeMetric* find_episode_metric(std::string_view name);

// "governance_score, worst_off_welfare, ...": for error messages.
std::string episode_metric_names();

}  // namespace fable
