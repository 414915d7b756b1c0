// The population model as JSON; see population_json.h.
#include "base/population_json.h"

#include <fmt/format.h>

namespace fable {

json_util::json population_json(const PopulationModel& m) {
  return json_util::json{{"preset", m.preset},
                         {"turnout_turn", m.turnout_turn},
                         {"turnout_proposal", m.turnout_proposal},
                         {"attention", m.attention},
                         {"latency_min", m.latency_min},
                         {"latency_max", m.latency_max},
                         {"vigilance", m.vigilance},
                         {"vigilance_bound", m.vigilance_bound},
                         {"delegation", m.delegation},
                         {"exit_below", m.exit_below}};
}

PopulationModel population_from(json_read::Obj o) {
  PopulationModel m;
  m.preset = o.name("preset");
  m.turnout_turn = o.number("turnout_turn");
  m.turnout_proposal = o.number("turnout_proposal");
  m.attention = o.number("attention");
  m.latency_min = static_cast<int>(o.integer("latency_min", 0, kMaxLatencyTurns));
  m.latency_max = static_cast<int>(o.integer("latency_max", 0, kMaxLatencyTurns));
  m.vigilance = o.number("vigilance");
  m.vigilance_bound = o.number("vigilance_bound");
  m.delegation = o.number("delegation");
  m.exit_below = o.number("exit_below");
  o.done();
  // The message starts with "population.<field>"; the path names where the object is.
  if (Status st = check_population(m); !st.ok()) json_read::fail(o.path(), st.message());
  // A preset's name stands for its figures; fields set over a preset are "custom".
  if (m.preset != "custom") {
    const Result<PopulationModel> named = find_population_preset(m.preset, "population.preset");
    if (!named.ok()) {
      json_read::fail(o.path(),
                      fmt::format("population.preset: '{}' is neither a preset ({}) nor custom",
                                  m.preset, population_preset_names()));
    }
    PopulationModel as_named = *named;
    as_named.preset = m.preset;
    if (!(as_named == m)) {
      json_read::fail(o.path(), fmt::format("population.preset: '{}' with other figures than the "
                                            "preset's (fields set over a preset are 'custom')",
                                            m.preset));
    }
  }
  return m;
}

}  // namespace fable
