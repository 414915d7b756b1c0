// The turn engine (docs/turn-engine.md): agent order, rounds, windows, epoch
// boundaries, emergencies, amendment delay, leaving the roll, offices, money
// and the fields each event carries.
#include "fable/engine.h"

#include <gtest/gtest.h>

#include <numeric>
#include <set>
#include <vector>

#include "fable/random.h"
#include "support/engine_test_support.h"

namespace fable {
namespace {

using namespace fable::testing;  // NOLINT(google-build-using-namespace)

// The order in which agents acted this turn, observed through one refused
// action each (revoking a delegation nobody has), in log order.
std::vector<AgentIndex> observed_order(Sim& sim) {
  Turn t = sim.turn();
  for (std::size_t i = 0; i < sim.n(); ++i)
    t.add(static_cast<AgentIndex>(i), Action::revoke_delegation());
  const std::size_t before = sim.w().log.size();
  sim.step(t);
  std::vector<AgentIndex> order;
  for (std::size_t i = before; i < sim.w().log.size(); ++i) {
    if (sim.w().log[i].kind == EventKind::kActionRejected) order.push_back(sim.w().log[i].actor);
  }
  return order;
}

std::vector<std::vector<AgentIndex>> orders(std::uint64_t seed, int citizens, int turns) {
  Sim sim(v01(), citizens, U(1000), seed);
  std::vector<std::vector<AgentIndex>> out;
  for (int i = 0; i < turns; ++i) out.push_back(observed_order(sim));
  return out;
}

TEST(Engine, AgentOrderIsTheSeededShuffle) {
  const auto got = orders(42, 12, 5);
  Rng rng(derive_seed(42, "engine/order"));
  for (const auto& turn : got) {
    std::vector<AgentIndex> expected(12);
    std::iota(expected.begin(), expected.end(), 0);
    rng.shuffle(std::span<AgentIndex>(expected));
    EXPECT_EQ(turn, expected);
  }
}

TEST(Engine, AgentOrderDiffersBetweenTurnsAndSeedsButReproduces) {
  const auto a = orders(7, 12, 6);
  const auto b = orders(7, 12, 6);
  const auto c = orders(8, 12, 6);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  std::set<std::vector<AgentIndex>> distinct(a.begin(), a.end());
  EXPECT_GE(distinct.size(), 5u);
  for (const auto& turn : a) {
    std::vector<AgentIndex> sorted = turn;
    std::sort(sorted.begin(), sorted.end());
    std::vector<AgentIndex> all(12);
    std::iota(all.begin(), all.end(), 0);
    EXPECT_EQ(sorted, all);  // every agent, once
  }
}

TEST(Engine, OrderIsDrawnEveryTurnWhateverHappens) {
  // Turns where nobody acts still consume the order stream.
  Sim quiet(v01(), 6, U(1000), 3);
  quiet.idle(2);
  const auto third = observed_order(quiet);
  Sim busy(v01(), 6, U(1000), 3);
  observed_order(busy);
  busy.step_one(0, Action::propose({ProposalItem::spend(1, U(5))}));
  EXPECT_EQ(observed_order(busy), third);
}

TEST(Engine, DigestsReproduceAndResetRestarts) {
  EngineSettings s;
  s.initial_balance = U(5);
  Sim a(v01(), 5, U(1000), 9, s);
  Sim b(v01(), 5, U(1000), 9, s);
  for (Sim* sim : {&a, &b}) {
    sim->pass_all(0, {ProposalItem::spend(kAllCitizens, U(50))}, 1);
    sim->step_one(2, Action::transfer(3, U(1)));
  }
  EXPECT_EQ(a.env.digests(), b.env.digests());
  EXPECT_EQ(a.env.digests().size(), static_cast<std::size_t>(a.w().turn) + 1);
  const std::uint64_t first = a.env.digests().front();
  a.env.reset();
  EXPECT_EQ(a.w().turn, 0);
  EXPECT_EQ(a.w().treasury, U(1000));
  EXPECT_TRUE(a.w().log.empty());
  ASSERT_EQ(a.env.digests().size(), 1u);
  EXPECT_EQ(a.env.digests().front(), first);
  EXPECT_EQ(state_digest(a.w()), first);
  // The order stream restarts too.
  Sim c(v01(), 5, U(1000), 9, s);
  EXPECT_EQ(observed_order(a), observed_order(c));
}

// ---------------------------------------------------------------------------
// Rounds and windows

TEST(Engine, RoundsLetATeamOpenVoteAndCallInOneTurn) {
  Sim sim(v01(), 5);
  const ProposalRef ref = ProposalRef::by_origin(2, 1);
  Turn t = sim.turn();
  t.at(2, 0, Action::propose({ProposalItem::spend(2, U(100))}, 2));
  for (AgentIndex v : {1, 2, 3}) t.at(v, 1, Action::vote(ref, Choice::kYes));
  t.at(2, 2, Action::call_question(ref));
  sim.step(t);
  const Proposal& p = sim.w().proposals[0];
  EXPECT_EQ(p.proposer, 2);
  EXPECT_EQ(p.status, ProposalStatus::kPassed);
  EXPECT_EQ(p.yes, 3);
  EXPECT_EQ(sim.w().citizens[2].balance, U(100));
  EXPECT_EQ(count_events(sim.w(), EventKind::kVoteCast, 1), 3u);
  EXPECT_EQ(count_events(sim.w(), EventKind::kQuestionCalled, 1), 1u);
  EXPECT_EQ(count_events(sim.w(), EventKind::kActionRejected), 0u);
}

TEST(Engine, ReferenceByOrdinalAddressesTheNthProposalOfATurn) {
  Sim sim(v01(), 4);
  Turn t = sim.turn();
  t.add(1, Action::propose({ProposalItem::spend(1, U(1))}, 5));
  t.add(1, Action::propose({ProposalItem::spend(2, U(2))}, 5));
  t.at(0, 2, Action::vote(ProposalRef::by_origin(1, 1, 1), Choice::kNo));
  sim.step(t);
  ASSERT_EQ(sim.w().proposals.size(), 2u);
  EXPECT_EQ(sim.w().proposals[1].ordinal, 1);
  EXPECT_EQ(sim.w().proposals[1].ballots[0], Choice::kNo);
  EXPECT_EQ(sim.w().proposals[0].ballots[0], Choice::kNone);
}

TEST(Engine, WindowIsTalliedAtTheEndOfItsLastTurn) {
  for (int w : {1, 2, 3, 5}) {
    Sim sim(v01(), 3);
    sim.idle(2);  // open at turn t = 3
    const std::int32_t t = sim.next_turn();
    sim.step_one(0, Action::propose({ProposalItem::spend(1, U(1))}, w));
    EXPECT_EQ(sim.w().proposals[0].last_turn, t + w - 1);
    while (sim.w().turn < t + w - 1) {
      EXPECT_EQ(sim.w().proposals[0].status, ProposalStatus::kOpen) << "w=" << w;
      sim.step();
    }
    EXPECT_EQ(sim.w().turn, t + w - 1);
    EXPECT_NE(sim.w().proposals[0].status, ProposalStatus::kOpen) << "w=" << w;
    const Event* e = last_event(sim.w(), EventKind::kProposalClosed);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->turn, t + w - 1);
  }
}

TEST(Engine, BallotsAreAcceptedOnTheLastTurn) {
  Sim sim(v01(), 3);
  sim.step_one(0, Action::propose({ProposalItem::spend(1, U(1))}, 3));  // turns 1..3
  sim.step();
  sim.step(sim.turn()
               .add(0, Action::vote(ProposalRef::by_id(0), Choice::kYes))
               .add(1, Action::vote(ProposalRef::by_id(0), Choice::kYes)));
  EXPECT_EQ(sim.w().proposals[0].status, ProposalStatus::kPassed);
  EXPECT_EQ(sim.w().proposals[0].yes, 2);
}

TEST(Engine, DefaultWindowComesFromTheKernel) {
  Sim one(v01(), 3);
  one.step_one(0, Action::propose({ProposalItem::spend(1, U(1))}));
  EXPECT_EQ(one.w().proposals[0].last_turn, 1 + 2 - 1);
  Sim two(v02(), 3);
  two.step_one(0, Action::propose({ProposalItem::spend(1, U(1))}));
  EXPECT_EQ(two.w().proposals[0].last_turn, 1 + 3 - 1);
}

// ---------------------------------------------------------------------------
// Epochs

// The largest income a kernel may name, every turn, with the largest treasury:
// income stops at kMaxWorldMoney, so no amount overflows and funds are conserved.
TEST(Engine, IncomeStopsAtTheWorldMoneyCeiling) {
  const Kernel k =
      amended(mixed(), {{"epoch.turns", V(1)}, {"treasury.income_per_epoch", V(kMaxMoneyUnits)}});
  Sim sim(k, 5, kMaxMoney);
  ASSERT_EQ(sim.w().params().treasury_income_per_epoch, kMaxMoney);
  const int turns_to_ceiling = static_cast<int>(kMaxWorldMoney / kMaxMoney) + 2;
  for (int t = 0; t < turns_to_ceiling + 3; ++t) sim.step();
  EXPECT_EQ(sim.w().initial_treasury + sim.w().income_total, kMaxWorldMoney);
  EXPECT_EQ(sim.w().money_in_system(), kMaxWorldMoney);
  EXPECT_LE(sim.w().treasury, kMaxWorldMoney);
}

TEST(Engine, EpochBoundaryPaysIncomeAndResetsTheLedger) {
  Sim sim(mixed(), 5);
  ASSERT_EQ(sim.w().params().treasury_income_per_epoch, U(25));
  ASSERT_EQ(sim.w().params().epoch_turns, 10);
  sim.pass_all(0, {ProposalItem::spend(1, U(100))}, 1);
  ASSERT_EQ(sim.w().spent_this_epoch, U(100));
  ASSERT_EQ(sim.w().treasury, U(900));
  while (sim.w().turn < 9) sim.step();
  EXPECT_EQ(sim.w().epoch, 0);
  EXPECT_EQ(sim.w().income_total, 0);
  EXPECT_EQ(sim.w().epoch_start_treasury, U(1000));
  sim.step();  // turn 10
  EXPECT_EQ(sim.w().epoch, 1);
  EXPECT_EQ(sim.w().treasury, U(925));
  EXPECT_EQ(sim.w().income_total, U(25));
  EXPECT_EQ(sim.w().epoch_start_treasury, U(925));
  EXPECT_EQ(sim.w().spent_this_epoch, 0);
  EXPECT_EQ(sim.w().money_in_system(), U(1000) + U(25));
  while (sim.w().turn < 20) sim.step();
  EXPECT_EQ(sim.w().epoch, 2);
  EXPECT_EQ(sim.w().treasury, U(950));
  EXPECT_EQ(sim.w().income_total, U(50));
}

TEST(Engine, EpochRateCapResetsAtTheBoundary) {
  Sim sim(amended(v01(), {{"spend.epoch_rate_cap", V(0.1)}}), 5);
  sim.pass_all(0, {ProposalItem::spend(1, U(100))}, 1);
  ASSERT_EQ(sim.w().treasury, U(900));
  EXPECT_EQ(sim.env.check(0, Action::propose({ProposalItem::spend(1, 1)})).refusal,
            Refusal::kExceedsEpochRate);
  while (sim.w().turn < 10) sim.step();
  EXPECT_EQ(sim.w().epoch_start_treasury, U(900));
  EXPECT_TRUE(sim.env.check(0, Action::propose({ProposalItem::spend(1, U(90))})).legal());
  EXPECT_EQ(sim.env.check(0, Action::propose({ProposalItem::spend(1, U(90) + 1)})).refusal,
            Refusal::kExceedsEpochRate);
}

TEST(Engine, DelegationsExpireAtTheEpochOnlyWhereTheKernelSaysSo) {
  for (const bool expiry : {true, false}) {
    Sim sim(expiry ? v02() : v01(), 20);
    sim.step(sim.turn().add(1, Action::delegate(0)).add(2, Action::delegate(3)));
    while (sim.w().turn < 9) sim.step();
    ASSERT_EQ(sim.w().citizens[1].delegate, 0);
    sim.step();  // turn 10
    if (expiry) {
      EXPECT_EQ(sim.w().citizens[1].delegate, kNoAgent);
      EXPECT_EQ(sim.w().citizens[2].delegate, kNoAgent);
      EXPECT_EQ(sim.w().citizens[0].delegators, 0);
      EXPECT_EQ(sim.w().citizens[3].delegators, 0);
      EXPECT_EQ(count_events(sim.w(), EventKind::kDelegationRevoked, 10), 2u);
      const Event* e = last_event(sim.w(), EventKind::kDelegationRevoked);
      ASSERT_NE(e, nullptr);
      EXPECT_EQ(e->cause, EndCause::kEpochExpiry);
      EXPECT_EQ(e->turn, 10);
      EXPECT_EQ(e->actor, 2);
      EXPECT_EQ(e->target, 3);
    } else {
      EXPECT_EQ(sim.w().citizens[1].delegate, 0);
      EXPECT_EQ(sim.w().citizens[0].delegators, 1);
      EXPECT_EQ(count_events(sim.w(), EventKind::kDelegationRevoked), 0u);
    }
  }
}

// ---------------------------------------------------------------------------
// Emergencies

// v0.2, five citizens: everyone votes yes on a declaration of {1, 2} opened
// at turn 1 (window 2): declared at the end of turn 2.
Sim declared_v02() {
  Sim sim(v02(), 5);
  const auto id = sim.pass_all(0, {ProposalItem::emergency_declare({1, 2})}, 2);
  EXPECT_EQ(sim.w().proposals[id].status, ProposalStatus::kPassed);
  EXPECT_EQ(sim.w().turn, 2);
  EXPECT_TRUE(sim.w().emergency.active);
  return sim;
}

TEST(Engine, EmergencyDeclareTickAndSunset) {
  Sim sim = declared_v02();
  const WorldState& w = sim.w();
  EXPECT_EQ(w.emergency.declared_turn, 2);
  EXPECT_EQ(w.emergency.elapsed, 0);  // no tick on the turn of declaration
  EXPECT_EQ(w.emergency.council, (std::vector<AgentIndex>{1, 2}));
  EXPECT_TRUE(w.citizens[1].council);
  EXPECT_TRUE(w.citizens[2].council);
  const Event* d = last_event(w, EventKind::kEmergencyDeclared);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->actor, 0);
  EXPECT_EQ(d->target, 1);
  EXPECT_EQ(d->amount, 2);
  EXPECT_EQ(d->proposal, 0);
  for (int turn = 3; turn <= 7; ++turn) {
    sim.step();
    EXPECT_TRUE(w.emergency.active) << "turn " << turn;
    EXPECT_EQ(w.emergency.elapsed, turn - 2);
  }
  sim.step();  // turn 8: the sixth tick ends it
  EXPECT_FALSE(w.emergency.active);
  EXPECT_TRUE(w.emergency.council.empty());
  EXPECT_FALSE(w.citizens[1].council);
  EXPECT_FALSE(w.citizens[2].council);
  const Event* e = last_event(w, EventKind::kEmergencyEnded);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->turn, 8);
  EXPECT_EQ(e->amount, 6);
  EXPECT_EQ(e->cause, EndCause::kSunset);
  EXPECT_EQ(e->actor, kNoAgent);
  // A new emergency may be declared once the old one is over.
  EXPECT_TRUE(sim.env.check(0, Action::propose({ProposalItem::emergency_declare({3})}, 2)).legal());
}

