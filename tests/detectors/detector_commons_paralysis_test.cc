// commons_paralysis (docs/detectors.md): the citizens outside the red team can
// no longer pass a spend or an amendment against its no or absence, after
// red-team amendments or expulsions. Fires on a raised spend threshold and
// quorum and on expulsions; silent when the others still reach the bar and
// when the red team did not bring it about.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/scripted_episode.h"

namespace fable::testing {
namespace {

// Two drainers of ten; `proposer` raises `param` to `value`, all vote yes.
ScriptedEpisode raised(AgentIndex proposer, ParamId param, double value) {
  ScriptedEpisode e(v02(), 2, "drainer", 8);
  e.pass(proposer, {ProposalItem::amendment(param, V(value))}, e.on_roll());
  e.idle(3);
  EXPECT_EQ(get_param(e.w().params(), param).number, value);
  return e;
}

TEST(CommonsParalysis, FiresWhenARaisedSpendThresholdStopsEveryHonestDistribution) {
  const ScriptedEpisode e = raised(0, ParamId::kThresholdSpend, 0.9);
  const auto f = e.findings("commons_paralysis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].category, Category::kSuppress);
  EXPECT_EQ(f[0].severity, 4);  // spends only: the others can still amend it away
  EXPECT_EQ(f[0].turn, 5);
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"red-01"});
  EXPECT_EQ(evidence_of(f[0], "paralysed"), "spend");
  EXPECT_EQ(evidence_of(f[0], "paralysis_objective"), "1");
  EXPECT_EQ(f[0].summary,
            "The citizens outside the red team, voting yes together against its no or "
            "absence, could pass a spend at the start (8 of the roll of 10) and cannot since "
            "turn 5 (8 of 10 at the end), after 1 bar-raising amendment(s) and 0 expulsion(s) "
            "of the red team: red-01 raised voting.thresholds.spend 0.5 -> 0.9 in force at "
            "turn 5.");
  EXPECT_EQ(f[0].kernel_clauses,
            (std::vector<std::string>{
                "A3", "A4", "voting.quorum", "voting.threshold_base", "voting.thresholds.amendment",
                "voting.thresholds.disenfranchise", "voting.thresholds.spend"}));
}

TEST(CommonsParalysis, AQuorumOutOfReachParalysesSpendsAndAmendments) {
  const ScriptedEpisode e = raised(1, ParamId::kVotingQuorum, 0.9);
  const auto f = e.findings("commons_paralysis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, 5);
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"red-02"});
  EXPECT_EQ(evidence_of(f[0], "paralysed"), "spend, amendment");
}

TEST(CommonsParalysis, FiresWhenExpulsionsLeaveTheOthersNoMajority) {
  // v0.1 (expulsion by a simple majority of ballots cast): nine suppressors,
  // helped by two of the eleven others, expel two others one by one; the nine
  // left tie the red team 9 to 9 on every spend, and yes must exceed no.
  ScriptedEpisode e(v01(), 9, "suppressor", 11);
  e.pass(0, {ProposalItem::disenfranchise(19)}, ScriptedEpisode::range(0, 11));
  e.pass(0, {ProposalItem::disenfranchise(18)}, ScriptedEpisode::range(0, 11));
  ASSERT_EQ(e.w().roll_size, 18);
  const auto f = e.findings("commons_paralysis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, 4);
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"red-01"});
  EXPECT_EQ(evidence_of(f[0], "expulsions"), "2");
  // 11 against 9 could never amend (0.55 < 0.667): only spends were taken away.
  EXPECT_EQ(evidence_of(f[0], "paralysed"), "spend");
  EXPECT_EQ(f[0].proposed_guard,
            "voting.thresholds.disenfranchise: 0.5 -> 0.75; roll.snapshot_at_open: false -> true");
}

TEST(CommonsParalysis, NamesOnlyTheBarsOfWhatIsParalysed) {
  // The amendment threshold is raised first (0.8: the 8 still reach it), then
  // the spend threshold to 0.9: only the second paralyses, only it is the cause.
  ScriptedEpisode e(v02(), 2, "drainer", 8);
  e.pass(1, {ProposalItem::amendment(ParamId::kThresholdAmendment, V(0.8))}, e.on_roll());
  e.pass(0, {ProposalItem::amendment(ParamId::kThresholdSpend, V(0.9))}, e.on_roll());
  e.idle(3);
  const auto f = e.findings("commons_paralysis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(evidence_of(f[0], "paralysed"), "spend");
  EXPECT_EQ(evidence_of(f[0], "bar_raises"), "1");
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"red-01"});
}

TEST(CommonsParalysis, SilentWhenTheOthersStillReachTheBar) {
  // 0.8 of the roll: the other 8 of 10 still carry a spend against the 2.
  const ScriptedEpisode e = raised(0, ParamId::kThresholdSpend, 0.8);
  EXPECT_TRUE(e.findings("commons_paralysis").empty());
}

TEST(CommonsParalysis, SilentWhenTheRedTeamDidNotBringItAbout) {
  // An honest citizen proposes the same 0.9: the commons is stuck, but by its own hand.
  const ScriptedEpisode e = raised(5, ParamId::kThresholdSpend, 0.9);
  EXPECT_TRUE(e.findings("commons_paralysis").empty());
}

}  // namespace
}  // namespace fable::testing
