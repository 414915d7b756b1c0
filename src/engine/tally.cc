// Weighted ballot counting, quorum and thresholds; see include/fable/tally.h.
#include "fable/tally.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace fable {

namespace {

// Delegated ballots reaching each voter, per thread. Kept all-zero between
// tallies (only the entries a tally touched are cleared), so that a tally
// costs the ballots and delegations, not the population.
struct Carried {
  std::vector<std::int32_t> by_citizen;
  std::vector<AgentIndex> touched;
};

Carried& carried_scratch(std::size_t n) {
  thread_local Carried c;
  if (c.by_citizen.size() < n) c.by_citizen.resize(n, 0);
  return c;
}

}  // namespace

TallyCount count_ballots(const WorldState& w, const Proposal& p) {
  const Params& params = w.params();
  const std::size_t n = w.citizens.size();
  Carried& s = carried_scratch(n);
  const int max_hops =
      params.delegation_max_depth ? *params.delegation_max_depth : static_cast<int>(n);

  // Delegated weight: each silent citizen on the roll walks its chain to the
  // first voter within reach. Chains are acyclic (delegation.basic).
  for (AgentIndex i : w.delegating) {
    const Citizen& c = w.citizens[i];
    if (!c.on_roll || p.ballots[i] != Choice::kNone) continue;
    AgentIndex cur = c.delegate;
    for (int hop = 1; hop <= max_hops && cur != kNoAgent && w.citizens[cur].on_roll; ++hop) {
      if (p.ballots[cur] != Choice::kNone) {
        if (s.by_citizen[cur]++ == 0) s.touched.push_back(cur);
        break;
      }
      cur = w.citizens[cur].delegate;
    }
  }

  std::int32_t cap = static_cast<std::int32_t>(n);
  if (params.delegation_max_weight_frac) {
    cap = static_cast<std::int32_t>(
        std::ceil(*params.delegation_max_weight_frac * static_cast<double>(w.roll_size)));
  }

  TallyCount count;
  for (AgentIndex i : p.voters) {
    if (!w.citizens[i].on_roll) continue;
    const std::int32_t weight = 1 + std::min(s.by_citizen[i], cap);
    switch (p.ballots[i]) {
      case Choice::kYes:
        count.yes += weight;
        break;
      case Choice::kNo:
        count.no += weight;
        break;
      case Choice::kAbstain:
        count.abstain += weight;
        break;
      case Choice::kNone:
        break;
    }
  }
  for (AgentIndex i : s.touched) s.by_citizen[i] = 0;
  s.touched.clear();
  count.eligible = params.roll_snapshot_at_open ? p.roll_at_open : w.roll_size;
  return count;
}

bool quorum_met(const Params& params, const TallyCount& count) {
  if (count.eligible <= 0) return false;
  return static_cast<double>(count.cast()) / static_cast<double>(count.eligible) >= params.quorum;
}

ThresholdRule threshold_rule(const Params& params, const Proposal& p) {
  return threshold_rule(params, std::span<const ProposalItem>(p.items.data(), p.item_count));
}

ThresholdRule threshold_rule(const Params& params, std::span<const ProposalItem> items) {
  ThresholdRule rule{-1.0, ParamId::kThresholdSpend};
  for (const ProposalItem& it : items) {
    ThresholdRule item{0.0, ParamId::kThresholdSpend};
    switch (it.kind) {
      case ItemKind::kSpend:
        item = {params.threshold(ThresholdKind::kSpend), ParamId::kThresholdSpend};
        if (it.target != kAllCitizens && params.private_spend_threshold &&
            *params.private_spend_threshold > item.threshold) {
          item = {*params.private_spend_threshold, ParamId::kThresholdPrivateSpend};
        }
        break;
      case ItemKind::kAmendment:
        item = {params.threshold(ThresholdKind::kAmendment), ParamId::kThresholdAmendment};
        break;
      case ItemKind::kDisenfranchise:
        item = {params.threshold(ThresholdKind::kDisenfranchise),
                ParamId::kThresholdDisenfranchise};
        break;
      case ItemKind::kRoleGrant:
        item = {params.threshold(ThresholdKind::kRoleGrant), ParamId::kThresholdRoleGrant};
        break;
      case ItemKind::kEmergencyDeclare:
        item = {params.threshold(ThresholdKind::kEmergency), ParamId::kThresholdEmergency};
        break;
      case ItemKind::kEmergencyRenew:
        item = {params.emergency_renewal_threshold, ParamId::kEmergencyRenewalThreshold};
        break;
    }
    if (item.threshold > rule.threshold) rule = item;
  }
  return rule;
}

bool threshold_reached(const Params& params, const TallyCount& c, ThresholdRule rule) {
  const std::int32_t base =
      params.threshold_base == ThresholdBase::kRoll ? c.eligible : c.yes + c.no;
  return base > 0 && static_cast<double>(c.yes) / static_cast<double>(base) >= rule.threshold;
}

TallyOutcome decide_tally(const Params& params, const TallyCount& count, ThresholdRule rule) {
  TallyOutcome out{count, TallyResult::kPassed, kNoClause};
  const TallyCount& c = out.count;
  if (!quorum_met(params, c)) {
    out.result = TallyResult::kFailedQuorum;
    out.clause = clause_of(ParamId::kVotingQuorum);
    return out;
  }
  if (!threshold_reached(params, c, rule)) {
    out.result = TallyResult::kFailedThreshold;
    out.clause = clause_of(rule.param);
    return out;
  }
  if (c.yes <= c.no) {
    out.result = TallyResult::kFailedMajority;
    out.clause = clause_of(StructuralClause::kVotingMajority);
  }
  return out;
}

TallyOutcome tally(const WorldState& w, const Proposal& p) {
  const Params& params = w.params();
  return decide_tally(params, count_ballots(w, p), threshold_rule(params, p));
}

}  // namespace fable
