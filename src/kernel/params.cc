// The parameter table and the typed <-> untyped conversions.
//
// Each row of kRows is one parameter: its ParamInfo and the accessor that
// reads and writes its field of `Params`. Adding a parameter is one row here,
// one enumerator and one field in include/fable/params.h, and a line in
// docs/kernel-format.md (see "Adding a parameter" there).
#include "fable/params.h"

#include <cmath>
#include <limits>
#include <type_traits>

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

// Reads and writes one parameter's field of Params.
struct Access {
  ParamValue (*get)(const Params&);
  void (*set)(Params&, const ParamValue&);
};

// Untyped form of each field type: bools 0/1, enums their index, amounts in units.
ParamValue to_value(bool b) {
  return ParamValue::of(b ? 1.0 : 0.0);
}
ParamValue to_value(double d) {
  return ParamValue::of(d);
}
ParamValue to_value(int i) {
  return ParamValue::of(i);
}
ParamValue to_value(Money m) {
  return ParamValue::of(money_to_units(m));
}
ParamValue to_value(ThresholdBase b) {
  return ParamValue::of(b == ThresholdBase::kRoll ? 1.0 : 0.0);
}
// Through the field type's own conversion, so that an optional amount reads
// back in units, not milli-units.
template <typename N>
ParamValue to_value(const std::optional<N>& o) {
  return o ? to_value(*o) : ParamValue::null();
}

void from_value(bool& out, const ParamValue& v) {
  out = !v.is_null && v.number != 0.0;
}
void from_value(double& out, const ParamValue& v) {
  out = v.number;
}
void from_value(int& out, const ParamValue& v) {
  out = static_cast<int>(v.number);
}
void from_value(Money& out, const ParamValue& v) {
  out = money_from_units(v.number);
}
void from_value(ThresholdBase& out, const ParamValue& v) {
  out = !v.is_null && v.number != 0.0 ? ThresholdBase::kRoll : ThresholdBase::kCast;
}
template <typename N>
void from_value(std::optional<N>& out, const ParamValue& v) {
  if (v.is_null) {
    out.reset();
  } else {
    N n{};
    from_value(n, v);
    out = n;
  }
}

// The accessor of a plain field, and of one entry of Params::thresholds.
template <auto Member>
constexpr Access field() {
  return {[](const Params& p) { return to_value(p.*Member); },
          [](Params& p, const ParamValue& v) { from_value(p.*Member, v); }};
}
template <ThresholdKind K>
constexpr Access threshold_field() {
  return {[](const Params& p) { return to_value(p.thresholds[static_cast<std::size_t>(K)]); },
          [](Params& p, const ParamValue& v) {
            from_value(p.thresholds[static_cast<std::size_t>(K)], v);
          }};
}

struct Row {
  ParamInfo info;
  Access access;
};

