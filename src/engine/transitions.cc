// State transitions: applying legal actions and the end-of-turn work.
#include "engine/transitions.h"

#include <algorithm>
#include <cassert>

#include "base/hash.h"
#include "fable/legality.h"
#include "fable/tally.h"

namespace fable::detail {

namespace {

Event make_event(const WorldState& w, EventKind kind, AgentIndex actor) {
  Event e;
  e.turn = w.turn;
  e.round = w.round;
  e.kind = kind;
  e.actor = actor;
  return e;
}

void move_from_treasury(WorldState& w, AgentIndex to, Money amount) {
  w.treasury -= amount;
  w.spent_this_epoch += amount;
  w.citizens[to].balance += amount;
}

void drop_delegation(WorldState& w, AgentIndex who, EndCause cause) {
  Citizen& c = w.citizens[who];
  if (c.delegate == kNoAgent) return;
  Event e = make_event(w, EventKind::kDelegationRevoked, who);
  e.target = c.delegate;
  e.cause = cause;
  --w.citizens[c.delegate].delegators;
  c.delegate = kNoAgent;
  auto& list = w.delegating;
  list.erase(std::lower_bound(list.begin(), list.end(), who));
  w.log.push_back(e);
}

void vacate_offices(WorldState& w, AgentIndex who) {
  for (auto& holder : w.office_holder) {
    if (holder == who) holder = kNoAgent;
  }
  w.citizens[who].offices = 0;
}

void end_emergency(WorldState& w, EndCause cause) {
  for (AgentIndex m : w.emergency.council) w.citizens[m].council = false;
  Event e = make_event(w, EventKind::kEmergencyEnded, kNoAgent);
  e.cause = cause;
  e.amount = w.emergency.elapsed;
  w.log.push_back(e);
  w.emergency = Emergency{};
}

// A citizen leaves the roll (expelled or exiting): it loses its offices, its
// seat on the council and its own delegation. Delegations to it stop
// carrying weight because tallies walk only through citizens on the roll.
void leave_roll(WorldState& w, AgentIndex who) {
  Citizen& c = w.citizens[who];
  if (!c.on_roll) return;  // e.g. expelled twice by one omnibus proposal
  c.on_roll = false;
  --w.roll_size;
  vacate_offices(w, who);
  if (c.council) {
    c.council = false;
    auto& council = w.emergency.council;
    council.erase(std::remove(council.begin(), council.end(), who), council.end());
  }
  drop_delegation(w, who, EndCause::kLostStanding);
}

void open_proposal(WorldState& w, AgentIndex actor, const Action& a) {
  const Params& params = w.params();
  Proposal p;
  p.id = static_cast<std::int32_t>(w.proposals.size());
  p.proposer = actor;
  p.opened_turn = w.turn;
  for (auto it = w.proposals.rbegin(); it != w.proposals.rend() && it->opened_turn == w.turn;
       ++it) {
    if (it->proposer == actor) ++p.ordinal;
  }
  const int window = a.window != 0 ? a.window : params.default_window_turns;
  const bool review_suspended = w.emergency.active && params.emergency_suspends_review;
  p.last_turn = review_suspended ? w.turn : w.turn + window - 1;
  p.window = a.window;
  p.roll_at_open = w.roll_size;
  p.treasury_at_open = w.treasury;
  p.item_count = a.item_count;
  p.items = a.items;
  p.ballots.assign(w.citizens.size(), Choice::kNone);
  p.voters.reserve(w.citizens.size());  // one allocation, not one per doubling
  Event e = make_event(w, EventKind::kProposalCreated, actor);
  e.proposal = p.id;
  for (int i = 0; i < p.item_count; ++i) {
    if (p.items[i].kind == ItemKind::kSpend) e.amount += p.items[i].amount;
  }
  w.open_proposals.push_back(p.id);
  w.proposals.push_back(std::move(p));
  w.log.push_back(e);
}

void execute_spend(WorldState& w, const Proposal& p, const ProposalItem& item) {
  Event e = make_event(w, EventKind::kSpendExecuted, p.proposer);
  e.proposal = p.id;
  e.target = item.target;
  if (item.target == kAllCitizens) {
    const Money per_head = w.roll_size > 0 ? item.amount / w.roll_size : 0;
    for (std::size_t i = 0; i < w.citizens.size(); ++i) {
      if (w.citizens[i].on_roll) move_from_treasury(w, static_cast<AgentIndex>(i), per_head);
    }
    e.amount = per_head * w.roll_size;
  } else {
    move_from_treasury(w, item.target, item.amount);
    e.amount = item.amount;
  }
  w.log.push_back(e);
}

void bring_into_force(WorldState& w, ParamId param, const ParamValue& value,
                      std::int32_t proposal) {
  const ParamValue before = get_param(w.params(), param);
  Result<Kernel> next = w.kernel.amend(param, value);
  if (!next.ok()) {
    // The text in force no longer admits this value (another amendment moved a
    // bound in between): the amendment lapses, visibly.
    log_rejection(w, w.proposals[proposal].proposer, ActionKind::kExecuteProposal,
                  Ruling::refuse(Refusal::kBadParamValue, param), proposal);
    return;
  }
  w.kernel = std::move(next).value();
  Event e = make_event(w, EventKind::kAmendmentInForce, w.proposals[proposal].proposer);
  e.proposal = proposal;
  e.param = param;
  e.before = before;
  e.after = value;
  w.log.push_back(e);
}

void execute_amendment(WorldState& w, const Proposal& p, const ProposalItem& item) {
  const ParamValue before = get_param(w.params(), item.param);
  Event e = make_event(w, EventKind::kAmendmentRatified, p.proposer);
  e.proposal = p.id;
  e.param = item.param;
  e.before = before;
  e.after = item.value;
  e.bump = classify_change(item.param, before, item.value);
  w.log.push_back(e);
  const int delay = w.params().amendment_delay_turns;
  if (delay == 0) {
    bring_into_force(w, item.param, item.value, p.id);
  } else {
    w.pending_amendments.push_back({item.param, item.value, w.turn + delay, p.id});
  }
}

void execute_item(WorldState& w, const Proposal& p, const ProposalItem& item) {
  switch (item.kind) {
    case ItemKind::kSpend:
      execute_spend(w, p, item);
      return;
    case ItemKind::kAmendment:
      execute_amendment(w, p, item);
      return;
    case ItemKind::kDisenfranchise: {
      leave_roll(w, item.target);
      Event e = make_event(w, EventKind::kCitizenDisenfranchised, p.proposer);
      e.proposal = p.id;
      e.target = item.target;
      w.log.push_back(e);
      return;
    }
    case ItemKind::kRoleGrant: {
      AgentIndex& holder = w.office_holder[static_cast<int>(item.role)];
      if (holder != kNoAgent) --w.citizens[holder].offices;
      holder = item.target;
      ++w.citizens[item.target].offices;
      Event e = make_event(w, EventKind::kRoleGranted, p.proposer);
      e.proposal = p.id;
      e.target = item.target;
      e.role = item.role;
      w.log.push_back(e);
      return;
    }
    case ItemKind::kEmergencyDeclare: {
      for (AgentIndex m : w.emergency.council) w.citizens[m].council = false;
      w.emergency.active = true;
      w.emergency.declared_turn = w.turn;
      w.emergency.elapsed = 0;
      w.emergency.renewals = 0;
      w.emergency.council.assign(item.council.begin(), item.council.begin() + item.council_size);
      for (AgentIndex m : w.emergency.council) w.citizens[m].council = true;
      Event e = make_event(w, EventKind::kEmergencyDeclared, p.proposer);
      e.proposal = p.id;
      e.target = item.council[0];
      e.amount = item.council_size;
      w.log.push_back(e);
      return;
    }
    case ItemKind::kEmergencyRenew: {
      w.emergency.elapsed = 0;
      ++w.emergency.renewals;
      Event e = make_event(w, EventKind::kEmergencyRenewed, p.proposer);
      e.proposal = p.id;
      e.amount = w.emergency.renewals;
      w.log.push_back(e);
      return;
    }
  }
}

}  // namespace

void pay_economy(WorldState& w, Money income, Money stipend) {
  if (income > 0) {
    const Money room = std::max<Money>(
        0, kMaxWorldMoney - w.initial_treasury - w.initial_balances - w.income_total);
    const Money paid = std::min(income, room);
    w.treasury += paid;
    w.income_total += paid;
  }
  if (stipend <= 0) return;
  for (Citizen& c : w.citizens) {
    if (c.exited) continue;
    const Money paid = std::min(stipend, w.treasury);
    if (paid <= 0) break;
    w.treasury -= paid;
    c.balance += paid;
  }
}

namespace {

void epoch_boundary(WorldState& w) {
  const Params& params = w.params();
  if (w.turn % params.epoch_turns != 0) return;
  ++w.epoch;
  // Income stops once the world would hold more than kMaxWorldMoney in all
  // (money.h), so no sum of amounts can overflow; far beyond any real kernel.
  const Money room = std::max<Money>(0, kMaxWorldMoney - w.initial_treasury - w.income_total);
  const Money income = std::min(params.treasury_income_per_epoch, room);
  w.treasury += income;
  w.income_total += income;
  w.epoch_start_treasury = w.treasury;
  w.spent_this_epoch = 0;
  if (params.delegation_epoch_expiry) {
    // In index order, as the log has always had them; a copy, since each drop edits the list.
    const std::vector<AgentIndex> expiring = w.delegating;
    for (AgentIndex who : expiring) drop_delegation(w, who, EndCause::kEpochExpiry);
  }
}

void emergency_tick(WorldState& w) {
  if (!w.emergency.active || w.emergency.declared_turn >= w.turn) return;
  ++w.emergency.elapsed;
  const auto& max = w.params().emergency_max_duration_turns;
  if (max && w.emergency.elapsed >= *max) end_emergency(w, EndCause::kSunset);
}

void run_tallies(WorldState& w, std::vector<std::int32_t>& passed) {
  passed.clear();
  auto keep = w.open_proposals.begin();
  for (std::int32_t id : w.open_proposals) {
    Proposal& p = w.proposals[id];
    if (p.status != ProposalStatus::kCalled && p.last_turn > w.turn) {
      *keep++ = id;
      continue;
    }
    const TallyOutcome out = tally(w, p);
    p.yes = out.count.yes;
    p.no = out.count.no;
    p.abstain = out.count.abstain;
    p.eligible = out.count.eligible;
    p.status =
        out.result == TallyResult::kPassed ? ProposalStatus::kPassed : ProposalStatus::kRejected;
    std::vector<Choice>().swap(p.ballots);
    std::vector<AgentIndex>().swap(p.voters);
    Event e = make_event(w, EventKind::kProposalClosed, p.proposer);
    e.proposal = id;
    e.result = out.result;
    e.clause = out.clause;
    e.yes = p.yes;
    e.no = p.no;
    e.abstain = p.abstain;
    e.eligible = p.eligible;
    w.log.push_back(e);
    if (out.result == TallyResult::kPassed) passed.push_back(id);
  }
  w.open_proposals.erase(keep, w.open_proposals.end());
}

void run_executions(WorldState& w, const std::vector<std::int32_t>& passed) {
  for (std::int32_t id : passed) {
    const Ruling r = check_execution(w, id);
    Proposal& p = w.proposals[id];
    if (!r.legal()) {
      p.status = ProposalStatus::kFailedExecution;
      log_rejection(w, p.proposer, ActionKind::kExecuteProposal, r, id);
      continue;
    }
    for (int i = 0; i < p.item_count; ++i) execute_item(w, p, p.items[i]);
  }
  // Amendments whose delay has run out, in ratification order.
  auto& pending = w.pending_amendments;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    if (pending[i].effective_turn <= w.turn) {
      bring_into_force(w, pending[i].param, pending[i].value, pending[i].proposal);
    } else {
      pending[kept++] = pending[i];
    }
  }
  pending.resize(kept);
}

}  // namespace

