// Events: the append-only log of what happened, in the normalised vocabulary
// of SPEC §4.
//
// Every state change the turn engine makes is logged as exactly one Event,
// and so is every refused attempt (`action_rejected`, naming the clause that
// refused it, and keeping what was attempted: the target, amount, memo and
// choice in the event's own fields, the addressed proposal, and for a refused
// `propose` an index into a side list of attempted proposals, so that events
// stay small). Events are flat values with typed fields (no maps, no
// allocation); which fields are meaningful depends on the kind, as listed in
// docs/turn-engine.md. Metrics, detectors and script extraction read only
// events and snapshots, never engine internals.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "fable/action.h"
#include "fable/money.h"
#include "fable/params.h"
#include "fable/ruling.h"
#include "fable/semver.h"

namespace fable {

enum class EventKind : std::uint8_t {
  kActionRejected = 0,
  kProposalCreated,
  kVoteCast,
  kQuestionCalled,
  kProposalClosed,
  kSpendExecuted,
  kAmendmentRatified,
  kAmendmentInForce,
  kCitizenDisenfranchised,
  kRoleGranted,
  kDelegationSet,
  kDelegationRevoked,
  kEmergencyDeclared,
  kEmergencyRenewed,
  kEmergencyEnded,
  kEmergencySpend,
  kTransfer,
  kCitizenExited,  // keep last: kEventKindCount follows it
};
inline constexpr int kEventKindCount = static_cast<int>(EventKind::kCitizenExited) + 1;
std::string_view event_kind_name(EventKind k);  // "action_rejected", ...

enum class TallyResult : std::uint8_t {
  kNone = 0,
  kPassed,
  kFailedQuorum,     // clause: voting.quorum
  kFailedThreshold,  // clause: the threshold parameter of the most demanding item
  kFailedMajority,   // clause: voting.majority (yes did not exceed no)
};
std::string_view tally_result_name(TallyResult r);  // "passed", "failed_quorum", ...

// Why a delegation or an emergency ended.
enum class EndCause : std::uint8_t { kNone = 0, kRevoked, kEpochExpiry, kSunset, kLostStanding };

// Round of the turn in which an action event happened; end-of-turn work uses this.
inline constexpr std::uint8_t kEndOfTurnRound = 0xff;

// The contents of a refused `propose`, as attempted: kept beside the event log
// (WorldState::refused_proposals, EpisodeTrace::refused_proposals) and
// addressed by Event::attempt, so that an event stays a small flat value.
struct RefusedProposal {
  std::int32_t window = 0;  // as requested; 0 = kernel default
  std::uint8_t item_count = 0;
  std::array<ProposalItem, kMaxItems> items{};
};

struct Event {
  std::int32_t turn = 0;
  EventKind kind = EventKind::kActionRejected;
  std::uint8_t round = kEndOfTurnRound;     // plan position of the action that caused it
  ActionKind action = ActionKind::kPass;    // action_rejected: what was attempted
  Refusal refusal = Refusal::kNone;         // action_rejected
  ClauseId clause = kNoClause;              // action_rejected, proposal_closed (when failed)
  Choice choice = Choice::kNone;            // vote_cast; action_rejected of a cast_vote
  TallyResult result = TallyResult::kNone;  // proposal_closed
  Role role = Role::kChair;                 // role_granted
  ParamId param = ParamId::kVotingQuorum;   // amendment_*
  Bump bump = Bump::kNone;                  // amendment_ratified
  EndCause cause = EndCause::kNone;         // delegation_revoked, emergency_ended
  AgentIndex actor = kNoAgent;              // who acted (proposer for proposal events)
  // Recipient, delegate, expelled citizen, office holder; for action_rejected the
  // attempted target (delegate, transfer, emergency_spend).
  AgentIndex target = kNoAgent;
  std::int32_t proposal =
      -1;  // the proposal concerned, if any (a refused ballot or call: resolved)
  // action_rejected of a propose: index of its contents in the refused proposals; else -1.
  std::int32_t attempt = -1;
  Money amount = 0;   // funds moved; exit share; action_rejected: the attempted amount
  ParamValue before;  // amendment_*: old value
  ParamValue after;   // amendment_*: new value
  std::int32_t yes = 0, no = 0, abstain = 0, eligible = 0;  // proposal_closed (weighted)
  Memo memo;  // transfer; action_rejected of a transfer
};

}  // namespace fable
