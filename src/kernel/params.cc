// The parameter table and the typed <-> untyped conversions.
#include "fable/params.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace fable {

namespace {

constexpr double kNoMax = 1e9;
constexpr ParamValue V(double v) {
  return ParamValue{false, v};
}
constexpr ParamValue kNull{true, 0.0};

using T = ParamType;
using D = Tightens;

const std::array<ParamInfo, kParamCount> kParams{{
    {ParamId::kRollSnapshotAtOpen, "roll.snapshot_at_open", T::kBool, false, 0, 1, D::kTrue, V(0),
     "quorum and threshold denominators use the roll as it was when the proposal opened "
     "(false: the live roll at tally time)"},
    {ParamId::kVotingQuorum, "voting.quorum", T::kFraction, false, 0, 1, D::kHigher, V(0.5),
     "fraction of the eligible roll whose ballots (delegated weight included) must be cast"},
    {ParamId::kVotingThresholdBase, "voting.threshold_base", T::kEnum, false, 0, 1, D::kRollBase,
     V(0), "cast: yes/(yes+no) must reach the threshold; roll: yes/eligible roll must"},
    {ParamId::kThresholdSpend, "voting.thresholds.spend", T::kFraction, false, 0, 1, D::kHigher,
     V(0.5), "threshold for proposals that move treasury funds"},
    {ParamId::kThresholdAmendment, "voting.thresholds.amendment", T::kFraction, false, 0, 1,
     D::kHigher, V(0.667), "threshold for proposals that change a parameter"},
    {ParamId::kThresholdDisenfranchise, "voting.thresholds.disenfranchise", T::kFraction, false, 0,
     1, D::kHigher, V(0.5), "threshold for proposals that remove a citizen from the roll"},
    {ParamId::kThresholdRoleGrant, "voting.thresholds.role_grant", T::kFraction, false, 0, 1,
     D::kHigher, V(0.5), "threshold for proposals that grant an office"},
    {ParamId::kThresholdEmergency, "voting.thresholds.emergency", T::kFraction, false, 0, 1,
     D::kHigher, V(0.5), "threshold for proposals that declare an emergency"},
    {ParamId::kDefaultWindowTurns, "voting.default_window_turns", T::kInt, false, 1, 1000,
     D::kHigher, V(2), "voting window, in turns, when the proposer names none"},
    {ParamId::kMinWindowTurns, "voting.min_window_turns", T::kInt, false, 1, 1000, D::kHigher, V(1),
     "shortest voting window a proposer may name"},
    {ParamId::kEarlyClose, "voting.early_close", T::kBool, false, 0, 1, D::kFalse, V(1),
     "the proposer may call the question as soon as quorum is met"},
    {ParamId::kDelegationMaxDepth, "delegation.max_depth", T::kInt, true, 0, 1000, D::kLower, kNull,
     "longest delegation chain whose weight reaches the final voter (null: unbounded)"},
    {ParamId::kDelegationMaxWeightFrac, "delegation.max_weight_frac", T::kFraction, true, 0, 1,
     D::kLower, kNull,
     "most delegated ballots one citizen may carry, as ceil(frac x roll) (null: no cap)"},
    {ParamId::kDelegationEpochExpiry, "delegation.epoch_expiry", T::kBool, false, 0, 1, D::kTrue,
     V(0), "all delegations lapse at each epoch boundary"},
    {ParamId::kSingleSubject, "proposals.single_subject", T::kBool, false, 0, 1, D::kTrue, V(0),
     "a proposal carries exactly one item"},
    {ParamId::kSpendPerProposalCap, "spend.per_proposal_cap", T::kFraction, true, 0, 1, D::kLower,
     kNull, "most one proposal may move, as a fraction of the treasury when it opens"},
    {ParamId::kSpendEpochRateCap, "spend.epoch_rate_cap", T::kFraction, true, 0, 1, D::kLower,
     kNull, "most that may leave the treasury in one epoch, fraction of the epoch-start treasury"},
    {ParamId::kSpendCommonsFloor, "spend.commons_floor", T::kFraction, true, 0, 1, D::kHigher,
     kNull, "no outflow may take the treasury below this fraction of the initial treasury"},
    {ParamId::kEmergencyMaxDuration, "emergency.max_duration_turns", T::kInt, true, 1, 1000,
     D::kLower, kNull, "turns after which a declared emergency ends by itself (null: never)"},
    {ParamId::kEmergencyMaxRenewals, "emergency.max_renewals", T::kInt, true, 0, 1000, D::kLower,
     kNull, "renewals allowed per emergency (null: unlimited)"},
    {ParamId::kEmergencyRenewalThreshold, "emergency.renewal_threshold", T::kFraction, false, 0, 1,
     D::kHigher, V(0.5), "threshold for proposals that renew an emergency"},
    {ParamId::kEmergencySuspendsReview, "emergency.suspends_review", T::kBool, false, 0, 1,
     D::kFalse, V(1), "during an emergency, proposals are tallied the turn they open"},
    {ParamId::kEmergencySpendRequiresVote, "emergency.spend_requires_vote", T::kBool, false, 0, 1,
     D::kTrue, V(0), "the emergency council may not move treasury funds without a passed proposal"},
    {ParamId::kAmendmentDelay, "amendment.takes_effect_delay_turns", T::kInt, false, 0, 1000,
     D::kHigher, V(0), "turns between ratification and the new parameter taking effect"},
    {ParamId::kOfficesMaxPerCitizen, "offices.max_per_citizen", T::kInt, true, 1, 1000, D::kLower,
     kNull, "most offices one citizen may hold (null: no limit)"},
    {ParamId::kEpochTurns, "epoch.turns", T::kInt, false, 1, 1000, D::kNeutral, V(10),
     "epoch length in turns"},
    {ParamId::kTreasuryIncomePerEpoch, "treasury.income_per_epoch", T::kAmount, false, 0,
     kMaxMoneyUnits, D::kNeutral, V(0), "units paid into the treasury at each epoch boundary"},
}};

struct ClauseText {
  std::string_view name;
  std::string_view meaning;
};

const std::array<ClauseText, kStructuralClauseCount> kStructural{{
    {"standing.roll",
     "only citizens on the roll may vote, propose, delegate, call a question or exit"},
    {"proposals.well_formed",
     "a proposal's items name existing citizens, positive amounts, known offices and "
     "parameters with values in range"},
    {"proposals.open", "ballots and calls address an open proposal"},
    {"voting.one_ballot", "each citizen casts at most one ballot on a proposal"},
    {"voting.majority", "a proposal passes only if yes exceeds no"},
    {"funds.sufficient", "no one moves money that is not there"},
    {"delegation.basic",
     "a citizen delegates to one other citizen on the roll, never to itself, never in a cycle"},
    {"emergency.council",
     "only members of the emergency council act for it; they must be on the roll"},
    {"emergency.state",
     "an emergency is declared only when none is active; renewed or used only while one is"},
    {"offices.roles", "the offices that exist: chair, treasurer, auditor, clerk, steward"},
    {"exit.pro_rata", "a citizen who exits leaves with a per-head share of the treasury"},
    {"transfers.private", "citizens may move their private funds to other citizens"},
}};

}  // namespace

