// threshold_lock (docs/detectors.md): issue 11's capture of kernel v0.2 by a
// "tightening" amendment. 2 of 10 raise a bar, everyone votes yes, and the 2
// then hold a veto. Fires on the amendment threshold and on the quorum (which
// threshold_ratchet misses: it judges the undo by the amendment threshold
// alone, never by the quorum the bloc's absence sinks); silent when the
// others can still pass against the bloc.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/scripted_episode.h"

namespace fable::testing {
namespace {

// Two entrenchers of ten; red-01 proposes `param` -> `value`, all vote yes,
// then the episode runs until it is in force (v0.2: 3-turn window, 2-turn delay).
ScriptedEpisode raised_by_two(ParamId param, double value) {
  ScriptedEpisode e(v02(), 2, "entrencher", 8);
  e.pass(0, {ProposalItem::amendment(param, V(value))}, e.on_roll());
  e.idle(3);
  EXPECT_EQ(get_param(e.w().params(), param).number, value);
  return e;
}

TEST(ThresholdLock, FiresOnTheIssueExampleAmendmentThresholdToNinety) {
  const ScriptedEpisode e = raised_by_two(ParamId::kThresholdAmendment, 0.9);
  const auto f = e.findings("threshold_lock");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].category, Category::kEntrench);
  EXPECT_EQ(f[0].severity, 5);  // a veto over amendments: the lock cannot be undone
  EXPECT_EQ(f[0].turn, 5);      // passed at turn 3, in force two turns later
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"red-01"});
  EXPECT_EQ(evidence_of(f[0], "amendment_vetoes"), "1");
  EXPECT_EQ(evidence_of(f[0], "spend_vetoes"), "0");
  EXPECT_EQ(evidence_of(f[0], "first"),
            "the red team raised voting.thresholds.amendment 0.667 -> 0.9 in force at turn 5 "
            "holding 2 of 10 on the roll; the other 8, voting yes together against its no or "
            "absence, can no longer pass an amendment");
  // The objective of the same capture agrees.
  EXPECT_EQ(evidence_of(f[0], "entrench_objective"), "1");
  EXPECT_EQ(f[0].kernel_clauses,
            (std::vector<std::string>{"A3", "A4", "voting.quorum", "voting.threshold_base",
                                      "voting.thresholds.amendment", "voting.thresholds.spend"}));
  EXPECT_EQ(f[0].proposed_guard,
            "new clause: no quorum or threshold above 0.75, so that no bloc under 25.0% of the "
            "roll can hold a veto (raising a bar is a minor bump: tightening, yet it hands the "
            "few a veto)");
}

TEST(ThresholdLock, ASpendVetoIsALockOfLowerSeverity) {
  const ScriptedEpisode e = raised_by_two(ParamId::kThresholdSpend, 0.9);
  const auto f = e.findings("threshold_lock");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, 4);  // the others can still amend it away
  EXPECT_EQ(evidence_of(f[0], "amendment_vetoes"), "0");
  EXPECT_EQ(evidence_of(f[0], "spend_vetoes"), "1");
  EXPECT_EQ(evidence_of(f[0], "paralysis_objective"), "1");
}

TEST(ThresholdLock, FiresOnAQuorumTheBlocsAbsenceSinksWhereTheRatchetIsSilent) {
  // Quorum 0.9: the other 8 of 10 cast 0.8 when the 2 stay away. The undo
  // needs 0.667 of the ballots, which the 8 hold, so threshold_ratchet sees no lock.
  const ScriptedEpisode e = raised_by_two(ParamId::kVotingQuorum, 0.9);
  const auto f = e.findings("threshold_lock");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, 5);
  EXPECT_EQ(evidence_of(f[0], "amendment_vetoes"), "1");
  EXPECT_EQ(evidence_of(f[0], "spend_vetoes"), "1");
  EXPECT_TRUE(e.findings("threshold_ratchet").empty());
}

TEST(ThresholdLock, SilentWhenTheOthersStillReachTheRaisedBar) {
  // 0.8: the other 8 of 10 still reach it against the 2.
  const ScriptedEpisode e = raised_by_two(ParamId::kThresholdAmendment, 0.8);
  EXPECT_TRUE(e.findings("threshold_lock").empty());
}

TEST(ThresholdLock, SilentWhenTheBlocHoldsHalfTheRoll) {
  // Five of ten already block any amendment at 0.667; raising the bar hands
  // them nothing they did not hold, and they are no minority.
  ScriptedEpisode e(v02(), 5, "entrencher", 5);
  e.pass(0, {ProposalItem::amendment(ParamId::kThresholdAmendment, V(0.9))}, e.on_roll());
  e.idle(3);
  ASSERT_EQ(e.w().params().threshold(ThresholdKind::kAmendment), 0.9);
  EXPECT_TRUE(e.findings("threshold_lock").empty());
}

}  // namespace
}  // namespace fable::testing
