// Words for refusals.
#include "fable/ruling.h"

#include <fmt/format.h>

#include "fable/kernel.h"

namespace fable {

std::string_view refusal_text(Refusal r) {
  switch (r) {
    case Refusal::kNone:
      return "legal";
    case Refusal::kNotOnRoll:
      return "the actor is not on the roll";
    case Refusal::kExited:
      return "the actor has exited";
    case Refusal::kUnknownProposal:
      return "no such proposal";
    case Refusal::kProposalClosed:
      return "the proposal is closed";
    case Refusal::kQuestionCalled:
      return "the question has been called on this proposal";
    case Refusal::kAlreadyVoted:
      return "the actor has already voted on this proposal";
    case Refusal::kBadChoice:
      return "a ballot must be yes, no or abstain";
    case Refusal::kEarlyCloseDisabled:
      return "the question may not be called early";
    case Refusal::kNotProposer:
      return "only the proposer may call the question";
    case Refusal::kQuorumNotMet:
      return "quorum is not met";
    case Refusal::kNoItems:
      return "a proposal needs at least one item";
    case Refusal::kTooManyItems:
      return "too many items in one proposal";
    case Refusal::kSingleSubject:
      return "a proposal may carry only one item";
    case Refusal::kWindowTooShort:
      return "the voting window is shorter than the minimum";
    case Refusal::kWindowTooLong:
      return "the voting window is outside what the engine allows (0 to 1000 turns)";
    case Refusal::kBadAmount:
      return "the amount must be positive";
    case Refusal::kUnknownTarget:
      return "no such citizen";
    case Refusal::kTargetNotOnRoll:
      return "the citizen named is not on the roll";
    case Refusal::kUnknownRole:
      return "no such office";
    case Refusal::kUnknownParam:
      return "no such parameter";
    case Refusal::kBadParamValue:
      return "the value does not fit the parameter";
    case Refusal::kExceedsProposalCap:
      return "exceeds the per-proposal spending cap";
    case Refusal::kExceedsEpochRate:
      return "exceeds the epoch spending rate cap";
    case Refusal::kBreachesCommonsFloor:
      return "would take the treasury below the commons floor";
    case Refusal::kInsufficientFunds:
      return "insufficient funds";
    case Refusal::kSelfDelegation:
      return "a citizen may not delegate to itself";
    case Refusal::kDelegationCycle:
      return "the delegation would close a cycle";
    case Refusal::kDelegationDisabled:
      return "delegated ballots carry no weight";
    case Refusal::kWeightCapReached:
      return "the delegate already carries the most ballots allowed";
    case Refusal::kNoDelegation:
      return "there is no delegation to revoke";
    case Refusal::kNotCouncil:
      return "the actor is not on the emergency council";
    case Refusal::kNoEmergency:
      return "no emergency is in force";
    case Refusal::kEmergencyActive:
      return "an emergency is already in force";
    case Refusal::kRenewalsExhausted:
      return "the emergency has no renewals left";
    case Refusal::kSpendRequiresVote:
      return "emergency spending requires a passed proposal";
    case Refusal::kOfficeLimit:
      return "the citizen already holds the most offices allowed";
    case Refusal::kBadCouncil:
      return "the council must name 1 to 8 distinct citizens on the roll";
    case Refusal::kSelfTransfer:
      return "a transfer must go to another citizen";
    case Refusal::kPlanTooLong:
      return "the plan has more actions than a turn allows";
    case Refusal::kAboveThresholdCeiling:
      return "raises a quorum or threshold above the ceiling";
  }
  return "?";
}

std::string_view refusal_name(Refusal r) {
  switch (r) {
    case Refusal::kNone:
      return "none";
    case Refusal::kNotOnRoll:
      return "not_on_roll";
    case Refusal::kExited:
      return "exited";
    case Refusal::kUnknownProposal:
      return "unknown_proposal";
    case Refusal::kProposalClosed:
      return "proposal_closed";
    case Refusal::kQuestionCalled:
      return "question_called";
    case Refusal::kAlreadyVoted:
      return "already_voted";
    case Refusal::kBadChoice:
      return "bad_choice";
    case Refusal::kEarlyCloseDisabled:
      return "early_close_disabled";
    case Refusal::kNotProposer:
      return "not_proposer";
    case Refusal::kQuorumNotMet:
      return "quorum_not_met";
    case Refusal::kNoItems:
      return "no_items";
    case Refusal::kTooManyItems:
      return "too_many_items";
    case Refusal::kSingleSubject:
      return "single_subject";
    case Refusal::kWindowTooShort:
      return "window_too_short";
    case Refusal::kWindowTooLong:
      return "window_too_long";
    case Refusal::kBadAmount:
      return "bad_amount";
    case Refusal::kUnknownTarget:
      return "unknown_target";
    case Refusal::kTargetNotOnRoll:
      return "target_not_on_roll";
    case Refusal::kUnknownRole:
      return "unknown_role";
    case Refusal::kUnknownParam:
      return "unknown_param";
    case Refusal::kBadParamValue:
      return "bad_param_value";
    case Refusal::kExceedsProposalCap:
      return "exceeds_proposal_cap";
    case Refusal::kExceedsEpochRate:
      return "exceeds_epoch_rate";
    case Refusal::kBreachesCommonsFloor:
      return "breaches_commons_floor";
    case Refusal::kInsufficientFunds:
      return "insufficient_funds";
    case Refusal::kSelfDelegation:
      return "self_delegation";
    case Refusal::kDelegationCycle:
      return "delegation_cycle";
    case Refusal::kDelegationDisabled:
      return "delegation_disabled";
    case Refusal::kWeightCapReached:
      return "weight_cap_reached";
    case Refusal::kNoDelegation:
      return "no_delegation";
    case Refusal::kNotCouncil:
      return "not_council";
    case Refusal::kNoEmergency:
      return "no_emergency";
    case Refusal::kEmergencyActive:
      return "emergency_active";
    case Refusal::kRenewalsExhausted:
      return "renewals_exhausted";
    case Refusal::kSpendRequiresVote:
      return "spend_requires_vote";
    case Refusal::kOfficeLimit:
      return "office_limit";
    case Refusal::kBadCouncil:
      return "bad_council";
    case Refusal::kSelfTransfer:
      return "self_transfer";
    case Refusal::kPlanTooLong:
      return "plan_too_long";
    case Refusal::kAboveThresholdCeiling:
      return "above_threshold_ceiling";
  }
  return "?";
}

std::optional<Refusal> find_refusal(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(Refusal::kAboveThresholdCeiling); ++i) {
    if (refusal_name(static_cast<Refusal>(i)) == name) return static_cast<Refusal>(i);
  }
  return std::nullopt;
}

std::string describe(const Ruling& r, const Kernel& kernel) {
  if (r.legal()) return "legal";
  if (r.clause == kNoClause)
    return fmt::format("refused: {} (engine setting)", refusal_text(r.refusal));
  return fmt::format("refused: {} (article {}, {})", refusal_text(r.refusal),
                     kernel.article_label(r.clause), clause_name(r.clause));
}

}  // namespace fable
