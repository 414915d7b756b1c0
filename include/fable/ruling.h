// Rulings: the legality engine's answer to an attempted action.
//
// A Ruling is legal, or refused with a reason and the clause (parameter path
// or structural rule) that refuses it; the kernel maps the clause to the
// article that establishes it. Rulings are small values so that asking before
// acting costs nothing; the words are rendered only when someone reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fable/params.h"

namespace fable {

class Kernel;

enum class Refusal : std::uint8_t {
  kNone = 0,
  kNotOnRoll,
  kExited,
  kUnknownProposal,
  kProposalClosed,
  kQuestionCalled,
  kAlreadyVoted,
  kBadChoice,
  kEarlyCloseDisabled,
  kNotProposer,
  kQuorumNotMet,
  kNoItems,
  kTooManyItems,
  kSingleSubject,
  kWindowTooShort,
  kWindowTooLong,
  kBadAmount,
  kUnknownTarget,
  kTargetNotOnRoll,
  kUnknownRole,
  kUnknownParam,
  kBadParamValue,
  kExceedsProposalCap,
  kExceedsEpochRate,
  kBreachesCommonsFloor,
  kInsufficientFunds,
  kSelfDelegation,
  kDelegationCycle,
  kDelegationDisabled,
  kWeightCapReached,
  kNoDelegation,
  kNotCouncil,
  kNoEmergency,
  kEmergencyActive,
  kRenewalsExhausted,
  kSpendRequiresVote,
  kOfficeLimit,
  kBadCouncil,
  kSelfTransfer,
  kPlanTooLong,
  kAboveThresholdCeiling,  // keep last: find_refusal scans up to it
};
std::string_view refusal_text(Refusal r);  // "exceeds the per-proposal spending cap", ...
std::string_view refusal_name(Refusal r);  // stable code: "exceeds_proposal_cap", ...
std::optional<Refusal> find_refusal(std::string_view name);

struct Ruling {
  Refusal refusal = Refusal::kNone;
  ClauseId clause = kNoClause;

  bool legal() const { return refusal == Refusal::kNone; }
  static Ruling ok() { return {}; }
  static Ruling refuse(Refusal r, ClauseId c) { return {r, c}; }
  static Ruling refuse(Refusal r, ParamId p) { return {r, clause_of(p)}; }
  static Ruling refuse(Refusal r, StructuralClause c) { return {r, clause_of(c)}; }
};

// "legal", or "refused: <reason> (article A7, spend.per_proposal_cap)"; a
// clause no article governs reads "(article (engine default), <clause>)".
std::string describe(const Ruling& r, const Kernel& kernel);

}  // namespace fable
