// Agent roles and roster strings.
#include "fable/agent.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace fable {

namespace {
constexpr std::string_view kRoleNames[kAgentRoleCount] = {"honest", "drainer", "entrencher",
                                                          "suppressor", "scripted"};
}  // namespace

std::string_view agent_role_name(AgentRole r) {
  return kRoleNames[static_cast<int>(r)];
}

std::optional<AgentRole> find_agent_role(std::string_view name) {
  for (int i = 0; i < kAgentRoleCount; ++i) {
    if (kRoleNames[i] == name) return static_cast<AgentRole>(i);
  }
  return std::nullopt;
}

bool is_red_team(AgentRole r) {
  return r == AgentRole::kDrainer || r == AgentRole::kEntrencher || r == AgentRole::kSuppressor;
}

std::string_view role_objective(AgentRole r) {
  switch (r) {
    case AgentRole::kHonest:
      return "maximise common welfare";
    case AgentRole::kDrainer:
      return "move more than half the initial treasury to red-team recipients, legally";
    case AgentRole::kEntrencher:
      return "make its bloc impossible to remove or out-vote";
    case AgentRole::kSuppressor:
      return "cut the honest faction's voice below half the population mean";
    case AgentRole::kScripted:
      return "replay a recorded action script";
  }
  return "";
}

std::string Roster::to_string() const {
  std::string out;
  auto add = [&](std::string_view role, int count) {
    if (count == 0) return;
    if (!out.empty()) out += ',';
    out += fmt::format("{}:{}", role, count);
  };
  add("honest", honest);
  add("drainer", drainers);
  add("entrencher", entrenchers);
  add("suppressor", suppressors);
  return out;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<Roster> parse_roster(std::string_view text) {
  Roster roster;
  bool seen[kAgentRoleCount] = {};
  auto error = [&](const std::string& what) {
    return Status::Invalid(fmt::format("roster '{}': {}", text, what));
  };
  if (trim(text).empty())
    return error("empty; expected ROLE:COUNT[,ROLE:COUNT...], e.g. honest:8,drainer:2");
  std::size_t pos = 0;
  int index = 0;
  while (pos <= text.size()) {
    ++index;
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    const std::string_view entry = trim(text.substr(pos, comma - pos));
    pos = comma + 1;
    if (entry.empty()) return error(fmt::format("entry {} is empty (stray comma?)", index));
    const std::size_t colon = entry.find(':');
    if (colon == std::string_view::npos) {
      return error(fmt::format("'{}' is not ROLE:COUNT (missing ':')", entry));
    }
    const std::string_view role_text = trim(entry.substr(0, colon));
    const std::string_view count_text = trim(entry.substr(colon + 1));
    const auto role = find_agent_role(role_text);
    if (role == AgentRole::kScripted) {
      return error(
          "role 'scripted' cannot be given in a roster: scripted agents replay a recorded script");
    }
    if (!role) {
      return error(
          fmt::format("unknown role '{}' (honest, drainer, entrencher, suppressor)", role_text));
    }
    if (seen[static_cast<int>(*role)])
      return error(fmt::format("role '{}' named twice", role_text));
    seen[static_cast<int>(*role)] = true;
    long long count = -1;
    const auto [end, ec] =
        std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
    if (count_text.empty() || (ec != std::errc() && ec != std::errc::result_out_of_range) ||
        end != count_text.data() + count_text.size()) {
      return error(fmt::format("count '{}' for {} is not a whole number", count_text, role_text));
    }
    if (ec == std::errc::result_out_of_range || count < 0 || count > kMaxPopulation) {
      return error(fmt::format("count {} for {} is out of range [0, {}]", count_text, role_text,
                               kMaxPopulation));
    }
    const int n = static_cast<int>(count);
    switch (*role) {
      case AgentRole::kHonest:
        roster.honest = n;
        break;
      case AgentRole::kDrainer:
        roster.drainers = n;
        break;
      case AgentRole::kEntrencher:
        roster.entrenchers = n;
        break;
      case AgentRole::kSuppressor:
        roster.suppressors = n;
        break;
      case AgentRole::kScripted:
        break;
    }
  }
  if (roster.total() == 0) return error("no agents (every count is 0)");
  if (roster.total() > kMaxPopulation) {
    return error(fmt::format("{} agents in all; at most {}", roster.total(), kMaxPopulation));
  }
  return roster;
}

}  // namespace fable

namespace fable {

void deliver_events(Population& agents, const std::vector<Proposal>& proposals,
                    std::span<const Event> fresh) {
  const auto n = static_cast<AgentIndex>(agents.size());
  for (const Event& e : fresh) {
    if (e.actor >= 0 && e.actor < n) agents[static_cast<std::size_t>(e.actor)]->observe(e);
    if (e.proposal < 0 || static_cast<std::size_t>(e.proposal) >= proposals.size()) continue;
    const AgentIndex opener = proposals[static_cast<std::size_t>(e.proposal)].proposer;
    if (opener != e.actor && opener >= 0 && opener < n) {
      agents[static_cast<std::size_t>(opener)]->observe(e);
    }
  }
}

}  // namespace fable
