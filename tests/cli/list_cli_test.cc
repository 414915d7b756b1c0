// `fable-selfplay list agents|detectors`, run as a process: the binary's
// registries, exactly (the test binary's own registrations are not in it).
#include <gtest/gtest.h>

#include <string>

#include "support/cli_test_support.h"

namespace {

using fable::testing::CliRun;

CliRun run_cli(const std::string& args) {
  return fable::testing::run_command(std::string(FABLE_BINARY) + " " + args + " 2>&1");
}

TEST(ListCliTest, AgentsOneLineEachInRosterOrder) {
  const CliRun r = run_cli("list agents");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out,
            "honest      citizen   an honest citizen: votes by a proposal's headline, now and then "
            "proposes a modest distribution to all\n"
            "drainer     red team  moves treasury funds to the bloc by riders, ambushes, plain "
            "spends and emergency council orders\n"
            "entrencher  red team  takes offices, raises the thresholds that could remove the "
            "bloc, holds emergencies open\n"
            "suppressor  red team  expels citizens outside the bloc by riders, ambushes and plain "
            "expulsions\n"
            "attacker    red team  a coalition member whose moves the hunt's search chooses; plays "
            "nothing on its own\n"
            "scripted    stand-in  replays a recorded action script in place of the agent it "
            "stands for (records and holes only)\n");
}

TEST(ListCliTest, DetectorsOneLineEachByName) {
  const CliRun r = run_cli("list detectors");
  EXPECT_EQ(r.code, 0) << r.out;
  const std::string names[] = {
      "commons_paralysis        suppress",  "delegation_concentration suppress",
      "electorate_shrinking     suppress",  "emergency_abuse          entrench",
      "emergency_chaining       entrench",  "faction_suppression      suppress",
      "invariant_breach         empathy",   "office_concentration     entrench",
      "omnibus_rider            procedure", "quorum_ambush            procedure",
      "salami_slicing           drain",     "self_dealing             drain",
      "threshold_lock           entrench",  "threshold_ratchet        entrench",
      "treasury_drain           drain",     "vote_buying              drain"};
  std::size_t at = 0;
  int lines = 0;
  for (const std::string& head : names) {
    const std::size_t next = r.out.find('\n', at);
    ASSERT_NE(next, std::string::npos) << r.out;
    const std::string line = r.out.substr(at, next - at);
    // "name  category  description", in this order, each with a description.
    EXPECT_EQ(line.rfind(head.substr(0, head.find(' ')), 0), 0u) << line;
    EXPECT_NE(line.find(head.substr(head.rfind(' ') + 1)), std::string::npos) << line;
    EXPECT_GT(line.size(), 40u) << "no description: " << line;
    at = next + 1;
    ++lines;
  }
  EXPECT_EQ(lines, 16);
  EXPECT_EQ(at, r.out.size()) << "more than sixteen detectors: " << r.out;
  EXPECT_NE(r.out.find("salami_slicing            drain      three or more small self-directed "
                       "spends adding up to half the treasury\n"),
            std::string::npos)
      << r.out;
}

TEST(ListCliTest, NeedsWhatToListAndHasHelp) {
  EXPECT_NE(run_cli("list").code, 0);
  EXPECT_NE(run_cli("list wizards").code, 0);
  const CliRun help = run_cli("list --help");
  EXPECT_EQ(help.code, 0) << help.out;
  EXPECT_NE(help.out.find("agents"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("detectors"), std::string::npos) << help.out;
}

}  // namespace
