// Turn-by-turn checks of the engine's two core invariants (docs/turn-engine.md
// "Invariants"), shared by the engine property tests and the conformance suite:
//   * conservation: treasury + balances + exited shares = initial treasury +
//     initial balances + income, in exact milli-units;
//   * legality: replaying a turn action by action on a copy of the world, with
//     check_action ruling on each under the kernel in force at that moment and
//     the engine's own transitions applying the legal ones, gives exactly the
//     engine's events and end state. So every applied action was legal, every
//     refused one is one action_rejected event (with its refusal and clause)
//     that changed nothing else, and a pass changes nothing;
//   * consistency of the state (check_world_invariants): no negative money,
//     roll_size, offices, delegations, the council and the open-proposal list
//     agree with the citizens and proposals they summarise.
// Shared with the engine fuzz harness (fuzz/engine_fuzz.cc) as well.
// Each check returns "" when it holds, or one line saying what broke, so that
// GoogleTest and RapidCheck callers can both assert on it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "engine/transitions.h"  // the engine's own primitives, for the replay
#include "fable/engine.h"
#include "fable/legality.h"
#include "fable/random.h"
#include "fable/world.h"
#include "support/engine_test_support.h"

namespace fable::testing {

// Treasury + exited shares + every balance.
inline Money money_in_play(const WorldState& w) {
  Money total = w.treasury + w.exited_total;
  for (const Citizen& c : w.citizens) total += c.balance;
  return total;
}

// "" if the money in play equals what entered the world so far.
inline std::string check_conservation(const WorldState& w) {
  const Money expected = w.initial_treasury + w.initial_balances + w.income_total;
  const Money actual = money_in_play(w);
  if (actual == expected) return "";
  return "turn " + std::to_string(w.turn) + ": money in play is " + std::to_string(actual) +
         " milli, expected initial + income = " + std::to_string(expected) + " milli";
}

// "" if the state is consistent: no negative treasury, exited shares, epoch
// spending or balance; roll_size counts the roll; exited citizens are off the
// roll with nothing; offices are held by citizens on the roll and counted per
// citizen; delegations come from citizens on the roll to other valid
// citizens, are counted per delegate, listed in `delegating` and acyclic; the
// council is exactly the flagged citizens and empty without an emergency;
// `open_proposals` lists exactly the open or called proposals by id, and each
// open proposal's `voters` exactly the citizens with a ballot in it.
inline std::string check_world_invariants(const WorldState& w) {
  const std::string at = "turn " + std::to_string(w.turn) + ": ";
  if (w.treasury < 0) return at + "negative treasury";
  if (w.exited_total < 0) return at + "negative exited_total";
  if (w.spent_this_epoch < 0) return at + "negative spent_this_epoch";
  const std::size_t n = w.citizens.size();
  std::int32_t roll = 0;
  std::vector<std::int32_t> delegators(n, 0);
  std::vector<int> offices(n, 0);
  for (AgentIndex holder : w.office_holder) {
    if (holder == kNoAgent) continue;
    if (!w.on_roll(holder)) return at + "an office held off the roll";
    ++offices[static_cast<std::size_t>(holder)];
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Citizen& c = w.citizens[i];
    const std::string who = at + "citizen " + std::to_string(i) + ": ";
    if (c.balance < 0) return who + "negative balance";
    roll += c.on_roll ? 1 : 0;
    if (c.exited && (c.on_roll || c.balance != 0)) return who + "exited but on the roll or funded";
    if (c.delegate != kNoAgent) {
      if (!c.on_roll) return who + "delegates off the roll";
      if (!w.valid_citizen(c.delegate) || c.delegate == static_cast<AgentIndex>(i))
        return who + "delegates to an invalid citizen or itself";
      ++delegators[static_cast<std::size_t>(c.delegate)];
    }
    if (static_cast<int>(c.offices) != offices[i]) return who + "office count differs";
    if (c.council && !c.on_roll) return who + "council seat off the roll";
  }
  if (roll != w.roll_size) return at + "roll_size differs from the roll";
  for (std::size_t i = 0; i < n; ++i) {
    if (w.citizens[i].delegators != delegators[i])
      return at + "citizen " + std::to_string(i) + ": delegator count differs";
  }
  for (std::size_t i = 0; i < n; ++i) {
    AgentIndex cur = w.citizens[i].delegate;
    for (std::size_t steps = 0; cur != kNoAgent; ++steps) {
      if (steps > n) return at + "a delegation cycle through citizen " + std::to_string(i);
      cur = w.citizens[static_cast<std::size_t>(cur)].delegate;
    }
  }
  std::vector<AgentIndex> flagged;
  for (std::size_t i = 0; i < n; ++i) {
    if (w.citizens[i].council) flagged.push_back(static_cast<AgentIndex>(i));
  }
  std::vector<AgentIndex> council = w.emergency.council;
  std::sort(council.begin(), council.end());
  if (council != flagged) return at + "the council differs from the flagged citizens";
  if (!w.emergency.active && !council.empty()) return at + "a council without an emergency";
  std::vector<std::int32_t> open;
  for (const Proposal& p : w.proposals) {
    if (p.id != static_cast<std::int32_t>(&p - w.proposals.data()))
      return at + "proposal " + std::to_string(p.id) + " is out of place";
    if (p.status == ProposalStatus::kOpen || p.status == ProposalStatus::kCalled)
      open.push_back(p.id);
  }
  if (w.open_proposals != open) return at + "open_proposals differs from the proposals";
  for (std::int32_t id : open) {
    const Proposal& p = w.proposals[static_cast<std::size_t>(id)];
    const std::string which = at + "proposal " + std::to_string(id) + ": ";
    if (p.ballots.size() != n) return which + "ballots do not match the citizens";
    if (p.last_turn < w.turn + 1) return which + "open past its last turn";
    if (p.status != ProposalStatus::kOpen) return which + "called but not tallied";
    std::vector<AgentIndex> with_ballot;
    std::vector<AgentIndex> voters = p.voters;
    for (std::size_t i = 0; i < p.ballots.size(); ++i) {
      if (p.ballots[i] != Choice::kNone) with_ballot.push_back(static_cast<AgentIndex>(i));
    }
    std::sort(voters.begin(), voters.end());
    if (voters != with_ballot) return which + "voters differ from the ballots";
  }
  std::vector<AgentIndex> delegating;
  for (std::size_t i = 0; i < n; ++i) {
    if (w.citizens[i].delegate != kNoAgent) delegating.push_back(static_cast<AgentIndex>(i));
  }
  if (w.delegating != delegating) return at + "delegating differs from the delegations";
  return "";
}

// The documented agent order of every turn, drawn independently of the
// engine. Construct it with the episode's seed before the first step and call
// next() once per turn.
class OrderStream {
 public:
  OrderStream(std::uint64_t seed, int n)
      : rng_(derive_seed(seed, "engine/order")), order_(static_cast<std::size_t>(n)) {}
  const std::vector<AgentIndex>& next() {
    std::iota(order_.begin(), order_.end(), 0);
    rng_.shuffle(std::span<AgentIndex>(order_));
    return order_;
  }

