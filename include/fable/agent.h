// Agents: honest citizens, the red team, and scripted replayers.
//
// Every agent sits behind one interface: before each turn it gets an
// Observation (the public world after the previous turn, who it is, and the
// red team's shared view if it belongs to the red team) and its own random
// stream, and fills a Plan; after the turn it observes the fresh events that
// concern it (its own, and those about proposals it opened). Agent kinds
// register by role name (fable/agent_registry.h). `make_population` and roster
// strings ("honest:8,drainer:2") build populations with stable, readable ids:
// `honest-01`, `drainer-01`, ..., the roles' groups in the registry's
// canonical order. Red-team agents (drainer, entrencher, suppressor) plan with the legality
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
#include "fable/agent_registry.h"
#include "fable/event.h"
#include "fable/population.h"
#include "fable/random.h"
#include "fable/status.h"
#include "fable/team.h"
#include "fable/world.h"

namespace fable {

// The role whose welfare and voice the metrics and detectors measure as "the
// honest faction" (docs/metrics.md).
inline constexpr std::string_view kHonestRole = "honest";

// Shorthands for the registered facts of a role.
// The role name: "honest", "drainer", ...
inline std::string_view agent_role_name(AgentRole r) {
  return r.name();
}
inline bool is_red_team(AgentRole r) {
  return r.red_team();
}
// The objective of a role in one sentence (recorded in traces).
inline std::string_view role_objective(AgentRole r) {
  return r.objective();
}

struct Observation {
  const WorldState& world;
  AgentIndex self;
  const TeamView* team;  // the red team, refreshed for this turn; nullptr for others
  int plan_length;
  // How honest citizens behave this episode (fable/population.h); nullptr
  // means the naive model.
  const PopulationModel* population = nullptr;
  // Indices of the participants playing the honest role, ascending: the
  // peers an honest citizen may trust with its vote.
  std::span<const AgentIndex> honest = {};
};

class Agent {
 public:
  Agent(std::string id, AgentRole role) : id_(std::move(id)), role_(role) {}
  virtual ~Agent() = default;
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
  // A copy of this agent as it stands, with everything it remembers of the
  // episode so far, for a search that saves an episode and continues copies
  // of it (EpisodePlay, the hunt's lookahead): the copy then plays exactly as
  // this agent would from here. nullptr when the kind cannot be copied (the
  // default); callers must then replay the episode from turn 1 instead.
  virtual std::unique_ptr<Agent> clone() const { return nullptr; }
  // Becomes what other.clone() would be, in place, when `other` is an agent
  // of this one's kind with the same id: true then. False, changing nothing,
  // when it is not or when the kind has no such copy (the default): the
  // caller then uses clone(). A search that restores saved agents for every
  // continuation it tries (the hunt's lookahead) copies into the agents it
  // has instead of making new ones.
  virtual bool assign_from(const Agent& other) {
    (void)other;
    return false;
  }

 protected:
  // For clone(): a kind copies itself whole; nobody else copies an agent.
  Agent(const Agent&) = default;

 private:
  std::string id_;
  AgentRole role_;
};

using Population = std::vector<std::unique_ptr<Agent>>;

// One group of a roster: a registered role name and how many agents play it.
struct RosterEntry {
  std::string role;
  int count = 0;
  friend bool operator==(const RosterEntry&, const RosterEntry&) = default;
};

// A roster: how many agents of each role. parse_roster keeps the entries in
// the registry's canonical order; to_string and make_population use that
// order whatever the order of the entries.
struct Roster {
  std::vector<RosterEntry> entries;

  int total() const;
  int count(std::string_view role) const;  // 0 for a role not in the roster
  // "honest:5,drainer:2": canonical order, roles with no agent left out.
  std::string to_string() const;
  friend bool operator==(const Roster&, const Roster&) = default;
};

inline constexpr int kMaxPopulation = 100000;

// "honest:8,drainer:2": role names registered for rosters (roster_role_names())
// or their aliases, kept under the canonical name ("treasury_drainer:2" reads
// as drainer:2); counts 0..kMaxPopulation, each role at most once (under any
// of its names), at least one agent in all. An unknown role is an error that
// lists the registered ones.
Result<Roster> parse_roster(std::string_view text);

// The rules parse_roster enforces, for a roster built in code or read from a
// config: every role registered for rosters and named once, counts
// 0..kMaxPopulation, 1..kMaxPopulation agents in all.
Status check_roster(const Roster& roster);

// Agents in the registry's canonical role order, each role's ids numbered
// from 01 (`honest-01`, ..., `drainer-01`, ...). Throws std::invalid_argument
// for a role that is not registered for rosters (check_roster first).
Population make_population(const Roster& roster);
// Shorthand for the four built-in kinds: honest, drainer, entrencher, suppressor.
Population make_population(int honest, int drainers, int entrenchers, int suppressors);

// Hands each fresh event to the agents it concerns (Agent::observe): its actor
// and the opener of the proposal it is about, each once, in log order.
void deliver_events(Population& agents, const std::vector<Proposal>& proposals,
                    std::span<const Event> fresh);

// Make one agent by role name: a kind registered for rosters (not "scripted":
// see script.h).
Result<std::unique_ptr<Agent>> make_agent(std::string_view role, std::string id);

}  // namespace fable
