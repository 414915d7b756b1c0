// WorldState helpers: proposal references and the money total.
#include "fable/world.h"

#include <algorithm>
#include <cassert>

#include "base/shared_prefix.h"

namespace fable {

std::string_view proposal_status_name(ProposalStatus s) {
  switch (s) {
    case ProposalStatus::kOpen:
      return "open";
    case ProposalStatus::kCalled:
      return "called";
    case ProposalStatus::kPassed:
      return "passed";
    case ProposalStatus::kRejected:
      return "rejected";
    case ProposalStatus::kFailedExecution:
      return "failed_execution";
  }
  return "?";
}

std::int32_t WorldState::resolve(const ProposalRef& ref) const {
  if (ref.id >= 0) {
    return static_cast<std::size_t>(ref.id) < proposals.size() ? ref.id : -1;
  }
  // Proposals are stored in opening order, so opened_turn is non-decreasing.
  auto it = std::lower_bound(proposals.begin(), proposals.end(), ref.opened_turn,
                             [](const Proposal& p, std::int32_t t) { return p.opened_turn < t; });
  for (; it != proposals.end() && it->opened_turn == ref.opened_turn; ++it) {
    if (it->proposer == ref.proposer && it->ordinal == ref.ordinal) return it->id;
  }
  return -1;
}

Money WorldCore::money_in_system() const {
  Money total = treasury + exited_total;
  for (const Citizen& c : citizens) total += c.balance;
  return total;
}

void WorldState::assign_after(const WorldState& other, const Kept& kept) {
  // The proposals kept must be closed in both worlds (closed_prefix() only
  // grows): one still open here or there could differ between them.
  assert(kept.closed_proposals <= closed_prefix() &&
         kept.closed_proposals <= other.closed_prefix());
  // Everything but the lists that only grow: the core part, copied as such.
  static_cast<WorldCore&>(*this) = static_cast<const WorldCore&>(other);
  assign_after_shared(proposals, other.proposals, kept.closed_proposals);
  assign_after_shared(log, other.log, kept.log);
  assign_after_shared(refused_proposals, other.refused_proposals, kept.refused_proposals);
}

}  // namespace fable
