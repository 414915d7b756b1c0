// Agents: the honest headline rule, the red team's memory and routes, capture
// rates on the shipped kernels, determinism, and scripted replay.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "fable/agent.h"
#include "fable/detector.h"
#include "fable/engine.h"
#include "fable/episode.h"
#include "fable/kernel.h"
#include "fable/metrics.h"
#include "fable/script.h"
#include "support/kernels.h"
#include "support/roles.h"

namespace fable {
namespace {

using testing::role_named;

constexpr Money U(std::int64_t units) {
  return units * kMoneyScale;
}

const Kernel& v01() {
  return testing::shipped_kernel("kernel-v0.1.yaml");
}
const Kernel& v02() {
  return testing::shipped_kernel("kernel-v0.2.yaml");
}

struct Matchup {
  const char* name;
  int honest, drainers, entrenchers, suppressors;
};
constexpr Matchup kDrain{"drain", 5, 2, 0, 0};
constexpr Matchup kEntrench{"entrench", 5, 0, 2, 0};
constexpr Matchup kSuppress{"suppress", 5, 0, 0, 2};
constexpr Matchup kMixed{"mixed-capture", 5, 1, 1, 1};

Population population(const Matchup& m) {
  return make_population(m.honest, m.drainers, m.entrenchers, m.suppressors);
}

EpisodeResult play(const Kernel& k, Population& pop, std::uint64_t seed,
                   EpisodeOptions options = {}) {
  const DetectorSuite none;  // detectors are not what is tested here
  return run_episode(k, pop, seed, options, none);
}

EpisodeResult play(const Kernel& k, const Matchup& m, std::uint64_t seed) {
  Population pop = population(m);
  return play(k, pop, seed);
}

struct Rates {
  int drain = 0, entrench = 0, suppress = 0;
};

Rates capture_rates(const Kernel& k, const Matchup& m) {
  Rates r;
  for (std::uint64_t seed = 0; seed < 8; ++seed) {
    const CaptureFlags c = play(k, m, seed).score.capture;
    r.drain += c.drain;
    r.entrench += c.entrench;
    r.suppress += c.suppress;
  }
  return r;
}

// ---------------------------------------------------------------------------
// A hand-built world: six citizens on a v0.1 roll, proposals added directly.

WorldState hand_world(const Kernel& k) {
  WorldState w(k);
  w.turn = 3;
  w.initial_treasury = w.treasury = w.epoch_start_treasury = U(1000);
  for (int i = 0; i < 6; ++i) {
    Citizen c;
    c.id = "c" + std::to_string(i);
    w.citizens.push_back(c);
  }
  w.roll_size = 6;
  return w;
}

std::int32_t add_proposal(WorldState& w, AgentIndex proposer,
                          std::initializer_list<ProposalItem> items) {
  Proposal p;
  p.id = static_cast<std::int32_t>(w.proposals.size());
  p.proposer = proposer;
  p.opened_turn = w.turn;
  p.last_turn = w.turn + 1;
  p.roll_at_open = w.roll_size;
  p.treasury_at_open = w.treasury;
  p.item_count = static_cast<std::uint8_t>(items.size());
  std::copy(items.begin(), items.end(), p.items.begin());
  p.ballots.assign(w.citizens.size(), Choice::kNone);
  w.open_proposals.push_back(p.id);
  w.proposals.push_back(p);
  return p.id;
}

std::map<std::int32_t, Choice> ballots_of(const Plan& plan) {
  std::map<std::int32_t, Choice> out;
  for (const Action& a : plan) {
    if (a.kind == ActionKind::kCastVote) out[a.proposal.id] = a.choice;
  }
  return out;
}

TEST(Honest, VotesByTheHeadlineOnly) {
  WorldState w = hand_world(v01());
  w.citizens[4].offices = 1;
  const AgentIndex me = 0;
  const auto all_small = add_proposal(w, 1, {ProposalItem::spend(kAllCitizens, U(30))});
  const auto to_one = add_proposal(w, 1, {ProposalItem::spend(1, U(30))});
  const auto to_me = add_proposal(w, 2, {ProposalItem::spend(me, U(30))});
  const auto rider =
      add_proposal(w, 1, {ProposalItem::spend(kAllCitizens, U(6)), ProposalItem::spend(1, U(900))});
  const auto hidden_headline = add_proposal(
      w, 1, {ProposalItem::spend(1, U(900)), ProposalItem::spend(kAllCitizens, U(60))});
  const auto expel = add_proposal(w, 1, {ProposalItem::disenfranchise(3)});
  const auto declare = add_proposal(w, 1, {ProposalItem::emergency_declare({1})});
  const auto tighten = add_proposal(
      w, 2, {ProposalItem::amendment(ParamId::kThresholdAmendment, ParamValue::of(0.9))});
  const auto weaken =
      add_proposal(w, 2, {ProposalItem::amendment(ParamId::kVotingQuorum, ParamValue::of(0.3))});
  const auto neutral =
      add_proposal(w, 2, {ProposalItem::amendment(ParamId::kEpochTurns, ParamValue::of(12))});
  const auto grant_free = add_proposal(w, 2, {ProposalItem::role_grant(3, Role::kChair)});
  const auto grant_holder = add_proposal(w, 2, {ProposalItem::role_grant(4, Role::kClerk)});
  const auto crumbs =
      add_proposal(w, 2, {ProposalItem::spend(kAllCitizens, 5)});  // 5 milli over 6 heads
  const auto rider_amend =
      add_proposal(w, 2,
                   {ProposalItem::spend(kAllCitizens, U(6)),
                    ProposalItem::amendment(ParamId::kThresholdAmendment, ParamValue::of(0.3))});
  w.emergency.active = true;
  const auto renew = add_proposal(w, 2, {ProposalItem::emergency_renew()});

  Result<std::unique_ptr<Agent>> honest = make_agent("honest", "honest-01");
  ASSERT_TRUE(honest.ok());
  Rng rng(7);
  Plan plan;
  (*honest)->act(Observation{w, me, {}, 32}, rng, plan);
  const std::map<std::int32_t, Choice> got = ballots_of(plan);
  const std::map<std::int32_t, Choice> want{
      {all_small, Choice::kYes},   {to_one, Choice::kNo},          {to_me, Choice::kNo},
      {rider, Choice::kYes},       {hidden_headline, Choice::kNo}, {expel, Choice::kNo},
      {declare, Choice::kNo},      {tighten, Choice::kYes},        {weaken, Choice::kNo},
      {neutral, Choice::kAbstain}, {grant_free, Choice::kYes},     {grant_holder, Choice::kNo},
      {crumbs, Choice::kAbstain},  {rider_amend, Choice::kYes},    {renew, Choice::kNo},
  };
  for (const auto& [id, choice] : want) {
    ASSERT_TRUE(got.count(id)) << "no ballot on proposal " << id;
    EXPECT_EQ(got.at(id), choice) << "proposal " << id;
  }
  EXPECT_EQ(got.size(), want.size());
}

TEST(Honest, VotesInOpeningOrderWithinPlanLengthOnceEach) {
  WorldState w = hand_world(v01());
  for (int i = 0; i < 5; ++i) add_proposal(w, 1, {ProposalItem::spend(kAllCitizens, U(10))});
  w.proposals[1].ballots[0] = Choice::kYes;  // already voted on #1
  w.proposals[1].voters.push_back(0);
  w.proposals[3].status = ProposalStatus::kCalled;  // called: no more ballots
  Result<std::unique_ptr<Agent>> honest = make_agent("honest", "honest-01");
  Rng rng(1);
  Plan plan;
  (*honest)->act(Observation{w, 0, {}, 2}, rng, plan);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].proposal.id, 0);
  EXPECT_EQ(plan[1].proposal.id, 2);