TEST(Engine, EmergencyRenewalRestartsTheClockOnceOnV02) {
  Sim sim = declared_v02();
  // Renewal opened at turn 3 (window 2), tallied at the end of turn 4 after the tick.
  const auto r = sim.pass_all(0, {ProposalItem::emergency_renew()}, 2);
  ASSERT_EQ(sim.w().proposals[r].status, ProposalStatus::kPassed);
  EXPECT_EQ(sim.w().turn, 4);
  EXPECT_EQ(sim.w().emergency.renewals, 1);
  EXPECT_EQ(sim.w().emergency.elapsed, 0);
  const Event* e = last_event(sim.w(), EventKind::kEmergencyRenewed);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->amount, 1);
  EXPECT_EQ(e->proposal, r);
  EXPECT_EQ(e->actor, 0);
  // max_renewals is 1: no second renewal.
  const Ruling again = sim.env.check(0, Action::propose({ProposalItem::emergency_renew()}, 2));
  EXPECT_EQ(again.refusal, Refusal::kRenewalsExhausted);
  while (sim.w().emergency.active && sim.w().turn < 30) sim.step();
  EXPECT_EQ(sim.w().turn, 10);  // six ticks after the renewal at turn 4
}

TEST(Engine, EmergencyRenewalNeedsTheRenewalThreshold) {
  Sim sim = declared_v02();
  // 3 of 5 on the roll: 0.6 < 0.75.
  const auto r = sim.pass(0, {ProposalItem::emergency_renew()}, 2, {0, 1, 2});
  EXPECT_EQ(sim.w().proposals[r].status, ProposalStatus::kRejected);
  EXPECT_EQ(sim.w().emergency.renewals, 0);
  // 4 of 5 (0.8) renews.
  const auto r2 = sim.pass(0, {ProposalItem::emergency_renew()}, 2, {0, 1, 2, 3});
  EXPECT_EQ(sim.w().proposals[r2].status, ProposalStatus::kPassed);
  EXPECT_EQ(sim.w().emergency.renewals, 1);
}

