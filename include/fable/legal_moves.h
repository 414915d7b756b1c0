// Legal-move generation: every legal action of a citizen, drawn from a finite
// candidate grammar derived from the kernel in force and the world.
//
// A search-based red team (issue 11) explores the legal move space rather
// than a catalogue of tactics. The space is infinite (amounts, values,
// windows), so it is cut down to the candidates that matter: the boundaries
// where a rule flips from permitting to refusing, and the figures a
// coalition can exploit. `candidate_actions` lists the grammar in a fixed
// order; `legal_actions` keeps the candidates the legality engine permits
// now (check_action), so every action it returns is legal in `world` as it
// stands. The grammar, in output order (docs/legal-moves.md):
//
//   1. pass
//   2. cast_vote on every open proposal, in opening order, x {yes, no, abstain}
//   3. call_question on every open proposal
//   4. propose one item, with window 0 (the kernel default) and, when it
//      differs, `voting.min_window_turns`:
//      spend to {self, each ally, ALL} x spend_amount_candidates;
//      amendment of every parameter (table order) x amendment_candidates;
//      disenfranchise every citizen on the roll outside the coalition;
//      role_grant of every office to {self, each ally};
//      emergency_declare with council {self} and {self + allies} (at most
//      kMaxCouncil members); emergency_renew
//   5. delegate to each ally; revoke_delegation
//   6. transfer to each ally of {all, half} of the actor's balance
//   7. emergency_spend to {self, each ally} x spend_amount_candidates
//   8. exit
//
// Ballots and calls address proposals by origin (proposer, turn, ordinal), as
// scripts do, so a script stays valid when ids shift under another kernel.
// Proposals with several items are not in the grammar: a search composes
// them from single items. Cost: linear in open proposals, coalition and roll
// (disenfranchise targets), times the fixed candidate sets.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "fable/action.h"
#include "fable/random.h"
#include "fable/world.h"

namespace fable {

// The coalition an actor plans with: its allies (other citizens, any order;
// the actor itself, duplicates and invalid indices are ignored).
struct MoveContext {
  AgentIndex actor = kNoAgent;
  std::span<const AgentIndex> allies;
};

// Spend amounts worth trying now, in milli-units, ascending, distinct, > 0:
// the outflow room of the legality engine (outflow_room: the most that may
// leave the treasury now, directly and as a new proposal's spends), the
// per-proposal cap (`spend.per_proposal_cap` of
// the treasury), 1/10, 1/4, 1/3, 1/2 and all of the treasury, and one unit.
// Amounts over the headroom are kept: the legality filter drops them.
std::vector<Money> spend_amount_candidates(const WorldState& world);

// Values worth proposing for `param`, in ascending order (null first when
// the parameter is nullable), distinct, each valid for the parameter, never
// the value in force: the range ends, the default, one step either side of
// the current value (0.05 for fractions, 1 for whole numbers), the other
// value of a bool or enum, and for fractions the pivotal shares of the roll:
// the coalition's share (actor + allies on the roll) and the least share
// above what everyone else holds, rounded up to 1/1000.
std::vector<ParamValue> amendment_candidates(const WorldState& world, const MoveContext& ctx,
                                             ParamId param);

// Every action of the grammar above for ctx.actor, legal or not, in grammar
// order (appended to `out`, which is cleared first).
void candidate_actions(const WorldState& world, const MoveContext& ctx, std::vector<Action>& out);

// Whether legal_actions lists the pass (a search choosing something to do
// leaves it out).
enum class PassMove : std::uint8_t { kInclude, kLeaveOut };

// The candidates check_action permits now, in grammar order, each once
// (appended to `out`, which is cleared first); without the pass when `pass`
// is kLeaveOut.
void legal_actions(const WorldState& world, const MoveContext& ctx, std::vector<Action>& out,
                   PassMove pass = PassMove::kInclude);

class CandidateGrammar;  // internal: the grammar above, by position

// Draws legal actions of one actor in one world, each uniformly over the
// legal positions of the grammar: the distribution of
// `list[rng.below(list.size())]` with `list` from legal_actions(world, ctx,
// list, pass), without listing the grammar. A draw picks a position of the
// grammar uniformly, builds that one candidate and keeps it when
// check_action permits it; after kDrawTries refusals in a row it lists the
// legal positions once (as legal_actions does) and draws from the list from
// then on (so a world where little is legal costs one listing, and the
// distribution stays exact). Cost: preparing is linear in open proposals,
// coalition, roll and parameters (the section sizes); a draw is
// kDrawTries checks at most before the listing, O(1) expected when most of
// the grammar is legal. The hunt's move draws go through this (issue 11,
// point 7: an execution no dearer than an episode).
//
// Not thread-safe; one per thread. prepare() may be called again for
// another world; `world` must outlive the draws.
class LegalMoveSampler {
 public:
  static constexpr int kDrawTries = 16;

  LegalMoveSampler();
  ~LegalMoveSampler();
  LegalMoveSampler(const LegalMoveSampler&) = delete;
  LegalMoveSampler& operator=(const LegalMoveSampler&) = delete;

  // The grammar of ctx.actor in `world` (without the pass when `pass` is
  // kLeaveOut); forgets the previous world's listing.
  void prepare(const WorldState& world, const MoveContext& ctx, PassMove pass = PassMove::kInclude);

  // One legal action, drawn from `rng` as above; nullopt when no position of
  // the grammar is legal (or nothing was prepared).
  std::optional<Action> draw(Rng& rng);

  // Positions of the prepared grammar, legal or not (candidate_actions'
  // count, less one when the pass is left out).
  std::size_t candidates() const;

 private:
  std::unique_ptr<CandidateGrammar> grammar_;
  const WorldState* world_ = nullptr;
  AgentIndex actor_ = kNoAgent;
  bool listed_ = false;        // the tries ran out: draws come from legal_
  std::vector<Action> legal_;  // the legal positions, in grammar order
};

}  // namespace fable
