// Populations: make_population, make_agent and readable ids.
#include <fmt/format.h>

#include <memory>

#include "agents/red_team.h"
#include "fable/agent.h"

namespace fable {

namespace {

// Two digits, or as many as the largest number of the role needs.
int id_width(int count) {
  int digits = 1;
  for (int n = count; n >= 10; n /= 10) ++digits;
  return digits < 2 ? 2 : digits;
}

std::unique_ptr<Agent> make_role(AgentRole role, std::string id) {
  switch (role) {
    case AgentRole::kHonest:
      return red::make_honest(std::move(id));
    case AgentRole::kDrainer:
      return red::make_drainer(std::move(id));
    case AgentRole::kEntrencher:
      return red::make_entrencher(std::move(id));
    case AgentRole::kSuppressor:
      return red::make_suppressor(std::move(id));
    case AgentRole::kScripted:
      break;
  }
  return nullptr;
}

}  // namespace

Population make_population(int honest, int drainers, int entrenchers, int suppressors) {
  Population out;
  const std::pair<AgentRole, int> groups[] = {{AgentRole::kHonest, honest},
                                              {AgentRole::kDrainer, drainers},
                                              {AgentRole::kEntrencher, entrenchers},
                                              {AgentRole::kSuppressor, suppressors}};
  for (const auto& [role, count] : groups) {
    const int width = id_width(count);
    for (int k = 1; k <= count; ++k) {
      out.push_back(make_role(role, fmt::format("{}-{:0{}d}", agent_role_name(role), k, width)));
    }
  }
  return out;
}

Population make_population(const Roster& roster) {
  return make_population(roster.honest, roster.drainers, roster.entrenchers, roster.suppressors);
}

Result<std::unique_ptr<Agent>> make_agent(std::string_view role, std::string id) {
  if (id.empty()) return Status::Invalid(fmt::format("agent of role '{}': empty id", role));
  const std::optional<AgentRole> r = find_agent_role(role);
  if (!r) {
    return Status::Invalid(fmt::format(
        "unknown agent role '{}' (expected honest, drainer, entrencher or suppressor)", role));
  }
  if (*r == AgentRole::kScripted) {
    return Status::Invalid(
        "agent role 'scripted' needs a script: construct a ScriptedAgent (fable/script.h)");
  }
  return make_role(*r, std::move(id));
}

}  // namespace fable
