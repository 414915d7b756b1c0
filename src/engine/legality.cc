// The legality engine: rulings on actions and on executing passed proposals.
#include "fable/legality.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <limits>

#include "engine/proposal_window.h"
#include "fable/tally.h"

namespace fable {

namespace {

using SC = StructuralClause;

// Standing shared by every action that needs a place on the roll.
Ruling check_standing(const WorldState& w, AgentIndex actor) {
  if (!w.valid_citizen(actor)) return Ruling::refuse(Refusal::kUnknownTarget, SC::kStandingRoll);
  const Citizen& c = w.citizens[actor];
  if (c.exited) return Ruling::refuse(Refusal::kExited, SC::kStandingRoll);
  if (!c.on_roll) return Ruling::refuse(Refusal::kNotOnRoll, SC::kStandingRoll);
  return Ruling::ok();
}

Ruling check_on_roll_target(const WorldState& w, AgentIndex target, StructuralClause clause) {
  if (!w.valid_citizen(target)) return Ruling::refuse(Refusal::kUnknownTarget, clause);
  if (!w.citizens[target].on_roll) return Ruling::refuse(Refusal::kTargetNotOnRoll, clause);
  return Ruling::ok();
}

// Cross-field rule on the parameters an amendment would produce.
bool windows_consistent(const Params& p, ParamId id, const ParamValue& v) {
  int min_w = p.min_window_turns;
  int def_w = p.default_window_turns;
  if (id == ParamId::kMinWindowTurns) min_w = static_cast<int>(v.number);
  if (id == ParamId::kDefaultWindowTurns) def_w = static_cast<int>(v.number);
  return min_w <= def_w;
}

// `voting.threshold_ceiling`: the quorum and the voting thresholds (the bars
// a proposal must clear) may not be amended above the ceiling. Without it a
// "tightening" amendment that everyone votes for can hand a small bloc a veto
// (EXP-007: 2 of 10 raise the amendment threshold to 1).
bool above_ceiling(const Params& p, ParamId id, const ParamValue& v) {
  return p.voting_threshold_ceiling && !v.is_null && is_voting_bar(id) &&
         v.number > *p.voting_threshold_ceiling;
}

// What the earlier items of a proposal will have done when a later item
// executes. Items execute in order, so each is ruled on against the world as
// the items before it leave it: two grants to one citizen count together
// against the office limit, two renewals against the renewal limit, and an
// item may not name a citizen an earlier item expels.
struct Effects {
  explicit Effects(const WorldState& w)
      : world(w),
        holder(w.office_holder),
        emergency_active(w.emergency.active),
        renewals(w.emergency.renewals) {}

  bool on_roll(AgentIndex i) const {
    if (!world.on_roll(i)) return false;
    for (int k = 0; k < expelled_count; ++k) {
      if (expelled[k] == i) return false;
    }
    return true;
  }
  int offices(AgentIndex i) const {
    return static_cast<int>(std::count(holder.begin(), holder.end(), i));
  }
  void apply(const ProposalItem& item) {
    switch (item.kind) {
      case ItemKind::kDisenfranchise:
        expelled[expelled_count++] = item.target;
        std::replace(holder.begin(), holder.end(), item.target, kNoAgent);
        return;
      case ItemKind::kRoleGrant:
        holder[static_cast<int>(item.role)] = item.target;
        return;
      case ItemKind::kEmergencyDeclare:
        emergency_active = true;
        renewals = 0;
        return;
      case ItemKind::kEmergencyRenew:
        ++renewals;
        return;
      case ItemKind::kSpend:
      case ItemKind::kAmendment:
        return;
    }
  }

