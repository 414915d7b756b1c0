// Agents: honest citizens, the red team, and scripted replayers.
//
// Every agent sits behind one interface: before each turn it gets an
// Observation (the public world after the previous turn, who it is, and the
// red team's shared view if it belongs to the red team) and its own random
// stream, and fills a Plan; after the turn it observes the fresh events that
// concern it (its own, and those about proposals it opened). Agents register by
// role name. `make_population` and roster strings ("honest:8,drainer:2")
// build populations with stable, readable ids: `honest-01`, `drainer-01`, ...
// Red-team agents (drainer, entrencher, suppressor) plan with the legality
// engine, look ahead to the tally of what they propose, and remember which
// clause refused a move so that they try another route instead of retrying.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fable/action.h"
#include "fable/event.h"
#include "fable/random.h"
#include "fable/status.h"
#include "fable/team.h"
#include "fable/world.h"

namespace fable {

enum class AgentRole : std::uint8_t { kHonest = 0, kDrainer, kEntrencher, kSuppressor, kScripted };
inline constexpr int kAgentRoleCount = 5;
std::string_view agent_role_name(AgentRole r);  // "honest", "drainer", ...
std::optional<AgentRole> find_agent_role(std::string_view name);
bool is_red_team(AgentRole r);  // drainer, entrencher, suppressor
// The objective of a role in one sentence (recorded in traces).
std::string_view role_objective(AgentRole r);

struct Observation {
  const WorldState& world;
  AgentIndex self;
  const TeamView* team;  // the red team, refreshed for this turn; nullptr for others
  int plan_length;
};

class Agent {
 public:
  Agent(std::string id, AgentRole role) : id_(std::move(id)), role_(role) {}
  virtual ~Agent() = default;
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  const std::string& id() const { return id_; }
  AgentRole role() const { return role_; }
  // The role this agent plays in the episode: its own, or for a scripted
  // stand-in the role of the agent it replaces. Traces, teams and
  // fingerprints use this one.
  virtual AgentRole plays() const { return role_; }

  // Fill `plan` (given empty) with at most obs.plan_length actions.
  // An agent may play many episodes in a row (a tournament worker reuses its
  // population within a matchup): when obs.world.turn is 1 it must forget the
  // previous episode, so that what it plays depends only on this episode's
  // observations and `rng`, never on which episodes the same object played.
  virtual void act(const Observation& obs, Rng& rng, Plan& plan) = 0;
  // Each event of the turn just played that concerns this agent, in log
  // order: those it is the actor of, and those about a proposal it opened.
  // Routing only these keeps a turn linear in the events, whatever the
  // population (see deliver_events).
  virtual void observe(const Event& event) { (void)event; }

 private:
  std::string id_;
  AgentRole role_;
};

using Population = std::vector<std::unique_ptr<Agent>>;

// A roster: how many agents of each role, in canonical role order.
struct Roster {
  int honest = 0;
  int drainers = 0;
  int entrenchers = 0;
  int suppressors = 0;
  int total() const { return honest + drainers + entrenchers + suppressors; }
  std::string to_string() const;  // "honest:5,drainer:2"
};

inline constexpr int kMaxPopulation = 100000;

// "honest:8,drainer:2": roles honest|drainer|entrencher|suppressor, counts
// 0..kMaxPopulation, each role at most once, at least one agent in all.
Result<Roster> parse_roster(std::string_view text);

// Agents in order: honest, drainers, entrenchers, suppressors.
Population make_population(int honest, int drainers, int entrenchers, int suppressors);
Population make_population(const Roster& roster);

// Hands each fresh event to the agents it concerns (Agent::observe): its actor
// and the opener of the proposal it is about, each once, in log order.
void deliver_events(Population& agents, const std::vector<Proposal>& proposals,
                    std::span<const Event> fresh);

// Make one agent by role name (not "scripted": see script.h).
Result<std::unique_ptr<Agent>> make_agent(std::string_view role, std::string id);

}  // namespace fable
