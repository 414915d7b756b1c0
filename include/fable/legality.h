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

// A set of clauses (ClauseId < kClauseCount), for the table below.
struct ClauseSet {
  std::uint64_t bits = 0;
  bool contains(ClauseId c) const { return c < kClauseCount && ((bits >> c) & 1U) != 0; }
  void add(ClauseId c) {
    if (c < kClauseCount) bits |= std::uint64_t{1} << c;
  }
  void add(const ClauseSet& other) { bits |= other.bits; }
  friend bool operator==(const ClauseSet&, const ClauseSet&) = default;
};
static_assert(kClauseCount <= 64, "ClauseSet holds at most 64 clauses");

// The clauses the legality check of an action kind consults: every clause a
// refusal of check_action for that kind can cite, whatever the world, and the
// clause that governs what the action does (exits.pro_rata for an exit,
// transfers.private for a transfer). For a proposal this is the proposal's own
// checks (standing, form, single subject, minimum window); each item adds the
// clauses of its kind (below). kExecuteProposal as an agent's action is
// refused by proposals.open; the engine's execution of a passed proposal
// consults the clauses of its items. kPass consults none. The one table that
// clause coverage (fable/coverage.h) counts `permitted` from; a property test
// (tests/engine/consulted_clauses_test.cc) checks every refusal against it.
ClauseSet consulted_clauses(ActionKind kind);
// The clauses the check of one proposal item kind consults (spends: the
// per-proposal cap and the outflow limits, which apply to the proposal's
// spends together). An amendment item also consults the parameter it amends
// (consulted_clauses(const ProposalItem&)).
ClauseSet consulted_clauses(ItemKind kind);
// consulted_clauses(item.kind), and for an amendment the amended parameter.
ClauseSet consulted_clauses(const ProposalItem& item);

}  // namespace fable