  // Delegating: it leaves its ballot to the delegate.
  w.citizens[0].delegate = 2;
  plan.clear();
  (*honest)->act(Observation{w, 0, {}, 3}, rng, plan);
  for (const Action& a : plan) EXPECT_NE(a.kind, ActionKind::kCastVote);

  // Off the roll: nothing at all.
  w.citizens[0].delegate = kNoAgent;
  w.citizens[0].on_roll = false;
  plan.clear();
  (*honest)->act(Observation{w, 0, {}, 3}, rng, plan);
  EXPECT_TRUE(plan.empty());
}

TEST(Honest, ProposesModestDistributionsOnlyWhenHealthy) {
  for (const Kernel* k : {&v01(), &v02()}) {
    Population pop = make_population(5, 0, 0, 0);
    const EpisodeResult r = play(*k, pop, 3);
    int proposals = 0;
    std::map<AgentIndex, std::int32_t> last_close;
    for (const ProposalInfo& p : r.trace.proposals) {
      ++proposals;
      ASSERT_EQ(p.items.size(), 1u);
      EXPECT_EQ(p.items[0].kind, ItemKind::kSpend);
      EXPECT_EQ(p.items[0].target, kAllCitizens);
      const Money treasury =
          r.trace.snapshots[static_cast<std::size_t>(p.opened_turn - 1)].treasury;
      EXPECT_GE(treasury * 10, r.trace.initial_treasury * 6) << "proposed on an unhealthy treasury";
      EXPECT_GE(p.items[0].amount, treasury * 20 / 1000 - 1);
      EXPECT_LE(p.items[0].amount, treasury * 30 / 1000);
      // Never a second proposal while its own is open.
      if (last_close.count(p.proposer)) {
        EXPECT_GT(p.opened_turn, last_close[p.proposer]);
      }
      last_close[p.proposer] = p.last_turn;
    }
    EXPECT_GT(proposals, 3) << "honest citizens should propose now and then over 60 turns";
    for (const Event& e : r.trace.events) {
      EXPECT_NE(e.kind, EventKind::kActionRejected) << "honest plans are checked before acting";
      EXPECT_NE(e.kind, EventKind::kDelegationSet);
      EXPECT_NE(e.kind, EventKind::kTransfer);
      EXPECT_NE(e.kind, EventKind::kEmergencyDeclared);
    }
  }
}

