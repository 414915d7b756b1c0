// exit_obstruction (docs/detectors.md): on kernel v0.1 an exit blocker's
// passed expulsion strikes a citizen off the roll; when that citizen then
// tries to leave and is refused (not on the roll), the expulsion is flagged,
// with its proposer as the actor. Silent when the expelled never try to
// leave, when citizens leave normally, and when a refused exit follows no
// expulsion by others (a second exit, or an expulsion by the leaver's own
// bloc).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/scripted_episode.h"

namespace fable::testing {
namespace {

// Three exit blockers (red-01..03, indices 0..2) and four honest citizens
// (blue-01..04, indices 3..6) on v0.1, treasury 1000.
ScriptedEpisode cast() {
  return ScriptedEpisode(v01(), 3, "exit_blocker", 4);
}

// `who` tries to leave in the next turn.
void try_exit(ScriptedEpisode& e, AgentIndex who) {
  Turn t = e.turn();
  t.at(who, 0, Action::exit());
  e.step(t);
}

int refused_exits(const EpisodeTrace& t) {
  int n = 0;
  for (const Event& e : t.events) {
    if (e.kind == EventKind::kActionRejected && e.action == ActionKind::kExit) ++n;
  }
  return n;
}

const std::vector<std::string> kClauses{
    "A1", "A11", "A4", "exit.pro_rata", "standing.roll", "voting.thresholds.disenfranchise"};
const std::string kNewClause =
    "new clause: a citizen struck off the roll may still leave with its pro-rata share";

TEST(ExitObstruction, FlagsTheExpulsionOfACitizenWhoseExitIsThenRefused) {
  ScriptedEpisode e = cast();
  // red-01 expels blue-01; the bloc and blue-02 vote yes (4 of 7).
  e.pass(0, {ProposalItem::disenfranchise(3)}, {0, 1, 2, 4});
  ASSERT_FALSE(e.w().citizens[3].on_roll);
  const std::int32_t refused_at = e.next_turn();
  try_exit(e, 3);
  try_exit(e, 3);
  e.idle(1);
  ASSERT_EQ(refused_exits(e.trace()), 2);

  const auto f = e.findings("exit_obstruction");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].category, Category::kSuppress);
  EXPECT_EQ(f[0].turn, refused_at);
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"red-01"});
  EXPECT_EQ(f[0].kernel_clauses, kClauses);
  EXPECT_EQ(f[0].proposed_guard, "voting.thresholds.disenfranchise: 0.5 -> 0.75; " + kNewClause);
  EXPECT_EQ(f[0].severity, 3);  // one citizen, 1 of 7 (under a fifth of the roll)
  EXPECT_EQ(evidence_of(f[0], "victims"), "1");
  EXPECT_EQ(evidence_of(f[0], "refused_attempts"), "2");
  // 1000 among the 7 on the roll just before the expulsion: what it would
  // have left with then.
  EXPECT_EQ(evidence_of(f[0], "shares_denied"), "142.857");
  EXPECT_EQ(evidence_of(f[0], "first_victim"), "blue-01");
  EXPECT_EQ(evidence_of(f[0], "expulsion"), "0");
  EXPECT_EQ(evidence_of(f[0], "route"), "plain");
  EXPECT_EQ(evidence_of(f[0], "refused_turn"), std::to_string(refused_at));
  EXPECT_EQ(evidence_of(f[0], "expelled"), "blue-01");
}

TEST(ExitObstruction, ARiderThatStrikesTwoLeaversIsOneFindingOfTheSameHole) {
  ScriptedEpisode e = cast();
  // The exit blocker's rider: a small spend to all carrying two expulsions.
  e.pass(1,
         {ProposalItem::spend(kAllCitizens, U(7)), ProposalItem::disenfranchise(3),
          ProposalItem::disenfranchise(4)},
         {0, 1, 2, 5});
  ASSERT_FALSE(e.w().citizens[3].on_roll);
  ASSERT_FALSE(e.w().citizens[4].on_roll);
  try_exit(e, 4);
  try_exit(e, 3);
  e.idle(1);

  const auto f = e.findings("exit_obstruction");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"red-02"});
  EXPECT_EQ(f[0].severity, 5);  // two citizens, 2 of 7 of the roll
  EXPECT_EQ(evidence_of(f[0], "victims"), "2");
  EXPECT_EQ(evidence_of(f[0], "route"), "rider");
  EXPECT_EQ(evidence_of(f[0], "first_victim"), "blue-02");
  EXPECT_EQ(evidence_of(f[0], "expelled"), "blue-01, blue-02");
  // 1000 among the 7 on the roll before the rider passed: 142.857 each.
  EXPECT_EQ(evidence_of(f[0], "shares_denied"), "285.714");
  EXPECT_EQ(f[0].proposed_guard,
            "voting.thresholds.disenfranchise: 0.5 -> 0.75; proposals.single_subject: false -> "
            "true; " +
                kNewClause);
  // Clauses are static: the rider's finding is the plain expulsion's hole.
  ScriptedEpisode plain = cast();
  plain.pass(0, {ProposalItem::disenfranchise(3)}, {0, 1, 2, 4});
  try_exit(plain, 3);
  const auto g = plain.findings("exit_obstruction");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(f[0].kernel_clauses, kClauses);
  EXPECT_EQ(f[0].fingerprint, g[0].fingerprint);
}

TEST(ExitObstruction, SilentWhenTheExpelledNeverTryToLeave) {
  ScriptedEpisode e = cast();
  e.pass(0, {ProposalItem::disenfranchise(3)}, {0, 1, 2, 4});
  e.idle(3);
  EXPECT_TRUE(e.findings("exit_obstruction").empty());
}

TEST(ExitObstruction, SilentWhenCitizensLeaveNormally) {
  ScriptedEpisode e = cast();
  try_exit(e, 3);
  try_exit(e, 4);
  e.idle(1);
  ASSERT_TRUE(e.w().citizens[3].exited);
  ASSERT_TRUE(e.w().citizens[4].exited);
  EXPECT_EQ(refused_exits(e.trace()), 0);
  EXPECT_TRUE(e.findings("exit_obstruction").empty());
}

// A refused exit with no expulsion by others before it is no obstruction:
// a citizen who has left already is refused as exited, and a red-team member
// struck off by its own bloc's proposal was not kept in by others.
TEST(ExitObstruction, SilentWhenNoExpulsionByOthersPrecedesTheRefusal) {
  ScriptedEpisode e = cast();
  try_exit(e, 3);
  try_exit(e, 3);  // refused: it has exited
  e.pass(0, {ProposalItem::disenfranchise(2)}, {0, 1, 4, 5});
  ASSERT_FALSE(e.w().citizens[2].on_roll);
  try_exit(e, 2);  // refused: not on the roll, struck off by its own bloc
  e.idle(1);
  EXPECT_EQ(refused_exits(e.trace()), 2);
  EXPECT_TRUE(e.findings("exit_obstruction").empty());
}

}  // namespace
}  // namespace fable::testing
