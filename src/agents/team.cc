// The red team's shared view of a turn; see include/fable/team.h.
#include "fable/team.h"

#include <algorithm>

#include "fable/world.h"

namespace fable {

namespace {

bool plain_distribution(const Proposal& p) {
  for (int i = 0; i < p.item_count; ++i) {
    if (p.items[i].kind != ItemKind::kSpend || p.items[i].target != kAllCitizens) return false;
  }
  return true;
}

}  // namespace

TeamView::TeamView(std::span<const AgentIndex> members, std::size_t citizens)
    : member_(citizens, 0), members_(members.begin(), members.end()) {
  std::sort(members_.begin(), members_.end());
  members_.erase(std::unique(members_.begin(), members_.end()), members_.end());
  for (AgentIndex m : members_) member_[static_cast<std::size_t>(m)] = 1;
}

void TeamView::refresh(const WorldState& w) {
  on_roll_.clear();
  for (AgentIndex m : members_) {
    if (w.on_roll(m)) on_roll_.push_back(m);
  }
  const AgentIndex lead = leader();
  undelegated_before_.assign(on_roll_.size(), 0);
  int count = 0;
  for (std::size_t k = 0; k < on_roll_.size(); ++k) {
    undelegated_before_[k] = count;
    const AgentIndex m = on_roll_[k];
    if (m != lead && w.citizens[static_cast<std::size_t>(m)].delegate != lead) ++count;
  }

  open_own_.clear();
  open_others_.clear();
  open_notable_.clear();
  for (std::int32_t id : w.open_proposals) {
    const Proposal& p = w.proposals[static_cast<std::size_t>(id)];
    if (p.status != ProposalStatus::kOpen) continue;
    if (contains(p.proposer)) {
      open_own_.push_back(id);
    } else {
      open_others_.push_back(id);
      if (!plain_distribution(p)) open_notable_.push_back(id);
    }
  }
}

int TeamView::undelegated_ahead_of(AgentIndex m) const {
  const auto it = std::lower_bound(on_roll_.begin(), on_roll_.end(), m);
  return undelegated_before_[static_cast<std::size_t>(it - on_roll_.begin())];
}

}  // namespace fable