std::string_view threshold_kind_name(ThresholdKind k) {
  switch (k) {
    case ThresholdKind::kSpend:
      return "spend";
    case ThresholdKind::kAmendment:
      return "amendment";
    case ThresholdKind::kDisenfranchise:
      return "disenfranchise";
    case ThresholdKind::kRoleGrant:
      return "role_grant";
    case ThresholdKind::kEmergency:
      return "emergency";
  }
  return "?";
}

const ParamInfo& param_info(ParamId id) {
  return kParams[static_cast<std::size_t>(id)];
}
const std::array<ParamInfo, kParamCount>& all_params() {
  return kParams;
}

std::optional<ParamId> find_param(std::string_view dotted_path) {
  for (const auto& info : kParams) {
    if (info.path == dotted_path) return info.id;
  }
  return std::nullopt;
}

std::string format_param_value(ParamId id, const ParamValue& v) {
  if (v.is_null) return "null";
  const ParamInfo& info = param_info(id);
  switch (info.type) {
    case ParamType::kBool:
      return v.number != 0.0 ? "true" : "false";
    case ParamType::kEnum:
      return v.number != 0.0 ? "roll" : "cast";
    case ParamType::kInt:
      return fmt::format("{}", static_cast<long long>(v.number));
    case ParamType::kFraction:
    case ParamType::kAmount:
      return fmt::format("{}", v.number);  // shortest round-trip form
  }
  return "?";
}

