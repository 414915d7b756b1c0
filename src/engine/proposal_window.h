// Internal: the window check of a proposal, on its own, for the legal-move
// generator (legal_moves.cc). check_action rules on a proposal as standing,
// then this, then the items (legality.cc, check_propose): the window check
// reads only the parameters and the window, so two proposals that differ
// only in their window get the same verdict on everything else.
#pragma once

#include <cstdint>

#include "fable/legality.h"
#include "fable/params.h"

namespace fable {

// The ruling on a proposal's `window` (turns; 0 asks for the default
// window) under `params`: refused (proposals.well_formed) when negative or
// above kMaxWindowTurns, refused (voting.min_window_turns) when not 0 and
// shorter than the minimum; otherwise ok. The check check_propose applies.
Ruling check_proposal_window(const Params& params, std::int32_t window);

}  // namespace fable
