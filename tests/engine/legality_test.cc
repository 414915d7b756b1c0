// The legality engine: every refusal path of src/engine/legality.cc, each driven by
// real turns into the state that needs it. Each test asserts the refusal, the
// clause it cites, and that the refused attempt, played in a turn, changes
// nothing but the log (see expect_refused in engine_test_support.h).
#include "fable/legality.h"

#include <gtest/gtest.h>

#include <limits>

#include "fable/tally.h"
#include "support/engine_test_support.h"

namespace fable {
namespace {

using namespace fable::testing;  // NOLINT(google-build-using-namespace)

Action spend(AgentIndex to, Money amount, std::int32_t window = 0) {
  return Action::propose({ProposalItem::spend(to, amount)}, window);
}
Action vote(std::int32_t id, Choice c = Choice::kYes) {
  return Action::vote(ProposalRef::by_id(id), c);
}

// ---------------------------------------------------------------------------
// Standing

TEST(Legality, ExpelledCitizenIsNotOnTheRoll) {
  Sim sim(v01(), 5);
  const auto id = sim.pass(0, {ProposalItem::disenfranchise(4)}, 1, {0, 1, 2});
  ASSERT_EQ(sim.w().proposals[id].status, ProposalStatus::kPassed);
  ASSERT_FALSE(sim.w().citizens[4].on_roll);
  ASSERT_FALSE(sim.w().citizens[4].exited);
  const auto open = sim.w().proposals.size();
  sim.step_one(0, spend(1, U(1), 2));  // an open proposal the expelled citizen might try
  EXPECT_REFUSED(sim, 4, vote(static_cast<std::int32_t>(open)), Refusal::kNotOnRoll,
                 "standing.roll");
  EXPECT_REFUSED(sim, 4, spend(0, U(1)), Refusal::kNotOnRoll, "standing.roll");
  EXPECT_REFUSED(sim, 4, Action::delegate(0), Refusal::kNotOnRoll, "standing.roll");
  EXPECT_REFUSED(sim, 4, Action::exit(), Refusal::kNotOnRoll, "standing.roll");
  // Off the roll but not gone: private funds may still move; nothing else.
  EXPECT_TRUE(sim.env.check(4, Action::pass()).legal());
}

TEST(Legality, ExitedCitizenIsRefusedEverythingButPass) {
  EngineSettings s;
  s.initial_balance = U(10);
  Sim sim(v01(), 4, U(1000), 1, s);
  sim.step_one(3, Action::exit());
  ASSERT_TRUE(sim.w().citizens[3].exited);
  EXPECT_REFUSED(sim, 3, Action::transfer(0, U(1)), Refusal::kExited, "standing.roll");
  EXPECT_REFUSED(sim, 3, Action::revoke_delegation(), Refusal::kExited, "standing.roll");
  EXPECT_REFUSED(sim, 3, spend(0, U(1)), Refusal::kExited, "standing.roll");
  EXPECT_REFUSED(sim, 3, Action::exit(), Refusal::kExited, "standing.roll");
  EXPECT_TRUE(sim.env.check(3, Action::pass()).legal());
}

TEST(Legality, UnknownActorIsRefused) {
  Sim sim(v01(), 3);
  for (AgentIndex who : {-1, 3, 1000}) {
    const Ruling r = check_action(sim.w(), who, spend(0, U(1)));
    EXPECT_EQ(r.refusal, Refusal::kUnknownTarget);
    EXPECT_EQ(clause_name(r.clause), "standing.roll");
    EXPECT_EQ(check_action(sim.w(), who, Action::transfer(0, 1)).refusal, Refusal::kUnknownTarget);
  }
}

TEST(Legality, ExecuteProposalIsNotAnAgentAction) {
  Sim sim(v01(), 3);
  Action a;
  a.kind = ActionKind::kExecuteProposal;
  EXPECT_REFUSED(sim, 0, a, Refusal::kUnknownProposal, "proposals.open");
}

// ---------------------------------------------------------------------------
// Proposals: shape

TEST(Legality, ProposalNeedsOneToFourItems) {
  Sim sim(v01(), 3);
  Action none = spend(1, U(1));
  none.item_count = 0;
  EXPECT_REFUSED(sim, 0, none, Refusal::kNoItems, "proposals.well_formed");
  Action five = spend(1, U(1));
  five.item_count = 5;
  EXPECT_REFUSED(sim, 0, five, Refusal::kTooManyItems, "proposals.well_formed");
  Action four = Action::propose({ProposalItem::spend(1, U(1)), ProposalItem::spend(2, U(1)),
                                 ProposalItem::spend(0, U(1)), ProposalItem::spend(1, U(1))});
  EXPECT_LEGAL(sim, 0, four);
}

TEST(Legality, SingleSubject) {
  Sim sim(v02(), 5);
  const Action two = Action::propose({ProposalItem::spend(kAllCitizens, U(10)),
                                      ProposalItem::amendment(ParamId::kVotingQuorum, V(0.4))},
                                     3);
  EXPECT_REFUSED(sim, 0, two, Refusal::kSingleSubject, "proposals.single_subject");
  EXPECT_LEGAL(sim, 0, spend(kAllCitizens, U(10), 3));
  // The same omnibus is legal where the kernel allows it.
  Sim loose(amended(v02(), {{"proposals.single_subject", V(0)}}), 5);
  EXPECT_LEGAL(loose, 0, two);
}

TEST(Legality, WindowTooShortAndTooLong) {
  Sim sim(v02(), 5);  // min window 2
  EXPECT_REFUSED(sim, 0, spend(1, U(1), 1), Refusal::kWindowTooShort, "voting.min_window_turns");
  EXPECT_LEGAL(sim, 0, spend(1, U(1), 2));
  EXPECT_LEGAL(sim, 0, spend(1, U(1), 0));  // the default
  EXPECT_REFUSED(sim, 0, spend(1, U(1), kMaxWindowTurns + 1), Refusal::kWindowTooLong,
                 "proposals.well_formed");
  EXPECT_REFUSED(sim, 0, spend(1, U(1), -1), Refusal::kWindowTooLong, "proposals.well_formed");
  EXPECT_LEGAL(sim, 0, spend(1, U(1), kMaxWindowTurns));
}

// ---------------------------------------------------------------------------
// Proposals: money

TEST(Legality, PerProposalCap) {
  Sim sim(v02(), 5);  // 20% of the treasury at opening
  EXPECT_LEGAL(sim, 0, spend(1, U(200), 3));
  EXPECT_REFUSED(sim, 0, spend(1, U(200) + 1, 3), Refusal::kExceedsProposalCap,
                 "spend.per_proposal_cap");
  // The cap is on the sum of a proposal's spends (where omnibus is allowed).
  Sim loose(amended(v02(), {{"proposals.single_subject", V(0)}}), 5);
  EXPECT_REFUSED(
      loose, 0, Action::propose({ProposalItem::spend(1, U(150)), ProposalItem::spend(2, U(51))}, 3),
      Refusal::kExceedsProposalCap, "spend.per_proposal_cap");
}

TEST(Legality, EpochRateCap) {
  Sim sim(amended(v01(), {{"spend.epoch_rate_cap", V(0.3)}}), 5);  // 300 of 1000 per epoch
  const auto id = sim.pass_all(0, {ProposalItem::spend(1, U(200))}, 1);
  ASSERT_EQ(sim.w().proposals[id].status, ProposalStatus::kPassed);
  ASSERT_EQ(sim.w().spent_this_epoch, U(200));
  ASSERT_EQ(sim.w().treasury, U(800));
  EXPECT_LEGAL(sim, 0, spend(2, U(100)));
  EXPECT_REFUSED(sim, 0, spend(2, U(100) + 1), Refusal::kExceedsEpochRate, "spend.epoch_rate_cap");
  EXPECT_EQ(check_outflow(sim.w(), U(100)).refusal, Refusal::kNone);
  EXPECT_EQ(check_outflow(sim.w(), U(101)).refusal, Refusal::kExceedsEpochRate);
}

TEST(Legality, CommonsFloor) {
  Sim sim(amended(v01(), {{"spend.commons_floor", V(0.5)}}), 5);
  EXPECT_LEGAL(sim, 0, spend(1, U(500)));
  EXPECT_REFUSED(sim, 0, spend(1, U(500) + 1), Refusal::kBreachesCommonsFloor,
                 "spend.commons_floor");
  sim.pass_all(0, {ProposalItem::spend(1, U(300))}, 1);
  ASSERT_EQ(sim.w().treasury, U(700));
  EXPECT_LEGAL(sim, 0, spend(kAllCitizens, U(200)));
  EXPECT_REFUSED(sim, 0, spend(kAllCitizens, U(200) + 1), Refusal::kBreachesCommonsFloor,
                 "spend.commons_floor");
}

TEST(Legality, InsufficientFunds) {
  Sim sim(v01(), 5);
  EXPECT_LEGAL(sim, 0, spend(1, U(1000)));
  EXPECT_REFUSED(sim, 0, spend(1, U(1000) + 1), Refusal::kInsufficientFunds, "funds.sufficient");
  EXPECT_REFUSED(sim, 0, spend(kAllCitizens, U(1001)), Refusal::kInsufficientFunds,
                 "funds.sufficient");
  // Several spends are summed.
  EXPECT_REFUSED(sim, 0,
                 Action::propose({ProposalItem::spend(1, U(600)), ProposalItem::spend(2, U(401))}),
                 Refusal::kInsufficientFunds, "funds.sufficient");
}

TEST(Legality, HugeSpendsDoNotOverflowTheFundsCheck) {
  // Two amounts whose sum wraps a signed 64-bit integer must not slip past the
  // funds check as a "negative total".
  constexpr Money kHalf = std::numeric_limits<Money>::max() / 2 + 1;
  Sim sim(v01(), 5);
  EXPECT_REFUSED(sim, 0,
                 Action::propose({ProposalItem::spend(1, kHalf), ProposalItem::spend(2, kHalf)}),
                 Refusal::kInsufficientFunds, "funds.sufficient");
  const Money big = std::numeric_limits<Money>::max();
  EXPECT_REFUSED(sim, 0,
                 Action::propose({ProposalItem::spend(1, big), ProposalItem::spend(2, big),
                                  ProposalItem::spend(3, big), ProposalItem::spend(4, 3)}),
                 Refusal::kInsufficientFunds, "funds.sufficient");
  Sim capped(amended(v01(), {{"spend.per_proposal_cap", V(0.2)}}), 5);
  EXPECT_REFUSED(capped, 0,
                 Action::propose({ProposalItem::spend(1, kHalf), ProposalItem::spend(2, kHalf)}),
                 Refusal::kExceedsProposalCap, "spend.per_proposal_cap");
}

TEST(Legality, SpendAmountMustBePositive) {
  Sim sim(v01(), 3);
  EXPECT_REFUSED(sim, 0, spend(1, 0), Refusal::kBadAmount, "proposals.well_formed");
  EXPECT_REFUSED(sim, 0, spend(1, -U(5)), Refusal::kBadAmount, "proposals.well_formed");
  EXPECT_REFUSED(sim, 0, spend(kAllCitizens, std::numeric_limits<Money>::min()),
                 Refusal::kBadAmount, "proposals.well_formed");
}

// ---------------------------------------------------------------------------
// Proposals: whom items name

TEST(Legality, UnknownTargets) {
  Sim sim(v01(), 3);
  for (AgentIndex t : {3, 99, -1, -3}) {
    EXPECT_REFUSED(sim, 0, spend(t, U(1)), Refusal::kUnknownTarget, "proposals.well_formed");
  }
  EXPECT_REFUSED(sim, 0, Action::propose({ProposalItem::disenfranchise(7)}),
                 Refusal::kUnknownTarget, "proposals.well_formed");
  EXPECT_REFUSED(sim, 0, Action::propose({ProposalItem::role_grant(-1, Role::kClerk)}),
                 Refusal::kUnknownTarget, "proposals.well_formed");
  EXPECT_REFUSED(sim, 0, Action::transfer(5, 1), Refusal::kUnknownTarget, "transfers.private");
  EXPECT_REFUSED(sim, 0, Action::delegate(kAllCitizens), Refusal::kUnknownTarget,
                 "delegation.basic");
  EXPECT_LEGAL(sim, 0, spend(kAllCitizens, U(1)));
}

TEST(Legality, TargetsOffTheRoll) {
  Sim sim(v01(), 5);
  sim.pass(0, {ProposalItem::disenfranchise(4)}, 1, {0, 1, 2});
  ASSERT_FALSE(sim.w().citizens[4].on_roll);
  EXPECT_REFUSED(sim, 0, spend(4, U(1)), Refusal::kTargetNotOnRoll, "proposals.well_formed");
  EXPECT_REFUSED(sim, 0, Action::propose({ProposalItem::disenfranchise(4)}),
                 Refusal::kTargetNotOnRoll, "proposals.well_formed");
  EXPECT_REFUSED(sim, 0, Action::propose({ProposalItem::role_grant(4, Role::kChair)}),
                 Refusal::kTargetNotOnRoll, "proposals.well_formed");
  EXPECT_REFUSED(sim, 0, Action::delegate(4), Refusal::kTargetNotOnRoll, "delegation.basic");
  EXPECT_REFUSED(sim, 0, Action::propose({ProposalItem::emergency_declare({1, 4})}),
                 Refusal::kBadCouncil, "emergency.council");
  // A private transfer to an expelled (not exited) citizen is fine.
  EngineSettings s;
  s.initial_balance = U(5);
  Sim funded(v01(), 5, U(1000), 1, s);
  funded.pass(0, {ProposalItem::disenfranchise(4)}, 1, {0, 1, 2});
  EXPECT_LEGAL(funded, 0, Action::transfer(4, U(5)));
}

TEST(Legality, UnknownRoleAndParam) {
  Sim sim(v01(), 3);
  EXPECT_REFUSED(sim, 0,
                 Action::propose({ProposalItem::role_grant(1, static_cast<Role>(kRoleCount))}),
                 Refusal::kUnknownRole, "offices.roles");
  EXPECT_REFUSED(
      sim, 0, Action::propose({ProposalItem::amendment(static_cast<ParamId>(kParamCount), V(1))}),
      Refusal::kUnknownParam, "proposals.well_formed");
}

TEST(Legality, BadAmendmentValues) {
  Sim sim(v01(), 3);  // default window 2, min 1
  auto amend = [](ParamId p, ParamValue v) {
    return Action::propose({ProposalItem::amendment(p, v)});
  };
  EXPECT_REFUSED(sim, 0, amend(ParamId::kVotingQuorum, V(1.5)), Refusal::kBadParamValue,
                 "voting.quorum");
  EXPECT_REFUSED(sim, 0, amend(ParamId::kVotingQuorum, Null()), Refusal::kBadParamValue,
                 "voting.quorum");
  EXPECT_REFUSED(sim, 0, amend(ParamId::kVotingQuorum, V(std::numeric_limits<double>::quiet_NaN())),
                 Refusal::kBadParamValue, "voting.quorum");
  EXPECT_REFUSED(sim, 0, amend(ParamId::kEpochTurns, V(0)), Refusal::kBadParamValue, "epoch.turns");
  EXPECT_REFUSED(sim, 0, amend(ParamId::kDelegationMaxDepth, V(2.5)), Refusal::kBadParamValue,
                 "delegation.max_depth");
  EXPECT_REFUSED(sim, 0, amend(ParamId::kEarlyClose, V(2)), Refusal::kBadParamValue,
                 "voting.early_close");
  // Cross-field: the minimum window may not exceed the default one.
  EXPECT_REFUSED(sim, 0, amend(ParamId::kMinWindowTurns, V(3)), Refusal::kBadParamValue,
                 "voting.min_window_turns");
  EXPECT_REFUSED(sim, 0, amend(ParamId::kDefaultWindowTurns, V(0)), Refusal::kBadParamValue,
                 "voting.default_window_turns");
  EXPECT_LEGAL(sim, 0, amend(ParamId::kMinWindowTurns, V(2)));
  EXPECT_LEGAL(sim, 0, amend(ParamId::kDelegationMaxDepth, Null()));
  EXPECT_LEGAL(sim, 0, amend(ParamId::kVotingQuorum, V(0.6)));
}

// ---------------------------------------------------------------------------
// Offices

TEST(Legality, OfficeLimit) {
  Sim sim(amended(v01(), {{"offices.max_per_citizen", V(1)}}), 5);
  const auto id = sim.pass_all(0, {ProposalItem::role_grant(1, Role::kChair)}, 1);
  ASSERT_EQ(sim.w().proposals[id].status, ProposalStatus::kPassed);
  ASSERT_EQ(sim.w().office_holder[0], 1);
  EXPECT_REFUSED(sim, 0, Action::propose({ProposalItem::role_grant(1, Role::kTreasurer)}),
                 Refusal::kOfficeLimit, "offices.max_per_citizen");
  EXPECT_LEGAL(sim, 0,
               Action::propose({ProposalItem::role_grant(1, Role::kChair)}));  // already holds it
  EXPECT_LEGAL(sim, 0, Action::propose({ProposalItem::role_grant(2, Role::kTreasurer)}));
  EXPECT_LEGAL(sim, 0, Action::propose({ProposalItem::role_grant(2, Role::kChair)}));
}

TEST(Legality, OfficeLimitCountsGrantsInTheSameProposal) {
  // Without single-subject, one proposal may carry several grants: together
  // they may not give one citizen more offices than the limit.
  Sim sim(amended(v01(), {{"offices.max_per_citizen", V(1)}}), 5);
  const Action two = Action::propose(
      {ProposalItem::role_grant(1, Role::kChair), ProposalItem::role_grant(1, Role::kTreasurer)});
  EXPECT_REFUSED(sim, 0, two, Refusal::kOfficeLimit, "offices.max_per_citizen");
  // Moving one office twice, or granting two offices to two citizens, is fine.
  EXPECT_LEGAL(sim, 0,
               Action::propose({ProposalItem::role_grant(1, Role::kChair),
                                ProposalItem::role_grant(2, Role::kChair)}));
  EXPECT_LEGAL(sim, 0,
               Action::propose({ProposalItem::role_grant(1, Role::kChair),
                                ProposalItem::role_grant(2, Role::kTreasurer)}));
  // A grant that moves an office away frees a place for a later grant.
  Sim held(amended(v01(), {{"offices.max_per_citizen", V(1)}}), 5);
  held.pass_all(0, {ProposalItem::role_grant(1, Role::kChair)}, 1);
  EXPECT_LEGAL(held, 0,
               Action::propose({ProposalItem::role_grant(2, Role::kChair),
                                ProposalItem::role_grant(1, Role::kTreasurer)}));
  // If the double grant is refused at opening, it can never execute.
  EXPECT_EQ(sim.w().citizens[1].offices, 0);
}

TEST(Legality, ItemsMayNotNameACitizenAnEarlierItemExpels) {
  Sim sim(v01(), 5);
  EXPECT_REFUSED(
      sim, 0,
      Action::propose({ProposalItem::disenfranchise(3), ProposalItem::role_grant(3, Role::kClerk)}),
      Refusal::kTargetNotOnRoll, "proposals.well_formed");
  EXPECT_REFUSED(sim, 0,
                 Action::propose({ProposalItem::disenfranchise(3), ProposalItem::spend(3, U(10))}),
                 Refusal::kTargetNotOnRoll, "proposals.well_formed");
  EXPECT_REFUSED(
      sim, 0,
      Action::propose({ProposalItem::disenfranchise(3), ProposalItem::emergency_declare({3})}),
      Refusal::kBadCouncil, "emergency.council");
  // The other order is fine: the grant executes, then the expulsion vacates it.
  EXPECT_LEGAL(sim, 0,
               Action::propose(
                   {ProposalItem::role_grant(3, Role::kClerk), ProposalItem::disenfranchise(3)}));
}

// ---------------------------------------------------------------------------
// Emergencies

TEST(Legality, EmergencyActiveAndNoEmergency) {
  Sim sim(v01(), 5);
  EXPECT_REFUSED(sim, 0, Action::propose({ProposalItem::emergency_renew()}), Refusal::kNoEmergency,
                 "emergency.state");
  EXPECT_REFUSED(sim, 1, Action::emergency_spend(1, U(1)), Refusal::kNoEmergency,
                 "emergency.state");
  const auto id = sim.pass_all(0, {ProposalItem::emergency_declare({1, 2})}, 1);
  ASSERT_EQ(sim.w().proposals[id].status, ProposalStatus::kPassed);
  ASSERT_TRUE(sim.w().emergency.active);
  EXPECT_REFUSED(sim, 0, Action::propose({ProposalItem::emergency_declare({3})}),
                 Refusal::kEmergencyActive, "emergency.state");
  EXPECT_LEGAL(sim, 0, Action::propose({ProposalItem::emergency_renew()}));
  // Two declarations in one proposal: the second finds the first in force.
  Sim fresh(v01(), 5);
  EXPECT_REFUSED(
      fresh, 0,
      Action::propose({ProposalItem::emergency_declare({1}), ProposalItem::emergency_declare({2})}),
      Refusal::kEmergencyActive, "emergency.state");
}

TEST(Legality, RenewalsExhausted) {
  Sim sim(amended(v01(), {{"emergency.max_renewals", V(1)}}), 5);
  sim.pass_all(0, {ProposalItem::emergency_declare({1})}, 1);
  ASSERT_TRUE(sim.w().emergency.active);
  // Two renewals in one proposal would exceed the limit together.
  EXPECT_REFUSED(
      sim, 0, Action::propose({ProposalItem::emergency_renew(), ProposalItem::emergency_renew()}),
      Refusal::kRenewalsExhausted, "emergency.max_renewals");
  const auto renew = sim.pass_all(0, {ProposalItem::emergency_renew()});
  ASSERT_EQ(sim.w().proposals[renew].status, ProposalStatus::kPassed);
  ASSERT_EQ(sim.w().emergency.renewals, 1);
  EXPECT_REFUSED(sim, 0, Action::propose({ProposalItem::emergency_renew()}),
                 Refusal::kRenewalsExhausted, "emergency.max_renewals");

  Sim none(amended(v01(), {{"emergency.max_renewals", V(0)}}), 5);
  none.pass_all(0, {ProposalItem::emergency_declare({1})}, 1);
  EXPECT_REFUSED(none, 0, Action::propose({ProposalItem::emergency_renew()}),
                 Refusal::kRenewalsExhausted, "emergency.max_renewals");
}

TEST(Legality, BadCouncil) {
  Sim sim(v01(), 10);
  EXPECT_REFUSED(sim, 0, Action::propose({ProposalItem::emergency_declare({})}),
                 Refusal::kBadCouncil, "emergency.council");
  ProposalItem nine = ProposalItem::emergency_declare({1, 2, 3, 4, 5, 6, 7, 8});
  nine.council_size = kMaxCouncil + 1;
  EXPECT_REFUSED(sim, 0, Action::propose({nine}), Refusal::kBadCouncil, "emergency.council");
  EXPECT_REFUSED(sim, 0, Action::propose({ProposalItem::emergency_declare({1, 2, 1})}),
                 Refusal::kBadCouncil, "emergency.council");
  EXPECT_REFUSED(sim, 0, Action::propose({ProposalItem::emergency_declare({1, 99})}),
                 Refusal::kBadCouncil, "emergency.council");
  EXPECT_REFUSED(sim, 0, Action::propose({ProposalItem::emergency_declare({kAllCitizens})}),
                 Refusal::kBadCouncil, "emergency.council");
  EXPECT_LEGAL(sim, 0,
               Action::propose({ProposalItem::emergency_declare({1, 2, 3, 4, 5, 6, 7, 8})}));
}

TEST(Legality, EmergencySpending) {
  Sim v2(v02(), 5);
  EXPECT_REFUSED(v2, 1, Action::emergency_spend(1, U(1)), Refusal::kSpendRequiresVote,
                 "emergency.spend_requires_vote");

  Sim sim(amended(v01(), {{"spend.commons_floor", V(0.5)}}), 5);
  sim.pass_all(0, {ProposalItem::emergency_declare({1, 2})}, 1);
  ASSERT_TRUE(sim.w().emergency.active);
  ASSERT_TRUE(sim.w().citizens[1].council);
  EXPECT_REFUSED(sim, 3, Action::emergency_spend(3, U(1)), Refusal::kNotCouncil,
                 "emergency.council");
  EXPECT_REFUSED(sim, 1, Action::emergency_spend(99, U(1)), Refusal::kUnknownTarget,
                 "proposals.well_formed");
  EXPECT_REFUSED(sim, 1, Action::emergency_spend(kAllCitizens, U(1)), Refusal::kUnknownTarget,
                 "proposals.well_formed");
  EXPECT_REFUSED(sim, 1, Action::emergency_spend(1, 0), Refusal::kBadAmount,
                 "proposals.well_formed");
  EXPECT_REFUSED(sim, 1, Action::emergency_spend(1, U(500) + 1), Refusal::kBreachesCommonsFloor,
                 "spend.commons_floor");
  EXPECT_REFUSED(sim, 1, Action::emergency_spend(1, U(2000)), Refusal::kInsufficientFunds,
                 "funds.sufficient");
  EXPECT_LEGAL(sim, 1, Action::emergency_spend(1, U(500)));
  sim.step_one(2, Action::emergency_spend(3, U(100)));
  EXPECT_EQ(sim.w().treasury, U(900));
  EXPECT_EQ(sim.w().citizens[3].balance, U(100));
  EXPECT_EQ(sim.w().spent_this_epoch, U(100));
}

TEST(Legality, EmergencySpendRespectsTheEpochRateCap) {
  Sim sim(amended(v01(), {{"spend.epoch_rate_cap", V(0.1)}}), 5);
  sim.pass_all(0, {ProposalItem::emergency_declare({1})}, 1);
  sim.step_one(1, Action::emergency_spend(1, U(60)));
  ASSERT_EQ(sim.w().spent_this_epoch, U(60));
  EXPECT_LEGAL(sim, 1, Action::emergency_spend(1, U(40)));
  EXPECT_REFUSED(sim, 1, Action::emergency_spend(1, U(40) + 1), Refusal::kExceedsEpochRate,
                 "spend.epoch_rate_cap");
}

// ---------------------------------------------------------------------------
// Ballots and calls

TEST(Legality, VoteOnUnknownProposal) {
  Sim sim(v01(), 3);
  EXPECT_REFUSED(sim, 1, vote(0), Refusal::kUnknownProposal, "proposals.open");
  const std::int32_t opened = sim.next_turn();
  sim.step_one(0, spend(1, U(1), 10));
  EXPECT_REFUSED(sim, 1, vote(1), Refusal::kUnknownProposal, "proposals.open");
  EXPECT_REFUSED(sim, 1, Action::vote(ProposalRef::by_origin(0, opened, 1), Choice::kYes),
                 Refusal::kUnknownProposal, "proposals.open");  // only one opened that turn
  EXPECT_REFUSED(sim, 1, Action::vote(ProposalRef::by_origin(1, opened), Choice::kYes),
                 Refusal::kUnknownProposal, "proposals.open");  // wrong proposer
  EXPECT_REFUSED(sim, 1, Action::vote(ProposalRef::by_origin(0, opened + 1), Choice::kYes),
                 Refusal::kUnknownProposal, "proposals.open");  // wrong turn
  EXPECT_LEGAL(sim, 1, Action::vote(ProposalRef::by_origin(0, opened), Choice::kYes));
}

TEST(Legality, BadChoice) {
  Sim sim(v01(), 3);
  sim.step_one(0, spend(1, U(1), 10));
  EXPECT_REFUSED(sim, 1, vote(0, Choice::kNone), Refusal::kBadChoice, "proposals.well_formed");
  EXPECT_REFUSED(sim, 1, vote(0, static_cast<Choice>(9)), Refusal::kBadChoice,
                 "proposals.well_formed");
}

TEST(Legality, AlreadyVoted) {
  Sim sim(v01(), 3);
  sim.step(
      sim.turn().add(0, spend(1, U(1), 10)).add(1, Action::pass()).add(1, vote(0, Choice::kNo)));
  ASSERT_EQ(sim.w().proposals[0].ballots[1], Choice::kNo);
  EXPECT_REFUSED(sim, 1, vote(0, Choice::kYes), Refusal::kAlreadyVoted, "voting.one_ballot");
  EXPECT_REFUSED(sim, 1, vote(0, Choice::kNo), Refusal::kAlreadyVoted, "voting.one_ballot");
  // In one turn: the second ballot of a plan is refused.
  Turn t = sim.turn();
  t.add(2, vote(0, Choice::kYes)).add(2, vote(0, Choice::kNo));
  EXPECT_REFUSED_IN_TURN(sim, t, 2, Refusal::kAlreadyVoted, "voting.one_ballot");
  EXPECT_EQ(sim.w().proposals[0].ballots[2], Choice::kYes);
}

TEST(Legality, ClosedProposal) {
  Sim sim(v01(), 3);
  const auto id = sim.pass_all(0, {ProposalItem::spend(1, U(1))}, 1);
  ASSERT_EQ(sim.w().proposals[id].status, ProposalStatus::kPassed);
  EXPECT_REFUSED(sim, 2, vote(id), Refusal::kProposalClosed, "proposals.open");
  EXPECT_REFUSED(sim, 0, Action::call_question(ProposalRef::by_id(id)), Refusal::kProposalClosed,
                 "proposals.open");
  sim.step_one(0, spend(1, U(1), 1));  // nobody votes: fails quorum, closed
  ASSERT_EQ(sim.w().proposals[1].status, ProposalStatus::kRejected);
  EXPECT_REFUSED(sim, 2, vote(1), Refusal::kProposalClosed, "proposals.open");
}

TEST(Legality, QuestionCalled) {
  EngineSettings s;
  s.plan_length = 4;
  Sim sim(v01(), 5, U(1000), 1, s);
  const ProposalRef ref = ProposalRef::by_origin(0, 1);
  Turn t = sim.turn();
  t.at(0, 0, spend(1, U(1), 3));
  for (AgentIndex v : {0, 1, 2}) t.at(v, 1, Action::vote(ref, Choice::kYes));
  t.at(0, 2, Action::call_question(ref));
  t.at(3, 3, Action::vote(ref, Choice::kNo));
  EXPECT_REFUSED_IN_TURN(sim, t, 3, Refusal::kQuestionCalled, "proposals.open");
  EXPECT_EQ(sim.w().proposals[0].status, ProposalStatus::kPassed);  // tallied at once
  const Event* called = last_event(sim.w(), EventKind::kQuestionCalled);
  ASSERT_NE(called, nullptr);
  EXPECT_EQ(called->proposal, 0);
  // The rejection names the proposal it addressed.
  const Event* rej = last_event(sim.w(), EventKind::kActionRejected);
  ASSERT_NE(rej, nullptr);
  EXPECT_EQ(rej->proposal, 0);
}

TEST(Legality, EarlyCloseDisabled) {
  Sim sim(v02(), 5);
  const ProposalRef ref = ProposalRef::by_origin(0, 1);
  Turn t = sim.turn();
  t.at(0, 0, spend(1, U(1), 3));
  for (AgentIndex v : {0, 1, 2, 3, 4}) t.at(v, 1, Action::vote(ref, Choice::kYes));
  sim.step(t);
  EXPECT_REFUSED(sim, 0, Action::call_question(ref), Refusal::kEarlyCloseDisabled,
                 "voting.early_close");
  EXPECT_EQ(sim.w().proposals[0].status, ProposalStatus::kOpen);
}

TEST(Legality, NotProposerAndQuorumNotMetOnCall) {
  Sim sim(v01(), 5);  // quorum 0.5 of 5: 3 ballots
  Turn t = sim.turn();
  t.at(0, 0, spend(1, U(1), 10));
  for (AgentIndex v : {0, 1}) t.at(v, 1, vote(0));
  sim.step(t);
  EXPECT_REFUSED(sim, 0, Action::call_question(ProposalRef::by_id(0)), Refusal::kQuorumNotMet,
                 "voting.quorum");
  sim.step_one(2, vote(0, Choice::kNo));
  EXPECT_REFUSED(sim, 1, Action::call_question(ProposalRef::by_id(0)), Refusal::kNotProposer,
                 "voting.early_close");
  EXPECT_LEGAL(sim, 0, Action::call_question(ProposalRef::by_id(0)));
}

TEST(Legality, CallCountsDelegatedWeightTowardQuorum) {
  Sim sim(v01(), 5);
  sim.step(
      sim.turn().add(1, Action::delegate(0)).add(2, Action::delegate(0)).add(0, spend(3, U(1), 3)));
  sim.step_one(0, vote(0));
  EXPECT_LEGAL(sim, 0, Action::call_question(ProposalRef::by_id(0)));  // 3 of 5 through delegation
  EXPECT_TRUE(quorum_met(sim.w().params(), count_ballots(sim.w(), sim.w().proposals[0])));
}

// ---------------------------------------------------------------------------
// Delegation

TEST(Legality, SelfDelegation) {
  Sim sim(v01(), 3);
  EXPECT_REFUSED(sim, 1, Action::delegate(1), Refusal::kSelfDelegation, "delegation.basic");
}

TEST(Legality, DelegationCycle) {
  Sim sim(v01(), 5);
  sim.step(sim.turn().add(0, Action::delegate(1)).add(1, Action::delegate(2)));
  ASSERT_EQ(sim.w().citizens[0].delegate, 1);
  ASSERT_EQ(sim.w().citizens[1].delegate, 2);
  EXPECT_REFUSED(sim, 2, Action::delegate(0), Refusal::kDelegationCycle, "delegation.basic");
  EXPECT_REFUSED(sim, 2, Action::delegate(1), Refusal::kDelegationCycle, "delegation.basic");
  EXPECT_LEGAL(sim, 2, Action::delegate(3));
  EXPECT_LEGAL(sim, 3, Action::delegate(0));  // into the chain, not around it
}

TEST(Legality, WeightCap) {
  Sim sim(v02(), 20);  // ceil(0.05 * 20) = 1 direct delegator
  sim.step_one(1, Action::delegate(0));
  ASSERT_EQ(sim.w().citizens[0].delegators, 1);
  EXPECT_REFUSED(sim, 2, Action::delegate(0), Refusal::kWeightCapReached,
                 "delegation.max_weight_frac");
  EXPECT_LEGAL(sim, 1, Action::delegate(0));  // the existing delegation is not counted twice
  sim.step_one(1, Action::revoke_delegation());
  EXPECT_LEGAL(sim, 2, Action::delegate(0));

  Sim bigger(v02(), 21);  // ceil(1.05) = 2
  bigger.step_one(1, Action::delegate(0));
  EXPECT_LEGAL(bigger, 2, Action::delegate(0));
  bigger.step_one(2, Action::delegate(0));
  EXPECT_REFUSED(bigger, 3, Action::delegate(0), Refusal::kWeightCapReached,
                 "delegation.max_weight_frac");
}

TEST(Legality, MaxDepthZeroDisablesDelegation) {
  Sim sim(amended(v01(), {{"delegation.max_depth", V(0)}}), 3);
  EXPECT_REFUSED(sim, 1, Action::delegate(0), Refusal::kDelegationDisabled, "delegation.max_depth");
}

TEST(Legality, NoDelegationToRevoke) {
  Sim sim(v01(), 3);
  EXPECT_REFUSED(sim, 1, Action::revoke_delegation(), Refusal::kNoDelegation, "delegation.basic");
  sim.step_one(1, Action::delegate(0));
  sim.step_one(1, Action::revoke_delegation());
  EXPECT_EQ(sim.w().citizens[1].delegate, kNoAgent);
  EXPECT_EQ(sim.w().citizens[0].delegators, 0);
  EXPECT_REFUSED(sim, 1, Action::revoke_delegation(), Refusal::kNoDelegation, "delegation.basic");
}

// ---------------------------------------------------------------------------
// Transfers

TEST(Legality, Transfers) {
  EngineSettings s;
  s.initial_balance = U(10);
  Sim sim(v01(), 4, U(1000), 1, s);
  EXPECT_REFUSED(sim, 1, Action::transfer(1, U(1)), Refusal::kSelfTransfer, "transfers.private");
  EXPECT_REFUSED(sim, 1, Action::transfer(2, 0), Refusal::kBadAmount, "transfers.private");
  EXPECT_REFUSED(sim, 1, Action::transfer(2, -1), Refusal::kBadAmount, "transfers.private");
  EXPECT_REFUSED(sim, 1, Action::transfer(2, U(10) + 1), Refusal::kInsufficientFunds,
                 "funds.sufficient");
  EXPECT_LEGAL(sim, 1, Action::transfer(2, U(10)));
  sim.step_one(3, Action::exit());
  EXPECT_REFUSED(sim, 1, Action::transfer(3, U(1)), Refusal::kUnknownTarget, "transfers.private");
}

// ---------------------------------------------------------------------------
// The engine setting

TEST(Legality, PlanTooLong) {
  EngineSettings s;
  s.plan_length = 1;
  s.initial_balance = U(10);
  Sim sim(v01(), 3, U(1000), 1, s);
  Turn t = sim.turn();
  t.add(0, Action::pass()).add(0, Action::transfer(1, U(1)));
  EXPECT_REFUSED_IN_TURN(sim, t, 0, Refusal::kPlanTooLong, "none");
  EXPECT_EQ(sim.w().citizens[1].balance, U(10));

  EngineSettings eight;
  eight.plan_length = kMaxPlanLength;
  eight.initial_balance = U(10);
  Sim full(v01(), 3, U(1000), 1, eight);
  Turn nine = full.turn();
  for (int i = 0; i < kMaxPlanLength + 1; ++i) nine.add(0, Action::transfer(1, U(1)));
  EXPECT_REFUSED_IN_TURN(full, nine, 0, Refusal::kPlanTooLong, "none");
  EXPECT_EQ(full.w().citizens[1].balance, U(10 + kMaxPlanLength));
}

// ---------------------------------------------------------------------------
// Execution re-checks what opening checked

TEST(Legality, ExecutionRechecksFunds) {
  Sim sim(v01(), 3);
  Turn t = sim.turn();
  t.at(0, 0, spend(1, U(1000), 2));
  for (AgentIndex v : {0, 1}) t.at(v, 1, vote(0));
  sim.step(t);
  sim.step_one(2, Action::exit());  // takes 333.333 of the 1000
  ASSERT_EQ(sim.w().treasury, U(1000) - U(1000) / 3);
  const Proposal& p = sim.w().proposals[0];
  EXPECT_EQ(p.status, ProposalStatus::kFailedExecution);
  const Event* rej = last_event(sim.w(), EventKind::kActionRejected);
  ASSERT_NE(rej, nullptr);
  EXPECT_EQ(rej->action, ActionKind::kExecuteProposal);
  EXPECT_EQ(rej->refusal, Refusal::kInsufficientFunds);
  EXPECT_EQ(clause_name(rej->clause), "funds.sufficient");
  EXPECT_EQ(rej->proposal, 0);
  EXPECT_EQ(rej->actor, 0);
  EXPECT_EQ(sim.w().citizens[1].balance, 0);
  EXPECT_EQ(count_events(sim.w(), EventKind::kSpendExecuted), 0u);
}

TEST(Legality, ExecutionRechecksStandingOfTheRecipient) {
  Sim sim(v01(), 4);
  Turn t = sim.turn();
  t.at(0, 0, spend(3, U(100), 2));
  for (AgentIndex v : {0, 1, 2}) t.at(v, 1, vote(0));
  sim.step(t);
  sim.step_one(3, Action::exit());
  EXPECT_EQ(sim.w().proposals[0].status, ProposalStatus::kFailedExecution);
  const Event* rej = last_event(sim.w(), EventKind::kActionRejected);
  ASSERT_NE(rej, nullptr);
  EXPECT_EQ(rej->refusal, Refusal::kTargetNotOnRoll);
  EXPECT_EQ(clause_name(rej->clause), "proposals.well_formed");
}

TEST(Legality, RulingsNameAnArticle) {
  const Kernel k = v02();
  // Every clause but a later revision's parameter left at its default
  // (docs/kernel-format.md, "Articles").
  for (ClauseId c = 0; c < kClauseCount; ++c) {
    const bool later_default = c < kParamCount && param_info(static_cast<ParamId>(c)).since > 1 &&
                               get_param(k.params(), static_cast<ParamId>(c)) ==
                                   param_info(static_cast<ParamId>(c)).default_value;
    EXPECT_EQ(k.article_for(c).empty(), later_default) << clause_name(c);
  }
  Sim sim(v02(), 5);
  const Ruling r = sim.env.check(0, spend(1, U(201), 3));
  const std::string text = describe(r, sim.w().kernel);
  EXPECT_NE(text.find("spend.per_proposal_cap"), std::string::npos) << text;
  EXPECT_NE(text.find(std::string(k.article_for(r.clause))), std::string::npos) << text;
  EXPECT_EQ(describe(Ruling::ok(), k), "legal");
}

}  // namespace
}  // namespace fable