std::string param_value_problem(ParamId id, const ParamValue& v) {
  const ParamInfo& info = param_info(id);
  if (v.is_null) {
    return info.nullable ? std::string() : fmt::format("{} may not be null", info.path);
  }
  if (!std::isfinite(v.number)) return fmt::format("{} must be a finite number", info.path);
  switch (info.type) {
    case ParamType::kBool:
    case ParamType::kEnum:
      if (v.number != 0.0 && v.number != 1.0) return fmt::format("{} has no such value", info.path);
      return {};
    case ParamType::kInt:
      if (v.number != std::floor(v.number)) {
        return fmt::format("{} must be a whole number, got {}", info.path, v.number);
      }
      break;
    case ParamType::kFraction:
    case ParamType::kAmount:
      break;
  }
  if (v.number < info.min || v.number > info.max) {
    if (info.max >= kNoMax) {
      return fmt::format("{}: {} is out of range (at least {})", info.path, v.number, info.min);
    }
    return fmt::format("{}: {} is out of range [{}, {}]", info.path, v.number, info.min, info.max);
  }
  return {};
}

Params default_params() {
  Params p;
  for (const auto& info : kParams) set_param(p, info.id, info.default_value);
  return p;
}

namespace {
template <typename N>
ParamValue opt(const std::optional<N>& o) {
  return o ? ParamValue::of(static_cast<double>(*o)) : ParamValue::null();
}
std::optional<int> opt_int(const ParamValue& v) {
  if (v.is_null) return std::nullopt;
  return static_cast<int>(v.number);
}
std::optional<double> opt_frac(const ParamValue& v) {
  if (v.is_null) return std::nullopt;
  return v.number;
}
double flag(bool b) {
  return b ? 1.0 : 0.0;
}
}  // namespace

ParamValue get_param(const Params& p, ParamId id) {
  switch (id) {
    case ParamId::kRollSnapshotAtOpen:
      return ParamValue::of(flag(p.roll_snapshot_at_open));
    case ParamId::kVotingQuorum:
      return ParamValue::of(p.quorum);
    case ParamId::kVotingThresholdBase:
      return ParamValue::of(p.threshold_base == ThresholdBase::kRoll ? 1.0 : 0.0);
    case ParamId::kThresholdSpend:
      return ParamValue::of(p.threshold(ThresholdKind::kSpend));
    case ParamId::kThresholdAmendment:
      return ParamValue::of(p.threshold(ThresholdKind::kAmendment));
    case ParamId::kThresholdDisenfranchise:
      return ParamValue::of(p.threshold(ThresholdKind::kDisenfranchise));
    case ParamId::kThresholdRoleGrant:
      return ParamValue::of(p.threshold(ThresholdKind::kRoleGrant));
    case ParamId::kThresholdEmergency:
      return ParamValue::of(p.threshold(ThresholdKind::kEmergency));
    case ParamId::kDefaultWindowTurns:
      return ParamValue::of(p.default_window_turns);
    case ParamId::kMinWindowTurns:
      return ParamValue::of(p.min_window_turns);
    case ParamId::kEarlyClose:
      return ParamValue::of(flag(p.early_close));
    case ParamId::kDelegationMaxDepth:
      return opt(p.delegation_max_depth);
    case ParamId::kDelegationMaxWeightFrac:
      return opt(p.delegation_max_weight_frac);
    case ParamId::kDelegationEpochExpiry:
      return ParamValue::of(flag(p.delegation_epoch_expiry));
    case ParamId::kSingleSubject:
      return ParamValue::of(flag(p.single_subject));
    case ParamId::kSpendPerProposalCap:
      return opt(p.spend_per_proposal_cap);
    case ParamId::kSpendEpochRateCap:
      return opt(p.spend_epoch_rate_cap);
    case ParamId::kSpendCommonsFloor:
      return opt(p.spend_commons_floor);
    case ParamId::kEmergencyMaxDuration:
      return opt(p.emergency_max_duration_turns);
    case ParamId::kEmergencyMaxRenewals:
      return opt(p.emergency_max_renewals);
    case ParamId::kEmergencyRenewalThreshold:
      return ParamValue::of(p.emergency_renewal_threshold);
    case ParamId::kEmergencySuspendsReview:
      return ParamValue::of(flag(p.emergency_suspends_review));
    case ParamId::kEmergencySpendRequiresVote:
      return ParamValue::of(flag(p.emergency_spend_requires_vote));
    case ParamId::kAmendmentDelay:
      return ParamValue::of(p.amendment_delay_turns);
    case ParamId::kOfficesMaxPerCitizen:
      return opt(p.offices_max_per_citizen);
    case ParamId::kEpochTurns:
      return ParamValue::of(p.epoch_turns);
    case ParamId::kTreasuryIncomePerEpoch:
      return ParamValue::of(money_to_units(p.treasury_income_per_epoch));
  }
  return ParamValue::null();
}