  const WorldState& world;
  std::array<AgentIndex, kRoleCount> holder;
  std::array<AgentIndex, kMaxItems> expelled{};
  int expelled_count = 0;
  bool emergency_active;
  std::int32_t renewals;
};

Ruling check_item_target(const Effects& fx, AgentIndex target) {
  if (!fx.world.valid_citizen(target)) {
    return Ruling::refuse(Refusal::kUnknownTarget, SC::kProposalsWellFormed);
  }
  if (!fx.on_roll(target)) {
    return Ruling::refuse(Refusal::kTargetNotOnRoll, SC::kProposalsWellFormed);
  }
  return Ruling::ok();
}

// Office-holding limit for granting `role` to `target`.
Ruling check_office(const WorldState& w, const Effects& fx, AgentIndex target, Role role) {
  const auto r = static_cast<int>(role);
  if (r < 0 || r >= kRoleCount) return Ruling::refuse(Refusal::kUnknownRole, SC::kOfficesRoles);
  const auto& limit = w.params().offices_max_per_citizen;
  if (limit && fx.holder[r] != target && fx.offices(target) + 1 > *limit) {
    return Ruling::refuse(Refusal::kOfficeLimit, ParamId::kOfficesMaxPerCitizen);
  }
  return Ruling::ok();
}

Ruling check_council(const Effects& fx, const ProposalItem& item) {
  if (item.council_size < 1 || item.council_size > kMaxCouncil) {
    return Ruling::refuse(Refusal::kBadCouncil, SC::kEmergencyCouncil);
  }
  for (int i = 0; i < item.council_size; ++i) {
    if (!fx.on_roll(item.council[i])) {
      return Ruling::refuse(Refusal::kBadCouncil, SC::kEmergencyCouncil);
    }
    for (int j = 0; j < i; ++j) {
      if (item.council[i] == item.council[j]) {
        return Ruling::refuse(Refusal::kBadCouncil, SC::kEmergencyCouncil);
      }
    }
  }
  return Ruling::ok();
}

// Rules on one item after the earlier ones (`fx`), except the spending
// limits, which apply to the sum of a proposal's spends.
Ruling check_item(const WorldState& w, const Effects& fx, const ProposalItem& item) {
  switch (item.kind) {
    case ItemKind::kSpend:
      if (item.amount <= 0) return Ruling::refuse(Refusal::kBadAmount, SC::kProposalsWellFormed);
      if (item.target != kAllCitizens) return check_item_target(fx, item.target);
      return Ruling::ok();
    case ItemKind::kAmendment: {
      const auto p = static_cast<int>(item.param);
      if (p < 0 || p >= kParamCount)
        return Ruling::refuse(Refusal::kUnknownParam, SC::kProposalsWellFormed);
      if (!param_value_problem(item.param, item.value).empty() ||
          !windows_consistent(w.params(), item.param, item.value)) {
        return Ruling::refuse(Refusal::kBadParamValue, item.param);
      }
      if (above_ceiling(w.params(), item.param, item.value)) {
        return Ruling::refuse(Refusal::kAboveThresholdCeiling, ParamId::kVotingThresholdCeiling);
      }
      return Ruling::ok();
    }
    case ItemKind::kDisenfranchise:
      return check_item_target(fx, item.target);
    case ItemKind::kRoleGrant: {
      Ruling r = check_item_target(fx, item.target);
      return r.legal() ? check_office(w, fx, item.target, item.role) : r;
    }
    case ItemKind::kEmergencyDeclare:
      if (fx.emergency_active) {
        return Ruling::refuse(Refusal::kEmergencyActive, SC::kEmergencyState);
      }
      return check_council(fx, item);
    case ItemKind::kEmergencyRenew: {
      if (!fx.emergency_active) return Ruling::refuse(Refusal::kNoEmergency, SC::kEmergencyState);
      const auto& max = w.params().emergency_max_renewals;
      if (max && fx.renewals >= *max) {
        return Ruling::refuse(Refusal::kRenewalsExhausted, ParamId::kEmergencyMaxRenewals);
      }
      return Ruling::ok();
    }
  }
  return Ruling::refuse(Refusal::kNoItems, SC::kProposalsWellFormed);
}

// One spending limit: the most that may leave, the clause that sets it and
// the refusal for exceeding it.
struct OutflowLimit {
  Money max;
  ClauseId clause;
  Refusal refusal;
};

// The per-proposal cap, in milli-units of the current treasury, if any.
std::optional<OutflowLimit> proposal_cap_limit(const WorldState& w) {
  const auto& cap = w.params().spend_per_proposal_cap;
  if (!cap) return std::nullopt;
  return OutflowLimit{money_fraction(w.treasury, *cap), clause_of(ParamId::kSpendPerProposalCap),
                      Refusal::kExceedsProposalCap};
}

// The limits of check_outflow, in the order it applies them, after `pending`
// has left. Returns how many were written.
int outflow_limits(const WorldState& w, Money pending, std::array<OutflowLimit, 3>& out) {
  const Params& p = w.params();
  int n = 0;
  out[n++] = {w.treasury - pending, clause_of(SC::kFundsSufficient), Refusal::kInsufficientFunds};
  if (p.spend_epoch_rate_cap) {
    out[n++] = {money_fraction(w.epoch_start_treasury, *p.spend_epoch_rate_cap) -
                    w.spent_this_epoch - pending,
                clause_of(ParamId::kSpendEpochRateCap), Refusal::kExceedsEpochRate};
  }
  if (p.spend_commons_floor) {
    out[n++] = {w.treasury - pending - money_fraction(w.initial_treasury, *p.spend_commons_floor),
                clause_of(ParamId::kSpendCommonsFloor), Refusal::kBreachesCommonsFloor};
  }
  return n;
}

Ruling check_items(const WorldState& w, const ProposalItem* items, int count) {
  Effects fx(w);
  for (int i = 0; i < count; ++i) {
    Ruling r = check_item(w, fx, items[i]);
    if (!r.legal()) return r;
    fx.apply(items[i]);
  }
  const Money total = spend_total(items, count);
  return total > 0 ? check_outflow(w, total) : Ruling::ok();
}

}  // namespace

Ruling check_proposal_window(const Params& p, std::int32_t window) {
  if (window < 0 || window > kMaxWindowTurns) {
    return Ruling::refuse(Refusal::kWindowTooLong, SC::kProposalsWellFormed);
  }
  if (window != 0 && window < p.min_window_turns) {
    return Ruling::refuse(Refusal::kWindowTooShort, ParamId::kMinWindowTurns);
  }
  return Ruling::ok();
}

namespace {

// Standing is checked by the caller; then the window (which reads nothing
// else: legal_moves.cc relies on it), then the items.
Ruling check_propose(const WorldState& w, const Action& a) {
  const Params& p = w.params();
  if (a.item_count == 0) return Ruling::refuse(Refusal::kNoItems, SC::kProposalsWellFormed);
  if (a.item_count > kMaxItems)
    return Ruling::refuse(Refusal::kTooManyItems, SC::kProposalsWellFormed);
  if (p.single_subject && a.item_count > 1) {
    return Ruling::refuse(Refusal::kSingleSubject, ParamId::kSingleSubject);
  }
  if (Ruling r = check_proposal_window(p, a.window); !r.legal()) return r;
  const Money total = spend_total(a.items.data(), a.item_count);
  if (const auto cap = proposal_cap_limit(w); total > 0 && cap && total > cap->max) {
    return Ruling{cap->refusal, cap->clause};
  }
  return check_items(w, a.items.data(), a.item_count);
}

// The open proposal a ballot or call addresses.
Ruling check_open_proposal(const WorldState& w, const ProposalRef& ref, std::int32_t& id) {
  id = w.resolve(ref);
  if (id < 0) return Ruling::refuse(Refusal::kUnknownProposal, SC::kProposalsOpen);
  const ProposalStatus s = w.proposals[id].status;
  if (s == ProposalStatus::kCalled)
    return Ruling::refuse(Refusal::kQuestionCalled, SC::kProposalsOpen);
  if (s != ProposalStatus::kOpen)
    return Ruling::refuse(Refusal::kProposalClosed, SC::kProposalsOpen);
  return Ruling::ok();
}

Ruling check_vote(const WorldState& w, AgentIndex actor, const Action& a) {
  if (a.choice == Choice::kNone || static_cast<int>(a.choice) > 3) {
    return Ruling::refuse(Refusal::kBadChoice, SC::kProposalsWellFormed);
  }
  std::int32_t id = -1;
  Ruling r = check_open_proposal(w, a.proposal, id);
  if (!r.legal()) return r;
  if (w.proposals[id].ballots[actor] != Choice::kNone) {
    return Ruling::refuse(Refusal::kAlreadyVoted, SC::kVotingOneBallot);
  }
  return Ruling::ok();
}

Ruling check_call(const WorldState& w, AgentIndex actor, const Action& a) {
  std::int32_t id = -1;
  Ruling r = check_open_proposal(w, a.proposal, id);
  if (!r.legal()) return r;
  if (!w.params().early_close)
    return Ruling::refuse(Refusal::kEarlyCloseDisabled, ParamId::kEarlyClose);
  if (w.proposals[id].proposer != actor)
    return Ruling::refuse(Refusal::kNotProposer, ParamId::kEarlyClose);
  if (!quorum_met(w.params(), count_ballots(w, w.proposals[id]))) {
    return Ruling::refuse(Refusal::kQuorumNotMet, ParamId::kVotingQuorum);
  }
  return Ruling::ok();
}

Ruling check_delegate(const WorldState& w, AgentIndex actor, const Action& a) {
  const Params& p = w.params();
  Ruling r = check_on_roll_target(w, a.target, SC::kDelegationBasic);
  if (!r.legal()) return r;
  if (a.target == actor) return Ruling::refuse(Refusal::kSelfDelegation, SC::kDelegationBasic);
  if (p.delegation_max_depth && *p.delegation_max_depth == 0) {
    return Ruling::refuse(Refusal::kDelegationDisabled, ParamId::kDelegationMaxDepth);
  }
  // Following the target's chain must not lead back to the actor. Chains are
  // acyclic by this very rule, so the walk ends within citizens.size() steps.
  for (AgentIndex cur = w.citizens[a.target].delegate; cur != kNoAgent;
       cur = w.citizens[cur].delegate) {
    if (cur == actor) return Ruling::refuse(Refusal::kDelegationCycle, SC::kDelegationBasic);
  }
  if (p.delegation_max_weight_frac && w.citizens[actor].delegate != a.target) {
    const auto cap = static_cast<std::int32_t>(
        std::ceil(*p.delegation_max_weight_frac * static_cast<double>(w.roll_size)));
    if (w.citizens[a.target].delegators >= cap) {
      return Ruling::refuse(Refusal::kWeightCapReached, ParamId::kDelegationMaxWeightFrac);
    }
  }
  return Ruling::ok();
}

Ruling check_transfer(const WorldState& w, AgentIndex actor, const Action& a) {
  if (!w.valid_citizen(a.target) || w.citizens[a.target].exited) {
    return Ruling::refuse(Refusal::kUnknownTarget, SC::kTransfersPrivate);
  }
  if (a.target == actor) return Ruling::refuse(Refusal::kSelfTransfer, SC::kTransfersPrivate);
  if (a.amount <= 0) return Ruling::refuse(Refusal::kBadAmount, SC::kTransfersPrivate);
  if (a.amount > w.citizens[actor].balance) {
    return Ruling::refuse(Refusal::kInsufficientFunds, SC::kFundsSufficient);
  }
  return Ruling::ok();
}

Ruling check_emergency_spend(const WorldState& w, AgentIndex actor, const Action& a) {
  if (w.params().emergency_spend_requires_vote) {
    return Ruling::refuse(Refusal::kSpendRequiresVote, ParamId::kEmergencySpendRequiresVote);
  }
  if (!w.emergency.active) return Ruling::refuse(Refusal::kNoEmergency, SC::kEmergencyState);
  if (!w.citizens[actor].council)
    return Ruling::refuse(Refusal::kNotCouncil, SC::kEmergencyCouncil);
  Ruling r = check_on_roll_target(w, a.target, SC::kProposalsWellFormed);
  if (!r.legal()) return r;
  if (a.amount <= 0) return Ruling::refuse(Refusal::kBadAmount, SC::kProposalsWellFormed);
  return check_outflow(w, a.amount);
}

}  // namespace

Money spend_total(const ProposalItem* items, int count) {
  // Saturating: a sum past the largest amount must not wrap around to a small
  // or negative total that passes the limits.
  Money total = 0;
  for (int i = 0; i < count; ++i) {
    if (items[i].kind != ItemKind::kSpend) continue;
    if (__builtin_add_overflow(total, items[i].amount, &total)) {
      return items[i].amount > 0 ? std::numeric_limits<Money>::max()
                                 : std::numeric_limits<Money>::min();
    }
  }
  return total;
}

Ruling check_outflow(const WorldState& w, Money amount) {
  std::array<OutflowLimit, 3> limits;
  const int n = outflow_limits(w, 0, limits);
  for (int i = 0; i < n; ++i) {
    if (amount > limits[static_cast<std::size_t>(i)].max) {
      return Ruling{limits[static_cast<std::size_t>(i)].refusal,
                    limits[static_cast<std::size_t>(i)].clause};
    }
  }
  return Ruling::ok();
}

OutflowRoom outflow_room(const WorldState& w, Money pending, OutflowUse use) {
  std::array<OutflowLimit, 4> all;
  int n = 0;
  if (use == OutflowUse::kProposal) {
    if (const auto cap = proposal_cap_limit(w)) all[static_cast<std::size_t>(n++)] = *cap;
  }
  std::array<OutflowLimit, 3> spending;
  const int m = outflow_limits(w, pending, spending);
  for (int i = 0; i < m; ++i)
    all[static_cast<std::size_t>(n++)] = spending[static_cast<std::size_t>(i)];
  OutflowRoom room;
  room.amount = all[0].max;
  for (int i = 1; i < n; ++i)
    room.amount = std::min(room.amount, all[static_cast<std::size_t>(i)].max);
  room.amount = std::max<Money>(room.amount, 0);
  // One more is refused by the first limit, in the order the engine checks
  // them, that it exceeds.
  for (int i = 0; i < n; ++i) {
    if (all[static_cast<std::size_t>(i)].max <= room.amount) {
      room.binding = all[static_cast<std::size_t>(i)].clause;
      break;
    }
  }
  return room;
}

Ruling check_action(const WorldState& w, AgentIndex actor, const Action& a) {
  if (a.kind == ActionKind::kPass) return Ruling::ok();
  if (!w.valid_citizen(actor)) return Ruling::refuse(Refusal::kUnknownTarget, SC::kStandingRoll);
  if (w.citizens[actor].exited) return Ruling::refuse(Refusal::kExited, SC::kStandingRoll);
  switch (a.kind) {
    case ActionKind::kTransfer:
      return check_transfer(w, actor, a);
    case ActionKind::kRevokeDelegation:
      if (w.citizens[actor].delegate == kNoAgent) {
        return Ruling::refuse(Refusal::kNoDelegation, SC::kDelegationBasic);
      }
      return Ruling::ok();
    case ActionKind::kExecuteProposal:
      return Ruling::refuse(Refusal::kUnknownProposal, SC::kProposalsOpen);
    default:
      break;
  }
  Ruling standing = check_standing(w, actor);
  if (!standing.legal()) return standing;
  switch (a.kind) {
    case ActionKind::kPropose:
      return check_propose(w, a);
    case ActionKind::kCastVote:
      return check_vote(w, actor, a);
    case ActionKind::kCallQuestion:
      return check_call(w, actor, a);
    case ActionKind::kDelegate:
      return check_delegate(w, actor, a);
    case ActionKind::kEmergencySpend:
      return check_emergency_spend(w, actor, a);
    case ActionKind::kExit:
      return Ruling::ok();
    default:
      return Ruling::refuse(Refusal::kUnknownProposal, SC::kProposalsWellFormed);
  }
}

namespace {

ClauseSet clauses(std::initializer_list<ClauseId> ids) {
  ClauseSet set;
  for (ClauseId c : ids) set.add(c);
  return set;
}

}  // namespace

// Keep in step with the checks above: consulted_clauses_test fuzzes actions
// and fails on a refusal citing a clause missing here.
ClauseSet consulted_clauses(ActionKind kind) {
  const ClauseId standing = clause_of(SC::kStandingRoll);
  switch (kind) {
    case ActionKind::kPass:
      return {};
    case ActionKind::kPropose:
      return clauses({standing, clause_of(SC::kProposalsWellFormed),
                      clause_of(ParamId::kSingleSubject), clause_of(ParamId::kMinWindowTurns)});
    case ActionKind::kCastVote:
      return clauses({standing, clause_of(SC::kProposalsWellFormed), clause_of(SC::kProposalsOpen),
                      clause_of(SC::kVotingOneBallot)});
    case ActionKind::kCallQuestion:
      return clauses({standing, clause_of(SC::kProposalsOpen), clause_of(ParamId::kEarlyClose),
                      clause_of(ParamId::kVotingQuorum)});
    case ActionKind::kDelegate:
      return clauses({standing, clause_of(SC::kDelegationBasic),
                      clause_of(ParamId::kDelegationMaxDepth),
                      clause_of(ParamId::kDelegationMaxWeightFrac)});
    case ActionKind::kRevokeDelegation:
      return clauses({standing, clause_of(SC::kDelegationBasic)});
    case ActionKind::kTransfer:
      return clauses({standing, clause_of(SC::kTransfersPrivate), clause_of(SC::kFundsSufficient)});
    case ActionKind::kEmergencySpend:
      return clauses({standing, clause_of(ParamId::kEmergencySpendRequiresVote),
                      clause_of(SC::kEmergencyState), clause_of(SC::kEmergencyCouncil),
                      clause_of(SC::kProposalsWellFormed), clause_of(SC::kFundsSufficient),
                      clause_of(ParamId::kSpendEpochRateCap),
                      clause_of(ParamId::kSpendCommonsFloor)});
    case ActionKind::kExit:
      return clauses({standing, clause_of(SC::kExitProRata)});
    case ActionKind::kExecuteProposal:
      return clauses({standing, clause_of(SC::kProposalsOpen)});
  }
  return clauses({standing, clause_of(SC::kProposalsWellFormed)});
}

ClauseSet consulted_clauses(ItemKind kind) {
  const ClauseId well_formed = clause_of(SC::kProposalsWellFormed);
  switch (kind) {
    case ItemKind::kSpend:
      return clauses({well_formed, clause_of(ParamId::kSpendPerProposalCap),
                      clause_of(SC::kFundsSufficient), clause_of(ParamId::kSpendEpochRateCap),
                      clause_of(ParamId::kSpendCommonsFloor)});
    case ItemKind::kAmendment:
      return clauses({well_formed, clause_of(ParamId::kVotingThresholdCeiling)});
    case ItemKind::kDisenfranchise:
      return clauses({well_formed});
    case ItemKind::kRoleGrant:
      return clauses(
          {well_formed, clause_of(SC::kOfficesRoles), clause_of(ParamId::kOfficesMaxPerCitizen)});
    case ItemKind::kEmergencyDeclare:
      return clauses({clause_of(SC::kEmergencyState), clause_of(SC::kEmergencyCouncil)});
    case ItemKind::kEmergencyRenew:
      return clauses({clause_of(SC::kEmergencyState), clause_of(ParamId::kEmergencyMaxRenewals)});
  }
  return clauses({well_formed});
}

ClauseSet consulted_clauses(const ProposalItem& item) {
  ClauseSet set = consulted_clauses(item.kind);
  if (item.kind == ItemKind::kAmendment && static_cast<int>(item.param) < kParamCount) {
    set.add(clause_of(item.param));
  }
  return set;
}

Ruling check_execution(const WorldState& w, std::int32_t proposal_id) {
  const Proposal& p = w.proposals[proposal_id];
  return check_items(w, p.items.data(), p.item_count);
}

}  // namespace fable
