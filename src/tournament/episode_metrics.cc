// The catalogue of named per-episode metrics; see include/fable/episode_metrics.h.
#include "fable/episode_metrics.h"

namespace fable {

double treasury_retention(double treasury_final, double initial_treasury) {
  return initial_treasury > 0.0 ? treasury_final / initial_treasury : 1.0;
}

const std::vector<EpisodeMetric>& episode_metrics() {
  static const std::vector<EpisodeMetric> metrics{
      {"governance_score", "0..100, worst-off first, x (1 - captured share)",
       [](const EpisodeScore& s, double) { return s.governance_score; }},
      {"worst_off_welfare", "the empathy floor after the last turn, 0..1",
       [](const EpisodeScore& s, double) { return s.empathy_floor_final; }},
      {"empathy_floor_trough", "the lowest empathy floor over the episode, 0..1",
       [](const EpisodeScore& s, double) { return s.empathy_floor_trough; }},
      {"empathy_ratio", "final floor / final mean welfare",
       [](const EpisodeScore& s, double) { return s.empathy_ratio; }},
      {"gini", "Gini coefficient of final wealth, 0..1",
       [](const EpisodeScore& s, double) { return s.gini; }},
      {"herfindahl", "concentration of final voting power, 0..1",
       [](const EpisodeScore& s, double) { return s.herfindahl; }},
      {"max_drawdown", "largest treasury fall from a peak, fraction of the peak",
       [](const EpisodeScore& s, double) { return s.max_drawdown; }},
      {"participation", "ballots cast / ballots the rolls allowed, 0..1",
       [](const EpisodeScore& s, double) { return s.participation; }},
      {"minority_participation",
       "ballots cast outside the red team / its citizens not exited at each opening, 0..1",
       [](const EpisodeScore& s, double) { return s.minority_participation; }},
      {"procedural_legitimacy",
       "1 - passed proposals called, tallied in their opening turn or bundled / passed, 0..1",
       [](const EpisodeScore& s, double) { return s.procedural_legitimacy; }},
      {"treasury_final", "treasury after the last turn, units",
       [](const EpisodeScore& s, double) { return s.treasury_final; }},
      {"treasury_retention", "treasury_final / initial treasury",
       [](const EpisodeScore& s, double initial) {
         return treasury_retention(s.treasury_final, initial);
       }},
  };
  return metrics;
}

const EpisodeMetric* find_episode_metric(std::string_view name) {
  for (const EpisodeMetric& m : episode_metrics()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::string episode_metric_names() {
  std::string out;
  for (const EpisodeMetric& m : episode_metrics()) {
    if (!out.empty()) out += ", ";
    out += m.name;
  }
  return out;
}

}  // namespace fable
