// The agent-kind registry; see include/fable/agent_registry.h.
#include "fable/agent_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <tuple>

#include "fable/agent.h"

namespace fable {

namespace {

struct Registry {
  std::vector<std::unique_ptr<detail::AgentKind>> kinds;  // stable addresses
  std::vector<AgentRole> sorted;                          // canonical order
};

// Constructed on first use, so that registrars in any file may run first.
Registry& registry() {
  static Registry r;
  return r;
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace

std::string_view AgentRole::name() const {
  return kind_ ? std::string_view(kind_->name) : std::string_view();
}
std::string_view AgentRole::description() const {
  return kind_ ? std::string_view(kind_->description) : std::string_view();
}
std::string_view AgentRole::objective() const {
  return kind_ ? std::string_view(kind_->objective) : std::string_view();
}
std::span<const std::string> AgentRole::aliases() const {
  return kind_ ? std::span<const std::string>(kind_->aliases) : std::span<const std::string>();
}
int AgentRole::order() const {
  return kind_ ? kind_->order : 0;
}
std::size_t AgentRole::no_role_index() {
  return agent_roles().size();
}
bool AgentRole::in_rosters() const {
  return kind_ && kind_->make != nullptr;
}
bool AgentRole::hunt_only() const {
  return kind_ && kind_->hunt_only;
}
std::unique_ptr<Agent> AgentRole::make(std::string id) const {
  if (!in_rosters()) return nullptr;
  return kind_->make(std::move(id), *this);
}

const std::vector<AgentRole>& agent_roles() {
  return registry().sorted;
}

std::optional<AgentRole> find_agent_role(std::string_view name) {
  for (const AgentRole r : registry().sorted) {
    if (r.name() == name) return r;
  }
  for (const AgentRole r : registry().sorted) {
    const std::span<const std::string> aliases = r.aliases();
    if (std::find(aliases.begin(), aliases.end(), name) != aliases.end()) return r;
  }
  return std::nullopt;
}

std::string role_names(RoleNames which) {
  std::string names;
  std::string aliases;
  for (const AgentRole r : registry().sorted) {
    if (!r.in_rosters()) continue;
    if (which != RoleNames::kRosters && r.hunt_only()) continue;
    if (which == RoleNames::kRedTeam && !r.red_team()) continue;
    if (!names.empty()) names += ", ";
    names += r.name();
    if (r.hunt_only()) names += " (hunt only)";
    for (const std::string& alias : r.aliases()) {
      aliases += aliases.empty() ? "; aliases: " : ", ";
      aliases += fmt::format("{} ({})", alias, r.name());
    }
  }
  return names + aliases;
}

std::string roster_role_names() {
  return role_names(RoleNames::kRosters);
}

Result<AgentRole> register_agent_kind(const AgentKindInfo& info) {
  if (!valid_name(info.name)) {
    return Status::Invalid(
        fmt::format("agent kind '{}': a name is lowercase letters, digits, '_' and '-', "
                    "starting with a letter",
                    info.name));
  }
  if (find_agent_role(info.name))
    return Status::Invalid(fmt::format("agent kind '{}' is registered twice", info.name));
  std::vector<std::string> aliases;
  for (const std::string_view alias : info.aliases) {
    if (!valid_name(alias)) {
      return Status::Invalid(fmt::format(
          "agent kind '{}': alias '{}': an alias is lowercase letters, digits, '_' and '-', "
          "starting with a letter",
          info.name, alias));
    }
    if (alias == info.name || find_agent_role(alias) ||
        std::find(aliases.begin(), aliases.end(), alias) != aliases.end()) {
      return Status::Invalid(fmt::format(
          "agent kind '{}': alias '{}' is already a registered name or alias", info.name, alias));
    }
    aliases.emplace_back(alias);
  }
  Registry& reg = registry();
  reg.kinds.push_back(std::make_unique<detail::AgentKind>(detail::AgentKind{
      std::string(info.name), info.order, info.red_team, std::string(info.description),
      std::string(info.objective), info.make, std::move(aliases), info.hunt_only}));
  const AgentRole added(reg.kinds.back().get());
  reg.sorted.push_back(added);
  std::sort(reg.sorted.begin(), reg.sorted.end(), [](AgentRole a, AgentRole b) {
    return std::make_tuple(a.order(), a.name()) < std::make_tuple(b.order(), b.name());
  });
  for (const auto& kind : reg.kinds) {
    const auto at = std::find(reg.sorted.begin(), reg.sorted.end(), AgentRole(kind.get()));
    kind->index = static_cast<std::size_t>(at - reg.sorted.begin());
  }
  return added;
}

AgentRegistrar::AgentRegistrar(const AgentKindInfo& info) {
  Result<AgentRole> r = register_agent_kind(info);
  if (!r.ok()) {
    std::fprintf(stderr, "fable: cannot register an agent kind: %s\n",
                 r.status().message().c_str());
    std::abort();
  }
  role_ = *r;
}

}  // namespace fable