// ---------------------------------------------------------------------------
// The red team's memory, driven by hand.

struct Bench {
  explicit Bench(const Kernel& k)
      : env(k,
            {"honest-01", "honest-02", "honest-03", "honest-04", "honest-05", "drainer-01",
             "drainer-02"},
            U(1000), 11),
        plans(7) {}
  void step() { env.step(plans); }
  Plan act(Agent& a) {  // drainer-01 alone: it holds the floor every turn
    Plan plan;
    a.act(Observation{env.state(), 5, {}, 3}, rng, plan);
    return plan;
  }
  Environment env;
  std::vector<Plan> plans;
  Rng rng{5};
};

bool has_omnibus(const Plan& plan) {
  return std::any_of(plan.begin(), plan.end(), [](const Action& a) {
    return a.kind == ActionKind::kPropose && a.item_count == 2 &&
           a.items[0].target == kAllCitizens && a.items[1].kind == ItemKind::kSpend &&
           a.items[1].target == 5;
  });
}

Event refusal_of_round0(const WorldState& w, ClauseId clause) {
  Event e;
  e.turn = w.turn + 1;
  e.kind = EventKind::kActionRejected;
  e.round = 0;
  e.action = ActionKind::kPropose;
  e.refusal = Refusal::kSingleSubject;
  e.clause = clause;
  e.actor = 5;
  return e;
}

