// Scripted agents and script extraction; see include/fable/script.h.
#include <algorithm>

#include "fable/script.h"

namespace fable {

namespace {

// Listed and named in traces' replays, but never built from a roster: a
// scripted agent needs its script (records, holes).
const AgentRegistrar kScripted({.name = "scripted",
                                .order = 1000,
                                .red_team = false,
                                .description = "replays a recorded action script in place of "
                                               "the agent it stands for (records and holes only)",
                                .objective = "replay a recorded action script",
                                .make = nullptr});

}  // namespace

AgentRole scripted_role() {
  return kScripted.role();
}

ScriptedAgent::ScriptedAgent(std::string id, AgentRole stands_for, std::vector<ScriptStep> steps)
    : Agent(std::move(id), scripted_role()), stands_for_(stands_for), steps_(std::move(steps)) {
  std::stable_sort(steps_.begin(), steps_.end(), [](const ScriptStep& a, const ScriptStep& b) {
    return a.turn != b.turn ? a.turn < b.turn : a.round < b.round;
  });
}

void ScriptedAgent::act(const Observation& obs, Rng& rng, Plan& plan) {
  (void)rng;
  const std::int32_t turn = obs.world.turn + 1;
  if (turn <= last_turn_) next_ = 0;  // a new episode: start over
  last_turn_ = turn;
  while (next_ < steps_.size() && steps_[next_].turn < turn) ++next_;
  for (; next_ < steps_.size() && steps_[next_].turn == turn; ++next_) {
    const ScriptStep& s = steps_[next_];
    const auto round = static_cast<std::size_t>(std::clamp(s.round, 0, kMaxPlanLength - 1));
    while (plan.size() < round) plan.push_back(Action::pass());
    plan.push_back(s.action);
  }
}

namespace {

ProposalRef ref_of(const EpisodeTrace& trace, std::int32_t proposal) {
  if (proposal < 0 || static_cast<std::size_t>(proposal) >= trace.proposals.size()) {
    return ProposalRef{};  // resolves to nothing, as the original did
  }
  const ProposalInfo& p = trace.proposals[static_cast<std::size_t>(proposal)];
  return ProposalRef::by_origin(p.proposer, p.opened_turn, p.ordinal);
}

Action default_of(ActionKind kind) {
  Action a;
  a.kind = kind;
  return a;
}

// The refused action `e` as it was attempted. False when it cannot be rebuilt
// (a fable-trace/2 trace keeps no payload: only what needs none is rebuilt).
bool rebuild_refused(const EpisodeTrace& trace, const Event& e, Action& a) {
  if (!trace.refusal_payloads) {
    if (e.refusal == Refusal::kPlanTooLong) {
      a = default_of(e.action);
      return true;
    }
    switch (e.action) {
      case ActionKind::kCastVote:
        a = Action::vote(ref_of(trace, e.proposal),
                         e.refusal == Refusal::kBadChoice ? Choice::kNone : Choice::kAbstain);
        return true;
      case ActionKind::kCallQuestion:
      case ActionKind::kRevokeDelegation:
      case ActionKind::kExit:
        break;
      default:
        return false;
    }
  }
  a = default_of(e.action);
  switch (e.action) {
    case ActionKind::kPropose: {
      if (e.attempt < 0 || static_cast<std::size_t>(e.attempt) >= trace.refused_proposals.size()) {
        return false;
      }
      const RefusedProposal& p = trace.refused_proposals[static_cast<std::size_t>(e.attempt)];
      a.window = p.window;
      a.item_count = p.item_count;
      a.items = p.items;
      return true;
    }
    case ActionKind::kCastVote:
      a.proposal = ref_of(trace, e.proposal);
      a.choice = e.choice;
      return true;
    case ActionKind::kCallQuestion:
      a.proposal = ref_of(trace, e.proposal);
      return true;
    case ActionKind::kDelegate:
      a.target = e.target;
      return true;
    case ActionKind::kTransfer:
      a.target = e.target;
      a.amount = e.amount;
      a.memo = e.memo;
      return true;
    case ActionKind::kEmergencySpend:
      a.target = e.target;
      a.amount = e.amount;
      return true;
    case ActionKind::kExecuteProposal:
      return false;  // the engine's, not an agent's
    default:
      return true;  // pass, revoke_delegation, exit: nothing else to know
  }
}

}  // namespace

std::vector<ScriptStep> extract_script(const EpisodeTrace& trace, AgentIndex agent) {
  std::vector<ScriptStep> script;
  const std::vector<Event>& events = trace.events;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.actor != agent || e.round >= kMaxPlanLength) continue;
    Action a;
    bool keep = true;
    switch (e.kind) {
      case EventKind::kProposalCreated: {
        if (e.proposal < 0 || static_cast<std::size_t>(e.proposal) >= trace.proposals.size()) {
          keep = false;
          break;
        }
        const ProposalInfo& p = trace.proposals[static_cast<std::size_t>(e.proposal)];
        a.kind = ActionKind::kPropose;
        a.window = p.window;
        a.item_count = static_cast<std::uint8_t>(std::min<std::size_t>(p.items.size(), kMaxItems));
        std::copy_n(p.items.begin(), a.item_count, a.items.begin());
        break;
      }
      case EventKind::kVoteCast:
        a = Action::vote(ref_of(trace, e.proposal), e.choice);
        break;
      case EventKind::kQuestionCalled:
        a = Action::call_question(ref_of(trace, e.proposal));
        break;
      case EventKind::kDelegationSet:
        a = Action::delegate(e.target);
        break;
      case EventKind::kDelegationRevoked: {
        // Re-delegating logs the old delegation's end, then the new one: one action.
        const bool part_of_delegate =
            i + 1 < events.size() && events[i + 1].kind == EventKind::kDelegationSet &&
            events[i + 1].actor == agent && events[i + 1].turn == e.turn &&
            events[i + 1].round == e.round;
        keep = e.cause == EndCause::kRevoked && !part_of_delegate;
        a = Action::revoke_delegation();
        break;
      }
      case EventKind::kTransfer:
        a = Action::transfer(e.target, e.amount, e.memo.view());
        break;
      case EventKind::kEmergencySpend:
        a = Action::emergency_spend(e.target, e.amount);
        break;
      case EventKind::kCitizenExited:
        a = Action::exit();
        break;
      case EventKind::kActionRejected:
        keep = rebuild_refused(trace, e, a);
        break;
      default:
        keep = false;
        break;
    }
    if (keep) script.push_back({e.turn, e.round, a});
  }
  return script;
}

}  // namespace fable
