// Populations: make_population, make_agent and readable ids.
#include <fmt/format.h>

#include <memory>
#include <stdexcept>

#include "fable/agent.h"

namespace fable {

namespace {

// Two digits, or as many as the largest number of the role needs.
int id_width(int count) {
  int digits = 1;
  for (int n = count; n >= 10; n /= 10) ++digits;
  return digits < 2 ? 2 : digits;
}

}  // namespace

Population make_population(const Roster& roster) {
  for (const RosterEntry& e : roster.entries) {
    const std::optional<AgentRole> role = find_agent_role(e.role);
    if (!role || !role->in_rosters()) {
      throw std::invalid_argument(
          fmt::format("make_population: role '{}' is not registered for rosters (registered: {})",
                      e.role, roster_role_names()));
    }
  }
  Population out;
  for (const AgentRole role : agent_roles()) {
    const int count = roster.count(role.name());
    const int width = id_width(count);
    for (int k = 1; k <= count; ++k) {
      out.push_back(role.make(fmt::format("{}-{:0{}d}", role.name(), k, width)));
    }
  }
  return out;
}

Population make_population(int honest, int drainers, int entrenchers, int suppressors) {
  return make_population(Roster{{{"honest", honest},
                                 {"drainer", drainers},
                                 {"entrencher", entrenchers},
                                 {"suppressor", suppressors}}});
}

Result<std::unique_ptr<Agent>> make_agent(std::string_view role, std::string id) {
  if (id.empty()) return Status::Invalid(fmt::format("agent of role '{}': empty id", role));
  const std::optional<AgentRole> r = find_agent_role(role);
  if (!r) {
    return Status::Invalid(
        fmt::format("unknown agent role '{}' (registered: {})", role, roster_role_names()));
  }
  if (!r->in_rosters()) {
    return Status::Invalid(fmt::format(
        "agent role '{}' needs a script: construct a ScriptedAgent (fable/script.h)", role));
  }
  return r->make(std::move(id));
}

}  // namespace fable