void log_rejection(WorldState& w, AgentIndex actor, ActionKind kind, const Ruling& ruling,
                   std::int32_t proposal) {
  Event e = make_event(w, EventKind::kActionRejected, actor);
  e.action = kind;
  e.refusal = ruling.refusal;
  e.clause = ruling.clause;
  e.proposal = proposal;
  w.log.push_back(e);
}

void log_refused_action(WorldState& w, AgentIndex actor, const Action& a, const Ruling& ruling,
                        std::int32_t proposal) {
  Event e = make_event(w, EventKind::kActionRejected, actor);
  e.action = a.kind;
  e.refusal = ruling.refusal;
  e.clause = ruling.clause;
  e.proposal = proposal;
  switch (a.kind) {
    case ActionKind::kPropose:
      e.attempt = static_cast<std::int32_t>(w.refused_proposals.size());
      w.refused_proposals.push_back({a.window, a.item_count, a.items});
      break;
    case ActionKind::kCastVote:
      e.choice = a.choice;
      break;
    case ActionKind::kDelegate:
      e.target = a.target;
      break;
    case ActionKind::kTransfer:
      e.target = a.target;
      e.amount = a.amount;
      e.memo = a.memo;
      break;
    case ActionKind::kEmergencySpend:
      e.target = a.target;
      e.amount = a.amount;
      break;
    default:
      break;
  }
  w.log.push_back(e);
}

