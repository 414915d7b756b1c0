// Names of event kinds and tally results, as written in traces.
#include "fable/event.h"

namespace fable {

std::string_view event_kind_name(EventKind k) {
  switch (k) {
    case EventKind::kActionRejected:
      return "action_rejected";
    case EventKind::kProposalCreated:
      return "proposal_created";
    case EventKind::kVoteCast:
      return "vote_cast";
    case EventKind::kQuestionCalled:
      return "question_called";
    case EventKind::kProposalClosed:
      return "proposal_closed";
    case EventKind::kSpendExecuted:
      return "spend_executed";
    case EventKind::kAmendmentRatified:
      return "amendment_ratified";
    case EventKind::kAmendmentInForce:
      return "amendment_in_force";
    case EventKind::kCitizenDisenfranchised:
      return "citizen_disenfranchised";
    case EventKind::kRoleGranted:
      return "role_granted";
    case EventKind::kDelegationSet:
      return "delegation_set";
    case EventKind::kDelegationRevoked:
      return "delegation_revoked";
    case EventKind::kEmergencyDeclared:
      return "emergency_declared";
    case EventKind::kEmergencyRenewed:
      return "emergency_renewed";
    case EventKind::kEmergencyEnded:
      return "emergency_ended";
    case EventKind::kEmergencySpend:
      return "emergency_spend";
    case EventKind::kTransfer:
      return "transfer";
    case EventKind::kCitizenExited:
      return "citizen_exited";
  }
  return "?";
}

std::string_view tally_result_name(TallyResult r) {
  switch (r) {
    case TallyResult::kNone:
      return "none";
    case TallyResult::kPassed:
      return "passed";
    case TallyResult::kFailedQuorum:
      return "failed_quorum";
    case TallyResult::kFailedThreshold:
      return "failed_threshold";
    case TallyResult::kFailedMajority:
      return "failed_majority";
  }
  return "?";
}

}  // namespace fable
