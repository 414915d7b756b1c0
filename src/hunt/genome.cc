// Genome edits; see genome.h.
#include "hunt/genome.h"

#include <algorithm>

namespace fable::hunt {

namespace {

bool move_less(const Move& a, const Move& b) {
  if (a.turn != b.turn) return a.turn < b.turn;
  if (a.attacker != b.attacker) return a.attacker < b.attacker;
  return a.round < b.round;
}

bool addresses(const Action& a) {
  return a.kind == ActionKind::kCastVote || a.kind == ActionKind::kCallQuestion;
}

}  // namespace

void normalise(Genome& g) {
  std::stable_sort(g.moves.begin(), g.moves.end(), move_less);
}

void delete_move(Genome& g, std::size_t index, const std::vector<AgentIndex>& attacker_citizens) {
  const Move removed = g.moves[index];
  g.moves.erase(g.moves.begin() + static_cast<std::ptrdiff_t>(index));
  if (removed.action.kind != ActionKind::kPropose) return;
  if (removed.attacker < 0 ||
      static_cast<std::size_t>(removed.attacker) >= attacker_citizens.size()) {
    return;
  }
  const AgentIndex proposer = attacker_citizens[static_cast<std::size_t>(removed.attacker)];
  // Its ordinal: the proposals the same attacker opens earlier in that turn.
  std::int32_t ordinal = 0;
  for (const Move& m : g.moves) {
    if (m.turn == removed.turn && m.attacker == removed.attacker &&
        m.action.kind == ActionKind::kPropose && m.round < removed.round) {
      ++ordinal;
    }
  }
  std::vector<Move> kept;
  kept.reserve(g.moves.size());
  for (Move m : g.moves) {
    ProposalRef& ref = m.action.proposal;
    if (addresses(m.action) && ref.id < 0 && ref.proposer == proposer &&
        ref.opened_turn == removed.turn) {
      if (ref.ordinal == ordinal) continue;  // addressed the removed proposal
      if (ref.ordinal > ordinal) --ref.ordinal;
    }
    kept.push_back(m);
  }
  g.moves = std::move(kept);
}

Genome splice(const Genome& head, const Genome& tail, int turn) {
  Genome g;
  for (const Move& m : head.moves) {
    if (m.turn < turn) g.moves.push_back(m);
  }
  for (const Move& m : tail.moves) {
    if (m.turn >= turn) g.moves.push_back(m);
  }
  normalise(g);
  return g;
}

}  // namespace fable::hunt
