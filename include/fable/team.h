// TeamView: what the red team knows in common at the start of a turn.
//
// Red-team agents coordinate through public state only (see src/agents/red_team.h):
// who is on the team (roles are public), which members are on the roll, who
// leads, and which open proposals are the team's own or worth a ballot. Every
// member needs the same answers every turn, so the episode loop builds one
// TeamView per episode and refreshes it once per turn, before anyone acts, in
// time linear in the open proposals and the team; each member then reads it
// in time independent of the size of the team and of the population. Without
// this, a team of R members in a world of N citizens would pay R x N per turn.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "fable/action.h"

namespace fable {

struct WorldState;

class TeamView {
 public:
  TeamView() = default;
  // `members`: the team's citizen indices (any order, valid in a world of
  // `citizens` citizens).
  TeamView(std::span<const AgentIndex> members, std::size_t citizens);

  // Recomputes everything that depends on the world. Call once per turn,
  // after the previous step and before any member acts.
  void refresh(const WorldState& world);

  bool contains(AgentIndex i) const {
    return i >= 0 && static_cast<std::size_t>(i) < member_.size() &&
           member_[static_cast<std::size_t>(i)] != 0;
  }
  std::size_t size() const { return members_.size(); }
  std::span<const AgentIndex> members() const { return members_; }  // ascending

  // --- As of the last refresh ----------------------------------------------
  // Members on the roll, ascending; the first one leads same-turn moves.
  std::span<const AgentIndex> on_roll() const { return on_roll_; }
  AgentIndex leader() const { return on_roll_.empty() ? kNoAgent : on_roll_.front(); }
  // Members on the roll ahead of `m` (in on_roll order), other than the
  // leader, who do not delegate to the leader. `m` must be on the roll.
  int undelegated_ahead_of(AgentIndex m) const;
  // Ids of proposals open for ballots (status open, not called), in opening
  // order: opened by a member; opened by anyone else; and the subset of the
  // latter that carries anything besides spends to ALL.
  std::span<const std::int32_t> open_own() const { return open_own_; }
  std::span<const std::int32_t> open_others() const { return open_others_; }
  std::span<const std::int32_t> open_others_notable() const { return open_notable_; }

 private:
  std::vector<std::uint8_t> member_;  // by citizen index
  std::vector<AgentIndex> members_;
  std::vector<AgentIndex> on_roll_;
  std::vector<int> undelegated_before_;  // by position in on_roll_
  std::vector<std::int32_t> open_own_;
  std::vector<std::int32_t> open_others_;
  std::vector<std::int32_t> open_notable_;
};

}  // namespace fable
