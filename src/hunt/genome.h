// Internal: the genome of a hunt — a coalition script — and its edits.
//
// A genome is the list of moves the coalition's attackers make: at turn T,
// attacker A (index among the attackers, 0-based) plays `action` at plan
// position `round`. Moves are kept sorted by (turn, attacker, round). Edits
// made before an execution (deletion, splicing) live here; insertions are
// chosen during the execution from the legal moves of the world reached
// (see executor.h), so that every inserted move was legal when chosen.
#pragma once

#include <cstdint>
#include <vector>

#include "fable/action.h"
#include "fable/random.h"

namespace fable::hunt {

struct Move {
  int turn = 1;      // 1-based, the turn being played
  int round = 0;     // plan position
  int attacker = 0;  // index among the attackers
  Action action;
};

struct Genome {
  std::vector<Move> moves;  // sorted by (turn, attacker, round)
};

// Sorts moves by (turn, attacker, round), keeping the order of equals.
void normalise(Genome& g);

// Removes move `index` and, when it opens a proposal, every ballot and call
// of the genome that addresses that proposal by origin; later proposals of
// the same attacker in the same turn move down one ordinal, and references
// to them follow. `citizen_of(attacker)` gives the attacker's citizen index.
// REQUIRES: index < g.moves.size().
void delete_move(Genome& g, std::size_t index, const std::vector<AgentIndex>& attacker_citizens);

// Moves of `head` before `turn` followed by moves of `tail` from `turn` on.
Genome splice(const Genome& head, const Genome& tail, int turn);

// Where an execution inserts a freshly chosen legal move.
struct Insertion {
  int turn = 1;
  int attacker = 0;
};

// What to do to a parent before and during one execution.
struct Mutation {
  std::vector<Insertion> insertions;  // resolved online, in turn order
};

}  // namespace fable::hunt
