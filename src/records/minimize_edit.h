// Edits of a reproduction that the minimiser tries (fable/minimize.h): drop
// steps, cut turns, remove or rename perpetrators. Each returns a new
// reproduction and never judges it: the caller replays it.
//
// Scripts address citizens by agent index (the roster's order), so an edit
// that changes the roster or the ids renumbers every index in every script
// (targets, proposal references, council members) to follow the citizens.
#pragma once

#include <string>
#include <vector>

#include "fable/record.h"

namespace fable::minimize_edit {

// One script step, as (perpetrator id, position in its script); the order of
// all_steps() is the scripts' order (by id, then script order).
struct StepRef {
  std::string agent;
  std::size_t index = 0;
};
std::vector<StepRef> all_steps(const Reproduction& r);

// `r` with only the steps of all_steps(r) whose `keep` entry is true.
Reproduction keep_steps(const Reproduction& r, const std::vector<bool>& keep);

// `r` played for `n_turns` turns; steps after the last turn are dropped.
Reproduction with_turns(const Reproduction& r, int n_turns);

// `r` with perpetrator `id` turned into an honest citizen: its role's group
// loses one agent, the honest group gains one, its script goes, and every id
// and index is renumbered (references to it now address the new honest
// citizen). Empty when `id` is honest already or not a perpetrator.
std::optional<Reproduction> perpetrator_to_honest(const Reproduction& r, const std::string& id);

// `r` with perpetrator `id` no longer scripted: it plays its own role from
// its own random stream. Roster and ids are unchanged.
Reproduction perpetrator_unscripted(const Reproduction& r, const std::string& id);

// `r` with each role's perpetrators renumbered by first appearance (the
// earliest (turn, round) step; perpetrators with no step last, in id order):
// the first gets the role's first id, and so on; the role's other agents
// take the remaining ids in their old order. Empty when nothing changes.
std::optional<Reproduction> renamed_by_first_appearance(const Reproduction& r);

}  // namespace fable::minimize_edit
