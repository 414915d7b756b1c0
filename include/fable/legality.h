// The legality engine: one function that rules on any attempted action.
//
// `check_action` is pure: it reads the world and the kernel in force and says
// whether `actor` may do `action` now, and if not, which clause refuses it.
// Agents call it to plan; the turn engine calls it before every mutation, so
// no illegal transition is ever applied. `check_execution` rules on carrying
// out a passed proposal now (funds, caps and standing may have changed since
// it opened). Every behaviour difference between kernels comes from
// `world.params()`.
#pragma once

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

}  // namespace fable