TEST(Engine, NoSunsetWithoutAMaximumDuration) {
  Sim sim(v01(), 5);
  sim.pass_all(0, {ProposalItem::emergency_declare({1})}, 1);
  sim.idle(40);
  EXPECT_TRUE(sim.w().emergency.active);
  EXPECT_EQ(sim.w().emergency.elapsed, 40);
  EXPECT_EQ(count_events(sim.w(), EventKind::kEmergencyEnded), 0u);
}

TEST(Engine, SuspendedReviewTalliesProposalsTheTurnTheyOpen) {
  Sim sim(v01(), 5);
  sim.pass_all(0, {ProposalItem::emergency_declare({1, 2})}, 1);
  ASSERT_TRUE(sim.w().emergency.active);
  const std::int32_t t = sim.next_turn();
  const ProposalRef ref = ProposalRef::by_origin(1, t);
  Turn turn = sim.turn();
  turn.at(1, 0, Action::propose({ProposalItem::spend(1, U(300))}, 5));
  for (AgentIndex v : {1, 2, 3}) turn.at(v, 1, Action::vote(ref, Choice::kYes));
  sim.step(turn);
  const Proposal& p = sim.w().proposals[1];
  EXPECT_EQ(p.last_turn, t);  // not t + 4
  EXPECT_EQ(p.status, ProposalStatus::kPassed);
  EXPECT_EQ(sim.w().citizens[1].balance, U(300));
  // Council spending needs no ballots at all on v0.1.
  sim.step_one(2, Action::emergency_spend(2, U(50)));
  EXPECT_EQ(sim.w().citizens[2].balance, U(50));
  const Event* e = last_event(sim.w(), EventKind::kEmergencySpend);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->actor, 2);
  EXPECT_EQ(e->target, 2);
  EXPECT_EQ(e->amount, U(50));
}

