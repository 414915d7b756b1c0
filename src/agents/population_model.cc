// The population model's presets and range checks (fable/population.h,
// docs/population.md gives the figures and where they come from).
#include "fable/population.h"

#include <fmt/format.h>

#include <cmath>

#include "base/safe_name.h"

namespace fable {

namespace {

// One row of the preset table of docs/population.md, in its column order:
// turnout (per turn, per proposal), attention, latency (min..max turns),
// vigilance (share, bound), delegation, exit_below.
PopulationModel preset(std::string name, double turnout_turn, double turnout_proposal,
                       double attention, int latency_min, int latency_max, double vigilance,
                       double vigilance_bound, double delegation, double exit_below) {
  return PopulationModel{.preset = std::move(name),
                         .turnout_turn = turnout_turn,
                         .turnout_proposal = turnout_proposal,
                         .attention = attention,
                         .latency_min = latency_min,
                         .latency_max = latency_max,
                         .vigilance = vigilance,
                         .vigilance_bound = vigilance_bound,
                         .delegation = delegation,
                         .exit_below = exit_below};
}

Status fraction(std::string_view field, double v) {
  if (std::isfinite(v) && v >= 0.0 && v <= 1.0) return Status::Ok();
  return Status::Invalid(fmt::format("population.{}: {} is out of range [0, 1]", field, v));
}

}  // namespace

bool PopulationModel::naive() const {
  PopulationModel m = *this;
  m.preset = "naive";
  return m == PopulationModel{};
}

const std::vector<PopulationModel>& population_presets() {
  static const std::vector<PopulationModel> presets{
      // The honest citizen before the model existed: the defaults.
      PopulationModel{},
      // A small self-governing assembly that meets: a worker cooperative's
      // general meeting, a club, a town meeting of a small place. Most members
      // come and vote; many read the papers; a few watch the rules closely.
      preset("assembly", 0.9, 0.85, 0.6, 0, 1, 0.25, 0.75, 0.05, 0.7),
      // A token vote (DAO governance): few holders vote on any one proposal,
      // fewer read it through, many hand their weight to a delegate, and
      // holders leave (sell) when the commons they hold a share of loses value.
      preset("token-vote", 0.6, 0.3, 0.1, 0, 1, 0.05, 0.75, 0.4, 0.8)};
  return presets;
}

PopulationModel default_population() {
  for (const PopulationModel& m : population_presets()) {
    if (m.preset == kDefaultPopulationPreset) return m;
  }
  return PopulationModel{};  // unreachable: the default is one of the presets
}

std::string population_preset_names() {
  std::string out;
  for (const PopulationModel& m : population_presets()) {
    if (!out.empty()) out += ", ";
    out += m.preset;
  }
  return out;
}

Result<PopulationModel> find_population_preset(std::string_view name, std::string_view where) {
  for (const PopulationModel& m : population_presets()) {
    if (m.preset == name) return m;
  }
  return Status::Invalid(fmt::format("{}: unknown population preset '{}' (known: {})", where,
                                     printable(name), population_preset_names()));
}

Status check_population(const PopulationModel& m) {
  const std::pair<std::string_view, double> fractions[] = {{"turnout_turn", m.turnout_turn},
                                                           {"turnout_proposal", m.turnout_proposal},
                                                           {"attention", m.attention},
                                                           {"vigilance", m.vigilance},
                                                           {"vigilance_bound", m.vigilance_bound},
                                                           {"delegation", m.delegation},
                                                           {"exit_below", m.exit_below}};
  for (const auto& [field, v] : fractions) {
    if (Status st = fraction(field, v); !st.ok()) return st;
  }
  if (m.latency_min < 0 || m.latency_min > kMaxLatencyTurns) {
    return Status::Invalid(fmt::format("population.latency_min: {} is out of range [0, {}]",
                                       m.latency_min, kMaxLatencyTurns));
  }
  if (m.latency_max < m.latency_min || m.latency_max > kMaxLatencyTurns) {
    return Status::Invalid(
        fmt::format("population.latency_max: {} is out of range [latency_min = {}, {}]",
                    m.latency_max, m.latency_min, kMaxLatencyTurns));
  }
  return Status::Ok();
}

}  // namespace fable
