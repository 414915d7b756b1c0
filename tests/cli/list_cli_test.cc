// `fable-selfplay list agents|detectors`, run as a process: the binary's
// registries, exactly (the test binary's own registrations are not in it).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fable/agent_registry.h"
#include "fable/detector_registry.h"

#include "support/cli_test_support.h"

namespace {

using fable::testing::CliRun;

CliRun run_cli(const std::string& args) {
  return fable::testing::run_command(std::string(FABLE_BINARY) + " " + args + " 2>&1");
}

// The lines the binary must print: one per registered kind, in the
// registry's order. The test binary links the same library, so its registry
// is the binary's plus this suite's own throw-away kinds ("test-..."), which
// the binary does not have. So adding a kind needs no edit here.
std::vector<std::string> registered_agents() {
  std::vector<std::string> names;
  for (const fable::AgentRole r : fable::agent_roles()) {
    if (r.name().rfind("test-", 0) != 0) names.emplace_back(r.name());
  }
  return names;
}

std::vector<std::string> registered_detectors() {
  std::vector<std::string> names;
  for (const fable::DetectorKind* d : fable::detector_kinds()) {
    if (d->name.rfind("test", 0) != 0) names.push_back(d->name);
  }
  return names;
}

std::vector<std::string> lines_of(const std::string& out) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  for (std::size_t next; (next = out.find('\n', at)) != std::string::npos; at = next + 1) {
    lines.push_back(out.substr(at, next - at));
  }
  EXPECT_EQ(at, out.size()) << "output does not end with a newline";
  return lines;
}

TEST(ListCliTest, AgentsOneLineEachInRosterOrder) {
  const CliRun r = run_cli("list agents");
  EXPECT_EQ(r.code, 0) << r.out;
  const std::vector<std::string> lines = lines_of(r.out);
  const std::vector<std::string> names = registered_agents();
  ASSERT_EQ(lines.size(), names.size()) << r.out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(lines[i].rfind(names[i] + " ", 0), 0u) << lines[i];
    const fable::AgentRole role = *fable::find_agent_role(names[i]);
    EXPECT_NE(lines[i].find(std::string(role.description())), std::string::npos) << lines[i];
  }
  // The format, pinned on the first kind: name, side, description.
  EXPECT_EQ(lines.front(),
            "honest            citizen   an honest citizen: votes as its population model says "
            "(naive: by a proposal's headline), now and then proposes a modest distribution to "
            "all");
  EXPECT_NE(r.out.find("\nscripted          stand-in  replays a recorded action script"),
            std::string::npos)
      << r.out;
  // Aliases close a kind's line (the seed's config names, issue 13).
  EXPECT_NE(r.out.find(" (aliases: treasury_drainer)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\ntiming_attacker   red team  "), std::string::npos) << r.out;
}

TEST(ListCliTest, DetectorsOneLineEachByName) {
  const CliRun r = run_cli("list detectors");
  EXPECT_EQ(r.code, 0) << r.out;
  const std::vector<std::string> lines = lines_of(r.out);
  const std::vector<std::string> names = registered_detectors();
  ASSERT_EQ(lines.size(), names.size()) << r.out;
  EXPECT_GE(names.size(), 16u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (std::size_t i = 0; i < names.size(); ++i) {
    // "name  category  description", in this order, each with a description.
    const fable::DetectorKind* kind = fable::find_detector_kind(names[i]);
    ASSERT_NE(kind, nullptr);
    EXPECT_EQ(lines[i].rfind(names[i] + " ", 0), 0u) << lines[i];
    EXPECT_NE(lines[i].find(std::string(fable::category_name(kind->category))), std::string::npos)
        << lines[i];
    EXPECT_NE(lines[i].find(kind->description), std::string::npos) << lines[i];
  }
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
