// The kernel's executable parameters and the clauses that articles govern.
//
// `Params` is the typed, fast form the legality engine reads on every action.
// `ParamId` names each parameter once; `param_info(id)` gives its dotted path,
// type, range, nullability, default and which direction *tightens* it, and is
// the single table behind validation, dotted-path lookup, amendments, semver
// classification and docs/kernel-format.md. `ParamValue` is the untyped form
// used by amendments and diffs. A `ClauseId` is anything a refusal can cite:
// every parameter is a clause, and so is each structural rule that is not a
// number (standing on the roll, one ballot each, no delegation cycles, ...).
// Every structural clause and every parameter of table revision 1 must be
// governed by an article of the kernel; a parameter added later only when a
// document writes it or moves it from its default (docs/kernel-format.md,
// "Adding a parameter").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "fable/money.h"

namespace fable {

enum class ThresholdBase : std::uint8_t { kCast = 0, kRoll = 1 };

// Proposal kinds that have their own threshold under voting.thresholds.
enum class ThresholdKind : std::uint8_t {
  kSpend = 0,
  kAmendment,
  kDisenfranchise,
  kRoleGrant,
  kEmergency,  // keep last: kThresholdKindCount follows it
};
inline constexpr int kThresholdKindCount = static_cast<int>(ThresholdKind::kEmergency) + 1;
std::string_view threshold_kind_name(ThresholdKind k);

enum class ParamId : std::uint8_t {
  kRollSnapshotAtOpen = 0,
  kVotingQuorum,
  kVotingThresholdBase,
  kThresholdSpend,
  kThresholdAmendment,
  kThresholdDisenfranchise,
  kThresholdRoleGrant,
  kThresholdEmergency,
  kDefaultWindowTurns,
  kMinWindowTurns,
  kEarlyClose,
  kDelegationMaxDepth,
  kDelegationMaxWeightFrac,
  kDelegationEpochExpiry,
  kSingleSubject,
  kSpendPerProposalCap,
  kSpendEpochRateCap,
  kSpendCommonsFloor,
  kEmergencyMaxDuration,
  kEmergencyMaxRenewals,
  kEmergencyRenewalThreshold,
  kEmergencySuspendsReview,
  kEmergencySpendRequiresVote,
  kAmendmentDelay,
  kOfficesMaxPerCitizen,
  kEpochTurns,
  kTreasuryIncomePerEpoch,
  kVotingThresholdCeiling,
  kThresholdPrivateSpend,  // keep last: kParamCount follows it
};
inline constexpr int kParamCount = static_cast<int>(ParamId::kThresholdPrivateSpend) + 1;

// Revision of the parameter table. Revision 1 is the table the first kernels
// and records were written against; a parameter added later carries the
// revision that introduced it (ParamInfo::since) and, at its default, changes
// no content hash and needs no article (docs/kernel-format.md).
inline constexpr int kParamTableRevision = 2;

enum class ParamType : std::uint8_t {
  kBool,      // true / false
  kFraction,  // real in [min, max] within [0, 1]
  kInt,       // whole number in [min, max]
  kEnum,      // threshold base: cast | roll
  kAmount,    // money in units, >= 0
};

// Which way of changing a parameter makes the kernel stricter (a minor bump);
// the other way weakens a protection (a major bump).
enum class Tightens : std::uint8_t {
  kHigher,    // larger value is stricter; null (if allowed) is the loosest
  kLower,     // smaller value is stricter; null (if allowed) is the loosest ("no limit")
  kTrue,      // true is stricter
  kFalse,     // false is stricter
  kRollBase,  // threshold base: roll is stricter than cast
  kNeutral,   // neither: any change is a patch
};

// Untyped value: bools are 0/1, enums their index, amounts in units.
struct ParamValue {
  bool is_null = false;
  double number = 0.0;