 private:
  Rng rng_;
  std::vector<AgentIndex> order_;
};

// The action_rejected event the engine logs for `a` by `agent` ruled `r`,
// with what was attempted (docs/trace-format.md); a refused propose's
// contents go to w.refused_proposals.
inline Event rejection(WorldState& w, AgentIndex agent, const Action& a, Ruling r,
                       std::int32_t proposal) {
  Event e;
  e.turn = w.turn;
  e.kind = EventKind::kActionRejected;
  e.action = a.kind;
  e.refusal = r.refusal;
  e.clause = r.clause;
  e.actor = agent;
  e.proposal = proposal;
  if (a.kind == ActionKind::kPropose) {
    e.attempt = static_cast<std::int32_t>(w.refused_proposals.size());
    w.refused_proposals.push_back({a.window, a.item_count, a.items});
  }
  if (a.kind == ActionKind::kCastVote) e.choice = a.choice;
  if (a.kind == ActionKind::kDelegate || a.kind == ActionKind::kTransfer ||
      a.kind == ActionKind::kEmergencySpend) {
    e.target = a.target;
  }
  if (a.kind == ActionKind::kTransfer || a.kind == ActionKind::kEmergencySpend) {
    e.amount = a.amount;
  }
  if (a.kind == ActionKind::kTransfer) e.memo = a.memo;
  return e;
}

struct CheckedTurn {
  std::string error;        // "" when the turn was legal
  std::size_t refused = 0;  // actions refused this turn
};

// Plays `plans` on `env` (one step), after replaying the same turn action by
// action on a copy of the world as described at the top of this file.
// `orders` must have been created for env's seed and advanced once per
// earlier step of env.
inline CheckedTurn step_checked(Environment& env, std::span<const Plan> plans,
                                OrderStream& orders) {
  CheckedTurn out;
  const int plan_length = env.settings().plan_length;
  WorldState shadow = env.state();
  const std::size_t base = shadow.log.size();
  ++shadow.turn;
  const std::vector<AgentIndex>& order = orders.next();
  for (int round = 0; round < kMaxPlanLength; ++round) {
    for (AgentIndex agent : order) {
      const Plan& plan = plans[static_cast<std::size_t>(agent)];
      if (static_cast<std::size_t>(round) >= plan.size()) continue;
      const Action& a = plan[static_cast<std::size_t>(round)];
      if (round >= plan_length) {
        shadow.log.push_back(
            rejection(shadow, agent, a, Ruling::refuse(Refusal::kPlanTooLong, kNoClause), -1));
        ++out.refused;
        continue;
      }
      const Ruling r = check_action(shadow, agent, a);
      if (r.legal()) {
        const std::uint64_t before = state_digest(shadow);
        detail::apply_action(shadow, agent, a);
        if (a.kind == ActionKind::kPass && state_digest(shadow) != before) {
          out.error = "turn " + std::to_string(shadow.turn) + ": a pass changed the state";
          return out;
        }
      } else {
        const bool addressed =
            a.kind == ActionKind::kCastVote || a.kind == ActionKind::kCallQuestion;
        const std::int32_t p = addressed ? shadow.resolve(a.proposal) : -1;
        shadow.log.push_back(rejection(shadow, agent, a, r, p));
        ++out.refused;
      }
    }
  }
  for (AgentIndex agent : order) {
    const Plan& plan = plans[static_cast<std::size_t>(agent)];
    for (std::size_t i = kMaxPlanLength; i < plan.size(); ++i) {
      shadow.log.push_back(
          rejection(shadow, agent, plan[i], Ruling::refuse(Refusal::kPlanTooLong, kNoClause), -1));
      ++out.refused;
    }
  }
  const std::size_t action_events = shadow.log.size();

  env.step(plans);
  const WorldState& w = env.state();
  if (w.log.size() < action_events) {
    out.error = "turn " + std::to_string(w.turn) + ": the engine logged fewer events than actions";
    return out;
  }
  if (w.refused_proposals.size() != shadow.refused_proposals.size()) {
    out.error = "turn " + std::to_string(w.turn) + ": " +
                std::to_string(w.refused_proposals.size()) + " refused proposals kept, expected " +
                std::to_string(shadow.refused_proposals.size());
    return out;
  }
  for (std::size_t i = 0; i < w.refused_proposals.size(); ++i) {
    const RefusedProposal& got = w.refused_proposals[i];
    const RefusedProposal& want = shadow.refused_proposals[i];
    if (got.window != want.window || got.item_count != want.item_count ||
        got.items[0].amount != want.items[0].amount || got.items[0].kind != want.items[0].kind) {
      out.error = "turn " + std::to_string(w.turn) + ": refused proposal " + std::to_string(i) +
                  " kept other contents than attempted";
      return out;
    }
  }
  for (std::size_t i = base; i < action_events; ++i) {
    if (!same_event(w.log[i], shadow.log[i])) {
      out.error = "turn " + std::to_string(w.turn) + ": event " + std::to_string(i) + " is " +
                  std::string(event_kind_name(w.log[i].kind)) + " by " +
                  std::to_string(w.log[i].actor) + " (" +
                  std::string(refusal_text(w.log[i].refusal)) + "), expected " +
                  std::string(event_kind_name(shadow.log[i].kind)) + " by " +
                  std::to_string(shadow.log[i].actor) + " (" +
                  std::string(refusal_text(shadow.log[i].refusal)) + ")";
      return out;
    }
  }
  // The rest of the turn, and so the whole state, agrees as well.
  std::vector<std::int32_t> scratch;
  detail::end_of_turn(shadow, scratch);
  if (shadow.log.size() != w.log.size() || state_digest(shadow) != env.digests().back()) {
    out.error = "turn " + std::to_string(w.turn) +
                ": the end state differs from the action-by-action replay";
  }
  return out;
}

}  // namespace fable::testing
