// WorldState helpers: proposal references and the money total.
#include "fable/world.h"

#include <algorithm>
#include <cassert>

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

std::int32_t WorldCore::resolve(const ProposalRef& ref) const {
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

void WorldState::rewind_to(const WorldState& origin) {
  assert(log.size() >= origin.log.size());
  assert(refused_proposals.size() >= origin.refused_proposals.size());
  // Everything but the histories: the core part of each, copied as such.
  static_cast<WorldCore&>(*this) = static_cast<const WorldCore&>(origin);
  log.resize(origin.log.size());
  refused_proposals.erase(
      refused_proposals.begin() + static_cast<std::ptrdiff_t>(origin.refused_proposals.size()),
      refused_proposals.end());
}

}  // namespace fable