TEST(Engine, ReviewIsNotSuspendedOnV02) {
  Sim sim = declared_v02();
  const std::int32_t t = sim.next_turn();
  sim.step_one(0, Action::propose({ProposalItem::spend(1, U(10))}, 4));
  EXPECT_EQ(sim.w().proposals[1].last_turn, t + 3);
  EXPECT_EQ(sim.w().proposals[1].status, ProposalStatus::kOpen);
}

// ---------------------------------------------------------------------------
// Amendments

TEST(Engine, AmendmentTakesEffectAfterItsDelayOnV02) {
  const Kernel original = v02();
  const std::uint64_t original_hash = original.content_hash();
  Sim sim(original, 5);
  // Weakening: quorum 0.5 -> 0.4 is a major bump. Opened turn 1, window 2: ratified end of turn 2.
  const auto id = sim.pass_all(3, {ProposalItem::amendment(ParamId::kVotingQuorum, V(0.4))}, 2);
  ASSERT_EQ(sim.w().proposals[id].status, ProposalStatus::kPassed);
  ASSERT_EQ(sim.w().turn, 2);
  const Event* r = last_event(sim.w(), EventKind::kAmendmentRatified);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->turn, 2);
  EXPECT_EQ(r->actor, 3);
  EXPECT_EQ(r->proposal, id);
  EXPECT_EQ(r->param, ParamId::kVotingQuorum);
  EXPECT_EQ(r->before, V(0.5));
  EXPECT_EQ(r->after, V(0.4));
  EXPECT_EQ(r->bump, Bump::kMajor);
  EXPECT_EQ(count_events(sim.w(), EventKind::kAmendmentInForce), 0u);
  EXPECT_EQ(sim.w().params().quorum, 0.5);
  ASSERT_EQ(sim.w().pending_amendments.size(), 1u);
  EXPECT_EQ(sim.w().pending_amendments[0].effective_turn, 4);
  EXPECT_EQ(sim.w().kernel.version().to_string(), "0.2.0");

  sim.step();  // turn 3
  EXPECT_EQ(sim.w().params().quorum, 0.5);
  sim.step();  // turn 4
  EXPECT_EQ(sim.w().params().quorum, 0.4);
  EXPECT_TRUE(sim.w().pending_amendments.empty());
  const Event* f = last_event(sim.w(), EventKind::kAmendmentInForce);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->turn, 4);
  EXPECT_EQ(f->actor, 3);
  EXPECT_EQ(f->proposal, id);
  EXPECT_EQ(f->param, ParamId::kVotingQuorum);
  EXPECT_EQ(f->before, V(0.5));
  EXPECT_EQ(f->after, V(0.4));
  EXPECT_EQ(sim.w().kernel.version().to_string(), "1.0.0");
  EXPECT_NE(sim.w().kernel.content_hash(), original_hash);

  // The old kernel is untouched, and reset goes back to it.
  EXPECT_EQ(original.content_hash(), original_hash);
  EXPECT_EQ(original.params().quorum, 0.5);
  EXPECT_EQ(original.version().to_string(), "0.2.0");
  sim.env.reset();
  EXPECT_EQ(sim.w().kernel.content_hash(), original_hash);
  EXPECT_EQ(sim.w().params().quorum, 0.5);
}