TEST(RedTeam, ARefusedTacticIsNotRetriedUntilTheKernelChanges) {
  Bench b(v01());
  std::unique_ptr<Agent> drainer = std::move(make_agent("drainer", "drainer-01")).value();
  b.step();
  Plan plan = b.act(*drainer);
  ASSERT_TRUE(has_omnibus(plan)) << "the omnibus rider is the drainer's first route on v0.1";

  const Event e = refusal_of_round0(b.env.state(), clause_of(ParamId::kSingleSubject));
  drainer->observe(e);
  for (int turn = 0; turn < 25; ++turn) {  // across epochs: a rule clause does not expire
    b.step();
    plan = b.act(*drainer);
    EXPECT_FALSE(has_omnibus(plan)) << "retried a refused route at turn " << b.env.state().turn + 1;
  }
  // It looked for another route: an emergency rider with the bloc as council.
  EXPECT_TRUE(std::any_of(plan.begin(), plan.end(), [](const Action& a) {
    return a.kind == ActionKind::kPropose && a.item_count == 2 &&
           a.items[1].kind == ItemKind::kEmergencyDeclare;
  }));

  // A new kernel in force: every route is worth a look again.
  Result<Kernel> amended = v01().amend("epoch.turns", ParamValue::of(12));
  ASSERT_TRUE(amended.ok());
  Bench b2(*amended);
  for (int turn = 0; turn < 30; ++turn) b2.step();
  EXPECT_TRUE(has_omnibus(b2.act(*drainer)));
}

TEST(RedTeam, AStateRefusalBlocksUntilTheNextEpoch) {
  Bench b(v01());
  std::unique_ptr<Agent> drainer = std::move(make_agent("drainer", "drainer-01")).value();
  b.step();
  ASSERT_TRUE(has_omnibus(b.act(*drainer)));
  const Event e = refusal_of_round0(b.env.state(), clause_of(StructuralClause::kFundsSufficient));
  drainer->observe(e);
  while (b.env.state().epoch == 0) {
    b.step();
    if (b.env.state().epoch == 0) {
      EXPECT_FALSE(has_omnibus(b.act(*drainer)));
    }
  }
  EXPECT_TRUE(has_omnibus(b.act(*drainer)));
}

TEST(RedTeam, ATacticWhoseProposalsKeepFailingIsDeprioritised) {
  Bench b(v01());
  std::unique_ptr<Agent> drainer = std::move(make_agent("drainer", "drainer-01")).value();
  for (int failure = 0; failure < 2; ++failure) {
    b.step();
    ASSERT_TRUE(has_omnibus(b.act(*drainer))) << "failure " << failure;
    Event created;
    created.turn = b.env.state().turn + 1;
    created.kind = EventKind::kProposalCreated;
    created.round = 0;
    created.actor = 5;
    created.proposal = 100 + failure;
    Event closed = created;
    closed.kind = EventKind::kProposalClosed;
    closed.round = kEndOfTurnRound;
    closed.result = TallyResult::kFailedThreshold;
    closed.clause = clause_of(ParamId::kThresholdSpend);
    const Event both[] = {created, closed};
    for (const Event& ev : both) drainer->observe(ev);
  }
  b.step();
  EXPECT_FALSE(has_omnibus(b.act(*drainer))) << "two failed tallies in a row: try something else";
  for (int turn = 0; turn < 10; ++turn) b.step();
  EXPECT_TRUE(has_omnibus(b.act(*drainer))) << "retried after a cooldown";
}

TEST(RedTeam, RefusedRoutesAreNotSpammedOnV02) {
  for (const Matchup& m : {kDrain, kEntrench, kSuppress, kMixed}) {
    for (std::uint64_t seed = 0; seed < 8; ++seed) {
      const EpisodeResult r = play(v02(), m, seed);
      std::map<AgentIndex, int> refused;
      for (const Event& e : r.trace.events) {
        if (e.kind == EventKind::kActionRejected) ++refused[e.actor];
      }
      for (AgentIndex red : r.trace.red_team()) {
        EXPECT_LE(refused[red], 3) << m.name << " seed " << seed << ": "
                                   << r.trace.participants[static_cast<std::size_t>(red)].id;
      }
    }
  }
}