constexpr std::array<Row, kParamCount> kRows{{
    {{ParamId::kRollSnapshotAtOpen, "roll.snapshot_at_open", T::kBool, false, 0, 1, D::kTrue, V(0),
      "quorum and threshold denominators use the roll as it was when the proposal opened "
      "(false: the live roll at tally time)",
      1, false},
     field<&Params::roll_snapshot_at_open>()},
    {{ParamId::kVotingQuorum, "voting.quorum", T::kFraction, false, 0, 1, D::kHigher, V(0.5),
      "fraction of the eligible roll whose ballots (delegated weight included) must be cast", 1,
      true},
     field<&Params::quorum>()},
    {{ParamId::kVotingThresholdBase, "voting.threshold_base", T::kEnum, false, 0, 1, D::kRollBase,
      V(0), "cast: yes/(yes+no) must reach the threshold; roll: yes/eligible roll must", 1, false},
     field<&Params::threshold_base>()},
    {{ParamId::kThresholdSpend, "voting.thresholds.spend", T::kFraction, false, 0, 1, D::kHigher,
      V(0.5), "threshold for proposals that move treasury funds", 1, false},
     threshold_field<ThresholdKind::kSpend>()},
    {{ParamId::kThresholdAmendment, "voting.thresholds.amendment", T::kFraction, false, 0, 1,
      D::kHigher, V(0.667), "threshold for proposals that change a parameter", 1, false},
     threshold_field<ThresholdKind::kAmendment>()},
    {{ParamId::kThresholdDisenfranchise, "voting.thresholds.disenfranchise", T::kFraction, false, 0,
      1, D::kHigher, V(0.5), "threshold for proposals that remove a citizen from the roll", 1,
      false},
     threshold_field<ThresholdKind::kDisenfranchise>()},
    {{ParamId::kThresholdRoleGrant, "voting.thresholds.role_grant", T::kFraction, false, 0, 1,
      D::kHigher, V(0.5), "threshold for proposals that grant an office", 1, false},
     threshold_field<ThresholdKind::kRoleGrant>()},
    {{ParamId::kThresholdEmergency, "voting.thresholds.emergency", T::kFraction, false, 0, 1,
      D::kHigher, V(0.5), "threshold for proposals that declare an emergency", 1, false},
     threshold_field<ThresholdKind::kEmergency>()},
    {{ParamId::kDefaultWindowTurns, "voting.default_window_turns", T::kInt, false, 1, 1000,
      D::kHigher, V(2), "voting window, in turns, when the proposer names none", 1, false},
     field<&Params::default_window_turns>()},
    {{ParamId::kMinWindowTurns, "voting.min_window_turns", T::kInt, false, 1, 1000, D::kHigher,
      V(1), "shortest voting window a proposer may name", 1, false},
     field<&Params::min_window_turns>()},
    {{ParamId::kEarlyClose, "voting.early_close", T::kBool, false, 0, 1, D::kFalse, V(1),
      "the proposer may call the question as soon as quorum is met", 1, false},
     field<&Params::early_close>()},
    {{ParamId::kDelegationMaxDepth, "delegation.max_depth", T::kInt, true, 0, 1000, D::kLower,
      kNull, "longest delegation chain whose weight reaches the final voter (null: unbounded)", 1,
      false},
     field<&Params::delegation_max_depth>()},
    {{ParamId::kDelegationMaxWeightFrac, "delegation.max_weight_frac", T::kFraction, true, 0, 1,
      D::kLower, kNull,
      "most delegated ballots one citizen may carry, as ceil(frac x roll) (null: no cap)", 1, true},
     field<&Params::delegation_max_weight_frac>()},
    {{ParamId::kDelegationEpochExpiry, "delegation.epoch_expiry", T::kBool, false, 0, 1, D::kTrue,
      V(0), "all delegations lapse at each epoch boundary", 1, false},
     field<&Params::delegation_epoch_expiry>()},
    {{ParamId::kSingleSubject, "proposals.single_subject", T::kBool, false, 0, 1, D::kTrue, V(0),
      "a proposal carries exactly one item", 1, false},
     field<&Params::single_subject>()},
    {{ParamId::kSpendPerProposalCap, "spend.per_proposal_cap", T::kFraction, true, 0, 1, D::kLower,
      kNull, "most one proposal may move, as a fraction of the treasury when it opens", 1, true},
     field<&Params::spend_per_proposal_cap>()},
    {{ParamId::kSpendEpochRateCap, "spend.epoch_rate_cap", T::kFraction, true, 0, 1, D::kLower,
      kNull, "most that may leave the treasury in one epoch, fraction of the epoch-start treasury",
      1, true},
     field<&Params::spend_epoch_rate_cap>()},
    {{ParamId::kSpendCommonsFloor, "spend.commons_floor", T::kFraction, true, 0, 1, D::kHigher,
      kNull, "no outflow may take the treasury below this fraction of the initial treasury", 1,
      true},
     field<&Params::spend_commons_floor>()},
    {{ParamId::kEmergencyMaxDuration, "emergency.max_duration_turns", T::kInt, true, 1, 1000,
      D::kLower, kNull, "turns after which a declared emergency ends by itself (null: never)", 1,
      false},
     field<&Params::emergency_max_duration_turns>()},
    {{ParamId::kEmergencyMaxRenewals, "emergency.max_renewals", T::kInt, true, 0, 1000, D::kLower,
      kNull, "renewals allowed per emergency (null: unlimited)", 1, false},
     field<&Params::emergency_max_renewals>()},
    {{ParamId::kEmergencyRenewalThreshold, "emergency.renewal_threshold", T::kFraction, false, 0, 1,
      D::kHigher, V(0.5), "threshold for proposals that renew an emergency", 1, false},
     field<&Params::emergency_renewal_threshold>()},
    {{ParamId::kEmergencySuspendsReview, "emergency.suspends_review", T::kBool, false, 0, 1,
      D::kFalse, V(1), "during an emergency, proposals are tallied the turn they open", 1, false},
     field<&Params::emergency_suspends_review>()},
    {{ParamId::kEmergencySpendRequiresVote, "emergency.spend_requires_vote", T::kBool, false, 0, 1,
      D::kTrue, V(0), "the emergency council may not move treasury funds without a passed proposal",
      1, false},
     field<&Params::emergency_spend_requires_vote>()},
    {{ParamId::kAmendmentDelay, "amendment.takes_effect_delay_turns", T::kInt, false, 0, 1000,
      D::kHigher, V(0), "turns between ratification and the new parameter taking effect", 1, false},
     field<&Params::amendment_delay_turns>()},
    {{ParamId::kOfficesMaxPerCitizen, "offices.max_per_citizen", T::kInt, true, 1, 1000, D::kLower,
      kNull, "most offices one citizen may hold (null: no limit)", 1, true},
     field<&Params::offices_max_per_citizen>()},
    {{ParamId::kEpochTurns, "epoch.turns", T::kInt, false, 1, 1000, D::kNeutral, V(10),
      "epoch length in turns", 1, false},
     field<&Params::epoch_turns>()},
    {{ParamId::kTreasuryIncomePerEpoch, "treasury.income_per_epoch", T::kAmount, false, 0,
      kMaxMoneyUnits, D::kNeutral, V(0), "units paid into the treasury at each epoch boundary", 1,
      false},
     field<&Params::treasury_income_per_epoch>()},
    {{ParamId::kVotingThresholdCeiling, "voting.threshold_ceiling", T::kFraction, true, 0.5, 1,
      D::kLower, kNull,
      "no amendment may raise the quorum or a voting threshold above this fraction (null: no "
      "ceiling); since revision 2",
      2, false},
     field<&Params::voting_threshold_ceiling>()},
    {{ParamId::kThresholdPrivateSpend, "voting.thresholds.private_spend", T::kFraction, true, 0, 1,
      D::kHigher, kNull,
      "threshold for proposals that move treasury funds to named citizens rather than to ALL; "
      "the higher of it and voting.thresholds.spend applies (null: voting.thresholds.spend "
      "alone); since revision 2",
      2, false},
     field<&Params::private_spend_threshold>()},
}};

