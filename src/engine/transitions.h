// Internal: the state transitions of the turn engine.
//
// Each function here mutates the world and appends the events that describe
// the change. They assume legality has already been ruled on: callers are
// the turn engine (src/engine/engine.cc), which checks first, and nothing else.
#pragma once

#include "fable/world.h"

namespace fable::detail {

void log_rejection(WorldState& w, AgentIndex actor, ActionKind kind, const Ruling& ruling,
                   std::int32_t proposal);
// Logs the refusal of an agent's action with its payload (docs/turn-engine.md):
// the attempted target, amount, memo and choice as the kind uses them, and for a
// propose its contents in w.refused_proposals. `proposal` as for log_rejection.
void log_refused_action(WorldState& w, AgentIndex actor, const Action& action, const Ruling& ruling,
                        std::int32_t proposal);

// REQUIRES: check_action(w, actor, action).legal()
void apply_action(WorldState& w, AgentIndex actor, const Action& action);

// The seed's economy (step 3 of a turn): `income` milli-units into the
// treasury (no more once the world would hold kMaxWorldMoney), then `stipend`
// from the treasury to each citizen not exited, in index order, each paid
// min(stipend, treasury). Neither is an outflow of the epoch ledger.
void pay_economy(WorldState& w, Money income, Money stipend);

// Epoch boundary work, emergency tick, tallies, execution (steps 4–7 of a turn).
void end_of_turn(WorldState& w, std::vector<std::int32_t>& passed_scratch);

}  // namespace fable::detail
