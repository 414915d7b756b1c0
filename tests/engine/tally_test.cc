// Tallies: weighted delegation, quorum on the snapshot or live roll, the
// threshold base, exact fraction comparison, majority, omnibus and renewal
// thresholds (include/fable/tally.h, docs/turn-engine.md "Voting rules").
#include "fable/tally.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <utility>
#include <vector>

#include "support/engine_test_support.h"

namespace fable {
namespace {

using namespace fable::testing;  // NOLINT(google-build-using-namespace)

using Ballots = std::vector<std::pair<AgentIndex, Choice>>;

// Opens `items` by citizen 0 with a long window and casts `ballots` in the
// same turn; the proposal stays open for count_ballots. Returns its id.
std::int32_t open_with(Sim& sim, std::initializer_list<ProposalItem> items, const Ballots& ballots,
                       std::int32_t window = 50) {
  const std::int32_t id = static_cast<std::int32_t>(sim.w().proposals.size());
  const ProposalRef ref = ProposalRef::by_origin(0, sim.next_turn());
  Turn t = sim.turn();
  t.at(0, 0, Action::propose(items, window));
  for (const auto& [who, c] : ballots) t.at(who, 1, Action::vote(ref, c));
  sim.step(t);
  if (static_cast<std::int32_t>(sim.w().proposals.size()) != id + 1) {
    ADD_FAILURE() << "proposal was not opened";
    std::abort();
  }
  return id;
}

TallyCount count_of(const Sim& sim, std::int32_t id) {
  return count_ballots(sim.w(), sim.w().proposals[static_cast<std::size_t>(id)]);
}

// Delegations set in one turn, in the given order (a chain is set leaf first
// or root first; cycles never arise in these tests).
void delegate_all(Sim& sim, const std::vector<std::pair<AgentIndex, AgentIndex>>& edges) {
  Turn t = sim.turn();
  for (const auto& [from, to] : edges) t.add(from, Action::delegate(to));
  sim.step(t);
  for (const auto& [from, to] : edges) ASSERT_EQ(sim.w().citizens[from].delegate, to);
}

const Event& closed_event(const WorldState& w, std::int32_t id) {
  for (const Event& e : w.log) {
    if (e.kind == EventKind::kProposalClosed && e.proposal == id) return e;
  }
  ADD_FAILURE() << "proposal " << id << " was not closed";
  static const Event none;
  return none;
}

ProposalItem small_spend() {
  return ProposalItem::spend(1, U(1));
}

// ---------------------------------------------------------------------------
// Weighted delegation

TEST(Tally, TransitiveChainCarriesEveryBallotToTheVoter) {
  Sim sim(v01(), 6);  // unbounded depth, no cap
  delegate_all(sim, {{1, 0}, {2, 1}, {3, 2}, {4, 3}});
  const auto id = open_with(sim, {small_spend()}, {{0, Choice::kYes}, {5, Choice::kNo}});
  const TallyCount c = count_of(sim, id);
  EXPECT_EQ(c.yes, 5);  // 0 itself plus 1, 2, 3, 4 along the chain
  EXPECT_EQ(c.no, 1);
  EXPECT_EQ(c.abstain, 0);
  EXPECT_EQ(c.eligible, 6);
  EXPECT_EQ(c.cast(), 6);
}

TEST(Tally, ChainStopsAtTheFirstVoter) {
  Sim sim(v01(), 5);
  delegate_all(sim, {{1, 0}, {2, 1}, {3, 2}});
  // 2 votes no: 3 reaches 2 first; 1 reaches 0.
  const auto id = open_with(sim, {small_spend()}, {{0, Choice::kYes}, {2, Choice::kNo}});
  const TallyCount c = count_of(sim, id);
  EXPECT_EQ(c.yes, 2);
  EXPECT_EQ(c.no, 2);
}

TEST(Tally, MaxDepthCutsAChain) {
  for (const auto& [depth, expected_yes] :
       std::vector<std::pair<int, int>>{{1, 2}, {2, 3}, {3, 4}}) {
    Sim sim(amended(v01(), {{"delegation.max_depth", V(depth)}}), 5);
    delegate_all(sim, {{1, 0}, {2, 1}, {3, 2}});
    const auto id = open_with(sim, {small_spend()}, {{0, Choice::kYes}});
    EXPECT_EQ(count_of(sim, id).yes, expected_yes) << "max_depth " << depth;
  }
  // v0.2 (depth 1): a two-hop chain delivers nothing past the first hop.
  Sim v2(amended(v02(), {{"delegation.max_weight_frac", Null()}}), 6);
  delegate_all(v2, {{1, 0}, {2, 1}});
  const auto id = open_with(v2, {small_spend()}, {{0, Choice::kYes}}, 3);
  EXPECT_EQ(count_of(v2, id).yes, 2);
}

TEST(Tally, WeightCapIsCeilOfFractionTimesRoll) {
  // 10 citizens. The chain 3 -> 2 -> 1 -> 0 gives 0 three delegated ballots,
  // while each citizen has only one direct delegator.
  for (const auto& [frac, expected_yes] :
       std::vector<std::pair<double, int>>{{0.1, 2}, {0.15, 3}, {0.25, 4}, {0.3, 4}, {0.0, 1}}) {
    Sim sim(amended(v01(), {{"delegation.max_weight_frac", V(frac)}}), 10);
    if (frac > 0) delegate_all(sim, {{1, 0}, {2, 1}, {3, 2}});
    const auto id = open_with(sim, {small_spend()}, {{0, Choice::kYes}});
    EXPECT_EQ(count_of(sim, id).yes, expected_yes) << "frac " << frac;
  }
  Sim zero(amended(v01(), {{"delegation.max_weight_frac", V(0.0)}}), 10);
  EXPECT_EQ(zero.env.check(1, Action::delegate(0)).refusal, Refusal::kWeightCapReached);
}

TEST(Tally, WeightCapUsesTheLiveRoll) {
  // 0.1 x 20 = 2 at first; after ten citizens exit, 0.1 x 10 = 1.
  Sim sim(amended(v01(), {{"delegation.max_weight_frac", V(0.1)}}), 20);
  delegate_all(sim, {{1, 0}, {2, 1}, {3, 2}});
  const auto id = open_with(sim, {small_spend()}, {{0, Choice::kYes}});
  EXPECT_EQ(count_of(sim, id).yes, 3);
  Turn t = sim.turn();
  for (AgentIndex i = 10; i < 20; ++i) t.add(i, Action::exit());
  sim.step(t);
  ASSERT_EQ(sim.w().roll_size, 10);
  EXPECT_EQ(count_of(sim, id).yes, 2);
}

TEST(Tally, DirectVoteOverridesDelegation) {
  Sim sim(v01(), 5);
  delegate_all(sim, {{1, 0}, {2, 0}});
  const auto id =
      open_with(sim, {small_spend()}, {{0, Choice::kYes}, {1, Choice::kNo}, {2, Choice::kAbstain}});
  const TallyCount c = count_of(sim, id);
  EXPECT_EQ(c.yes, 1);
  EXPECT_EQ(c.no, 1);
  EXPECT_EQ(c.abstain, 1);
  // A delegator voting after its delegate also takes its ballot back.
  Sim later(v01(), 5);
  delegate_all(later, {{1, 0}});
  const auto id2 = open_with(later, {small_spend()}, {{0, Choice::kYes}});
  EXPECT_EQ(count_of(later, id2).yes, 2);
  later.step_one(1, Action::vote(ProposalRef::by_id(id2), Choice::kNo));
  EXPECT_EQ(count_of(later, id2).yes, 1);
  EXPECT_EQ(count_of(later, id2).no, 1);
}

TEST(Tally, SilentDelegateCarriesNothing) {
  Sim sim(v01(), 5);
  delegate_all(sim, {{1, 0}, {2, 0}});
  const auto id = open_with(sim, {small_spend()}, {{3, Choice::kYes}});
  const TallyCount c = count_of(sim, id);
  EXPECT_EQ(c.yes, 1);
  EXPECT_EQ(c.cast(), 1);
}

TEST(Tally, OffRollLinksBreakChains) {
  Sim sim(v01(), 6);
  delegate_all(sim, {{1, 0}, {2, 1}, {4, 3}});
  // Expel 1: its own delegation lapses and 2's delegation now points off the roll.
  const auto ex = sim.pass(5, {ProposalItem::disenfranchise(1)}, 1, {0, 3, 4, 5});
  ASSERT_EQ(sim.w().proposals[ex].status, ProposalStatus::kPassed);
  ASSERT_FALSE(sim.w().citizens[1].on_roll);
  EXPECT_EQ(sim.w().citizens[1].delegate, kNoAgent);
  EXPECT_EQ(sim.w().citizens[2].delegate, 1);  // kept, but carries nothing
  const auto id =
      open_with(sim, {ProposalItem::spend(5, U(1))}, {{0, Choice::kYes}, {3, Choice::kNo}});
  const TallyCount c = count_of(sim, id);
  EXPECT_EQ(c.yes, 1);  // neither 1 nor 2 reaches 0
  EXPECT_EQ(c.no, 2);   // 4 reaches 3
  EXPECT_EQ(c.eligible, 5);
}

TEST(Tally, BallotsOfCitizensWhoLeftTheRollAreNotCounted) {
  Sim sim(v01(), 6);
  const auto id =
      open_with(sim, {small_spend()}, {{0, Choice::kYes}, {4, Choice::kNo}, {5, Choice::kNo}});
  EXPECT_EQ(count_of(sim, id).no, 2);
  Turn t = sim.turn();
  t.add(4, Action::exit()).add(5, Action::exit());
  sim.step(t);
  const TallyCount c = count_of(sim, id);
  EXPECT_EQ(c.no, 0);
  EXPECT_EQ(c.yes, 1);
  EXPECT_EQ(c.eligible, 4);
}

// ---------------------------------------------------------------------------
// Quorum and threshold

// Six citizens; proposal P (a spend) opens in turn 1 with a window of 3 and
// gets ballots from 0 and 1 (and 5, who is then expelled); an omnibus in the
// same turn expels 4 and 5. Live roll at tally: 4; snapshot: 6.
struct ShrinkingRoll {
  Sim sim;
  std::int32_t p = 0;
  explicit ShrinkingRoll(Kernel k) : sim(std::move(k), 6) {
    const ProposalRef pref = ProposalRef::by_origin(0, 1);
    const ProposalRef xref = ProposalRef::by_origin(1, 1);
    Turn t = sim.turn();
    t.at(0, 0, Action::propose({small_spend()}, 3));
    t.at(1, 0,
         Action::propose({ProposalItem::disenfranchise(4), ProposalItem::disenfranchise(5)}, 1));
    for (AgentIndex v : {0, 1, 5}) t.at(v, 1, Action::vote(pref, Choice::kYes));
    for (AgentIndex v : {0, 1, 2, 3}) t.at(v, 2, Action::vote(xref, Choice::kYes));
    sim.step(t);
    p = sim.w().resolve(pref);  // ids follow the seeded agent order
    const std::int32_t x = sim.w().resolve(xref);
    EXPECT_GE(p, 0);
    EXPECT_GE(x, 0);
    EXPECT_EQ(sim.w().proposals[x].status, ProposalStatus::kPassed);
    EXPECT_EQ(sim.w().roll_size, 4);
    sim.idle(2);
  }
};

TEST(Tally, QuorumOnTheLiveRoll) {
  ShrinkingRoll s(v01());
  const Event& e = closed_event(s.sim.w(), s.p);
  EXPECT_EQ(e.result, TallyResult::kPassed);
  EXPECT_EQ(e.eligible, 4);
  EXPECT_EQ(e.yes, 2);  // the expelled citizen's ballot is gone
  EXPECT_EQ(s.sim.w().proposals[s.p].status, ProposalStatus::kPassed);
  EXPECT_EQ(s.sim.w().proposals[s.p].eligible, 4);
}

TEST(Tally, QuorumOnTheSnapshotRoll) {
  ShrinkingRoll s(amended(v01(), {{"roll.snapshot_at_open", V(1)}}));
  const Event& e = closed_event(s.sim.w(), s.p);
  EXPECT_EQ(e.result, TallyResult::kFailedQuorum);
  EXPECT_EQ(clause_name(e.clause), "voting.quorum");
  EXPECT_EQ(e.eligible, 6);
  EXPECT_EQ(e.yes, 2);
  EXPECT_EQ(s.sim.w().proposals[s.p].roll_at_open, 6);
  EXPECT_EQ(s.sim.w().proposals[s.p].status, ProposalStatus::kRejected);
}

TEST(Tally, QuorumIsAFractionOfEligibleIncludingAbstentions) {
  Params p = default_params();
  p.quorum = 0.5;
  EXPECT_TRUE(quorum_met(p, TallyCount{1, 1, 3, 10}));
  EXPECT_FALSE(quorum_met(p, TallyCount{1, 1, 2, 10}));
  EXPECT_FALSE(quorum_met(p, TallyCount{0, 0, 0, 0}));  // nobody eligible
  p.quorum = 0.0;
  EXPECT_TRUE(quorum_met(p, TallyCount{0, 0, 0, 3}));
  p.quorum = 1.0;
  EXPECT_FALSE(quorum_met(p, TallyCount{9, 0, 0, 10}));
  EXPECT_TRUE(quorum_met(p, TallyCount{9, 1, 0, 10}));
}

TEST(Tally, ThresholdBaseCastVersusRoll) {
  const Ballots ballots{
      {0, Choice::kYes}, {1, Choice::kYes}, {2, Choice::kYes}, {3, Choice::kYes}, {4, Choice::kNo}};
  Sim cast(v01(), 10);
  const auto a = open_with(cast, {small_spend()}, ballots, 1);
  const Event& ea = closed_event(cast.w(), a);
  EXPECT_EQ(ea.result, TallyResult::kPassed);  // 4 / 5 cast
  EXPECT_EQ(ea.yes, 4);
  EXPECT_EQ(ea.no, 1);
  EXPECT_EQ(ea.eligible, 10);

  Sim roll(amended(v01(), {{"voting.threshold_base", V(1)}}), 10);
  const auto b = open_with(roll, {small_spend()}, ballots, 1);
  const Event& eb = closed_event(roll.w(), b);
  EXPECT_EQ(eb.result, TallyResult::kFailedThreshold);  // 4 / 10 on the roll
  EXPECT_EQ(clause_name(eb.clause), "voting.thresholds.spend");

  // Exactly at the threshold passes: 5 / 10 >= 0.5.
  Sim exact(amended(v01(), {{"voting.threshold_base", V(1)}}), 10);
  const auto c = open_with(exact, {small_spend()},
                           {{0, Choice::kYes},
                            {1, Choice::kYes},
                            {2, Choice::kYes},
                            {3, Choice::kYes},
                            {4, Choice::kYes},
                            {5, Choice::kNo}},
                           1);
  EXPECT_EQ(closed_event(exact.w(), c).result, TallyResult::kPassed);
}

TEST(Tally, AbstentionsCountForQuorumButNotTheCastBase) {
  Sim sim(v01(), 10);
  const auto id = open_with(sim, {small_spend()},
                            {{0, Choice::kYes},
                             {1, Choice::kYes},
                             {2, Choice::kNo},
                             {3, Choice::kAbstain},
                             {4, Choice::kAbstain}},
                            1);
  const Event& e = closed_event(sim.w(), id);
  EXPECT_EQ(e.result, TallyResult::kPassed);  // quorum 5/10; 2 / (2 + 1) >= 0.5
  EXPECT_EQ(e.abstain, 2);
}

TEST(Tally, TwoThirdsDoesNotReachPoint667) {
  const ProposalItem amend = ProposalItem::amendment(ParamId::kVotingQuorum, V(0.4));
  Sim sim(v01(), 3);
  const auto id =
      open_with(sim, {amend}, {{0, Choice::kYes}, {1, Choice::kYes}, {2, Choice::kNo}}, 1);
  const Event& e = closed_event(sim.w(), id);
  EXPECT_EQ(e.result, TallyResult::kFailedThreshold);
  EXPECT_EQ(clause_name(e.clause), "voting.thresholds.amendment");
  EXPECT_EQ(sim.w().params().quorum, 0.5);  // not amended

  Sim all(v01(), 3);
  const auto id2 =
      open_with(all, {amend}, {{0, Choice::kYes}, {1, Choice::kYes}, {2, Choice::kYes}}, 1);
  EXPECT_EQ(closed_event(all.w(), id2).result, TallyResult::kPassed);
  EXPECT_EQ(all.w().params().quorum, 0.4);
}

TEST(Tally, YesMustExceedNo) {
  // 2 yes, 2 no: 2 / 4 reaches the 0.5 threshold, but yes does not exceed no.
  Sim sim(v01(), 4);
  const auto id =
      open_with(sim, {small_spend()},
                {{0, Choice::kYes}, {1, Choice::kYes}, {2, Choice::kNo}, {3, Choice::kNo}}, 1);
  const Event& e = closed_event(sim.w(), id);
  EXPECT_EQ(e.result, TallyResult::kFailedMajority);
  EXPECT_EQ(clause_name(e.clause), "voting.majority");
  EXPECT_EQ(sim.w().citizens[1].balance, 0);

  // Even with a zero threshold.
  Sim zero(amended(v01(), {{"voting.thresholds.spend", V(0.0)}}), 4);
  const auto id2 = open_with(zero, {small_spend()}, {{0, Choice::kYes}, {1, Choice::kNo}}, 1);
  EXPECT_EQ(closed_event(zero.w(), id2).result, TallyResult::kFailedMajority);
}

TEST(Tally, OmnibusNeedsTheHighestItemThreshold) {
  // Spend (0.5) with an amendment (0.667): 3 yes / 5 cast = 0.6 is not enough.
  Sim sim(v01(), 5);
  const auto id = open_with(
      sim, {small_spend(), ProposalItem::amendment(ParamId::kVotingQuorum, V(0.4))},
      {{0, Choice::kYes}, {1, Choice::kYes}, {2, Choice::kYes}, {3, Choice::kNo}, {4, Choice::kNo}},
      1);
  const Event& e = closed_event(sim.w(), id);
  EXPECT_EQ(e.result, TallyResult::kFailedThreshold);
  EXPECT_EQ(clause_name(e.clause), "voting.thresholds.amendment");
  EXPECT_EQ(sim.w().citizens[1].balance, 0);  // neither item executes

  const Params p = amended(v01(), {{"voting.thresholds.role_grant", V(0.8)}}).params();
  Proposal prop;
  prop.item_count = 3;
  prop.items[0] = small_spend();
  prop.items[1] = ProposalItem::role_grant(1, Role::kChair);
  prop.items[2] = ProposalItem::disenfranchise(2);
  const ThresholdRule rule = threshold_rule(p, prop);
  EXPECT_EQ(rule.threshold, 0.8);
  EXPECT_EQ(rule.param, ParamId::kThresholdRoleGrant);
  prop.item_count = 1;
  EXPECT_EQ(threshold_rule(p, prop).param, ParamId::kThresholdSpend);
  const Params v2 = v02().params();
  prop.items[0] = ProposalItem::disenfranchise(2);
  EXPECT_EQ(threshold_rule(v2, prop).threshold, 0.75);
  EXPECT_EQ(threshold_rule(v2, prop).param, ParamId::kThresholdDisenfranchise);
}

// voting.thresholds.private_spend (kernel v0.3, A15): a spend to named
// citizens needs the higher of it and the spend threshold; a spend to ALL
// keeps the spend threshold; null (every earlier kernel) changes nothing.
TEST(Tally, APrivateSpendNeedsThePrivateSpendThreshold) {
  const Kernel k = amended(v02(), {{"voting.thresholds.private_spend", V(0.667)}});
  Proposal prop;
  prop.item_count = 1;
  prop.items[0] = ProposalItem::spend(1, U(10));
  EXPECT_EQ(threshold_rule(k.params(), prop).param, ParamId::kThresholdPrivateSpend);
  EXPECT_EQ(threshold_rule(k.params(), prop).threshold, 0.667);
  EXPECT_EQ(threshold_rule(v02().params(), prop).param, ParamId::kThresholdSpend);
  prop.items[0] = ProposalItem::spend(kAllCitizens, U(10));
  EXPECT_EQ(threshold_rule(k.params(), prop).param, ParamId::kThresholdSpend);
  EXPECT_EQ(threshold_rule(k.params(), prop).threshold, 0.5);
  // Lower than the spend threshold: the spend threshold still applies.
  const Kernel low = amended(v02(), {{"voting.thresholds.private_spend", V(0.3)}});
  prop.items[0] = ProposalItem::spend(1, U(10));
  EXPECT_EQ(threshold_rule(low.params(), prop).param, ParamId::kThresholdSpend);
  EXPECT_EQ(threshold_rule(low.params(), prop).threshold, 0.5);

  // 11 of 20 vote a spend to one of them, 9 vote no: 11/20 passes the spend
  // threshold (v0.2) but not 0.667 of the roll; the same 11 pass a spend to ALL.
  Ballots bare;
  for (AgentIndex i = 0; i < 20; ++i) bare.push_back({i, i < 11 ? Choice::kYes : Choice::kNo});
  Sim on02(v02(), 20);
  const auto a = open_with(on02, {ProposalItem::spend(1, U(10))}, bare, 2);
  on02.idle(3);
  EXPECT_EQ(closed_event(on02.w(), a).result, TallyResult::kPassed);
  Sim guarded(k, 20);
  const auto b = open_with(guarded, {ProposalItem::spend(1, U(10))}, bare, 2);
  guarded.idle(3);
  const Event& e = closed_event(guarded.w(), b);
  EXPECT_EQ(e.result, TallyResult::kFailedThreshold);
  EXPECT_EQ(clause_name(e.clause), "voting.thresholds.private_spend");
  const auto c = open_with(guarded, {ProposalItem::spend(kAllCitizens, U(20))}, bare, 2);
  guarded.idle(3);
  EXPECT_EQ(closed_event(guarded.w(), c).result, TallyResult::kPassed);
}

TEST(Tally, EmergencyRenewalUsesTheRenewalThreshold) {
  const Kernel k = amended(v01(), {{"emergency.renewal_threshold", V(0.75)}});
  Proposal prop;
  prop.item_count = 1;
  prop.items[0] = ProposalItem::emergency_renew();
  EXPECT_EQ(threshold_rule(k.params(), prop).param, ParamId::kEmergencyRenewalThreshold);
  EXPECT_EQ(threshold_rule(k.params(), prop).threshold, 0.75);
  prop.items[0] = ProposalItem::emergency_declare({1});
  EXPECT_EQ(threshold_rule(k.params(), prop).param, ParamId::kThresholdEmergency);
  EXPECT_EQ(threshold_rule(k.params(), prop).threshold, 0.5);

  // 5 citizens: declare at 3/5 (0.5 suffices); renew at 3 yes 2 no = 0.6 < 0.75.
  Sim sim(k, 5);
  const auto d = open_with(
      sim, {ProposalItem::emergency_declare({1})},
      {{0, Choice::kYes}, {1, Choice::kYes}, {2, Choice::kYes}, {3, Choice::kNo}, {4, Choice::kNo}},
      1);
  ASSERT_EQ(closed_event(sim.w(), d).result, TallyResult::kPassed);
  ASSERT_TRUE(sim.w().emergency.active);
  const auto r = open_with(sim, {ProposalItem::emergency_renew()},
                           {{0, Choice::kYes},
                            {1, Choice::kYes},
                            {2, Choice::kYes},
                            {3, Choice::kNo},
                            {4, Choice::kNo}});
  const Event& e = closed_event(sim.w(), r);  // tallied at once: review is suspended
  EXPECT_EQ(e.result, TallyResult::kFailedThreshold);
  EXPECT_EQ(clause_name(e.clause), "emergency.renewal_threshold");
  EXPECT_EQ(sim.w().emergency.renewals, 0);
  // 4 yes 1 no = 0.8 renews.
  const auto r2 = open_with(sim, {ProposalItem::emergency_renew()},
                            {{0, Choice::kYes},
                             {1, Choice::kYes},
                             {2, Choice::kYes},
                             {3, Choice::kYes},
                             {4, Choice::kNo}});
  EXPECT_EQ(closed_event(sim.w(), r2).result, TallyResult::kPassed);
  EXPECT_EQ(sim.w().emergency.renewals, 1);
}

TEST(Tally, ClosedEventCarriesWeightedCounts) {
  Sim sim(v01(), 6);
  delegate_all(sim, {{1, 0}, {2, 0}, {4, 3}});
  const auto id = open_with(sim, {small_spend()},
                            {{0, Choice::kYes}, {3, Choice::kNo}, {5, Choice::kAbstain}}, 1);
  const Event& e = closed_event(sim.w(), id);
  EXPECT_EQ(e.yes, 3);
  EXPECT_EQ(e.no, 2);
  EXPECT_EQ(e.abstain, 1);
  EXPECT_EQ(e.eligible, 6);
  EXPECT_EQ(e.actor, 0);
  EXPECT_EQ(e.result, TallyResult::kPassed);
  EXPECT_EQ(e.clause, kNoClause);
  const Proposal& p = sim.w().proposals[id];
  EXPECT_EQ(p.yes, 3);
  EXPECT_EQ(p.no, 2);
  EXPECT_EQ(p.abstain, 1);
  EXPECT_TRUE(p.ballots.empty());  // released at close
}

TEST(Tally, TallyFunctionMatchesTheEngine) {
  Sim sim(amended(v01(), {{"voting.threshold_base", V(1)}}), 8);
  delegate_all(sim, {{1, 0}, {2, 1}});
  const auto id =
      open_with(sim, {small_spend()}, {{0, Choice::kYes}, {3, Choice::kNo}, {4, Choice::kYes}});
  const TallyOutcome out = tally(sim.w(), sim.w().proposals[id]);
  EXPECT_EQ(out.count.yes, 4);
  EXPECT_EQ(out.count.no, 1);
  EXPECT_EQ(out.result, TallyResult::kPassed);  // 4 / 8 on the roll
  EXPECT_EQ(out.clause, kNoClause);
}

}  // namespace
}  // namespace fable
