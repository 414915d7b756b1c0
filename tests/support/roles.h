// Role handles by name for tests: role_named("drainer") is the registered kind,
// and a name that is not registered fails the test loudly (it throws).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fable/agent.h"

namespace fable::testing {

inline AgentRole role_named(std::string_view name) {
  const std::optional<AgentRole> r = find_agent_role(name);
  if (!r) throw std::invalid_argument("no agent kind is registered as '" + std::string(name) + "'");
  return *r;
}

}  // namespace fable::testing
