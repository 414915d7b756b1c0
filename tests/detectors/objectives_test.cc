// Objectives: each measures what it says on traces whose outcome is known —
// the canonical holes on v0.1 (captured) and v0.2 (closed), the capture of
// v0.2 by a threshold "tightening" (issue 11), an exit refused after an
// expulsion, and the vote arithmetic against the tally rules.
#include "fable/objectives.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "fable/holes.h"
#include "fable/random.h"
#include "fable/tally.h"
#include "support/engine_test_support.h"
#include "support/scripted_episode.h"

namespace fable::testing {
namespace {

ObjectiveScores hole_scores(std::string_view id, const Kernel& k) {
  for (const HoleScenario& h : canonical_holes()) {
    if (h.id != id) continue;
    const HoleOutcome out = play_hole(h, k);
    return score_objectives(out.trace, out.trace.red_team());
  }
  ADD_FAILURE() << "no hole " << id;
  return {};
}

// Plays scripted turns on `n` citizens, recording the trace.
class Recorded {
 public:
  Recorded(const Kernel& k, int n) : sim_(k, n) {
    for (int i = 0; i < n; ++i) {
      ParticipantInfo info;
      info.id = "c" + std::to_string(i);
      trace_.participants.push_back(info);
    }
    trace_.kernel = k;
    trace_.initial_treasury = U(1000);
    recorder_ = std::make_unique<TraceRecorder>(trace_, sim_.env);
  }
  // Turn: `proposer` opens `item`, everyone on the roll votes yes.
  void propose_all_yes(AgentIndex proposer, ProposalItem item) {
    Turn t = sim_.turn();
    t.at(proposer, 0, Action::propose({item}));
    for (std::size_t i = 0; i < sim_.n(); ++i) {
      if (!sim_.w().citizens[i].on_roll) continue;
      t.at(static_cast<AgentIndex>(i), 1,
           Action::vote(ProposalRef::by_origin(proposer, sim_.next_turn()), Choice::kYes));
    }
    step(t);
  }
  void act(AgentIndex who, Action a) { step(sim_.turn().add(who, a)); }
  void idle(int turns) {
    for (int i = 0; i < turns; ++i) step(sim_.turn());
  }
  ObjectiveScores scores(std::vector<AgentIndex> coalition) const {
    return score_objectives(trace_, coalition);
  }
  const WorldState& w() const { return sim_.w(); }