  static ParamValue null() { return {true, 0.0}; }
  static ParamValue of(double v) { return {false, v}; }
  friend bool operator==(const ParamValue&, const ParamValue&) = default;
};

struct ParamInfo {
  ParamId id;
  std::string_view path;  // dotted path under `params`, e.g. "voting.quorum"
  ParamType type;
  bool nullable;
  double min;
  double max;
  Tightens tightens;
  ParamValue default_value;
  std::string_view meaning;  // one line for docs and `kernel` output
  // Table revision that introduced the parameter (1 for the original table).
  // Revision-1 parameters always enter the content hash and always need an
  // article; later ones only when the document moves them from the default.
  int since;
  // A state clause: a refusal citing it depends on the state of the world
  // (funds, standing, open proposals, offices held, delegations), so the same
  // move may become legal later without any amendment. Otherwise a refusal
  // stands until the kernel changes. See is_state_clause().
  bool state_clause;
};

// A parameter table: all_params(), or in tests a copy with a parameter added.
// Entries are in table order; a clause id below size() names entries[id].
using ParamTable = std::span<const ParamInfo>;

const ParamInfo& param_info(ParamId id);
const std::array<ParamInfo, kParamCount>& all_params();
std::optional<ParamId> find_param(std::string_view dotted_path);

// Is `v` the parameter's default? (Two nulls are equal whatever their number.)
bool is_default_value(const ParamInfo& info, const ParamValue& v);

// Render a value in document syntax for its parameter: "0.5", "true", "null", "roll".
std::string format_param_value(ParamId id, const ParamValue& v);

// Why a value does not fit its parameter (empty when it fits).
std::string param_value_problem(ParamId id, const ParamValue& v);
std::string param_value_problem(const ParamInfo& info, const ParamValue& v);
// Whether `v` fits the parameter: param_value_problem(info, v).empty(), without
// building the message (for the legal-move generator's inner loop).
bool param_value_fits(const ParamInfo& info, const ParamValue& v);

struct Params {
  bool roll_snapshot_at_open = false;
  double quorum = 0.5;
  ThresholdBase threshold_base = ThresholdBase::kCast;
  std::array<double, kThresholdKindCount> thresholds{0.5, 0.667, 0.5, 0.5, 0.5};
  int default_window_turns = 2;
  int min_window_turns = 1;
  bool early_close = true;
  std::optional<int> delegation_max_depth;
  std::optional<double> delegation_max_weight_frac;
  bool delegation_epoch_expiry = false;
  bool single_subject = false;
  std::optional<double> spend_per_proposal_cap;
  std::optional<double> spend_epoch_rate_cap;
  std::optional<double> spend_commons_floor;
  std::optional<int> emergency_max_duration_turns;
  std::optional<int> emergency_max_renewals;
  double emergency_renewal_threshold = 0.5;
  bool emergency_suspends_review = true;
  bool emergency_spend_requires_vote = false;
  int amendment_delay_turns = 0;
  std::optional<int> offices_max_per_citizen;
  int epoch_turns = 10;
  Money treasury_income_per_epoch = 0;
  std::optional<double> voting_threshold_ceiling;
  // voting.thresholds.private_spend: the threshold of a spend to named
  // citizens (not ALL) is the higher of this and thresholds[kSpend].
  std::optional<double> private_spend_threshold;

  double threshold(ThresholdKind k) const { return thresholds[static_cast<int>(k)]; }
  friend bool operator==(const Params&, const Params&) = default;
};

// The documented defaults (equal to `Params{}`), for parameters a document omits.
Params default_params();

// Typed <-> untyped, through the accessor each table row names (params.cc).
ParamValue get_param(const Params& p, ParamId id);
// REQUIRES: param_value_problem(id, v).empty()
void set_param(Params& p, ParamId id, const ParamValue& v);

// ---------------------------------------------------------------------------
// Clauses: what a refusal or a failed tally cites.

enum class StructuralClause : std::uint8_t {
  kStandingRoll = 0,     // only citizens on the roll vote, propose, delegate, call, exit
  kProposalsWellFormed,  // items name real targets, positive amounts, known roles/params
  kProposalsOpen,        // ballots and calls go to open proposals only
  kVotingOneBallot,      // one ballot per citizen per proposal
  kVotingMajority,       // yes must exceed no
  kFundsSufficient,      // nobody moves money they do not have
  kDelegationBasic,      // one delegate, on the roll, never oneself, no cycles
  kEmergencyCouncil,     // only the council acts under an emergency; council on the roll
  kEmergencyState,       // declare only when none is active; renew/spend only when one is
  kOfficesRoles,         // the offices that exist
  kExitProRata,          // leaving takes a per-head share of the treasury
  kTransfersPrivate,     // private funds move between citizens; keep last (count follows)
};
inline constexpr int kStructuralClauseCount =
    static_cast<int>(StructuralClause::kTransfersPrivate) + 1;
inline constexpr int kClauseCount = kParamCount + kStructuralClauseCount;

using ClauseId = std::uint8_t;
inline constexpr ClauseId clause_of(ParamId p) {
  return static_cast<ClauseId>(p);
}
inline constexpr ClauseId clause_of(StructuralClause c) {
  return static_cast<ClauseId>(kParamCount + static_cast<int>(c));
}
inline constexpr ClauseId kNoClause = 0xff;

// Dotted name of a clause: a parameter path or e.g. "standing.roll".
std::string_view clause_name(ClauseId c);
std::optional<ClauseId> find_clause(std::string_view name);
// One sentence on what a structural clause says (parameters use ParamInfo::meaning).
std::string_view clause_meaning(ClauseId c);
// Whether a clause is a state clause (see ParamInfo::state_clause; the
// structural clause table says it for structural clauses). False for kNoClause.
bool is_state_clause(ClauseId c);

// The quorum and the six voting thresholds: `voting.quorum` and
// `voting.thresholds.*` (docs/kernel-format.md), the fractions of the roll or
// of the votes that an ordinary proposal must clear. A vigilant honest
// citizen votes no on raising one of them too far (docs/population.md).
bool is_quorum_or_threshold(ParamId id);

// The voting bars: is_quorum_or_threshold and emergency.renewal_threshold,
// the fractions a proposal must clear. `voting.threshold_ceiling` caps them,
// and detectors of threshold ratchets and locks watch them.
bool is_voting_bar(ParamId id);

}  // namespace fable
