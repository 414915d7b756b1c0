// The legality engine: one function that rules on any attempted action.
//
// `check_action` is pure: it reads the world and the kernel in force and says
// whether `actor` may do `action` now, and if not, which clause refuses it.
// Agents call it to plan; the turn engine calls it before every mutation, so
// no illegal transition is ever applied. `check_execution` rules on carrying
// out a passed proposal now (funds, caps and standing may have changed since
// it opened). Every behaviour difference between kernels comes from
// `world.params()`. Agents that plan spending ask `outflow_room` how much may
// leave the treasury rather than re-deriving the spending rules.
#pragma once

#include <cstdint>

#include "fable/action.h"
#include "fable/ruling.h"
#include "fable/world.h"

namespace fable {

Ruling check_action(const WorldState& world, AgentIndex actor, const Action& action);

// REQUIRES: world.proposals[proposal_id] has passed its tally.
Ruling check_execution(const WorldState& world, std::int32_t proposal_id);

// Spending limits shared by proposals, execution and emergency spending:
// `amount` leaving the treasury now must respect funds, the epoch rate cap
// and the commons floor.
Ruling check_outflow(const WorldState& world, Money amount);

// The sum of the spends among items[0..count), in milli-units, saturating at
// the largest (or smallest) Money instead of wrapping, as the legality engine
// sums a proposal's spends.
Money spend_total(const ProposalItem* items, int count);

// Which limits an outflow is under.
enum class OutflowUse : std::uint8_t {
  kProposal,  // the spends of a new proposal: the per-proposal cap as well
  kDirect,    // executing a passed proposal, an emergency spend: check_outflow only
};

struct OutflowRoom {
  Money amount = 0;              // largest outflow the rules allow now, milli-units, >= 0
  ClauseId binding = kNoClause;  // the clause that refuses amount + 1
};

// The largest outflow the spending rules allow now, as if `pending`
// milli-units (spends already promised by open proposals; 0 for none) had
// left the treasury first, and the clause that would refuse one milli-unit
// more. The limits are those of check_outflow (funds.sufficient,
// spend.epoch_rate_cap, spend.commons_floor) and, for kProposal, the
// per-proposal cap of check_action on a propose (spend.per_proposal_cap, a
// fraction of the current treasury). With pending = 0: check_action on a
// proposal spending `amount` to all citizens (kProposal), and check_outflow
// (kDirect), pass the spending rules for amount <= room.amount and refuse
// room.amount + 1 citing room.binding (tests/engine/outflow_room_test.cc).
OutflowRoom outflow_room(const WorldState& world, Money pending, OutflowUse use);

}  // namespace fable