 private:
  void step(const Turn& t) {
    sim_.step(t);
    recorder_->after_step();
  }
  Sim sim_;
  EpisodeTrace trace_;
  std::unique_ptr<TraceRecorder> recorder_;
};

TEST(Objectives, TheSalamiDrainIsADrainOnV01AndNotOnV02) {
  const ObjectiveScores on01 = hole_scores("EXP-001", v01());
  const ObjectiveScores on02 = hole_scores("EXP-001", v02());
  EXPECT_NEAR(on01[Objective::kDrain], 0.8, 1e-9);
  EXPECT_TRUE(on01.captured(Objective::kDrain));
  EXPECT_FALSE(on02.captured(Objective::kDrain));
  EXPECT_LT(on02[Objective::kDrain], on01[Objective::kDrain]);
}

TEST(Objectives, TheQuorumAmbushIsATimingCaptureOnV01Only) {
  EXPECT_TRUE(hole_scores("EXP-005", v01()).captured(Objective::kTiming));
  EXPECT_FALSE(hole_scores("EXP-005", v02()).captured(Objective::kTiming));
}

// The standard hunt of v0.2 (honest:9,attacker:11) scored a timing capture
// for a bare majority's spend that its proposer did not vote on: 10 yes to 9
// no, the one uncast ballot the proposer's own. A silent coalition member
// would not have voted against its own side, so that is no timing attack;
// the others' absence still is.
TEST(Objectives, ASilentCoalitionMemberIsNoTimingAttack) {
  ScriptedEpisode bare(v02(), 11, "attacker", 9);
  bare.pass(0, {ProposalItem::spend(1, U(100))}, ScriptedEpisode::range(1, 11),
            ScriptedEpisode::range(11, 20));
  ASSERT_EQ(bare.w().citizens[1].balance, U(100));
  const ObjectiveScores s = score_objectives(bare.trace(), ScriptedEpisode::range(0, 11));
  EXPECT_EQ(s[Objective::kTiming], 0.0);
  EXPECT_FALSE(s.captured(Objective::kTiming));

  // 10 of 20 vote yes while 8 of the others stay away and 2 vote no: had the
  // 8 voted no, 10 to 10 would have failed.
  ScriptedEpisode ambush(v02(), 10, "attacker", 10);
  ambush.pass(0, {ProposalItem::spend(1, U(100))}, ScriptedEpisode::range(0, 10), {10, 11});
  ASSERT_EQ(ambush.w().citizens[1].balance, U(100));
  const ObjectiveScores t = score_objectives(ambush.trace(), ScriptedEpisode::range(0, 10));
  EXPECT_EQ(t[Objective::kTiming], 1.0);
  EXPECT_TRUE(t.captured(Objective::kTiming));

  // On v0.1 (thresholds over ballots cast): 6 of 7 vote yes, the proposer
  // silent, 4 of the 13 others vote no and 9 stay away. The proposer's ballot
  // is not counted against; the 9 absent others are (6 yes to 13).
  ScriptedEpisode quiet(v01(), 7, "attacker", 13);
  quiet.pass(0, {ProposalItem::spend(1, U(100))}, ScriptedEpisode::range(1, 7), {7, 8, 9, 10});
  ASSERT_EQ(quiet.w().citizens[1].balance, U(100));
  EXPECT_TRUE(
      score_objectives(quiet.trace(), ScriptedEpisode::range(0, 7)).captured(Objective::kTiming));
}

TEST(Objectives, ShrinkingTheElectorateSuppressesTheOthers) {
  EXPECT_GT(hole_scores("EXP-002", v01())[Objective::kSuppress], 0.3);
  EXPECT_EQ(hole_scores("EXP-002", v02())[Objective::kSuppress], 0.0);
}

TEST(Objectives, EmergencyTurnsCountAgainstTwiceTheNominalDuration) {
  // v0.1 has no sunset: the nominal duration is kNominalEmergencyTurns, and
  // the 12-turn scenario holds the emergency 11 turns: 11 / 21.
  EXPECT_NEAR(hole_scores("EXP-003", v01())[Objective::kEmergency], 11.0 / 21.0, 1e-9);
  EXPECT_EQ(hole_scores("EXP-003", v02())[Objective::kEmergency], 0.0);
}

TEST(Objectives, HonestPlayCapturesNothing) {
  for (const Kernel& k : {v01(), v02()}) {
    Recorded r(k, 10);
    r.propose_all_yes(3, ProposalItem::spend(kAllCitizens, U(100)));
    r.idle(6);
    const ObjectiveScores s = r.scores({0, 1});
    EXPECT_FALSE(s.any_captured());
    for (const ObjectiveInfo& info : all_objectives()) {
      EXPECT_GE(s[info.id], 0.0) << info.name;
      EXPECT_LE(s[info.id], 1.0) << info.name;
    }
    // The spend to ALL paid 10 per head: the coalition's two heads got 2%.
    EXPECT_NEAR(s[Objective::kDrain], 0.02, 1e-9);
  }
}

TEST(Objectives, ATighteningAmendmentThatHandsTwoAVetoIsEntrenchment) {
  // Issue 11: 2 of 10 raise the amendment threshold from 0.667 to 0.9 and
  // everyone agrees (it "tightens"); the other 8 can no longer amend
  // against the 2. The same move on the spend threshold paralyses them.
  Recorded r(v02(), 10);
  r.propose_all_yes(0, ProposalItem::amendment(ParamId::kThresholdAmendment, V(0.9)));
  r.idle(8);
  r.propose_all_yes(1, ProposalItem::amendment(ParamId::kThresholdSpend, V(0.9)));
  r.idle(8);
  ASSERT_EQ(r.w().params().threshold(ThresholdKind::kAmendment), 0.9);
  ASSERT_EQ(r.w().params().threshold(ThresholdKind::kSpend), 0.9);
  const ObjectiveScores s = r.scores({0, 1});
  EXPECT_EQ(s[Objective::kEntrench], 1.0);
  EXPECT_TRUE(s.captured(Objective::kEntrench));
  EXPECT_TRUE(s.captured(Objective::kParalysis));
  // Nobody holds a veto as a coalition of none, and one citizen alone of 10
  // cannot block 0.9 against nine.
  EXPECT_FALSE(r.scores({}).any_captured());
  EXPECT_FALSE(r.scores({0}).captured(Objective::kEntrench));
}

TEST(Objectives, AnExitRefusedAfterAnExpulsionIsExitBlocking) {
  Recorded r(v01(), 6);
  r.propose_all_yes(0, ProposalItem::disenfranchise(5));
  r.idle(4);
  ASSERT_FALSE(r.w().citizens[5].on_roll);
  r.act(5, Action::exit());  // off the roll: refused
  r.act(4, Action::exit());  // leaves with its share
  const ObjectiveScores s = r.scores({0, 1});
  EXPECT_NEAR(s[Objective::kExit], 0.5, 1e-9);
  EXPECT_TRUE(s.captured(Objective::kExit));
}

TEST(Objectives, BallotsNeededFollowTheTallyRules) {
  // v0.1: quorum 0.5 of the roll, thresholds over ballots cast. Against 2
  // noes, an amendment (0.667) needs 5 of 8 (4/6 = 0.6667 < 0.667); a spend
  // (0.5) needs 3 (yes must exceed no).
  const Params p = v01().params();
  EXPECT_EQ(ballots_needed_against(p, ItemKind::kAmendment, 8, 2), 5);
  EXPECT_EQ(ballots_needed_against(p, ItemKind::kSpend, 8, 2), 3);
  // Two noes of three: one yes cannot pass anything.
  EXPECT_EQ(ballots_needed_against(p, ItemKind::kSpend, 1, 2), std::nullopt);
  Params high = p;
  high.thresholds[static_cast<int>(ThresholdKind::kAmendment)] = 0.9;
  EXPECT_EQ(ballots_needed_against(high, ItemKind::kAmendment, 8, 2), std::nullopt);
  EXPECT_EQ(ballots_needed_against(high, ItemKind::kAmendment, 18, 2), 18);
}

TEST(Objectives, BallotsNeededWithoutTakeTheWorseOfNoAndAbsence) {
  // v0.2 counts thresholds over the roll: against 2 of 10, an amendment
  // needs 7 of the other 8 (7/10 >= 0.667), whether the 2 vote no or stay away.
  const Params p = v02().params();
  EXPECT_EQ(ballots_needed_against(p, ItemKind::kAmendment, 8, 2), 7);
  EXPECT_EQ(ballots_needed_without(p, ItemKind::kAmendment, 8, 2), 7);
  // Quorum 0.9: voting no, the 2 help it (7 yes + 2 no = 9 cast); staying
  // away they sink it (8 cast of 10), so the others cannot pass a spend.
  Params q = p;
  q.quorum = 0.9;
  EXPECT_EQ(ballots_needed_against(q, ItemKind::kSpend, 8, 2), 7);
  EXPECT_EQ(ballots_needed_without(q, ItemKind::kSpend, 8, 2), std::nullopt);
  // Issue 11's lock: 0.9 of the roll is more than the 8 hold.
  Params high = p;
  high.thresholds[static_cast<int>(ThresholdKind::kAmendment)] = 0.9;
  EXPECT_EQ(ballots_needed_without(high, ItemKind::kAmendment, 8, 2), std::nullopt);
}

// The counts are remembered per thread (a cache for the search): with many
// rule sets interleaved, more than the cache holds, each answer must equal a
// count made here from the tally rules directly.
TEST(Objectives, BallotsNeededAgreeWithACountFromTheTallyRules) {
  const auto count = [](const Params& p, ItemKind kind, int others, int coalition,
                        bool coalition_votes_no) -> std::optional<int> {
    Proposal probe;
    probe.item_count = 1;
    probe.items[0].kind = kind;
    if (kind == ItemKind::kSpend) probe.items[0].target = kAllCitizens;
    for (int yes = 0; yes <= others; ++yes) {
      const TallyCount c{yes, coalition_votes_no ? coalition : 0, 0, others + coalition};
      if (decide_tally(p, c, threshold_rule(p, probe)).result == TallyResult::kPassed) return yes;
    }
    return std::nullopt;
  };
  int checked = 0;
  for (int round = 0; round < 3; ++round) {  // each round asks again what the others asked
    Rng rng(3);
    for (int i = 0; i < 400; ++i) {
      Params p = (i % 2 == 0 ? v01() : v02()).params();
      p.quorum = 0.3 + 0.05 * static_cast<double>(rng.below(13));
      p.thresholds[static_cast<int>(ThresholdKind::kAmendment)] =
          0.5 + 0.05 * static_cast<double>(rng.below(10));
      p.thresholds[static_cast<int>(ThresholdKind::kSpend)] =
          0.5 + 0.05 * static_cast<double>(rng.below(10));
      const int others = 1 + static_cast<int>(rng.below(20));
      const int coalition = static_cast<int>(rng.below(12));
      for (const ItemKind kind :
           {ItemKind::kSpend, ItemKind::kAmendment, ItemKind::kDisenfranchise}) {
        const std::optional<int> against = count(p, kind, others, coalition, true);
        const std::optional<int> away = count(p, kind, others, coalition, false);
        const std::optional<int> without =
            against && away ? std::optional<int>(std::max(*against, *away)) : std::nullopt;
        ASSERT_EQ(ballots_needed_against(p, kind, others, coalition), against)
            << "round " << round << " case " << i;
        ASSERT_EQ(ballots_needed_without(p, kind, others, coalition), without)
            << "round " << round << " case " << i;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 3600);
}

TEST(Objectives, NamesRoundTrip) {
  for (const ObjectiveInfo& info : all_objectives()) {
    EXPECT_EQ(find_objective(info.name), info.id);
    EXPECT_EQ(objective_info(info.id).name, info.name);
  }
  EXPECT_EQ(find_objective("nonsense"), std::nullopt);
}

}  // namespace
}  // namespace fable::testing