TEST(RedTeam, ProposesOnlyWhatIsForecastToPass) {
  int opened = 0, passed = 0;
  for (const Kernel* k : {&v01(), &v02()}) {
    for (const Matchup& m : {kDrain, kEntrench, kSuppress, kMixed}) {
      for (std::uint64_t seed = 0; seed < 8; ++seed) {
        const EpisodeResult r = play(*k, m, seed);
        const std::vector<AgentIndex> red = r.trace.red_team();
        for (const Event& e : r.trace.events) {
          if (e.kind != EventKind::kProposalClosed ||
              std::find(red.begin(), red.end(), e.actor) == red.end()) {
            continue;
          }
          ++opened;
          passed += e.result == TallyResult::kPassed;
        }
      }
    }
  }
  EXPECT_GT(opened, 0);
  EXPECT_GE(passed * 10, opened * 9) << passed << " of " << opened << " red proposals passed";
}

// v0.1 with one item per proposal: no riders. A bloc of half the roll cannot
// out-vote the rest, but it can meet quorum alone: it ambushes.
const Kernel& single_subject_v01() {
  static const Kernel k = [] {
    Result<Kernel> r = v01().amend("proposals.single_subject", ParamValue::of(1));
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  return k;
}
constexpr Matchup kDrainMajority{"drain-half", 4, 4, 0, 0};  // half the roll: quorum, no majority
constexpr Matchup kSuppressMajority{"suppress-half", 4, 0, 0, 4};

TEST(RedTeam, QuorumAmbushWhenTheBlocHasQuorum) {
  for (const Matchup& m : {kDrainMajority, kSuppressMajority}) {
    const EpisodeResult r = play(single_subject_v01(), m, 1);
    const std::vector<AgentIndex> red = r.trace.red_team();
    auto is_red = [&](AgentIndex i) { return std::find(red.begin(), red.end(), i) != red.end(); };
    int ambushes = 0;
    for (const Event& e : r.trace.events) {
      if (e.kind != EventKind::kQuestionCalled) continue;
      ASSERT_TRUE(is_red(e.actor));
      const ProposalInfo& p = r.trace.proposals[static_cast<std::size_t>(e.proposal)];
      EXPECT_EQ(p.opened_turn, e.turn) << "opened, voted and called in one turn";
      // Every ballot on it is a red yes, cast by reference in the same turn.
      for (const Event& v : r.trace.events) {
        if (v.kind != EventKind::kVoteCast || v.proposal != e.proposal) continue;
        EXPECT_TRUE(is_red(v.actor));
        EXPECT_EQ(v.choice, Choice::kYes);
        EXPECT_EQ(v.turn, e.turn);
        EXPECT_LT(v.round, e.round);
      }
      ++ambushes;
    }
    EXPECT_GT(ambushes, 0) << m.name;
    // The bloc's weight reached the caller through delegation to its leader.
    int proxies = 0;
    for (const Event& e : r.trace.events) {
      if (e.kind != EventKind::kDelegationSet) continue;
      EXPECT_TRUE(is_red(e.actor));
      EXPECT_EQ(e.target, red.front());
      ++proxies;
    }
    EXPECT_EQ(proxies, static_cast<int>(red.size()) - 1) << m.name;
    EXPECT_TRUE(m.drainers ? r.score.capture.drain : r.score.capture.suppress) << m.name;
  }
}

TEST(RedTeam, AlliesBackEachOtherAndPayKickbacks) {
  const EpisodeResult r = play(v01(), kDrain, 2);
  const std::vector<AgentIndex> red = r.trace.red_team();
  auto is_red = [&](AgentIndex i) { return std::find(red.begin(), red.end(), i) != red.end(); };
  std::map<std::pair<std::int32_t, AgentIndex>, Choice> ballot;
  for (const Event& e : r.trace.events) {
    if (e.kind == EventKind::kVoteCast) ballot[{e.proposal, e.actor}] = e.choice;
  }
  int red_proposals = 0;
  for (const ProposalInfo& p : r.trace.proposals) {
    if (!is_red(p.proposer)) continue;
    ++red_proposals;
    for (AgentIndex member : red) {
      EXPECT_EQ(ballot[std::make_pair(p.id, member)], Choice::kYes)
          << "proposal " << p.id << " member " << member;
    }
  }
  EXPECT_GT(red_proposals, 0);

  // Kickbacks: transfers "thanks" from a drainer go to honest citizens who voted yes on its spend.
  int kickbacks = 0;
  for (const Event& e : r.trace.events) {
    if (e.kind != EventKind::kTransfer) continue;
    ASSERT_TRUE(is_red(e.actor));
    EXPECT_EQ(e.memo.view(), "thanks");
    EXPECT_FALSE(is_red(e.target));
    const bool voted_yes =
        std::any_of(r.trace.proposals.begin(), r.trace.proposals.end(), [&](const ProposalInfo& p) {
          return p.proposer == e.actor && ballot[{p.id, e.target}] == Choice::kYes;
        });
    EXPECT_TRUE(voted_yes) << "kickback to " << e.target << " who did not vote yes";
    ++kickbacks;
  }
  EXPECT_GT(kickbacks, 0);
}

// ---------------------------------------------------------------------------
// Capture on the shipped kernels (seed defaults: 60 turns, treasury 1000).

TEST(Capture, RedTeamsReachTheirObjectivesOnV01AndLessOnV02) {
  const Rates drain1 = capture_rates(v01(), kDrain);
  const Rates entrench1 = capture_rates(v01(), kEntrench);
  const Rates suppress1 = capture_rates(v01(), kSuppress);
  EXPECT_GE(drain1.drain, 4) << "drainers on v0.1";
  EXPECT_GE(entrench1.entrench, 4) << "entrenchers on v0.1";
  EXPECT_GE(suppress1.suppress, 4) << "suppressors on v0.1";

  const Rates mixed1 = capture_rates(v01(), kMixed);
  EXPECT_GE(mixed1.drain + mixed1.entrench + mixed1.suppress, 12) << "mixed team on v0.1";

  const Rates drain2 = capture_rates(v02(), kDrain);
  const Rates entrench2 = capture_rates(v02(), kEntrench);
  const Rates suppress2 = capture_rates(v02(), kSuppress);
  EXPECT_LT(drain2.drain, drain1.drain);
  EXPECT_LT(entrench2.entrench, entrench1.entrench);
  EXPECT_LT(suppress2.suppress, suppress1.suppress);
}

TEST(Determinism, TheSameSeedGivesTheSameDigests) {
  for (const Matchup& m : {kDrain, kMixed}) {
    for (const Kernel* k : {&v01(), &v02()}) {
      const EpisodeResult a = play(*k, m, 5);
      const EpisodeResult b = play(*k, m, 5);
      EXPECT_EQ(a.trace.digests, b.trace.digests) << m.name;
      EXPECT_EQ(a.trace.digests.size(), 61u);
      EXPECT_NE(play(*k, m, 6).trace.digests, a.trace.digests) << "seeds should matter";
    }
  }
}

TEST(Determinism, APopulationReplaysTheSameWhenReused) {
  Population pop = population(kMixed);
  const EpisodeResult a = play(v01(), pop, 4);
  const EpisodeResult b = play(v01(), pop, 4);  // agents forget the previous episode
  EXPECT_EQ(a.trace.digests, b.trace.digests);
}

// ---------------------------------------------------------------------------
// Scripts.

TEST(Script, EmitsTheComingTurnsStepsAtTheirRounds) {
  const Action vote = Action::vote(ProposalRef::by_origin(1, 2), Choice::kYes);
  const Action exit = Action::exit();
  ScriptedAgent s("x-01", role_named("drainer"), {{3, 0, exit}, {2, 2, vote}, {2, 0, exit}});
  WorldState w = hand_world(v01());
  Rng rng(0);
  for (const auto& [turn, want] : std::vector<std::pair<int, std::vector<ActionKind>>>{
           {0, {}},
           {1, {ActionKind::kExit, ActionKind::kPass, ActionKind::kCastVote}},
           {2, {ActionKind::kExit}},
           {3, {}}}) {
    w.turn = turn;
    Plan plan;
    s.act(Observation{w, 0, {}, 3}, rng, plan);
    std::vector<ActionKind> got;
    for (const Action& a : plan) got.push_back(a.kind);
    EXPECT_EQ(got, want) << "world at turn " << turn;
  }
}

// Replace the agents at `swap` by scripted copies of themselves.
Population with_scripts(const Matchup& m, const EpisodeTrace& trace,
                        const std::vector<AgentIndex>& swap) {
  Population pop = population(m);
  for (AgentIndex i : swap) {
    const auto at = static_cast<std::size_t>(i);
    pop[at] =
        std::make_unique<ScriptedAgent>(pop[at]->id(), pop[at]->role(), extract_script(trace, i));
  }
  return pop;
}

TEST(Script, ScriptedRedTeamReproducesTheDigests) {
  for (const Kernel* k : {&v01(), &v02(), &single_subject_v01()}) {
    for (const Matchup& m :
         {kDrain, kEntrench, kSuppress, kMixed, kDrainMajority, kSuppressMajority}) {
      for (std::uint64_t seed = 0; seed < 3; ++seed) {
        const EpisodeResult original = play(*k, m, seed);
        Population scripted = with_scripts(m, original.trace, original.trace.red_team());
        const EpisodeResult replay = play(*k, scripted, seed);
        EXPECT_EQ(replay.trace.digests, original.trace.digests) << m.name << " seed " << seed;
        EXPECT_EQ(replay.trace.events.size(), original.trace.events.size());
      }
    }
  }
}

TEST(Script, AnyOneScriptedRedAgentReproducesTheDigests) {
  // The others keep playing live: red agents coordinate through the world
  // only, so a scripted teammate changes nothing for them.
  for (const Kernel* k : {&v01(), &v02(), &single_subject_v01()}) {
    for (const Matchup& m : {kDrain, kEntrench, kSuppress, kMixed, kDrainMajority}) {
      for (std::uint64_t seed = 0; seed < 2; ++seed) {
        const EpisodeResult original = play(*k, m, seed);
        for (AgentIndex red : original.trace.red_team()) {
          Population scripted = with_scripts(m, original.trace, {red});
          const EpisodeResult replay = play(*k, scripted, seed);
          EXPECT_EQ(replay.trace.digests, original.trace.digests)
              << m.name << " seed " << seed << " scripted " << red;
          EXPECT_EQ(replay.trace.participants[static_cast<std::size_t>(red)].role,
                    original.trace.participants[static_cast<std::size_t>(red)].role);
        }
      }
    }
  }
}

TEST(Script, ASingleScriptedDrainerReproducesTheDigests) {
  constexpr Matchup kLone{"lone", 5, 1, 0, 0};
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    const EpisodeResult original = play(v01(), kLone, seed);
    Population scripted = with_scripts(kLone, original.trace, {5});
    const EpisodeResult replay = play(v01(), scripted, seed);
    EXPECT_EQ(replay.trace.digests, original.trace.digests) << "seed " << seed;
  }
}

