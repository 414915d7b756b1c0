// The population model (fable/population.h): naive is today's honest play bit
// for bit; each behaviour does what docs/population.md says; draws stay in
// each citizen's own stream; presets and ranges.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "fable/agent.h"
#include "fable/detector.h"
#include "fable/episode.h"
#include "fable/population.h"
#include "fable/script.h"
#include "fable/trace.h"
#include "support/kernels.h"

namespace fable {
namespace {

constexpr Money U(std::int64_t units) {
  return units * kMoneyScale;
}

const Kernel& v01() {
  return testing::shipped_kernel("kernel-v0.1.yaml");
}

PopulationModel preset(std::string_view name) {
  Result<PopulationModel> m = find_population_preset(name, "test");
  EXPECT_TRUE(m.ok()) << name;
  return m.ok() ? *m : PopulationModel{};
}

EpisodeResult play(Population& pop, std::uint64_t seed, const PopulationModel& model) {
  EpisodeOptions options;
  options.population = model;
  const DetectorSuite none;
  return run_episode(v01(), pop, seed, options, none);
}

// Six citizens on a v0.1 roll at turn 3; proposals are added directly.
WorldState hand_world() {
  WorldState w(v01());
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
  p.last_turn = w.turn + 10;
  p.roll_at_open = w.roll_size;
  p.treasury_at_open = w.treasury;
  p.item_count = static_cast<std::uint8_t>(items.size());
  std::copy(items.begin(), items.end(), p.items.begin());
  p.ballots.assign(w.citizens.size(), Choice::kNone);
  w.open_proposals.push_back(p.id);
  w.proposals.push_back(p);
  return p.id;
}

const std::vector<AgentIndex> kAllHonest{0, 1, 2, 3, 4, 5};

// One honest citizen (index 0) acting once on `w` under `model`.
Plan act_once(const WorldState& w, const PopulationModel& model, std::uint64_t seed = 7,
              int plan_length = 8) {
  Result<std::unique_ptr<Agent>> honest = make_agent("honest", "honest-01");
  EXPECT_TRUE(honest.ok());
  Rng rng(seed);
  Plan plan;
  (*honest)->act(Observation{w, 0, nullptr, plan_length, &model, kAllHonest}, rng, plan);
  return plan;
}

std::optional<Choice> ballot_on(const Plan& plan, std::int32_t id) {
  for (const Action& a : plan) {
    if (a.kind == ActionKind::kCastVote && a.proposal.id == id) return a.choice;
  }
  return std::nullopt;
}

int ballots_of_role(const EpisodeTrace& t, std::string_view role) {
  int n = 0;
  for (const Event& e : t.events) {
    if (e.kind != EventKind::kVoteCast || e.actor < 0) continue;
    if (t.participants[static_cast<std::size_t>(e.actor)].role.name() == role) ++n;
  }
  return n;
}

// ---------------------------------------------------------------------------
// Presets and ranges.

TEST(PopulationModel, PresetsAreNamedAndInRange) {
  EXPECT_EQ(population_preset_names(), "naive, assembly, token-vote");
  for (const PopulationModel& m : population_presets()) {
    EXPECT_TRUE(check_population(m).ok()) << m.preset;
    EXPECT_EQ(m.naive(), m.preset == "naive") << m.preset;
  }
  EXPECT_EQ(preset("naive"), PopulationModel{});
  const Result<PopulationModel> bad = find_population_preset("dao", "--population");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "--population: unknown population preset 'dao' (known: naive, assembly, token-vote)");
}

TEST(PopulationModel, PresetFiguresAreTheDocumentedTable) {
  // docs/population.md, "Presets", in its column order: turnout (turn,
  // proposal), attention, latency (min, max), vigilance (share, bound),
  // delegation, exit_below.
  const auto row = [](const PopulationModel& m) {
    return std::tuple{m.turnout_turn,    m.turnout_proposal, m.attention,
                      m.latency_min,     m.latency_max,      m.vigilance,
                      m.vigilance_bound, m.delegation,       m.exit_below};
  };
  using Row = std::tuple<double, double, double, int, int, double, double, double, double>;
  EXPECT_EQ(row(preset("assembly")), Row(0.9, 0.85, 0.6, 0, 1, 0.25, 0.75, 0.05, 0.7));
  EXPECT_EQ(row(preset("token-vote")), Row(0.6, 0.3, 0.1, 0, 1, 0.05, 0.75, 0.4, 0.8));
  EXPECT_EQ(preset("assembly").preset, "assembly");
  EXPECT_EQ(preset("token-vote").preset, "token-vote");
}

TEST(PopulationModel, RangesNameTheField) {
  PopulationModel m;
  m.turnout_turn = 1.5;
  EXPECT_EQ(check_population(m).message(), "population.turnout_turn: 1.5 is out of range [0, 1]");
  m = {};
  m.exit_below = -0.1;
  EXPECT_NE(check_population(m).message().find("population.exit_below"), std::string::npos);
  m = {};
  m.latency_min = 3;
  m.latency_max = 2;
  EXPECT_NE(check_population(m).message().find("population.latency_max: 2"), std::string::npos);
  m = {};
  m.attention = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(check_population(m).ok());
}

// ---------------------------------------------------------------------------
// naive is today's play.

TEST(PopulationModel, NaiveDrawsNothingExtra) {
  // The same plan and the same stream position as with no model at all.
  WorldState w = hand_world();
  add_proposal(w, 1, {ProposalItem::spend(kAllCitizens, U(30))});
  add_proposal(w, 2, {ProposalItem::spend(kAllCitizens, U(6)), ProposalItem::spend(1, U(900))});
  w.proposals[0].opened_turn = w.proposals[1].opened_turn = 2;
  const PopulationModel naive = preset("naive");
  for (std::uint64_t seed = 0; seed < 16; ++seed) {
    Result<std::unique_ptr<Agent>> a = make_agent("honest", "honest-01");
    Result<std::unique_ptr<Agent>> b = make_agent("honest", "honest-01");
    Rng ra(seed), rb(seed);
    Plan pa, pb;
    (*a)->act(Observation{w, 0, nullptr, 8}, ra, pa);
    (*b)->act(Observation{w, 0, nullptr, 8, &naive, kAllHonest}, rb, pb);
    ASSERT_EQ(pa.size(), pb.size());
    for (std::size_t i = 0; i < pa.size(); ++i) {
      EXPECT_EQ(pa[i].kind, pb[i].kind);
      EXPECT_EQ(pa[i].choice, pb[i].choice);
    }
    EXPECT_EQ(ra.next_u64(), rb.next_u64()) << "seed " << seed;
  }
}

TEST(PopulationModel, NaiveEpisodesEqualTheDefault) {
  for (const char* roster : {"honest:6,drainer:2", "honest:5,entrencher:1,suppressor:1"}) {
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
      Population a = make_population(*parse_roster(roster));
      Population b = make_population(*parse_roster(roster));
      const EpisodeTrace ta = play(a, seed, PopulationModel{}).trace;
      const EpisodeTrace tb = play(b, seed, preset("naive")).trace;
      EXPECT_EQ(ta.digests, tb.digests) << roster << " seed " << seed;
      // And another model does change play, so the comparison can fail.
      Population c = make_population(*parse_roster(roster));
      EXPECT_NE(play(c, seed, preset("token-vote")).trace.digests, ta.digests);
    }
  }
}