TEST(Engine, TighteningAmendmentIsAMinorBumpInForceAtOnceOnV01) {
  Sim sim(v01(), 3);
  const auto id =
      sim.pass_all(0, {ProposalItem::amendment(ParamId::kSpendCommonsFloor, V(0.5))}, 1);
  ASSERT_EQ(sim.w().proposals[id].status, ProposalStatus::kPassed);
  EXPECT_EQ(sim.w().params().spend_commons_floor, 0.5);
  EXPECT_EQ(sim.w().kernel.version().to_string(), "0.2.0");
  const Event* r = last_event(sim.w(), EventKind::kAmendmentRatified);
  const Event* f = last_event(sim.w(), EventKind::kAmendmentInForce);
  ASSERT_NE(r, nullptr);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(r->bump, Bump::kMinor);
  EXPECT_TRUE(r->before.is_null);
  EXPECT_EQ(f->turn, r->turn);
  EXPECT_LT(r, f);  // ratified, then in force
  // It binds at once: the next proposal meets the floor.
  EXPECT_EQ(sim.env.check(0, Action::propose({ProposalItem::spend(1, U(501))})).refusal,
            Refusal::kBreachesCommonsFloor);
}

TEST(Engine, QueuedAmendmentsComeIntoForceInRatificationOrder) {
  // Mixed kernel: delay 2, single subject. Two amendments of one parameter
  // ratified on consecutive turns: the later wins.
  Sim sim(mixed(), 3);
  sim.pass_all(0, {ProposalItem::amendment(ParamId::kVotingQuorum, V(0.6))}, 1);
  sim.pass_all(1, {ProposalItem::amendment(ParamId::kVotingQuorum, V(0.7))}, 1);
  ASSERT_EQ(sim.w().pending_amendments.size(), 2u);
  sim.idle(2);
  EXPECT_EQ(sim.w().params().quorum, 0.7);
  EXPECT_EQ(count_events(sim.w(), EventKind::kAmendmentInForce), 2u);
}

// ---------------------------------------------------------------------------
// Leaving the roll, offices, money