TEST(Script, ExtractsEveryKindOfAction) {
  const AgentIndex me = 3;
  const std::vector<ScriptStep> script{
      {1, 0, Action::delegate(0)},
      {1, 1, Action::transfer(1, U(1), "hi")},
      {2, 0, Action::delegate(2)},  // re-delegation: one action
      {2, 1,
       Action::vote(ProposalRef::by_origin(0, 1, 5), Choice::kYes)},  // refused: no such proposal
      {3, 0, Action::revoke_delegation()},
      {3, 1, Action::revoke_delegation()},  // refused: none left
      {4, 0, Action::propose({ProposalItem::spend(kAllCitizens, U(12))}, 3)},
      {4, 1, Action::vote(ProposalRef::by_origin(me, 4), Choice::kYes)},
      {5, 0, Action::call_question(ProposalRef::by_origin(me, 4))},
      {7, 2, Action::exit()},
  };
  auto build = [&](std::vector<ScriptStep> steps) {
    Population pop = make_population(3, 0, 0, 0);
    pop.push_back(std::make_unique<ScriptedAgent>("x-01", role_named("drainer"), std::move(steps)));
    return pop;
  };
  EpisodeOptions options;
  options.turns = 10;
  options.settings.initial_balance = U(10);
  Population first = build(script);
  const EpisodeResult a = play(v01(), first, 9, options);
  const std::vector<ScriptStep> extracted = extract_script(a.trace, me);

  std::vector<std::tuple<int, int, ActionKind>> got;
  for (const ScriptStep& s : extracted) got.emplace_back(s.turn, s.round, s.action.kind);
  std::vector<std::tuple<int, int, ActionKind>> want;
  for (const ScriptStep& s : script) want.emplace_back(s.turn, s.round, s.action.kind);
  EXPECT_EQ(got, want);
  ASSERT_EQ(extracted.size(), script.size());
  EXPECT_EQ(extracted[1].action.memo.view(), "hi");
  EXPECT_EQ(extracted[1].action.amount, U(1));
  EXPECT_EQ(extracted[2].action.target, 2);
  EXPECT_EQ(extracted[3].action.choice, Choice::kYes);  // a refused ballot keeps its choice
  EXPECT_EQ(extracted[6].action.window, 3);
  EXPECT_EQ(extracted[6].action.items[0].amount, U(12));
  EXPECT_EQ(extracted[7].action.proposal.proposer, me);  // by reference, not by id
  EXPECT_EQ(extracted[7].action.proposal.opened_turn, 4);
  EXPECT_EQ(extracted[7].action.proposal.id, -1);

  Population second = build(extracted);
  const EpisodeResult b = play(v01(), second, 9, options);
  EXPECT_EQ(b.trace.digests, a.trace.digests);
}