constexpr bool rows_in_id_order() {
  for (std::size_t i = 0; i < kRows.size(); ++i) {
    if (static_cast<std::size_t>(kRows[i].info.id) != i) return false;
    if (kRows[i].info.since < 1 || kRows[i].info.since > kParamTableRevision) return false;
  }
  return true;
}
static_assert(rows_in_id_order(), "kRows must list every ParamId once, in enum order");

constexpr std::array<ParamInfo, kParamCount> infos_of_rows() {
  std::array<ParamInfo, kParamCount> out{};
  for (std::size_t i = 0; i < kRows.size(); ++i) out[i] = kRows[i].info;
  return out;
}
constexpr std::array<ParamInfo, kParamCount> kParams = infos_of_rows();

struct ClauseText {
  std::string_view name;
  std::string_view meaning;
  bool state_clause;  // see ParamInfo::state_clause
};

const std::array<ClauseText, kStructuralClauseCount> kStructural{{
    {"standing.roll",
     "only citizens on the roll may vote, propose, delegate, call a question or exit", true},
    {"proposals.well_formed",
     "a proposal's items name existing citizens, positive amounts, known offices and "
     "parameters with values in range",
     true},
    {"proposals.open", "ballots and calls address an open proposal", true},
    {"voting.one_ballot", "each citizen casts at most one ballot on a proposal", true},
    {"voting.majority", "a proposal passes only if yes exceeds no", false},
    {"funds.sufficient", "no one moves money that is not there", true},
    {"delegation.basic",
     "a citizen delegates to one other citizen on the roll, never to itself, never in a cycle",
     true},
    {"emergency.council",
     "only members of the emergency council act for it; they must be on the roll", true},
    {"emergency.state",
     "an emergency is declared only when none is active; renewed or used only while one is", true},
    {"offices.roles", "the offices that exist: chair, treasurer, auditor, clerk, steward", false},
    {"exit.pro_rata", "a citizen who exits leaves with a per-head share of the treasury", false},
    {"transfers.private", "citizens may move their private funds to other citizens", true},
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
      return std::to_string(static_cast<long long>(v.number));
    case ParamType::kFraction:
    case ParamType::kAmount:
      return fmt::format("{}", v.number);  // shortest round-trip form
  }
  return "?";
}

bool is_default_value(const ParamInfo& info, const ParamValue& v) {
  const ParamValue& d = info.default_value;
  return v.is_null == d.is_null && (v.is_null || v.number == d.number);
}

std::string param_value_problem(ParamId id, const ParamValue& v) {
  return param_value_problem(param_info(id), v);
}

bool param_value_fits(const ParamInfo& info, const ParamValue& v) {
  if (v.is_null) return info.nullable;
  if (!std::isfinite(v.number)) return false;
  switch (info.type) {
    case ParamType::kBool:
    case ParamType::kEnum:
      return v.number == 0.0 || v.number == 1.0;
    case ParamType::kInt:
      if (v.number != std::floor(v.number)) return false;
      break;
    case ParamType::kFraction:
    case ParamType::kAmount:
      break;
  }
  return v.number >= info.min && v.number <= info.max;
}

std::string param_value_problem(const ParamInfo& info, const ParamValue& v) {
  if (param_value_fits(info, v)) return {};
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

ParamValue get_param(const Params& p, ParamId id) {
  return kRows[static_cast<std::size_t>(id)].access.get(p);
}

void set_param(Params& p, ParamId id, const ParamValue& v) {
  kRows[static_cast<std::size_t>(id)].access.set(p, v);
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

bool is_quorum_or_threshold(ParamId id) {
  switch (id) {
    case ParamId::kVotingQuorum:
    case ParamId::kThresholdSpend:
    case ParamId::kThresholdAmendment:
    case ParamId::kThresholdDisenfranchise:
    case ParamId::kThresholdRoleGrant:
    case ParamId::kThresholdEmergency:
    case ParamId::kThresholdPrivateSpend:
      return true;
    default:
      return false;
  }
}

bool is_voting_bar(ParamId id) {
  return is_quorum_or_threshold(id) || id == ParamId::kEmergencyRenewalThreshold;
}

bool is_state_clause(ClauseId c) {
  if (c < kParamCount) return kParams[c].state_clause;
  if (c < kClauseCount) return kStructural[c - kParamCount].state_clause;
  return false;
}

}  // namespace fable