TEST(Engine, ExpulsionVacatesOfficesCouncilAndDelegation) {
  Sim sim(v01(), 6);
  sim.pass_all(0, {ProposalItem::role_grant(3, Role::kChair)}, 1);
  sim.step(sim.turn().add(3, Action::delegate(0)).add(4, Action::delegate(3)));
  sim.pass_all(0, {ProposalItem::emergency_declare({3, 1})}, 1);
  ASSERT_EQ(sim.w().office_holder[static_cast<int>(Role::kChair)], 3);
  ASSERT_EQ(sim.w().citizens[3].offices, 1);
  ASSERT_TRUE(sim.w().citizens[3].council);
  ASSERT_EQ(sim.w().citizens[0].delegators, 1);
  ASSERT_EQ(sim.w().roll_size, 6);

  const auto id = sim.pass(0, {ProposalItem::disenfranchise(3)}, 1, {0, 1, 2, 5});
  ASSERT_EQ(sim.w().proposals[id].status, ProposalStatus::kPassed);
  const WorldState& w = sim.w();
  EXPECT_FALSE(w.citizens[3].on_roll);
  EXPECT_FALSE(w.citizens[3].exited);
  EXPECT_EQ(w.roll_size, 5);
  EXPECT_EQ(w.office_holder[static_cast<int>(Role::kChair)], kNoAgent);
  EXPECT_EQ(w.citizens[3].offices, 0);
  EXPECT_FALSE(w.citizens[3].council);
  EXPECT_EQ(w.emergency.council, (std::vector<AgentIndex>{1}));
  EXPECT_TRUE(w.emergency.active);
  EXPECT_EQ(w.citizens[3].delegate, kNoAgent);
  EXPECT_EQ(w.citizens[0].delegators, 0);
  EXPECT_EQ(w.citizens[4].delegate, 3);  // delegations to it stay, and carry nothing
  const Event* x = last_event(w, EventKind::kCitizenDisenfranchised);
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->actor, 0);
  EXPECT_EQ(x->target, 3);
  EXPECT_EQ(x->proposal, id);
  const Event* r = last_event(w, EventKind::kDelegationRevoked);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->actor, 3);
  EXPECT_EQ(r->target, 0);
  EXPECT_EQ(r->cause, EndCause::kLostStanding);
  // The expelled council member can no longer spend.
  EXPECT_EQ(sim.env.check(3, Action::emergency_spend(3, U(1))).refusal, Refusal::kNotOnRoll);
}

TEST(Engine, ExitVacatesLikeExpulsion) {
  Sim sim(v01(), 4);
  sim.pass_all(0, {ProposalItem::role_grant(2, Role::kClerk)}, 1);
  sim.step_one(2, Action::delegate(1));
  sim.step_one(2, Action::exit());
  const WorldState& w = sim.w();
  EXPECT_TRUE(w.citizens[2].exited);
  EXPECT_FALSE(w.citizens[2].on_roll);
  EXPECT_EQ(w.office_holder[static_cast<int>(Role::kClerk)], kNoAgent);
  EXPECT_EQ(w.citizens[2].delegate, kNoAgent);
  EXPECT_EQ(w.citizens[1].delegators, 0);
  EXPECT_EQ(w.roll_size, 3);
}

TEST(Engine, RoleGrantMovesAnOffice) {
  Sim sim(v01(), 4);
  const auto a = sim.pass_all(0, {ProposalItem::role_grant(1, Role::kTreasurer)}, 1);
  ASSERT_EQ(sim.w().proposals[a].status, ProposalStatus::kPassed);
  EXPECT_EQ(sim.w().office_holder[static_cast<int>(Role::kTreasurer)], 1);
  EXPECT_EQ(sim.w().citizens[1].offices, 1);
  const auto b = sim.pass_all(3, {ProposalItem::role_grant(2, Role::kTreasurer)}, 1);
  ASSERT_EQ(sim.w().proposals[b].status, ProposalStatus::kPassed);
  EXPECT_EQ(sim.w().office_holder[static_cast<int>(Role::kTreasurer)], 2);
  EXPECT_EQ(sim.w().citizens[1].offices, 0);
  EXPECT_EQ(sim.w().citizens[2].offices, 1);
  const Event* e = last_event(sim.w(), EventKind::kRoleGranted);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->actor, 3);
  EXPECT_EQ(e->target, 2);
  EXPECT_EQ(e->role, Role::kTreasurer);
  EXPECT_EQ(e->proposal, b);
  // Re-granting to the holder changes nothing.
  sim.pass_all(3, {ProposalItem::role_grant(2, Role::kTreasurer)}, 1);
  EXPECT_EQ(sim.w().citizens[2].offices, 1);
}

TEST(Engine, ExitTakesAFlooredPerHeadShareAndConservesMoney) {
  EngineSettings s;
  s.initial_balance = U(3);
  Sim sim(v01(), 7, U(1000), 1, s);
  const Money initial = sim.w().money_in_system();
  ASSERT_EQ(initial, U(1000) + 7 * U(3));
  sim.step_one(6, Action::exit());
  const Money share = U(1000) / 7;  // 142857 milli-units, floored
  EXPECT_EQ(share, 142857);
  EXPECT_EQ(sim.w().treasury, U(1000) - share);
  EXPECT_EQ(sim.w().exited_total, share + U(3));
  EXPECT_EQ(sim.w().citizens[6].balance, 0);
  EXPECT_EQ(sim.w().roll_size, 6);
  EXPECT_EQ(sim.w().money_in_system(), initial);
  const Event* e = last_event(sim.w(), EventKind::kCitizenExited);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->actor, 6);
  EXPECT_EQ(e->amount, share);
  // The next share is of the smaller treasury over the smaller roll; exits
  // are not outflows under the epoch cap.
  sim.step_one(5, Action::exit());
  EXPECT_EQ(sim.w().treasury, (U(1000) - share) - (U(1000) - share) / 6);
  EXPECT_EQ(sim.w().spent_this_epoch, 0);
  EXPECT_EQ(sim.w().money_in_system(), initial);
}

