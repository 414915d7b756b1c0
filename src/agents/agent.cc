// Rosters and roster strings; the roles themselves are in agent_registry.cc.
#include "fable/agent.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>

namespace fable {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The error for a role name that no roster may use.
std::string role_error(std::string_view role) {
  const std::optional<AgentRole> r = find_agent_role(role);
  if (r && !r->in_rosters()) {
    return fmt::format("role '{}' cannot be given in a roster: {}", role, r->description());
  }
  return fmt::format("unknown role '{}' (registered: {})", role, roster_role_names());
}

}  // namespace

int Roster::total() const {
  long long sum = 0;
  for (const RosterEntry& e : entries) sum += e.count;
  return static_cast<int>(std::clamp<long long>(sum, 0, std::numeric_limits<int>::max()));
}

int Roster::count(std::string_view role) const {
  // By kind, so that an entry named by an alias counts for its kind.
  const std::optional<AgentRole> kind = find_agent_role(role);
  int n = 0;
  for (const RosterEntry& e : entries) {
    if (e.role == role || (kind && find_agent_role(e.role) == kind)) n += e.count;
  }
  return n;
}

std::string Roster::to_string() const {
  std::string out;
  for (const AgentRole role : agent_roles()) {
    const int n = count(role.name());
    if (n == 0) continue;
    if (!out.empty()) out += ',';
    out += fmt::format("{}:{}", role.name(), n);
  }
  return out;
}

Status check_roster(const Roster& roster) {
  const std::string text = roster.to_string();
  auto error = [&](const std::string& what) {
    return Status::Invalid(fmt::format("roster '{}': {}", text, what));
  };
  long long total = 0;
  for (std::size_t i = 0; i < roster.entries.size(); ++i) {
    const RosterEntry& e = roster.entries[i];
    const std::optional<AgentRole> r = find_agent_role(e.role);
    if (!r || !r->in_rosters()) return error(role_error(e.role));
    for (std::size_t j = 0; j < i; ++j) {
      if (find_agent_role(roster.entries[j].role) == r)  // an alias names its kind
        return error(fmt::format("role '{}' named twice", r->name()));
    }
    if (e.count < 0 || e.count > kMaxPopulation) {
      return error(
          fmt::format("count {} for {} is out of range [0, {}]", e.count, e.role, kMaxPopulation));
    }
    total += e.count;
  }
  if (total == 0) return error("no agents (every count is 0)");
  if (total > kMaxPopulation)
    return error(fmt::format("{} agents in all; at most {}", total, kMaxPopulation));
  return Status::Ok();
}

Result<Roster> parse_roster(std::string_view text) {
  Roster roster;
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
    const std::optional<AgentRole> role = find_agent_role(role_text);
    if (!role || !role->in_rosters()) return error(role_error(role_text));
    // Entries hold canonical names: an alias is read as the kind it names.
    const std::string canonical(role->name());
    if (std::any_of(roster.entries.begin(), roster.entries.end(),
                    [&](const RosterEntry& e) { return e.role == canonical; })) {
      return error(fmt::format("role '{}' named twice", canonical));
    }
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
    roster.entries.push_back({canonical, static_cast<int>(count)});
  }
  // Canonical order: the registry's, whatever the order of the text.
  std::stable_sort(roster.entries.begin(), roster.entries.end(),
                   [](const RosterEntry& a, const RosterEntry& b) {
                     return find_agent_role(a.role)->index() < find_agent_role(b.role)->index();
                   });
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
