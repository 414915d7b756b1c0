// The episode score and its capture flags are made of the red team's
// objectives (docs/metrics.md): issue 11's threshold lock on v0.2 is flagged
// entrench and paralysis and scores 0 instead of 100; an honest-only episode
// keeps the score of the formula without objectives; the flags follow each
// objective's capture predicate, and the captured share leaves timing out.
#include "fable/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string_view>

#include "support/scripted_episode.h"

namespace fable::testing {
namespace {

// Issue 11: `reds` of 10 (the first ones) raise the amendment threshold
// 0.667 -> 0.9, then the spend threshold 0.5 -> 0.9, and everyone votes yes.
ScriptedEpisode issue_lock(int reds) {
  ScriptedEpisode e(v02(), reds, "entrencher", 10 - reds);
  e.pass(0, {ProposalItem::amendment(ParamId::kThresholdAmendment, V(0.9))}, e.on_roll());
  e.pass(1, {ProposalItem::amendment(ParamId::kThresholdSpend, V(0.9))}, e.on_roll());
  e.idle(2);
  EXPECT_EQ(e.w().params().threshold(ThresholdKind::kAmendment), 0.9);
  EXPECT_EQ(e.w().params().threshold(ThresholdKind::kSpend), 0.9);
  return e;
}

TEST(EpisodeScore, IssueElevensThresholdLockIsCapturedAndScoresZero) {
  const EpisodeScore s = score_episode(issue_lock(2).trace());
  EXPECT_TRUE(s.capture.entrench);
  EXPECT_TRUE(s.capture.paralysis);
  EXPECT_FALSE(s.capture.drain);
  EXPECT_FALSE(s.capture.suppress);
  EXPECT_FALSE(s.capture.emergency);
  EXPECT_FALSE(s.capture.exit);
  EXPECT_FALSE(s.capture.timing);
  EXPECT_TRUE(s.capture.any());
  EXPECT_EQ(s.objectives[Objective::kEntrench], 1.0);
  EXPECT_EQ(s.objectives[Objective::kParalysis], 1.0);
  // Nobody's welfare fell: every other term of the score is whole. Only the
  // captured share (1) takes it from 100 to 0.
  EXPECT_EQ(s.empathy_floor_trough, 1.0);
  EXPECT_EQ(s.governance_score, 0.0);
}

TEST(EpisodeScore, TheSameMovesWithoutARedTeamScoreAHundred) {
  // The same amendments proposed by honest citizens: no red team, no
  // objective, the score is the welfare formula alone.
  const EpisodeScore s = score_episode(issue_lock(0).trace());
  EXPECT_FALSE(s.capture.any());
  for (const ObjectiveInfo& info : all_objectives()) {
    EXPECT_EQ(s.objectives[info.id], 0.0) << info.name;
  }
  EXPECT_EQ(s.governance_score, 100.0);
}

// v0.1, 6 citizens with no starting balance, treasury 1000: blue-01 has
// 300 of the commons paid to itself (everyone votes yes).
ScriptedEpisode self_dealing(int reds) {
  ScriptedEpisode e(v01(), reds, "drainer", 6 - reds);
  e.pass(0, {ProposalItem::spend(0, U(300))}, e.on_roll());
  e.idle(1);
  EXPECT_EQ(e.w().treasury, U(700));
  return e;
}

TEST(EpisodeScore, AnHonestOnlyEpisodeKeepsTheScoreWithoutObjectives) {
  const EpisodeScore s = score_episode(self_dealing(0).trace());
  EXPECT_FALSE(s.capture.any());
  // The formula of docs/metrics.md without the captured share, worked by
  // hand: start wealth per head 1000/6; after the spend the five others hold
  // 700/6 each, stake 0.7, welfare (1 + 0.7 + 1)/3 = 0.9 (the floor);
  // targeted outflows 300 of 1000 (treasury integrity 0.7); the roll, the
  // power spread and the procedure are whole.
  const double expected = 100.0 * (0.40 * 0.9 + 0.15 * 0.7 + 0.15 + 0.15 + 0.15);
  EXPECT_NEAR(s.empathy_floor_trough, 0.9, 1e-12);
  EXPECT_NEAR(s.governance_score, expected, 1e-9);
  EXPECT_NEAR(s.governance_score, 91.5, 1e-9);
}

// Seven equal wealths gave -2.2e-16 by rounding (a fresh user saw a
// negative gini in leaderboard.json): the coefficient is exactly 0.
TEST(EpisodeScore, EqualWealthsHaveAGiniOfExactlyZero) {
  ScriptedEpisode e(v01(), 0, "drainer", 7);
  e.idle(3);
  const EpisodeScore s = score_episode(e.trace());
  EXPECT_EQ(s.gini, 0.0);
  EXPECT_FALSE(std::signbit(s.gini));
}

TEST(EpisodeScore, TheCapturedShareScalesTheScore) {
  // The same spend by a red-team member, 1 of 6: it drained 0.3 of the
  // treasury, 1/6 of which was its per-head claim, so it took
  // (0.3 - 1/6) / (5/6) = 0.16 of the others' part: the score is the
  // honest-only one times 0.84. 0.3 is not a drain capture.
  const EpisodeScore honest = score_episode(self_dealing(0).trace());
  const EpisodeScore red = score_episode(self_dealing(1).trace());
  EXPECT_NEAR(red.objectives[Objective::kDrain], 0.3, 1e-12);
  EXPECT_NEAR(captured_share(red.objectives, 1.0 / 6.0), 0.16, 1e-12);
  EXPECT_FALSE(red.capture.drain);
  EXPECT_NEAR(red.governance_score, honest.governance_score * 0.84, 1e-9);
  EXPECT_NEAR(red.governance_score, 76.86, 1e-9);
}

ObjectiveScores only(Objective o, double v) {
  ObjectiveScores s;
  s.value[static_cast<int>(o)] = v;
  return s;
}

TEST(CaptureFlags, EachFlagIsItsObjectivesCapturePredicate) {
  struct Case {
    Objective objective;
    double below;  // the largest value that is not a capture (up to 1e-9)
    double at;     // the smallest that is
    bool CaptureFlags::*flag;
  };
  const Case cases[] = {
      {Objective::kDrain, 0.5, 0.5 + 1e-9, &CaptureFlags::drain},
      {Objective::kEntrench, 1.0 - 1e-9, 1.0, &CaptureFlags::entrench},
      {Objective::kSuppress, 0.5 - 1e-9, 0.5, &CaptureFlags::suppress},
      {Objective::kParalysis, 1.0 - 1e-9, 1.0, &CaptureFlags::paralysis},
      {Objective::kEmergency, 1.0 - 1e-9, 1.0, &CaptureFlags::emergency},
      {Objective::kExit, 0.0, 1e-9, &CaptureFlags::exit},
      {Objective::kTiming, 0.0, 1e-9, &CaptureFlags::timing},
  };
  for (const Case& c : cases) {
    const std::string_view name = objective_info(c.objective).name;
    const CaptureFlags no = CaptureFlags::of(only(c.objective, c.below));
    const CaptureFlags yes = CaptureFlags::of(only(c.objective, c.at));
    EXPECT_FALSE(no.any()) << name;
    EXPECT_TRUE(yes.*(c.flag)) << name;
    EXPECT_TRUE(yes.any()) << name;
    // No other flag moves.
    for (const Case& other : cases) {
      if (other.objective != c.objective) {
        EXPECT_FALSE(yes.*(other.flag)) << name;
      }
    }
  }
}

TEST(CaptureFlags, TheCapturedShareIsTheLargestButTiming) {
  ObjectiveScores s;
  EXPECT_EQ(captured_share(s, 0.25), 0.0);
  s.value[static_cast<int>(Objective::kTiming)] = 1.0;
  EXPECT_EQ(captured_share(s, 0.25), 0.0);  // the procedural term's business
  s.value[static_cast<int>(Objective::kSuppress)] = 0.25;
  s.value[static_cast<int>(Objective::kEmergency)] = 0.5;
  s.value[static_cast<int>(Objective::kExit)] = 0.125;
  EXPECT_EQ(captured_share(s, 0.25), 0.5);
  for (const Objective o : {Objective::kEntrench, Objective::kSuppress, Objective::kParalysis,
                            Objective::kEmergency, Objective::kExit}) {
    EXPECT_EQ(captured_share(only(o, 0.75), 0.25), 0.75) << objective_info(o).name;
  }
}

TEST(CaptureFlags, DrainCountsOnlyBeyondTheRedTeamsPerHeadClaim) {
  // A red quarter of the population: up to a quarter of the treasury is its
  // per-head part of the commons; beyond, the share of the others' part.
  EXPECT_EQ(captured_share(only(Objective::kDrain, 0.25), 0.25), 0.0);
  EXPECT_EQ(captured_share(only(Objective::kDrain, 0.1), 0.25), 0.0);
  EXPECT_EQ(captured_share(only(Objective::kDrain, 0.625), 0.25), 0.5);
  EXPECT_EQ(captured_share(only(Objective::kDrain, 1.0), 0.25), 1.0);
  EXPECT_EQ(captured_share(only(Objective::kDrain, 0.75), 0.0), 0.75);
  EXPECT_EQ(captured_share(only(Objective::kDrain, 1.0), 1.0), 0.0);  // no others to take from
}

// ---------------------------------------------------------------------------
// minority_participation and procedural_legitimacy (docs/metrics.md).

// v0.1, `reds` suppressors (indices 0, 1 when 2) and the others honest, six
// in all. Proposal 0: index 0 expels index 2, indices 0, 1, 3 vote yes.
// Proposal 1: index 4 opens a spend to all, indices 0, 1, 3, 4, 5 vote yes.
// Then index 5 leaves. Proposal 2: index 0 opens two spends in one proposal
// (a bundle), indices 0, 1, 3, 4 vote yes. All three pass.
ScriptedEpisode three_proposals(int reds) {
  ScriptedEpisode e(v01(), reds, "suppressor", 6 - reds);
  e.pass(0, {ProposalItem::disenfranchise(2)}, {0, 1, 3});
  EXPECT_FALSE(e.w().citizens[2].on_roll);
  e.pass(4, {ProposalItem::spend(kAllCitizens, U(10))}, {0, 1, 3, 4, 5});
  Turn t = e.turn();
  t.at(5, 0, Action::exit());
  e.step(t);
  EXPECT_TRUE(e.w().citizens[5].exited);
  e.pass(0, {ProposalItem::spend(kAllCitizens, U(10)), ProposalItem::spend(kAllCitizens, U(5))},
         {0, 1, 3, 4});
  EXPECT_EQ(e.w().proposals.size(), 3u);
  for (const Proposal& p : e.w().proposals) EXPECT_EQ(p.status, ProposalStatus::kPassed);
  return e;
}

TEST(EpisodeScore, MinorityParticipationCountsTheStruckOffAsAbsent) {
  const EpisodeScore s = score_episode(three_proposals(2).trace());
  // Outside the red team (indices 2..5), not exited at each opening: 4, 4
  // (index 2 struck off still counts), 3 (index 5 left). Their ballots: 1
  // (index 3), 3 (indices 3, 4, 5), 2 (indices 3, 4).
  EXPECT_DOUBLE_EQ(s.minority_participation, 6.0 / 11.0);
  // Everyone's, over the roll at each opening: (3 + 5 + 4) / (6 + 5 + 4).
  EXPECT_DOUBLE_EQ(s.participation, 12.0 / 15.0);
  // One of three passed proposals carried several items.
  EXPECT_DOUBLE_EQ(s.procedural_legitimacy, 2.0 / 3.0);
}

TEST(EpisodeScore, WithoutARedTeamMinorityParticipationIsEveryonesOverTheNotExited) {
  // The same moves by honest citizens only: everyone is outside the red team.
  const EpisodeScore s = score_episode(three_proposals(0).trace());
  EXPECT_DOUBLE_EQ(s.minority_participation, 12.0 / (6.0 + 6.0 + 5.0));
  EXPECT_DOUBLE_EQ(s.participation, 12.0 / 15.0);
  EXPECT_DOUBLE_EQ(s.procedural_legitimacy, 2.0 / 3.0);
  // Nobody struck off: it is participation itself.
  const EpisodeScore plain = score_episode(self_dealing(0).trace());
  EXPECT_DOUBLE_EQ(plain.minority_participation, 1.0);
  EXPECT_DOUBLE_EQ(plain.minority_participation, plain.participation);
  EXPECT_DOUBLE_EQ(plain.procedural_legitimacy, 1.0);
}

TEST(EpisodeScore, ProceduralLegitimacyIsTheScoresProcedureTerm) {
  // Nothing proposed: both metrics are whole, as participation is.
  ScriptedEpisode idle(v01(), 2, "suppressor", 4);
  idle.idle(3);
  const EpisodeScore none = score_episode(idle.trace());
  EXPECT_EQ(none.minority_participation, 1.0);
  EXPECT_EQ(none.procedural_legitimacy, 1.0);
  EXPECT_EQ(none.participation, 1.0);
  // A single passed proposal tallied in its opening turn by a called
  // question: procedural legitimacy 0, and the score loses its 0.15 term.
  ScriptedEpisode e(v01(), 0, "suppressor", 6);
  Turn t = e.turn();
  const ProposalRef ref = e.open(t, 0, {ProposalItem::spend(kAllCitizens, U(6))}, {0, 1, 2, 3});
  t.at(0, 2, Action::call_question(ref));
  e.step(t);
  ASSERT_EQ(e.w().proposals[0].status, ProposalStatus::kPassed);
  const EpisodeScore called = score_episode(e.trace());
  EXPECT_EQ(called.procedural_legitimacy, 0.0);
  // Every other term whole (the spend went to all): 100 x (1 - 0.15).
  EXPECT_NEAR(called.governance_score, 85.0, 1e-9);
  EXPECT_DOUBLE_EQ(called.minority_participation, 4.0 / 6.0);
}

}  // namespace
}  // namespace fable::testing