TEST(Engine, SpendToAllDividesPerHeadAndTheRemainderStays) {
  Sim sim(v01(), 7);
  sim.pass(0, {ProposalItem::disenfranchise(6)}, 1, {0, 1, 2, 3});
  ASSERT_EQ(sim.w().roll_size, 6);
  const auto id = sim.pass_all(0, {ProposalItem::spend(kAllCitizens, U(100))}, 1);
  ASSERT_EQ(sim.w().proposals[id].status, ProposalStatus::kPassed);
  const Money per_head = U(100) / 6;  // 16666
  for (int i = 0; i < 6; ++i) EXPECT_EQ(sim.w().citizens[i].balance, per_head) << i;
  EXPECT_EQ(sim.w().citizens[6].balance, 0);  // off the roll: no share
  EXPECT_EQ(sim.w().treasury, U(1000) - 6 * per_head);
  EXPECT_EQ(sim.w().spent_this_epoch, 6 * per_head);
  EXPECT_EQ(sim.w().money_in_system(), U(1000));
  const Event* e = last_event(sim.w(), EventKind::kSpendExecuted);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->target, kAllCitizens);
  EXPECT_EQ(e->amount, 6 * per_head);
  EXPECT_EQ(e->proposal, id);
  EXPECT_EQ(e->actor, 0);
}

TEST(Engine, OmnibusItemsExecuteTogetherInOrder) {
  Sim sim(v01(), 5);
  const auto id =
      sim.pass_all(0,
                   {ProposalItem::spend(1, U(10)), ProposalItem::role_grant(2, Role::kAuditor),
                    ProposalItem::amendment(ParamId::kVotingQuorum, V(0.6))},
                   1);
  ASSERT_EQ(sim.w().proposals[id].status, ProposalStatus::kPassed);
  std::vector<EventKind> kinds;
  for (const Event& e : sim.w().log) {
    if (e.proposal == id && e.kind != EventKind::kVoteCast) kinds.push_back(e.kind);
  }
  EXPECT_EQ(kinds,
            (std::vector<EventKind>{EventKind::kProposalCreated, EventKind::kProposalClosed,
                                    EventKind::kSpendExecuted, EventKind::kRoleGranted,
                                    EventKind::kAmendmentRatified, EventKind::kAmendmentInForce}));
  EXPECT_EQ(sim.w().citizens[1].balance, U(10));
  EXPECT_EQ(sim.w().office_holder[static_cast<int>(Role::kAuditor)], 2);
  EXPECT_EQ(sim.w().params().quorum, 0.6);
}

TEST(Engine, TalliesAndExecutionsFollowOpeningOrder) {
  // Two spends of 600 from a 1000 treasury pass in the same turn: the first
  // opened executes, the second fails its execution check.
  Sim sim(v01(), 5);
  Turn t = sim.turn();
  t.add(3, Action::propose({ProposalItem::spend(3, U(600))}, 1));
  t.add(3, Action::propose({ProposalItem::spend(4, U(600))}, 1));
  for (AgentIndex v : {0, 1, 2}) {
    t.at(v, 1, Action::vote(ProposalRef::by_origin(3, 1, 0), Choice::kYes));
    t.at(v, 2, Action::vote(ProposalRef::by_origin(3, 1, 1), Choice::kYes));
  }
  sim.step(t);
  EXPECT_EQ(sim.w().proposals[0].status, ProposalStatus::kPassed);
  EXPECT_EQ(sim.w().proposals[1].status, ProposalStatus::kFailedExecution);
  EXPECT_EQ(sim.w().citizens[3].balance, U(600));
  EXPECT_EQ(sim.w().citizens[4].balance, 0);
  EXPECT_EQ(sim.w().treasury, U(400));
}

// ---------------------------------------------------------------------------
// Events