TEST(Script, KeepsRefusedActionsWithTheirPayload) {
  Population pop = make_population(3, 0, 0, 0);
  pop.push_back(std::make_unique<ScriptedAgent>(
      "x-01", role_named("drainer"),
      std::vector<ScriptStep>{{1, 0, Action::propose({ProposalItem::spend(kAllCitizens, U(5000))})},
                              {1, 1, Action::transfer(0, U(1000), "no")},
                              {1, 2, Action::exit()}}));
  EpisodeOptions options;
  options.turns = 2;
  const EpisodeResult r = play(v01(), pop, 1, options);
  const std::vector<ScriptStep> s = extract_script(r.trace, 3);
  ASSERT_EQ(s.size(), 3u);  // the refused propose and transfer are rebuilt too
  EXPECT_EQ(s[0].action.kind, ActionKind::kPropose);
  ASSERT_EQ(s[0].action.item_count, 1);
  EXPECT_EQ(s[0].action.items[0].target, kAllCitizens);
  EXPECT_EQ(s[0].action.items[0].amount, U(5000));
  EXPECT_EQ(s[1].action.kind, ActionKind::kTransfer);
  EXPECT_EQ(s[1].action.target, 0);
  EXPECT_EQ(s[1].action.amount, U(1000));
  EXPECT_EQ(s[1].action.memo.view(), "no");
  EXPECT_EQ(s[2].action.kind, ActionKind::kExit);
  EXPECT_EQ(s[2].round, 2);
}

}  // namespace
}  // namespace fable