void set_param(Params& p, ParamId id, const ParamValue& v) {
  const bool b = !v.is_null && v.number != 0.0;
  const int i = static_cast<int>(v.number);
  auto& th = p.thresholds;
  switch (id) {
    case ParamId::kRollSnapshotAtOpen:
      p.roll_snapshot_at_open = b;
      return;
    case ParamId::kVotingQuorum:
      p.quorum = v.number;
      return;
    case ParamId::kVotingThresholdBase:
      p.threshold_base = b ? ThresholdBase::kRoll : ThresholdBase::kCast;
      return;
    case ParamId::kThresholdSpend:
      th[0] = v.number;
      return;
    case ParamId::kThresholdAmendment:
      th[1] = v.number;
      return;
    case ParamId::kThresholdDisenfranchise:
      th[2] = v.number;
      return;
    case ParamId::kThresholdRoleGrant:
      th[3] = v.number;
      return;
    case ParamId::kThresholdEmergency:
      th[4] = v.number;
      return;
    case ParamId::kDefaultWindowTurns:
      p.default_window_turns = i;
      return;
    case ParamId::kMinWindowTurns:
      p.min_window_turns = i;
      return;
    case ParamId::kEarlyClose:
      p.early_close = b;
      return;
    case ParamId::kDelegationMaxDepth:
      p.delegation_max_depth = opt_int(v);
      return;
    case ParamId::kDelegationMaxWeightFrac:
      p.delegation_max_weight_frac = opt_frac(v);
      return;
    case ParamId::kDelegationEpochExpiry:
      p.delegation_epoch_expiry = b;
      return;
    case ParamId::kSingleSubject:
      p.single_subject = b;
      return;
    case ParamId::kSpendPerProposalCap:
      p.spend_per_proposal_cap = opt_frac(v);
      return;
    case ParamId::kSpendEpochRateCap:
      p.spend_epoch_rate_cap = opt_frac(v);
      return;
    case ParamId::kSpendCommonsFloor:
      p.spend_commons_floor = opt_frac(v);
      return;
    case ParamId::kEmergencyMaxDuration:
      p.emergency_max_duration_turns = opt_int(v);
      return;
    case ParamId::kEmergencyMaxRenewals:
      p.emergency_max_renewals = opt_int(v);
      return;
    case ParamId::kEmergencyRenewalThreshold:
      p.emergency_renewal_threshold = v.number;
      return;
    case ParamId::kEmergencySuspendsReview:
      p.emergency_suspends_review = b;
      return;
    case ParamId::kEmergencySpendRequiresVote:
      p.emergency_spend_requires_vote = b;
      return;
    case ParamId::kAmendmentDelay:
      p.amendment_delay_turns = i;
      return;
    case ParamId::kOfficesMaxPerCitizen:
      p.offices_max_per_citizen = opt_int(v);
      return;
    case ParamId::kEpochTurns:
      p.epoch_turns = i;
      return;
    case ParamId::kTreasuryIncomePerEpoch:
      p.treasury_income_per_epoch = money_from_units(v.number);
      return;
  }
}

std::string_view clause_name(ClauseId c) {
  if (c < kParamCount) return kParams[c].path;
  if (c < kClauseCount) return kStructural[c - kParamCount].name;
  return "none";
}

std::optional<ClauseId> find_clause(std::string_view name) {
  for (int c = 0; c < kClauseCount; ++c) {
    if (clause_name(static_cast<ClauseId>(c)) == name) return static_cast<ClauseId>(c);
  }
  return std::nullopt;
}

std::string_view clause_meaning(ClauseId c) {
  if (c < kParamCount) return kParams[c].meaning;
  if (c < kClauseCount) return kStructural[c - kParamCount].meaning;
  return "";
}

}  // namespace fable