TEST(Engine, EventsCarryTheDocumentedFields) {
  EngineSettings s;
  s.initial_balance = U(20);
  Sim sim(v01(), 5, U(1000), 1, s);
  // proposal_created, vote_cast, question_called, action_rejected (ballot), proposal_closed.
  const ProposalRef ref = ProposalRef::by_origin(1, 1);
  Turn t = sim.turn();
  t.at(1, 0, Action::propose({ProposalItem::spend(2, U(7)), ProposalItem::spend(3, U(5))}, 4));
  for (AgentIndex v : {1, 2, 3})
    t.at(v, 1, Action::vote(ref, v == 3 ? Choice::kAbstain : Choice::kYes));
  t.at(1, 2, Action::call_question(ref));
  t.at(4, 2, Action::vote(ref, Choice::kNo));  // the question may already be called: see below
  sim.step(t);
  const WorldState& w = sim.w();
  const Event* created = last_event(w, EventKind::kProposalCreated);
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(created->turn, 1);
  EXPECT_EQ(created->actor, 1);
  EXPECT_EQ(created->proposal, 0);
  EXPECT_EQ(created->amount, U(12));
  std::size_t votes = 0;
  for (const Event& e : w.log) {
    if (e.kind != EventKind::kVoteCast) continue;
    ++votes;
    EXPECT_EQ(e.proposal, 0);
    EXPECT_EQ(e.choice,
              e.actor == 3 ? Choice::kAbstain : (e.actor == 4 ? Choice::kNo : Choice::kYes));
  }
  const Event* called = last_event(w, EventKind::kQuestionCalled);
  ASSERT_NE(called, nullptr);
  EXPECT_EQ(called->actor, 1);
  EXPECT_EQ(called->proposal, 0);
  const Event* closed = last_event(w, EventKind::kProposalClosed);
  ASSERT_NE(closed, nullptr);
  EXPECT_EQ(closed->actor, 1);
  EXPECT_EQ(closed->proposal, 0);
  EXPECT_EQ(closed->result, TallyResult::kPassed);
  EXPECT_EQ(closed->clause, kNoClause);
  EXPECT_EQ(closed->yes, 2);
  EXPECT_EQ(closed->abstain, 1);
  EXPECT_EQ(closed->eligible, 5);
  // Citizen 4 voted no in round 3: before the call (counted) or after it (refused).
  const Event* rejected = last_event(w, EventKind::kActionRejected);
  if (votes == 4) {
    EXPECT_EQ(closed->no, 1);
    EXPECT_EQ(rejected, nullptr);
  } else {
    EXPECT_EQ(votes, 3u);
    EXPECT_EQ(closed->no, 0);
    ASSERT_NE(rejected, nullptr);
    EXPECT_EQ(rejected->actor, 4);
    EXPECT_EQ(rejected->action, ActionKind::kCastVote);
    EXPECT_EQ(rejected->refusal, Refusal::kQuestionCalled);
    EXPECT_EQ(clause_name(rejected->clause), "proposals.open");
    EXPECT_EQ(rejected->proposal, 0);
  }
  std::size_t spends = 0;
  for (const Event& e : w.log) {
    if (e.kind != EventKind::kSpendExecuted) continue;
    EXPECT_EQ(e.actor, 1);
    EXPECT_EQ(e.proposal, 0);
    EXPECT_EQ(e.amount, e.target == 2 ? U(7) : U(5));
    ++spends;
  }
  EXPECT_EQ(spends, 2u);

  // A failed tally names its clause.
  sim.step_one(0, Action::propose({ProposalItem::spend(1, U(1))}, 1));
  const Event* failed = last_event(sim.w(), EventKind::kProposalClosed);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->result, TallyResult::kFailedQuorum);
  EXPECT_EQ(clause_name(failed->clause), "voting.quorum");

  // delegation_set, delegation_revoked (revoked), transfer with memo.
  sim.step(
      sim.turn().add(2, Action::delegate(4)).add(3, Action::transfer(0, U(4), "rent for may")));
  const Event* set = last_event(sim.w(), EventKind::kDelegationSet);
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->actor, 2);
  EXPECT_EQ(set->target, 4);
  const Event* tr = last_event(sim.w(), EventKind::kTransfer);
  ASSERT_NE(tr, nullptr);
  EXPECT_EQ(tr->actor, 3);
  EXPECT_EQ(tr->target, 0);
  EXPECT_EQ(tr->amount, U(4));
  EXPECT_EQ(tr->memo.view(), "rent for may");
  EXPECT_EQ(sim.w().citizens[0].balance, U(24));
  EXPECT_EQ(sim.w().citizens[3].balance, U(20) + U(5) - U(4));
  // Re-delegating revokes the old delegation first.
  sim.step_one(2, Action::delegate(0));
  const Event* rev = last_event(sim.w(), EventKind::kDelegationRevoked);
  ASSERT_NE(rev, nullptr);
  EXPECT_EQ(rev->actor, 2);
  EXPECT_EQ(rev->target, 4);
  EXPECT_EQ(rev->cause, EndCause::kRevoked);
  EXPECT_EQ(sim.w().citizens[4].delegators, 0);
  EXPECT_EQ(sim.w().citizens[0].delegators, 1);
  sim.step_one(2, Action::revoke_delegation());
  rev = last_event(sim.w(), EventKind::kDelegationRevoked);
  EXPECT_EQ(rev->target, 0);
  EXPECT_EQ(rev->cause, EndCause::kRevoked);
  EXPECT_EQ(rev->turn, sim.w().turn);
  // Every event is stamped with the turn it happened in, in order.
  for (std::size_t i = 1; i < sim.w().log.size(); ++i) {
    EXPECT_LE(sim.w().log[i - 1].turn, sim.w().log[i].turn);
  }
}

TEST(Engine, MemoIsTruncated) {
  const Memo m = Memo::of("a memo that is much longer than the inline buffer");
  EXPECT_EQ(m.view().size(), kMemoBytes);
  EXPECT_EQ(m.view(), std::string_view("a memo that is much longer").substr(0, kMemoBytes));
}

}  // namespace
}  // namespace fable
