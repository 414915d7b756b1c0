// The leaderboard: one row per matchup, sorted by name, with means over its
// episodes, the worst trough and findings counted by category; its capture
// rate counts an episode with any of the seven capture flags.
#include <gtest/gtest.h>

#include "support/scripted_episode.h"
#include "tournament/leaderboard.h"

namespace fable {
namespace {

EpisodeScore score(double governance, double trough, bool captured) {
  EpisodeScore s;
  s.governance_score = governance;
  s.empathy_floor_trough = trough;
  s.treasury_final = 10 * governance;
  s.capture.drain = captured;
  return s;
}

ExploitFinding finding(Category c) {
  ExploitFinding f;
  f.category = c;
  return f;
}

TEST(Leaderboard, AccumulatesRowsPerMatchupSortedByName) {
  Leaderboard board;
  board.add("zeta", score(10, 0.5, false), {});
  board.add("alpha", score(20, 0.25, true),
            {finding(Category::kDrain), finding(Category::kDrain), finding(Category::kEmpathy)});
  board.add("alpha", score(40, 0.75, false), {finding(Category::kSuppress)});
  const std::vector<LeaderboardRow> rows = board.rows();
  ASSERT_EQ(rows.size(), 2u);
  const LeaderboardRow& a = rows[0];
  EXPECT_EQ(a.matchup, "alpha");
  EXPECT_EQ(a.episodes, 2);
  EXPECT_DOUBLE_EQ(a.mean_governance_score, 30);
  EXPECT_DOUBLE_EQ(a.mean_treasury_final, 300);
  EXPECT_DOUBLE_EQ(a.mean_empathy_floor, 0.5);
  EXPECT_DOUBLE_EQ(a.worst_empathy_trough, 0.25);
  EXPECT_DOUBLE_EQ(a.capture_rate, 0.5);
  EXPECT_EQ(a.total_findings, 4);
  EXPECT_EQ(a.episodes_with_findings, 2);
  EXPECT_EQ(a.findings_by_category, (std::vector<int>{2, 0, 1, 0, 1}));
  EXPECT_EQ(a.episodes_with_category, (std::vector<int>{1, 0, 1, 0, 1}));
  EXPECT_EQ(rows[1].matchup, "zeta");
  EXPECT_DOUBLE_EQ(rows[1].worst_empathy_trough, 0.5);
  EXPECT_EQ(rows[1].episodes_with_findings, 0);
}

TEST(Leaderboard, TheCaptureRateCountsEveryObjectivesFlag) {
  Leaderboard board;
  int flags = 0;
  for (bool CaptureFlags::*flag :
       {&CaptureFlags::drain, &CaptureFlags::entrench, &CaptureFlags::suppress,
        &CaptureFlags::paralysis, &CaptureFlags::emergency, &CaptureFlags::exit,
        &CaptureFlags::timing}) {
    EpisodeScore s = score(50, 0.5, false);
    s.capture.*flag = true;
    board.add("one-flag", s, {});
    board.add("one-flag", score(50, 0.5, false), {});
    ++flags;
  }
  const std::vector<LeaderboardRow> rows = board.rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].episodes, 2 * flags);
  EXPECT_DOUBLE_EQ(rows[0].capture_rate, 0.5);
}

TEST(Leaderboard, CountsCapturesPerObjectiveInObjectiveOrder) {
  Leaderboard board;
  EpisodeScore s = score(50, 0.5, false);
  s.capture.timing = true;
  s.capture.drain = true;
  board.add("m", s, {});
  s.capture.drain = false;
  board.add("m", s, {});
  board.add("m", score(50, 0.5, false), {});
  const std::vector<LeaderboardRow> rows = board.rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].capture_by_objective[static_cast<std::size_t>(Objective::kDrain)].successes, 1);
  EXPECT_EQ(rows[0].capture_by_objective[static_cast<std::size_t>(Objective::kTiming)].successes,
            2);
  EXPECT_EQ(rows[0].capture_by_objective[static_cast<std::size_t>(Objective::kExit)].successes, 0);
  EXPECT_DOUBLE_EQ(rows[0].capture_rate, 2.0 / 3.0);
}

TEST(Leaderboard, APurelyParalysedCommonsCountsAsCaptured) {
  // v0.2, 2 of 10 raise the spend threshold 0.5 -> 0.9 and all vote yes: the
  // others can still amend, but no longer spend without the two. Only the
  // paralysis flag is up, and the episode counts as captured.
  testing::ScriptedEpisode e(testing::v02(), 2, "entrencher", 8);
  e.pass(0, {ProposalItem::amendment(ParamId::kThresholdSpend, testing::V(0.9))}, e.on_roll());
  e.idle(2);
  const EpisodeScore s = score_episode(e.trace());
  EXPECT_TRUE(s.capture.paralysis);
  EXPECT_FALSE(s.capture.drain || s.capture.entrench || s.capture.suppress || s.capture.emergency ||
               s.capture.exit || s.capture.timing);
  Leaderboard board;
  board.add("paralysed", s, {});
  board.add("paralysed", score(100, 1.0, false), {});
  EXPECT_DOUBLE_EQ(board.rows()[0].capture_rate, 0.5);
  EXPECT_EQ(s.governance_score, 0.0);
}

}  // namespace
}  // namespace fable
