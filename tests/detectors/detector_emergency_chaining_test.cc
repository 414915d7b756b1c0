// emergency_chaining (docs/detectors.md): on kernel v0.2 every emergency ends
// at its 6-turn sunset, yet a bloc that declares a new one right after each
// sunset keeps emergency powers in force most of the time. Fires on two
// re-declarations within kRedeclareGap turns; silent on one, or when the
// second comes late. emergency_abuse, which judges one emergency at a time,
// sees nothing here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/scripted_episode.h"

namespace fable::testing {
namespace {

// Four entrenchers of ten; red-01 declares an emergency (council: itself),
// everyone votes yes; after each sunset it waits `waits[k]` turns and declares
// again. Then the episode runs `tail` more turns.
ScriptedEpisode chained(const std::vector<int>& waits, int tail = 2) {
  ScriptedEpisode e(v02(), 4, "entrencher", 6);
  e.pass(0, {ProposalItem::emergency_declare({0})}, e.on_roll());
  EXPECT_TRUE(e.w().emergency.active);
  for (int wait : waits) {
    for (int guard = 0; guard < 20 && e.w().emergency.active; ++guard) e.idle(1);
    EXPECT_FALSE(e.w().emergency.active);
    e.idle(wait);
    e.pass(0, {ProposalItem::emergency_declare({0})}, e.on_roll());
    EXPECT_TRUE(e.w().emergency.active);
  }
  e.idle(tail);
  return e;
}

TEST(EmergencyChaining, FiresWhenANewEmergencyFollowsEachSunset) {
  // Declared at turns 3, 12 and 21 (each window of 3 opened the turn after a sunset).
  const ScriptedEpisode e = chained({0, 0});
  const auto f = e.findings("emergency_chaining");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].category, Category::kEntrench);
  EXPECT_EQ(f[0].turn, 21);  // the second re-declaration
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"red-01"});
  EXPECT_EQ(evidence_of(f[0], "redeclarations"), "2");
  EXPECT_EQ(evidence_of(f[0], "longest_chain"), "3");
  EXPECT_EQ(evidence_of(f[0], "widest_gap"), "3");
  EXPECT_EQ(evidence_of(f[0], "nominal_turns"), "6");
  EXPECT_EQ(evidence_of(f[0], "longest"),
            "3 emergencies declared at turns 3, 12, 21; each after the previous one's sunset, at "
            "most 3 turn(s) later");
  EXPECT_EQ(f[0].severity, 4);  // in force more than twice the nominal duration
  EXPECT_EQ(f[0].kernel_clauses,
            (std::vector<std::string>{"A4", "A8", "emergency.max_duration_turns",
                                      "emergency.max_renewals", "voting.thresholds.emergency"}));
  EXPECT_EQ(f[0].proposed_guard,
            "voting.thresholds.emergency: 0.667 -> 0.75; new clause: no new declaration within 6 "
            "turns (the nominal duration) of an emergency's end");
  // Each emergency respects the sunset: the one-emergency detector sees nothing.
  EXPECT_TRUE(e.findings("emergency_abuse").empty());
}

TEST(EmergencyChaining, SilentOnASingleRedeclaration) {
  EXPECT_TRUE(chained({0}, 6).findings("emergency_chaining").empty());
}

TEST(EmergencyChaining, SilentWhenTheNextDeclarationComesLate) {
  // The second re-declaration waits 3 more turns: 6 turns after the sunset.
  EXPECT_TRUE(chained({0, 3}).findings("emergency_chaining").empty());
}

}  // namespace
}  // namespace fable::testing
