// Saved worlds: an episode copied after some turn (EpisodePlay + Agent::clone)
// continues exactly as the original, and a hunt execution started from a
// snapshot equals the same execution played from turn 1.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fable/episode.h"
#include "fable/trace.h"
#include "hunt/executor.h"
#include "support/kernels.h"

namespace fable {
namespace {

const Kernel& v01() {
  return testing::shipped_kernel("kernel-v0.1.yaml");
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

TEST(EpisodePlay, RedTeamAgentsSayTheyCannotBeCopied) {
  const Population p = make_population(*parse_roster("honest:1,drainer:1"));
  EXPECT_NE(p[0]->clone(), nullptr);
  EXPECT_EQ(p[1]->clone(), nullptr);
}

TEST(HuntExecutor, StartingFromASnapshotGivesTheSameExecution) {
  hunt::ExecutionSetup setup{v01(), *parse_roster("honest:6,attacker:4"), 9, EpisodeOptions{}};
  setup.options.turns = 24;
  setup.options.matchup = "hunt";
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

TEST(HuntExecutor, ExtendingTurnByTurnEqualsOneRun) {
  hunt::ExecutionSetup setup{v01(), *parse_roster("honest:6,attacker:3"), 4, EpisodeOptions{}};
  setup.options.turns = 10;
  setup.options.matchup = "hunt";
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
  hunt::ExecutionSetup setup{v01(), *parse_roster("honest:6,attacker:3"), 8, EpisodeOptions{}};
  setup.options.turns = 8;
  setup.options.matchup = "hunt";
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
