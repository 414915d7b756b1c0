// Saved worlds: an episode copied after some turn (EpisodePlay + Agent::clone)
// continues exactly as the original, and a hunt execution started from a
// snapshot equals the same execution played from turn 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fable/detector.h"
#include "fable/engine.h"
#include "fable/episode.h"
#include "fable/metrics.h"
#include "fable/objectives.h"
#include "fable/population.h"
#include "fable/trace.h"
#include "hunt/executor.h"
#include "support/kernels.h"

namespace fable {
namespace {

const Kernel& v01() {
  return testing::shipped_kernel("kernel-v0.1.yaml");
}

// A hunt execution's setup on v0.1: `roster`, episode seed `seed`, `turns`
// turns (an Executor keeps a reference: the setup must outlive it).
hunt::ExecutionSetup v01_setup(std::string_view roster, std::uint64_t seed, int turns) {
  hunt::ExecutionSetup setup{v01(), *parse_roster(roster), seed, EpisodeOptions{}};
  setup.options.turns = turns;
  setup.options.matchup = "hunt";
  return setup;
}

Population clone_all(const Population& agents) {
  Population out;
  for (const auto& a : agents) out.push_back(a->clone());
  return out;
}

TEST(EpisodePlay, PlayedToTheEndIsRunEpisode) {
  EpisodeOptions o;
  o.turns = 25;
  Population a = make_population(*parse_roster("honest:12"));
  Population b = make_population(*parse_roster("honest:12"));
  EpisodePlay play(v01(), a, 5, o);
  while (!play.done()) play.play_turn(a);
  const EpisodeResult whole = run_episode(v01(), b, 5, o, default_suite());
  EXPECT_EQ(trace_to_json(play.finish(default_suite()).trace), trace_to_json(whole.trace));
}

TEST(EpisodePlay, ACopyWithClonedAgentsContinuesAsTheOriginal) {
  EpisodeOptions o;
  o.turns = 30;
  Population agents = make_population(*parse_roster("honest:10,attacker:2"));
  EpisodePlay play(v01(), agents, 11, o);
  for (int t = 0; t < 12; ++t) play.play_turn(agents);
  EpisodePlay copy = play;
  Population copies = clone_all(agents);
  for (const auto& c : copies) ASSERT_NE(c, nullptr) << "honest and attacker agents copy";
  while (!play.done()) play.play_turn(agents);
  // The copy is independent of the original: it plays on from turn 12.
  EXPECT_EQ(copy.turn(), 12);
  while (!copy.done()) copy.play_turn(copies);
  EXPECT_EQ(trace_to_json(copy.finish(default_suite()).trace),
            trace_to_json(play.finish(default_suite()).trace));
}

// The lookahead restores saved agents into the agents it has
// (Agent::assign_from) rather than cloning them for every probe: agents that
// played another episode, assigned from copies saved mid-episode, continue as
// the clones would. With the "assembly" population the honest citizens draw
// traits (peers, vigilance, latency, salts) that must carry over.
TEST(EpisodePlay, AgentsAssignedFromSavedOnesContinueAsTheirClones) {
  EpisodeOptions o;
  o.turns = 30;
  o.population = *find_population_preset("assembly", "test");
  const Roster roster = *parse_roster("honest:10,attacker:2");
  Population agents = make_population(roster);
  EpisodePlay play(v01(), agents, 11, o);
  for (int t = 0; t < 12; ++t) play.play_turn(agents);
  const Population saved = clone_all(agents);
  EpisodePlay copy = play;
  // Other agents of the same ids, deep in an episode of another seed.
  Population others = make_population(roster);
  EpisodePlay elsewhere(v01(), others, 99, o);
  for (int t = 0; t < 20; ++t) elsewhere.play_turn(others);
  int assigned = 0;
  for (std::size_t i = 0; i < others.size(); ++i) {
    if (others[i]->assign_from(*saved[i])) {
      ++assigned;
    } else {
      others[i] = saved[i]->clone();
    }
  }
  EXPECT_EQ(assigned, 10) << "every honest citizen copies in place";
  while (!play.done()) play.play_turn(agents);
  while (!copy.done()) copy.play_turn(others);
  EXPECT_EQ(copy.trace().digests, play.trace().digests);
  EXPECT_EQ(trace_to_json(copy.finish(default_suite()).trace),
            trace_to_json(play.finish(default_suite()).trace));
}

// An agent takes a copy only of its own kind and id; otherwise it refuses and
// stays as it was.
TEST(EpisodePlay, AssignFromRefusesAnotherKindOrId) {
  Population agents = make_population(*parse_roster("honest:2,attacker:1"));
  EXPECT_FALSE(agents[0]->assign_from(*agents[1])) << "another id";
  EXPECT_FALSE(agents[0]->assign_from(*agents[2])) << "another kind";
  EXPECT_FALSE(agents[2]->assign_from(*agents[2]->clone())) << "a kind without it";
  EXPECT_TRUE(agents[0]->assign_from(*agents[0]->clone()));
}

// Every third turn proposes a spend of ten times the treasury, which the
// engine refuses (a refused proposal's contents are kept in a list of their
// own); copyable.
class OverSpender final : public Agent {
 public:
  using Agent::Agent;
  std::unique_ptr<Agent> clone() const override { return std::make_unique<OverSpender>(*this); }
  void act(const Observation& obs, Rng&, Plan& plan) override {
    if (obs.world.turn % 3 != 0) return;
    plan.push_back(Action::propose({ProposalItem::spend(obs.self, 10 * obs.world.treasury + 1)}));
  }
};

// A copy played on for a few turns and rewound to its origin is the origin
// again: played on from there it gives the origin's own continuation, bit
// for bit, however many times it is rewound and after how many turns.
TEST(EpisodePlay, RewoundToItsOriginContinuesAsTheOrigin) {
  std::size_t refusals = 0;
  std::size_t proposals = 0;
  for (const char* kernel : {"kernel-v0.1.yaml", "kernel-v0.2.yaml"}) {
    for (const char* roster :
         {"honest:10,attacker:2", "honest:8,emergency_abuser:2,timing_attacker:2",
          "honest:7,exit_blocker:3"}) {
      SCOPED_TRACE(std::string(kernel) + " " + roster);
      const Kernel& k = testing::shipped_kernel(kernel);
      EpisodeOptions o;
      o.turns = 30;
      Population agents = make_population(*parse_roster(roster));
      agents[1] = std::make_unique<OverSpender>(agents[1]->id(), agents[1]->role());
      EpisodePlay origin(k, agents, 23, o);
      for (int t = 0; t < 9; ++t) origin.play_turn(agents);
      const Population at_origin = clone_all(agents);
      // The origin's own continuation, from copies made before it moves on.
      EpisodePlay reference = origin;
      Population reference_agents = clone_all(at_origin);
      while (!reference.done()) reference.play_turn(reference_agents);
      const std::string expected = trace_to_json(reference.finish(default_suite()).trace);

      EpisodePlay scratch = origin;
      for (const int ahead : {1, 0, 4, 2, 21}) {
        Population a = clone_all(at_origin);
        for (int t = 0; t < ahead; ++t) scratch.play_turn(a);
        ASSERT_EQ(scratch.turn(), 9 + ahead);
        scratch.rewind_to(origin);
        ASSERT_EQ(scratch.turn(), 9);
        EXPECT_EQ(scratch.trace().digests, origin.trace().digests);
        EXPECT_EQ(state_digest(scratch.world()), state_digest(origin.world()));
        EXPECT_EQ(scratch.world().log.size(), origin.world().log.size());
        EXPECT_EQ(scratch.world().refused_proposals.size(),
                  origin.world().refused_proposals.size());
        const EpisodeTrace& got = scratch.trace();
        const EpisodeTrace& want = origin.trace();
        EXPECT_EQ(got.snapshots.size(), want.snapshots.size());
        EXPECT_EQ(got.events.size(), want.events.size());
        EXPECT_EQ(got.proposals.size(), want.proposals.size());
        EXPECT_EQ(got.refused_proposals.size(), want.refused_proposals.size());
        EXPECT_EQ(trace_to_json(scratch.trace()), trace_to_json(origin.trace()));
      }
      Population a = clone_all(at_origin);
      while (!scratch.done()) scratch.play_turn(a);
      refusals += scratch.trace().refused_proposals.size();
      proposals += scratch.trace().proposals.size();
      EXPECT_EQ(trace_to_json(scratch.finish(default_suite()).trace), expected);
    }
  }
  // The lists cut back were not empty: proposals were opened, and refused.
  EXPECT_GT(proposals, 0u);
  EXPECT_GT(refusals, 0u);
}

// An agent that never acts; copyable. Put in an over-spender's place it
// makes a branch of the episode differ from the over-spender's own.
class Idle final : public Agent {
 public:
  using Agent::Agent;
  std::unique_ptr<Agent> clone() const override { return std::make_unique<Idle>(*this); }
  void act(const Observation&, Rng&, Plan&) override {}
};

// Every proposal of a world, open or closed, as text: what two worlds that
// are the same hold alike (state_digest covers only the open ones).
std::string proposals_text(const WorldState& w) {
  std::string out;
  for (const Proposal& p : w.proposals) {
    out += std::to_string(p.id) + ' ' + std::to_string(p.proposer) + ' ' +
           std::to_string(p.opened_turn) + ' ' + std::to_string(p.last_turn) + ' ' +
           std::string(proposal_status_name(p.status)) + ' ' + std::to_string(p.item_count) + ' ' +
           std::to_string(p.yes) + '/' + std::to_string(p.no) + '/' + std::to_string(p.abstain) +
           '/' + std::to_string(p.eligible) + " ballots";
    for (const Choice c : p.ballots) out += ' ' + std::to_string(static_cast<int>(c));
    out += " voters";
    for (const AgentIndex v : p.voters) out += ' ' + std::to_string(v);
    out += '\n';
  }
  return out;
}

// Assigned over a play that shares only its first turns with it (a cousin:
// both copied from one state and played on differently), over an ancestor,
// over a descendant, or over an unrelated play, a play becomes the other
// one: the same trace and world, and the same continuation. (operator=
// keeps the histories of the turns both share and copies the rest.)
TEST(EpisodePlay, AssignedOverACousinBecomesIt) {
  // Proposals closed before the branches part (kept by operator=) and
  // proposals open when they part (copied: each branch closes them its way).
  std::size_t closed_at_origin = 0;
  std::size_t open_at_origin = 0;
  for (const char* roster :
       {"honest:10,attacker:2", "honest:8,emergency_abuser:2,exit_blocker:2"}) {
    for (const int origin_turns : {6, 10}) {
      SCOPED_TRACE(std::string(roster) + " parting after turn " + std::to_string(origin_turns));
      EpisodeOptions o;
      o.turns = 30;
      Population spender = make_population(*parse_roster(roster));
      spender[1] = std::make_unique<OverSpender>(spender[1]->id(), spender[1]->role());
      EpisodePlay origin(v01(), spender, 31, o);
      for (int t = 0; t < origin_turns; ++t) origin.play_turn(spender);
      closed_at_origin += origin.world().closed_prefix();
      open_at_origin += origin.world().open_proposals.size();
      Population idle = clone_all(spender);
      idle[1] = std::make_unique<Idle>(spender[1]->id(), spender[1]->role());
      // Two branches from the origin, played on by different agents.
      EpisodePlay x = origin;
      Population x_agents = clone_all(spender);
      for (int t = 0; t < 5; ++t) x.play_turn(x_agents);
      EpisodePlay y = origin;
      Population y_agents = clone_all(idle);
      for (int t = 0; t < 8; ++t) y.play_turn(y_agents);
      // They differ after the origin: the over-spender's refused proposals.
      ASSERT_GT(x.trace().refused_proposals.size(), origin.trace().refused_proposals.size());
      ASSERT_EQ(y.trace().refused_proposals.size(), origin.trace().refused_proposals.size());
      EpisodePlay unrelated(v01(), spender, 31, o);  // the same episode, made anew
      Population u_agents = clone_all(idle);
      for (int t = 0; t < 3; ++t) unrelated.play_turn(u_agents);

      struct Case {
        const char* name;
        const EpisodePlay* from;
        const EpisodePlay* over;
        const Population* agents;  // what plays `from` on
      };
      const Case cases[] = {{"longer cousin over shorter", &y, &x, &y_agents},
                            {"shorter cousin over longer", &x, &y, &x_agents},
                            {"ancestor over descendant", &origin, &y, &spender},
                            {"descendant over ancestor", &x, &origin, &x_agents},
                            {"over an unrelated play", &y, &unrelated, &y_agents}};
      for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        EpisodePlay got = *c.over;
        got = *c.from;
        const EpisodePlay want(*c.from);  // a whole copy
        EXPECT_EQ(got.turn(), want.turn());
        EXPECT_EQ(state_digest(got.world()), state_digest(want.world()));
        EXPECT_EQ(got.world().log.size(), want.world().log.size());
        EXPECT_EQ(got.world().refused_proposals.size(), want.world().refused_proposals.size());
        EXPECT_EQ(proposals_text(got.world()), proposals_text(want.world()));
        EXPECT_EQ(got.trace().digests, want.trace().digests);
        EXPECT_EQ(trace_to_json(got.trace()), trace_to_json(want.trace()));
        // Both played on to the end by copies of the same agents.
        Population a = clone_all(*c.agents);
        Population b = clone_all(*c.agents);
        EpisodePlay want_more = want;
        while (!got.done()) got.play_turn(a);
        while (!want_more.done()) want_more.play_turn(b);
        EXPECT_EQ(proposals_text(got.world()), proposals_text(want_more.world()));
        EXPECT_EQ(trace_to_json(got.finish(default_suite()).trace),
                  trace_to_json(want_more.finish(default_suite()).trace));
      }
    }
  }
  EXPECT_GT(closed_at_origin, 0u);
  EXPECT_GT(open_at_origin, 0u);
}

TEST(EpisodePlay, RedTeamAgentsSayTheyCannotBeCopied) {
  const Population p = make_population(*parse_roster("honest:1,drainer:1"));
  EXPECT_NE(p[0]->clone(), nullptr);
  EXPECT_EQ(p[1]->clone(), nullptr);
}

TEST(HuntExecutor, StartingFromASnapshotGivesTheSameExecution) {
  const hunt::ExecutionSetup setup = v01_setup("honest:6,attacker:4", 9, 24);
  hunt::Executor ex(setup);
  ASSERT_TRUE(ex.can_snapshot());
  hunt::Mutation m;
  for (int t = 1; t <= 24; t += 3) m.insertions.push_back({t, t % 4});
  const std::vector<int> at{6, 12, 18};
  std::vector<hunt::SnapshotPtr> saved;
  EpisodeResult first_episode;
  const hunt::Execution first = ex.run(hunt::Genome{}, m, 77, &first_episode, nullptr, at, &saved);
  ASSERT_EQ(saved.size(), 3u);
  EXPECT_EQ(saved[1]->play.turn(), 12);
  // A child that inserts at turn 15 and later: from turn 12's world or from turn 1.
  hunt::Mutation later;
  later.insertions = {{15, 1}, {20, 3}};
  EpisodeResult from_start, from_saved;
  const hunt::Execution a = ex.run(first.genome, later, 5, &from_start);
  const hunt::Execution b = ex.run(first.genome, later, 5, &from_saved, saved[1].get());
  EXPECT_EQ(trace_to_json(from_start.trace), trace_to_json(from_saved.trace));
  EXPECT_EQ(a.features, b.features);
  ASSERT_EQ(a.genome.moves.size(), b.genome.moves.size());
  for (std::size_t i = 0; i < a.genome.moves.size(); ++i) {
    EXPECT_EQ(a.genome.moves[i].turn, b.genome.moves[i].turn);
    EXPECT_EQ(a.genome.moves[i].round, b.genome.moves[i].round);
    EXPECT_EQ(a.genome.moves[i].attacker, b.genome.moves[i].attacker);
  }
  EXPECT_GT(a.genome.moves.size(), first.genome.moves.size()) << "the insertions were played";
}

// probe() copies its scratch episode from a state once and rewinds it for
// the next child of the same state: every probe reads what extend() reaches,
// in any order of states and children.
TEST(HuntExecutor, ProbingChildrenInAnyOrderReadsWhatExtendingReaches) {
  const hunt::ExecutionSetup setup = v01_setup("honest:6,attacker:3", 8, 12);
  hunt::Executor ex(setup);
  ASSERT_TRUE(ex.can_snapshot());
  // Two states: after 5 turns with a spend passed by the coalition, and after 5 quiet turns.
  std::vector<hunt::Snapshot> states;
  for (const bool act : {true, false}) {
    std::optional<hunt::Snapshot> s;
    s.emplace(ex.initial());
    for (int t = 1; t <= 5; ++t) {
      std::vector<hunt::Move> moves;
      if (act && t == 2) {
        moves.push_back({t, 0, 0, Action::propose({ProposalItem::spend(6, 40 * kMoneyScale)})});
        moves.push_back({t, 1, 1, Action::vote(ProposalRef::by_origin(6, t, 0), Choice::kYes)});
      }
      s.emplace(ex.extend(&*s, moves));
    }
    states.push_back(std::move(*s));
  }
  std::vector<std::vector<hunt::Move>> children(4);
  children[1].push_back({6, 0, 0, Action::propose({ProposalItem::spend(7, 90 * kMoneyScale)})});
  children[1].push_back({6, 1, 2, Action::vote(ProposalRef::by_origin(6, 6, 0), Choice::kYes)});
  children[2].push_back({6, 0, 1, Action::transfer(6, 1 * kMoneyScale)});
  children[3].push_back({6, 0, 2, Action::propose({ProposalItem::disenfranchise(0)})});
  // What each (state, child) reaches, from a fresh extend.
  std::vector<std::vector<hunt::Executor::Probe>> expected(states.size());
  for (std::size_t i = 0; i < states.size(); ++i) {
    for (const auto& c : children) {
      const hunt::Snapshot next = ex.extend(&states[i], c);
      expected[i].push_back({next.progress.scores(), next.play.trace().digests.back()});
    }
  }
  const std::vector<std::pair<std::size_t, std::size_t>> order{
      {0, 0}, {0, 1}, {0, 2}, {0, 1}, {1, 3}, {1, 0}, {0, 3}, {0, 0}, {1, 1}, {1, 2}};
  std::size_t distinct = 0;
  for (const auto& [i, c] : order) {
    SCOPED_TRACE(::testing::Message() << "state " << i << " child " << c);
    const hunt::Executor::Probe p = ex.probe(states[i], children[c]);
    EXPECT_EQ(p.digest, expected[i][c].digest);
    EXPECT_EQ(p.scores.value, expected[i][c].scores.value);
    distinct += p.digest != expected[i][(c + 1) % children.size()].digest ? 1 : 0;
  }
  EXPECT_GT(distinct, 0u) << "the children reach different worlds";
}

// A lookahead state's novelty (the detectors new to the hunt that fire on
// it) takes the attackers' objectives from the state's progress when they
// are the whole red team: the score must be the one read from the trace
// alone, and the detectors that fire, for any set of detectors already
// known, the names among the whole suite's findings on the trace that are
// not known, turn after turn, and also with another red role in the roster
// (then read again from the trace).
TEST(HuntExecutor, LookaheadNoveltyIsThatOfTheWholeTrace) {
  const DetectorSuite suite = default_suite();
  for (const char* roster : {"honest:6,attacker:3", "honest:5,drainer:1,attacker:3"}) {
    SCOPED_TRACE(roster);
    const hunt::ExecutionSetup setup = v01_setup(roster, 5, 14);
    hunt::Executor ex(setup);
    // A script with findings: legal moves drawn at every turn for every
    // attacker, from the first stream (seed) that gives some.
    hunt::Mutation drawn;
    for (int t = 1; t <= setup.options.turns; ++t) {
      for (int k = 0; k < 3; ++k) drawn.insertions.push_back({t, k});
    }
    hunt::Genome script;
    for (std::uint64_t seed = 0; seed < 64 && script.moves.empty(); ++seed) {
      hunt::Execution e = ex.run(hunt::Genome{}, drawn, seed);
      if (!e.findings.empty()) script = std::move(e.genome);
    }
    ASSERT_FALSE(script.moves.empty()) << "no drawn script has findings";
    // Played a turn at a time as the lookahead does, then compared turn by turn.
    std::optional<hunt::Snapshot> s;
    s.emplace(ex.initial());
    std::size_t with_findings = 0;
    std::size_t objectives_above_0 = 0;
    std::size_t next = 0;
    for (int t = 1; t <= setup.options.turns; ++t) {
      std::vector<hunt::Move> moves;
      while (next < script.moves.size() && script.moves[next].turn == t) {
        moves.push_back(script.moves[next++]);
      }
      s.emplace(ex.extend(&*s, moves));
      const EpisodeTrace& trace = s->play.trace();
      const EpisodeScore whole = score_episode(trace);
      const EpisodeScore given = ex.score_of(*s);
      EXPECT_EQ(given.objectives.value, whole.objectives.value) << "turn " << t;
      EXPECT_EQ(given.governance_score, whole.governance_score) << "turn " << t;
      EXPECT_EQ(given.invariant_breaches, whole.invariant_breaches) << "turn " << t;
      for (const double v : whole.objectives.value) objectives_above_0 += v > 0 ? 1 : 0;
      const std::vector<ExploitFinding> expected = suite.run(trace, whole, FindingTexts::kSkip);
      // Known: none, every other detector that fired here, every one.
      std::vector<std::string> fired;
      for (const ExploitFinding& f : expected) fired.push_back(f.name);
      std::sort(fired.begin(), fired.end());
      fired.erase(std::unique(fired.begin(), fired.end()), fired.end());
      std::vector<std::string> every_other;
      for (std::size_t k = 0; k < fired.size(); k += 2) every_other.push_back(fired[k]);
      for (const std::vector<std::string>& known :
           {std::vector<std::string>{}, every_other, fired}) {
        std::vector<std::string> want;
        for (const std::string& name : fired) {
          if (!std::binary_search(known.begin(), known.end(), name)) want.push_back(name);
        }
        std::vector<std::string> got;
        for (std::string_view name : ex.new_detectors(*s, known)) got.emplace_back(name);
        std::sort(got.begin(), got.end());
        EXPECT_EQ(got, want) << "turn " << t << ", " << known.size() << " known";
      }
      with_findings += expected.empty() ? 0 : 1;
    }
    EXPECT_EQ(next, script.moves.size());
    EXPECT_GT(with_findings, 0u) << "some state has findings to compare";
    EXPECT_GT(objectives_above_0, 0u) << "some objective to compare";
  }
}

TEST(HuntExecutor, ExtendingTurnByTurnEqualsOneRun) {
  const hunt::ExecutionSetup setup = v01_setup("honest:6,attacker:3", 4, 10);
  hunt::Executor ex(setup);
  std::optional<hunt::Snapshot> s;
  s.emplace(ex.initial());
  hunt::Genome script;
  for (int t = 1; t <= 10; ++t) {
    std::vector<hunt::Move> moves;
    if (t % 3 == 1) {
      moves.push_back({t, 0, 0, Action::propose({ProposalItem::spend(6, 5 * kMoneyScale)})});
      moves.push_back({t, 1, 1, Action::vote(ProposalRef::by_origin(6, t, 0), Choice::kYes)});
    }
    script.moves.insert(script.moves.end(), moves.begin(), moves.end());
    s.emplace(ex.extend(&*s, moves));
    ASSERT_EQ(s->play.turn(), t);
  }
  EpisodeResult stepped, whole;
  const hunt::Execution a = ex.finish(std::move(*s), &stepped);
  const hunt::Execution b = ex.run(script, hunt::Mutation{}, 0, &whole);
  EXPECT_EQ(trace_to_json(stepped.trace), trace_to_json(whole.trace));
  EXPECT_EQ(a.genome.moves.size(), script.moves.size());
  EXPECT_EQ(a.features, b.features);
}

// The lookahead extends one state several ways, and extend() hands its
// agents and moves to the new state rather than copying them: the parent
// must stay intact for its next child, and a run from turn 1 afterwards must
// be the run a fresh executor makes.
TEST(HuntExecutor, SiblingsOfOneStateAndALaterRunAreUnaffected) {
  const hunt::ExecutionSetup setup = v01_setup("honest:6,attacker:3", 8, 8);
  hunt::Executor ex(setup);
  ASSERT_TRUE(ex.can_snapshot());
  // A common prefix of 4 turns, then two different continuations.
  hunt::Genome prefix;
  std::optional<hunt::Snapshot> s;
  s.emplace(ex.initial());
  for (int t = 1; t <= 4; ++t) {
    std::vector<hunt::Move> moves;
    if (t == 2) moves.push_back({t, 0, 0, Action::propose({ProposalItem::spend(6, kMoneyScale)})});
    prefix.moves.insert(prefix.moves.end(), moves.begin(), moves.end());
    s.emplace(ex.extend(&*s, moves));
  }
  const auto branch = [&](int recipient) {
    hunt::Genome script = prefix;
    std::optional<hunt::Snapshot> c;
    for (int t = 5; t <= 8; ++t) {
      std::vector<hunt::Move> moves;
      if (t == 5) {
        moves.push_back({t, 0, 1, Action::propose({ProposalItem::spend(recipient, kMoneyScale)})});
      }
      script.moves.insert(script.moves.end(), moves.begin(), moves.end());
      c.emplace(ex.extend(t == 5 ? &*s : &*c, moves));
    }
    EpisodeResult stepped;
    const hunt::Execution e = ex.finish(std::move(*c), &stepped);
    return std::make_pair(script, trace_to_json(stepped.trace));
  };
  const auto [script_a, trace_a] = branch(7);
  const auto [script_b, trace_b] = branch(kAllCitizens);
  EXPECT_NE(trace_a, trace_b);
  hunt::Executor fresh(setup);
  for (const auto& [script, trace] : {std::pair{script_a, trace_a}, std::pair{script_b, trace_b}}) {
    EpisodeResult whole, whole_fresh;
    const hunt::Execution again = ex.run(script, hunt::Mutation{}, 0, &whole);
    const hunt::Execution made = fresh.run(script, hunt::Mutation{}, 0, &whole_fresh);
    EXPECT_EQ(trace_to_json(whole.trace), trace);
    EXPECT_EQ(trace_to_json(whole_fresh.trace), trace);
    EXPECT_EQ(again.genome.moves.size(), script.moves.size());
    EXPECT_EQ(made.features, again.features);
  }
}

// flatten() joins a chain of played moves in play order.
TEST(HuntExecutor, PlayedMovesFlattenInOrder) {
  const auto move = [](int turn) { return hunt::Move{turn, 0, 0, Action::pass()}; };
  const auto first = std::make_shared<const hunt::PlayedMoves>(
      nullptr, std::vector<hunt::Move>{move(1), move(1), move(2)});
  const auto second = std::make_shared<const hunt::PlayedMoves>(first, std::vector<hunt::Move>{});
  const auto third =
      std::make_shared<const hunt::PlayedMoves>(second, std::vector<hunt::Move>{move(4), move(5)});
  EXPECT_EQ(third->total, 5u);
  const hunt::Genome g = hunt::flatten(third.get(), 3);
  std::vector<int> turns;
  for (const hunt::Move& m : g.moves) turns.push_back(m.turn);
  EXPECT_EQ(turns, (std::vector<int>{1, 1, 2, 4, 5}));
  EXPECT_GE(g.moves.capacity(), 8u);
  EXPECT_TRUE(hunt::flatten(nullptr).moves.empty());
}

}  // namespace
}  // namespace fable