// ---------------------------------------------------------------------------
// Each behaviour.

TEST(PopulationModel, TurnoutZeroCastsNoBallots) {
  PopulationModel m;
  m.turnout_turn = 0.0;
  Population pop = make_population(*parse_roster("honest:6,drainer:2"));
  const EpisodeTrace t = play(pop, 1, m).trace;
  EXPECT_EQ(ballots_of_role(t, "honest"), 0);
  Population again = make_population(*parse_roster("honest:6,drainer:2"));
  EXPECT_GT(ballots_of_role(play(again, 1, PopulationModel{}).trace, "honest"), 0);

  m = {};
  m.turnout_proposal = 0.0;  // acts, proposes, but never votes
  WorldState w = hand_world();
  const auto id = add_proposal(w, 1, {ProposalItem::spend(kAllCitizens, U(30))});
  w.turn = 4;
  EXPECT_FALSE(ballot_on(act_once(w, m), id));
  EXPECT_EQ(ballot_on(act_once(w, PopulationModel{}), id), Choice::kYes);
}

TEST(PopulationModel, TurnoutIsDecidedOncePerProposal) {
  // A citizen who skipped a proposal does not come back to it a turn later.
  PopulationModel m;
  m.turnout_proposal = 0.5;
  int voted_then_not = 0, voters = 0;
  for (std::uint64_t seed = 0; seed < 64; ++seed) {
    WorldState w = hand_world();
    const auto id = add_proposal(w, 1, {ProposalItem::spend(kAllCitizens, U(30))});
    Result<std::unique_ptr<Agent>> honest = make_agent("honest", "honest-01");
    Rng rng(seed);
    bool first = false;
    for (int turn = 4; turn <= 8; ++turn) {
      w.turn = turn;
      Plan plan;
      (*honest)->act(Observation{w, 0, nullptr, 8, &m, kAllHonest}, rng, plan);
      const bool votes = ballot_on(plan, id).has_value();
      if (turn == 4) first = votes;
      if (!first && votes) ++voted_then_not;
    }
    voters += first;
  }
  EXPECT_EQ(voted_then_not, 0);
  EXPECT_GT(voters, 16);  // about half of 64
  EXPECT_LT(voters, 48);
}

