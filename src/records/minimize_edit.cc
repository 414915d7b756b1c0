// Edits of a reproduction for the minimiser; see src/records/minimize_edit.h.
#include "records/minimize_edit.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>

#include "base/id_table.h"

namespace fable::minimize_edit {

namespace {

// A citizen's place in a roster: its role and its 0-based number in the role.
struct Slot {
  std::string role;
  int ordinal = 0;
  friend auto operator<=>(const Slot&, const Slot&) = default;
};

std::vector<Slot> slots(const Roster& roster) {
  std::vector<Slot> out;
  std::map<std::string, int, std::less<>> seen;
  for (const auto& agent : make_population(roster)) {
    std::string role(agent->role().name());
    const int ordinal = seen[role]++;
    out.push_back({std::move(role), ordinal});
  }
  return out;
}

Action remap_action(Action a, const std::vector<AgentIndex>& to) {
  const auto map = [&](AgentIndex& i) {
    if (i >= 0 && static_cast<std::size_t>(i) < to.size()) i = to[static_cast<std::size_t>(i)];
  };
  map(a.target);
  map(a.proposal.proposer);
  for (std::size_t k = 0; k < a.item_count && k < a.items.size(); ++k) {
    ProposalItem& item = a.items[k];
    map(item.target);
    for (std::size_t c = 0; c < item.council_size && c < item.council.size(); ++c) {
      map(item.council[c]);
    }
  }
  return a;
}

// `r` on `roster`, each old citizen i moving to the slot new_slot[i] of it;
// `dropped` (an id) loses its script and its place among the perpetrators.
Reproduction moved(const Reproduction& r, const Roster& roster, const std::vector<Slot>& new_slot,
                   const std::string& dropped) {
  const std::vector<std::string> old_ids = r.participant_ids();
  Reproduction out = r;
  out.roster = roster;
  const std::vector<std::string> new_ids = out.participant_ids();
  const std::vector<Slot> placed = slots(roster);
  std::map<Slot, AgentIndex> index_of;
  for (std::size_t i = 0; i < placed.size(); ++i) index_of[placed[i]] = static_cast<AgentIndex>(i);
  std::vector<AgentIndex> to(old_ids.size(), kNoAgent);
  std::map<std::string, std::string> id_to;
  for (std::size_t i = 0; i < old_ids.size(); ++i) {
    const auto it = index_of.find(new_slot[i]);
    if (it == index_of.end()) continue;
    to[i] = it->second;
    id_to[old_ids[i]] = new_ids[static_cast<std::size_t>(it->second)];
  }
  out.perpetrators.clear();
  out.scripts.clear();
  for (const std::string& id : r.perpetrators) {
    if (id != dropped && id_to.count(id)) out.perpetrators.push_back(id_to[id]);
  }
  std::sort(out.perpetrators.begin(), out.perpetrators.end());
  for (const auto& [id, steps] : r.scripts) {
    if (id == dropped || !id_to.count(id)) continue;
    std::vector<ScriptStep>& mapped = out.scripts[id_to[id]];
    for (ScriptStep s : steps) {
      s.action = remap_action(s.action, to);
      mapped.push_back(s);
    }
  }
  return out;
}

}  // namespace

std::vector<StepRef> all_steps(const Reproduction& r) {
  std::vector<StepRef> out;
  for (const auto& [id, steps] : r.scripts) {
    for (std::size_t i = 0; i < steps.size(); ++i) out.push_back({id, i});
  }
  return out;
}

Reproduction keep_steps(const Reproduction& r, const std::vector<bool>& keep) {
  Reproduction out = r;
  std::size_t k = 0;
  for (auto& [id, steps] : out.scripts) {
    std::vector<ScriptStep> kept;
    for (const ScriptStep& s : steps) {
      if (k < keep.size() && keep[k]) kept.push_back(s);
      ++k;
    }
    steps = std::move(kept);
  }
  return out;
}

Reproduction with_turns(const Reproduction& r, int n_turns) {
  Reproduction out = r;
  out.n_turns = n_turns;
  for (auto& [id, steps] : out.scripts) {
    std::erase_if(steps, [&](const ScriptStep& s) { return s.turn > n_turns; });
  }
  return out;
}

std::optional<Reproduction> perpetrator_to_honest(const Reproduction& r, const std::string& id) {
  if (std::find(r.perpetrators.begin(), r.perpetrators.end(), id) == r.perpetrators.end())
    return std::nullopt;
  const std::vector<std::string> ids = r.participant_ids();
  const auto at = std::find(ids.begin(), ids.end(), id);
  if (at == ids.end()) return std::nullopt;
  std::vector<Slot> new_slot = slots(r.roster);
  const Slot gone = new_slot[static_cast<std::size_t>(at - ids.begin())];
  if (gone.role == "honest") return std::nullopt;
  const int honest = r.roster.count("honest");
  for (Slot& s : new_slot) {
    if (s == gone) {
      s = {"honest", honest};
    } else if (s.role == gone.role && s.ordinal > gone.ordinal) {
      s.ordinal -= 1;
    }
  }
  Roster roster = r.roster;
  bool has_honest = false;
  for (RosterEntry& e : roster.entries) {
    if (e.role == gone.role) e.count -= 1;
    if (e.role == "honest") {
      e.count += 1;
      has_honest = true;
    }
  }
  std::erase_if(roster.entries, [](const RosterEntry& e) { return e.count == 0; });
  if (!has_honest) roster.entries.insert(roster.entries.begin(), RosterEntry{"honest", 1});
  return moved(r, roster, new_slot, id);
}

Reproduction perpetrator_unscripted(const Reproduction& r, const std::string& id) {
  Reproduction out = r;
  std::erase(out.perpetrators, id);
  out.scripts.erase(id);
  return out;
}

std::optional<Reproduction> renamed_by_first_appearance(const Reproduction& r) {
  const std::vector<std::string> ids = r.participant_ids();
  const std::vector<Slot> old_slot = slots(r.roster);
  // Perpetrators of each role, by first appearance.
  std::map<std::string, std::vector<std::tuple<int, int, std::size_t>>> order;
  const IdTable perpetrators(r.perpetrators);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!perpetrators.contains(ids[i])) continue;
    int turn = std::numeric_limits<int>::max(), round = 0;
    const auto script = r.scripts.find(ids[i]);
    if (script != r.scripts.end()) {
      for (const ScriptStep& s : script->second) {
        if (std::tie(s.turn, s.round) < std::tie(turn, round))
          std::tie(turn, round) = std::make_tuple(s.turn, s.round);
      }
    }
    order[old_slot[i].role].emplace_back(turn, round, i);
  }
  std::vector<Slot> new_slot = old_slot;
  bool changed = false;
  for (auto& [role, perps] : order) {
    std::stable_sort(perps.begin(), perps.end());
    std::vector<bool> taken(ids.size(), false);
    int next = 0;
    for (const auto& [turn, round, i] : perps) {
      new_slot[i].ordinal = next++;
      taken[i] = true;
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (old_slot[i].role == role && !taken[i]) new_slot[i].ordinal = next++;
    }
  }
  for (std::size_t i = 0; i < ids.size(); ++i) changed = changed || new_slot[i] != old_slot[i];
  if (!changed) return std::nullopt;
  return moved(r, r.roster, new_slot, "");
}

}  // namespace fable::minimize_edit
