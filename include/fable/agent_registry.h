// Agent kinds by name: the registry that rosters, configs, records and traces read.
//
// Every agent kind registers itself in its own source file with one line:
//
//   FABLE_REGISTER_AGENT({.name = "drainer", .order = 10, .red_team = true,
//                         .description = "...", .objective = "...",
//                         .make = make_agent_of<Drainer>});
//
// The registry lists kinds in canonical order: by `order`, then by name. That
// order, never the order in which files happen to register (static
// initialisation order across files is unspecified), decides the order of a
// roster's groups, of a population (`honest-01`... before `drainer-01`...) and
// of `fable-selfplay list agents`. An `AgentRole` is a handle to one
// registered kind: cheap to copy, compared by identity, valid for the life of
// the program. Kinds without a factory (the scripted replayer) exist in traces
// and listings but cannot be named in a roster.
//
// Aliases. A kind may also answer to other names (`.aliases = {"treasury_drainer"}`:
// the seed's config names for our kinds). A name read by alias resolves to
// the same AgentRole, so whatever reads a role name (rosters, tournament
// configs, traces, records) accepts it, and everything written afterwards
// uses the canonical name: outputs never depend on the spelling typed.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fable/status.h"

namespace fable {

class Agent;
class AgentRole;

// Makes one agent of a kind: its id ("drainer-01") and the role handle of the
// kind, which the agent passes to Agent's constructor.
using AgentFactory = std::unique_ptr<Agent> (*)(std::string id, AgentRole role);

// What one registration says about an agent kind.
struct AgentKindInfo {
  // The role name in rosters, configs, traces and records: lowercase letters,
  // digits, '_' and '-', starting with a letter.
  std::string_view name;
  int order = 0;                 // canonical order key (ties broken by name)
  bool red_team = false;         // plays for the red team (shares the team view, forms its bloc)
  std::string_view description;  // one line, for `list agents`
  std::string_view objective;    // one sentence, recorded in traces
  AgentFactory make = nullptr;   // nullptr: not in rosters (the scripted replayer)
  // Other names of the kind, by the same rule as `name`; each unique among
  // every registered name and alias. Never written anywhere but listings.
  std::vector<std::string_view> aliases = {};
  // Plays only what the hunt's search chooses (the `attacker`): a roster for
  // `hunt` may name it; tournaments, runs and configs refuse it, since on its
  // own it does nothing.
  bool hunt_only = false;
};

namespace detail {
// A registered kind, owned by the registry (agent_registry.cc) for the life of
// the program. Defined here only so that AgentRole's hot accessors (red_team,
// index: read per citizen per turn by detectors) inline; use AgentRole.
struct AgentKind {
  std::string name;
  int order = 0;
  bool red_team = false;
  std::string description;
  std::string objective;
  AgentFactory make = nullptr;
  std::vector<std::string> aliases;
  bool hunt_only = false;
  std::size_t index = 0;
};
}  // namespace detail

// A handle to a registered agent kind. The default handle is "no role": its
// name is empty and it is not red team.
class AgentRole {
 public:
  AgentRole() = default;
  explicit AgentRole(const detail::AgentKind* kind) : kind_(kind) {}

  explicit operator bool() const { return kind_ != nullptr; }
  std::string_view name() const;
  std::string_view description() const;
  std::string_view objective() const;
  // Its aliases in registration order (empty for most kinds).
  std::span<const std::string> aliases() const;
  bool red_team() const { return kind_ && kind_->red_team; }
  int order() const;
  // Position in agent_roles() (canonical order); agent_roles().size() for no role.
  std::size_t index() const { return kind_ ? kind_->index : no_role_index(); }
  // Whether a roster may name it (it has a factory).
  bool in_rosters() const;
  // Whether only a hunt may play it (AgentKindInfo::hunt_only).
  bool hunt_only() const;
  // A new agent of this kind; nullptr for a kind without a factory.
  std::unique_ptr<Agent> make(std::string id) const;

  friend bool operator==(AgentRole a, AgentRole b) { return a.kind_ == b.kind_; }

 private:
  static std::size_t no_role_index();  // agent_roles().size()
  const detail::AgentKind* kind_ = nullptr;
};

// Every registered kind, in canonical order (order key, then name).
const std::vector<AgentRole>& agent_roles();
// The kind registered under `name`, as its canonical name or one of its
// aliases; nullopt if none is.
std::optional<AgentRole> find_agent_role(std::string_view name);
// Which kinds a list of role names for a message holds (role_names).
enum class RoleNames {
  kRosters,      // every kind a roster may name; hunt-only kinds marked "(hunt only)"
  kTournaments,  // the kinds a tournament, run or config may name: no hunt-only kind
  kRedTeam,      // kTournaments without the kinds that are not red team (honest)
};
// The kinds of `which` in canonical order, then the aliases each accepts, for
// error messages about a role name: "honest, drainer, entrencher, ...;
// aliases: treasury_drainer (drainer), entrenchment_engineer (entrencher), ...".
// No "; aliases:" part when none of the kinds has one.
std::string role_names(RoleNames which);
// role_names(RoleNames::kRosters): "honest, drainer, ..., attacker (hunt only);
// aliases: treasury_drainer (drainer), ...".
std::string roster_role_names();

// Adds a kind. Fails (and registers nothing) on a malformed or duplicate name
// or alias (a name or alias already registered as either).
// Kinds register at static initialisation (FABLE_REGISTER_AGENT); a kind
// registered later re-sorts the registry, moving the index() of kinds after it.
Result<AgentRole> register_agent_kind(const AgentKindInfo& info);

// Static registration: registers at construction; a failure is a build defect,
// reported on stderr before the program aborts.
class AgentRegistrar {
 public:
  explicit AgentRegistrar(const AgentKindInfo& info);
  AgentRole role() const { return role_; }

 private:
  AgentRole role_;
};

// The factory of an agent class constructible from (std::string id, AgentRole role).
template <class T>
std::unique_ptr<Agent> make_agent_of(std::string id, AgentRole role) {
  return std::make_unique<T>(std::move(id), role);
}

#define FABLE_REGISTRY_CONCAT_(a, b) a##b
#define FABLE_REGISTRY_NAME_(a, b) FABLE_REGISTRY_CONCAT_(a, b)

// One line in the kind's source file: FABLE_REGISTER_AGENT({.name = ..., ...});
#define FABLE_REGISTER_AGENT(...)                                             \
  [[maybe_unused]] static const ::fable::AgentRegistrar FABLE_REGISTRY_NAME_( \
      fable_agent_registrar_, __COUNTER__)(::fable::AgentKindInfo __VA_ARGS__)

}  // namespace fable