void apply_action(WorldState& w, AgentIndex actor, const Action& a) {
  Citizen& me = w.citizens[actor];
  switch (a.kind) {
    case ActionKind::kPass:
    case ActionKind::kExecuteProposal:
      return;
    case ActionKind::kPropose:
      open_proposal(w, actor, a);
      return;
    case ActionKind::kCastVote: {
      const std::int32_t id = w.resolve(a.proposal);
      w.proposals[id].ballots[actor] = a.choice;
      w.proposals[id].voters.push_back(actor);
      w.ballot_digest +=
          mix64((static_cast<std::uint64_t>(id) << 32) ^
                (static_cast<std::uint64_t>(static_cast<std::uint32_t>(actor)) << 2) ^
                static_cast<std::uint64_t>(a.choice));
      Event e = make_event(w, EventKind::kVoteCast, actor);
      e.proposal = id;
      e.choice = a.choice;
      w.log.push_back(e);
      return;
    }
    case ActionKind::kCallQuestion: {
      const std::int32_t id = w.resolve(a.proposal);
      w.proposals[id].status = ProposalStatus::kCalled;
      Event e = make_event(w, EventKind::kQuestionCalled, actor);
      e.proposal = id;
      w.log.push_back(e);
      return;
    }
    case ActionKind::kDelegate: {
      if (me.delegate == a.target) return;  // already so: nothing changes
      drop_delegation(w, actor, EndCause::kRevoked);
      me.delegate = a.target;
      ++w.citizens[a.target].delegators;
      w.delegating.insert(std::lower_bound(w.delegating.begin(), w.delegating.end(), actor), actor);
      Event e = make_event(w, EventKind::kDelegationSet, actor);
      e.target = a.target;
      w.log.push_back(e);
      return;
    }
    case ActionKind::kRevokeDelegation:
      drop_delegation(w, actor, EndCause::kRevoked);
      return;
    case ActionKind::kTransfer: {
      me.balance -= a.amount;
      w.citizens[a.target].balance += a.amount;
      Event e = make_event(w, EventKind::kTransfer, actor);
      e.target = a.target;
      e.amount = a.amount;
      e.memo = a.memo;
      w.log.push_back(e);
      return;
    }
    case ActionKind::kEmergencySpend: {
      move_from_treasury(w, a.target, a.amount);
      Event e = make_event(w, EventKind::kEmergencySpend, actor);
      e.target = a.target;
      e.amount = a.amount;
      w.log.push_back(e);
      return;
    }
    case ActionKind::kExit: {
      const Money share = w.roll_size > 0 ? w.treasury / w.roll_size : 0;
      w.treasury -= share;
      leave_roll(w, actor);
      w.exited_total += share + me.balance;
      Event e = make_event(w, EventKind::kCitizenExited, actor);
      e.amount = share;
      w.log.push_back(e);
      me.balance = 0;
      me.exited = true;
      return;
    }
  }
}

void end_of_turn(WorldState& w, std::vector<std::int32_t>& passed) {
  epoch_boundary(w);
  emergency_tick(w);
  run_tallies(w, passed);
  run_executions(w, passed);
}

}  // namespace fable::detail
