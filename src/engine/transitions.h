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

// REQUIRES: check_action(w, actor, action).legal()
void apply_action(WorldState& w, AgentIndex actor, const Action& action);

// Epoch boundary work, emergency tick, tallies, execution (steps 3–6 of a turn).
void end_of_turn(WorldState& w, std::vector<std::int32_t>& passed_scratch);

}  // namespace fable::detail
