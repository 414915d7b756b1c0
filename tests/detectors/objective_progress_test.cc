// ObjectiveProgress: objectives read turn by turn (and followed by copies,
// as a lookahead's children follow their parent) are exactly the objectives
// of the whole trace read at once, bit for bit, after every turn.
#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "fable/agent.h"
#include "fable/detector.h"
#include "fable/episode.h"
#include "fable/objectives.h"
#include "fable/population.h"
#include "support/kernels.h"

namespace fable {
namespace {

void expect_same(const ObjectiveScores& read, const ObjectiveScores& whole) {
  for (int o = 0; o < kObjectiveCount; ++o) {
    // Exact: the incremental reading must not drift by a rounding.
    EXPECT_EQ(read.value[o], whole.value[o]) << all_objectives()[o].name;
  }
}

TEST(ObjectiveProgress, ReadingTurnByTurnEqualsReadingTheWholeTrace) {
  const std::vector<std::string> rosters = {
      "honest:5,drainer:2",          "honest:5,entrencher:2",
      "honest:5,suppressor:2",       "honest:9,drainer:11",
      "honest:6,emergency_abuser:2", "honest:6,timing_attacker:2",
      "honest:6,exit_blocker:2",     "honest:4,drainer:1,entrencher:1,suppressor:1"};
  std::array<int, kObjectiveCount> nonzero{};
  std::size_t compared = 0;
  for (const char* file : {"kernel-v0.1.yaml", "kernel-v0.2.yaml"}) {
    const Kernel& kernel = testing::shipped_kernel(file);
    for (const std::string& text : rosters) {
      const Result<Roster> roster = parse_roster(text);
      ASSERT_TRUE(roster.ok()) << text;
      for (std::uint64_t seed = 0; seed < 4; ++seed) {
        SCOPED_TRACE(::testing::Message() << file << " " << text << " seed " << seed);
        Population agents = make_population(*roster);
        EpisodeOptions options;
        options.turns = 40;
        // Naive citizens and the commands' default population (whose
        // citizens try to leave: the exit objective).
        if (seed % 2 == 1) options.population = default_population();
        EpisodePlay play(kernel, agents, seed, options);
        const std::vector<AgentIndex> red = play.trace().red_team();
        ObjectiveProgress progress(play.trace(), red);
        progress.advance(play.trace());
        expect_same(progress.scores(), score_objectives(play.trace(), red));
        std::optional<EpisodePlay> copy;
        std::optional<ObjectiveProgress> copied;
        while (!play.done()) {
          play.play_turn(agents);
          progress.advance(play.trace());
          // Reading twice adds nothing.
          progress.advance(play.trace());
          const ObjectiveScores whole = score_objectives(play.trace(), red);
          expect_same(progress.scores(), whole);
          ++compared;
          for (int o = 0; o < kObjectiveCount; ++o) nonzero[o] += whole.value[o] > 0.0 ? 1 : 0;
          if (play.turn() == 15) {
            copy.emplace(play);
            copied.emplace(progress);
          }
        }
        // A copy made mid-episode and read on a copy of the trace, a turn at
        // a time or all at once at the end, ends where the original ended.
        ASSERT_TRUE(copy && copied);
        Population again = make_population(*roster);
        // The copy replays turns 16.. with fresh agents: what it reaches is
        // its own trace, which the copied progress must read like any other.
        ObjectiveProgress at_once = *copied;
        while (!copy->done()) {
          copy->play_turn(again);
          copied->advance(copy->trace());
        }
        at_once.advance(copy->trace());
        const ObjectiveScores whole = score_objectives(copy->trace(), red);
        expect_same(copied->scores(), whole);
        expect_same(at_once.scores(), whole);
      }
    }
  }
  EXPECT_GE(compared, 2000u);
  // Every objective is exercised by some state.
  for (int o = 0; o < kObjectiveCount; ++o) {
    EXPECT_GT(nonzero[o], 0) << all_objectives()[o].name << " never above 0";
  }
}

TEST(ObjectiveProgress, NoCoalitionScoresNothing) {
  const Kernel& kernel = testing::shipped_kernel("kernel-v0.1.yaml");
  const Result<Roster> roster = parse_roster("honest:5,drainer:2");
  ASSERT_TRUE(roster.ok());
  Population agents = make_population(*roster);
  EpisodeOptions options;
  options.turns = 10;
  EpisodePlay play(kernel, agents, 1, options);
  ObjectiveProgress none(play.trace(), {});
  ObjectiveProgress outside(play.trace(), std::vector<AgentIndex>{-1, 99});
  while (!play.done()) play.play_turn(agents);
  none.advance(play.trace());
  outside.advance(play.trace());
  expect_same(none.scores(), ObjectiveScores{});
  expect_same(outside.scores(), ObjectiveScores{});
  expect_same(ObjectiveProgress().scores(), ObjectiveScores{});
}

}  // namespace
}  // namespace fable