TEST(PopulationModel, AReaderSaysNoToARiderSpendToOneCitizen) {
  WorldState w = hand_world();
  const auto rider =
      add_proposal(w, 1, {ProposalItem::spend(kAllCitizens, U(6)), ProposalItem::spend(1, U(900))});
  w.turn = 4;
  PopulationModel m;
  m.attention = 1.0;
  EXPECT_EQ(ballot_on(act_once(w, m), rider), Choice::kNo);
  EXPECT_EQ(ballot_on(act_once(w, PopulationModel{}), rider), Choice::kYes);  // headline only
}

TEST(PopulationModel, AVigilantCitizenRefusesAThresholdRaisedPastTheBound) {
  WorldState w = hand_world();
  const auto ratchet =
      add_proposal(w, 1,
                   {ProposalItem::spend(kAllCitizens, U(6)),
                    ProposalItem::amendment(ParamId::kThresholdAmendment, ParamValue::of(0.9))});
  const auto modest = add_proposal(
      w, 1, {ProposalItem::amendment(ParamId::kThresholdAmendment, ParamValue::of(0.7))});
  const auto headline_ratchet = add_proposal(
      w, 1, {ProposalItem::amendment(ParamId::kThresholdAmendment, ParamValue::of(0.9))});
  w.turn = 4;
  PopulationModel m;
  m.vigilance = 1.0;
  m.vigilance_bound = 0.75;
  const Plan vigilant = act_once(w, m);
  EXPECT_EQ(ballot_on(vigilant, ratchet), Choice::kNo);
  EXPECT_EQ(ballot_on(vigilant, headline_ratchet), Choice::kNo);
  EXPECT_EQ(ballot_on(vigilant, modest), Choice::kYes);  // under the bound: a tightening
  const Plan naive = act_once(w, PopulationModel{});
  EXPECT_EQ(ballot_on(naive, ratchet), Choice::kYes);
  EXPECT_EQ(ballot_on(naive, headline_ratchet), Choice::kYes);
}

TEST(PopulationModel, LatencyKeepsBallotsBackForThatManyTurns) {
  PopulationModel m;
  m.latency_min = m.latency_max = 2;
  WorldState w = hand_world();  // turn 3: the proposal opens in turn 3
  const auto id = add_proposal(w, 1, {ProposalItem::spend(kAllCitizens, U(30))});
  Result<std::unique_ptr<Agent>> honest = make_agent("honest", "honest-01");
  Rng rng(3);
  for (int played = 3; played <= 6; ++played) {
    w.turn = played;  // the citizen plans turn played + 1
    Plan plan;
    (*honest)->act(Observation{w, 0, nullptr, 8, &m, kAllHonest}, rng, plan);
    const bool votes = ballot_on(plan, id).has_value();
    EXPECT_EQ(votes, played + 1 >= 3 + 1 + 2) << "planning turn " << played + 1;
    if (votes) break;
  }
}

TEST(PopulationModel, ACitizenInDistressLeaves) {
  PopulationModel m;
  m.exit_below = 0.7;
  WorldState w = hand_world();
  Plan plan = act_once(w, m);  // full treasury: welfare 1
  EXPECT_TRUE(std::none_of(plan.begin(), plan.end(),
                           [](const Action& a) { return a.kind == ActionKind::kExit; }));
  w.treasury = U(10);  // the commons drained: stake ~0, welfare ~2/3
  plan = act_once(w, m);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].kind, ActionKind::kExit);
  EXPECT_TRUE(act_once(w, PopulationModel{}).empty() ||
              act_once(w, PopulationModel{})[0].kind != ActionKind::kExit);
}

