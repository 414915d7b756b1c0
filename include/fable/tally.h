// Tallies: weighted ballots, quorum, threshold and majority.
//
// A citizen on the roll who cast a ballot carries its own weight plus the
// ballots delegated to it: each citizen on the roll who did not vote passes
// its weight along its delegation chain, through citizens on the roll, to the
// first one who voted, if that is at most `delegation.max_depth` hops away.
// A voter carries at most ceil(max_weight_frac x roll) delegated ballots. The
// eligible roll is the snapshot at opening or the live roll
// (`roll.snapshot_at_open`). Quorum: cast/eligible >= quorum. Threshold:
// yes/(yes+no) or yes/eligible (`voting.threshold_base`) >= the most
// demanding item's threshold. Then yes must exceed no. Costs the ballots
// cast plus the delegations times their depth (it reads the proposal's
// `voters` and the world's `delegating`), never the whole population, so a
// turn that closes many proposals stays linear.
#pragma once

#include <cstdint>
#include <span>

#include "fable/event.h"
#include "fable/world.h"

namespace fable {

struct TallyCount {
  std::int32_t yes = 0;
  std::int32_t no = 0;
  std::int32_t abstain = 0;
  std::int32_t eligible = 0;
  std::int32_t cast() const { return yes + no + abstain; }
};

TallyCount count_ballots(const WorldState& world, const Proposal& proposal);

bool quorum_met(const Params& params, const TallyCount& count);

// The threshold a proposal must reach and the parameter that sets it: the
// highest of its items' thresholds. A spend to named citizens (not ALL) needs
// the higher of voting.thresholds.spend and voting.thresholds.private_spend
// (kernel v0.3, A15: public money for private purposes needs a supermajority).
struct ThresholdRule {
  double threshold;
  ParamId param;
};
ThresholdRule threshold_rule(const Params& params, const Proposal& proposal);
// The same rule for a proposal's items (a trace's ProposalInfo::items).
ThresholdRule threshold_rule(const Params& params, std::span<const ProposalItem> items);

// Whether a count reaches the threshold `rule`: yes over yes + no, or over
// the eligible roll when `voting.threshold_base` is roll (decide_tally's
// second bar, on its own).
bool threshold_reached(const Params& params, const TallyCount& count, ThresholdRule rule);

struct TallyOutcome {
  TallyCount count;
  TallyResult result;
  ClauseId clause;  // what failed it, kNoClause when passed
};

// The decision on a count: quorum first, then the threshold `rule` (over
// yes + no, or over the eligible roll when `voting.threshold_base` is roll),
// then yes must exceed no. The one place these rules are written; tally()
// and anything that asks "would this count pass?" (objectives, agents) use it.
TallyOutcome decide_tally(const Params& params, const TallyCount& count, ThresholdRule rule);

TallyOutcome tally(const WorldState& world, const Proposal& proposal);

}  // namespace fable