namespace fable::testing {
namespace {

Action amend_to(ParamId p, double v) {
  return Action::propose({ProposalItem::amendment(p, ParamValue::of(v))});
}

// voting.threshold_ceiling (kernel v0.3, EXP-007): no amendment may raise the
// quorum or a voting threshold above the ceiling; other parameters, and
// values up to the ceiling, are untouched; without a ceiling (v0.2) the
// lock that EXP-007 records is legal.
TEST(Legality, TheThresholdCeilingRefusesRaisingABarAboveIt) {
  Sim v03(load_test_kernel("kernels/kernel-v0.3.yaml"), 10);
  for (const ParamId bar :
       {ParamId::kThresholdAmendment, ParamId::kThresholdSpend, ParamId::kVotingQuorum,
        ParamId::kThresholdEmergency, ParamId::kEmergencyRenewalThreshold}) {
    EXPECT_REFUSED(v03, 0, amend_to(bar, 0.9), Refusal::kAboveThresholdCeiling,
                   "voting.threshold_ceiling");
    EXPECT_REFUSED(v03, 0, amend_to(bar, 0.71), Refusal::kAboveThresholdCeiling,
                   "voting.threshold_ceiling");
    EXPECT_LEGAL(v03, 0, amend_to(bar, 0.7));
  }
  EXPECT_LEGAL(v03, 0, amend_to(ParamId::kSpendCommonsFloor, 0.9));  // not a bar
  Sim v02s(v02(), 10);
  EXPECT_LEGAL(v02s, 0, amend_to(ParamId::kThresholdAmendment, 0.9));
}

}  // namespace
}  // namespace fable::testing