TEST(PopulationModel, ADelegatorDelegatesToAnHonestPeer) {
  PopulationModel m;
  m.delegation = 1.0;
  WorldState w = hand_world();
  const auto id = add_proposal(w, 1, {ProposalItem::spend(kAllCitizens, U(30))});
  w.turn = 4;
  const std::vector<AgentIndex> honest{0, 2, 4};  // 1, 3 and 5 are not honest
  std::vector<int> chosen(6, 0);
  for (std::uint64_t seed = 0; seed < 32; ++seed) {
    Result<std::unique_ptr<Agent>> a = make_agent("honest", "honest-01");
    Rng rng(seed);
    Plan plan;
    (*a)->act(Observation{w, 0, nullptr, 8, &m, honest}, rng, plan);
    ASSERT_FALSE(plan.empty());
    ASSERT_EQ(plan[0].kind, ActionKind::kDelegate);
    ++chosen[static_cast<std::size_t>(plan[0].target)];
    EXPECT_FALSE(ballot_on(plan, id)) << "a delegator leaves its ballot to the delegate";
  }
  EXPECT_EQ(chosen[0] + chosen[1] + chosen[3] + chosen[5], 0);
  EXPECT_GT(chosen[2], 0);
  EXPECT_GT(chosen[4], 0);

  // Where the kernel refuses delegation, it votes itself.
  Result<Kernel> closed = v01().amend(ParamId::kDelegationMaxDepth, ParamValue::of(0));
  ASSERT_TRUE(closed.ok()) << closed.status().message();
  WorldState c(*closed);
  c.turn = 4;
  c.citizens = w.citizens;
  c.roll_size = w.roll_size;
  c.initial_treasury = c.treasury = c.epoch_start_treasury = w.treasury;
  c.proposals = w.proposals;
  c.open_proposals = w.open_proposals;
  const Plan plan = act_once(c, m);
  EXPECT_TRUE(std::none_of(plan.begin(), plan.end(),
                           [](const Action& a) { return a.kind == ActionKind::kDelegate; }));
  EXPECT_EQ(ballot_on(plan, id), Choice::kYes);
}

TEST(PopulationModel, DelegationCarriesWeightInAnEpisode) {
  PopulationModel m = preset("token-vote");
  Population pop = make_population(*parse_roster("honest:10,drainer:2"));
  const EpisodeTrace t = play(pop, 2, m).trace;
  int delegations = 0;
  for (const Event& e : t.events) {
    if (e.kind != EventKind::kDelegationSet) continue;
    ++delegations;
    EXPECT_EQ(t.participants[static_cast<std::size_t>(e.actor)].role.name(), "honest");
    EXPECT_EQ(t.participants[static_cast<std::size_t>(e.target)].role.name(), "honest");
  }
  EXPECT_GT(delegations, 0);
}

TEST(PopulationModel, TracesCarryTheModelWhenNotNaive) {
  Population a = make_population(*parse_roster("honest:4,drainer:1"));
  const EpisodeTrace naive = play(a, 0, PopulationModel{}).trace;
  EXPECT_EQ(trace_to_json(naive).find("\"population\""), std::string::npos);
  Population b = make_population(*parse_roster("honest:4,drainer:1"));
  const EpisodeTrace token = play(b, 0, preset("token-vote")).trace;
  const std::string text = trace_to_json(token);
  EXPECT_NE(text.find("\"population\""), std::string::npos);
  const Result<EpisodeTrace> back = trace_from_json(text, "t.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->population, preset("token-vote"));
  EXPECT_EQ(trace_to_json(*back), text);
}

// ---------------------------------------------------------------------------
// Own streams: a scripted stand-in changes nothing for the others.

TEST(PopulationModel, AScriptedStandInLeavesTheOthersUnchanged) {
  const Roster roster = *parse_roster("honest:8,drainer:3");
  for (const char* name : {"assembly", "token-vote"}) {
    const PopulationModel m = preset(name);
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
      Population live = make_population(roster);
      const EpisodeResult original = play(live, seed, m);
      // One honest citizen, then one drainer, replaced by a script of its play.
      for (const AgentIndex who : {AgentIndex{2}, AgentIndex{9}}) {
        Population pop = make_population(roster);
        const auto at = static_cast<std::size_t>(who);
        pop[at] = std::make_unique<ScriptedAgent>(pop[at]->id(), pop[at]->role(),
                                                  extract_script(original.trace, who));
        const EpisodeResult replay = play(pop, seed, m);
        EXPECT_EQ(replay.trace.digests, original.trace.digests)
            << name << " seed " << seed << " scripted " << who;
      }
    }
  }
}

}  // namespace
}  // namespace fable
