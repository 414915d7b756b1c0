// Roster strings, populations and readable agent ids.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fable/agent.h"
#include "fable/script.h"
#include "support/roles.h"

namespace fable {
namespace {

using testing::role_named;

Roster parse_ok(std::string_view text) {
  Result<Roster> r = parse_roster(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.status().message());
  return r.ok() ? r.value() : Roster{};
}

std::string parse_error(std::string_view text) {
  Result<Roster> r = parse_roster(text);
  EXPECT_FALSE(r.ok()) << "'" << text << "' was accepted";
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return r.status().message();
}

std::vector<std::string> ids_of(const Population& pop) {
  std::vector<std::string> ids;
  for (const auto& a : pop) ids.push_back(a->id());
  return ids;
}

TEST(Roster, ParsesValidStrings) {
  const Roster a = parse_ok("honest:8,drainer:2");
  EXPECT_EQ(a.count("honest"), 8);
  EXPECT_EQ(a.count("drainer"), 2);
  EXPECT_EQ(a.count("entrencher"), 0);
  EXPECT_EQ(a.count("suppressor"), 0);
  EXPECT_EQ(a.total(), 10);

  const Roster b =
      parse_ok("suppressor:1,entrencher:3,drainer:0,honest:5");  // any order, zeros allowed
  EXPECT_EQ(b.count("honest"), 5);
  EXPECT_EQ(b.count("drainer"), 0);
  EXPECT_EQ(b.count("entrencher"), 3);
  EXPECT_EQ(b.count("suppressor"), 1);

  const Roster c = parse_ok(" honest : 4 , drainer:1 ");  // spaces around entries are tolerated
  EXPECT_EQ(c.count("honest"), 4);
  EXPECT_EQ(c.count("drainer"), 1);

  EXPECT_EQ(parse_ok("drainer:1").total(), 1);
  EXPECT_EQ(parse_ok("honest:100000").count("honest"), kMaxPopulation);
}

TEST(Roster, ToStringRoundTrips) {
  const Roster r = parse_ok("drainer:2,honest:5,suppressor:1");
  EXPECT_EQ(r.to_string(), "honest:5,drainer:2,suppressor:1");
  const Roster again = parse_ok(r.to_string());
  EXPECT_EQ(again.count("honest"), 5);
  EXPECT_EQ(again.count("drainer"), 2);
  EXPECT_EQ(again.count("suppressor"), 1);
}

TEST(Roster, RejectsUnknownRole) {
  const std::string m = parse_error("honest:3,wizard:2");
  EXPECT_NE(m.find("unknown role 'wizard'"), std::string::npos) << m;
  EXPECT_NE(m.find("honest:3,wizard:2"), std::string::npos) << m;  // names the roster
  EXPECT_NE(parse_error("Honest:3").find("unknown role 'Honest'"), std::string::npos);
}

TEST(Roster, RejectsScriptedRole) {
  const std::string m = parse_error("honest:3,scripted:1");
  EXPECT_NE(m.find("scripted"), std::string::npos) << m;
}

TEST(Roster, RejectsNegativeCount) {
  const std::string m = parse_error("honest:-1");
  EXPECT_NE(m.find("out of range"), std::string::npos) << m;
}

TEST(Roster, RejectsAbsurdCount) {
  for (const char* text :
       {"honest:100001", "honest:99999999999", "drainer:99999999999999999999999"}) {
    const std::string m = parse_error(text);
    EXPECT_NE(m.find("out of range [0, 100000]"), std::string::npos) << text << ": " << m;
  }
  const std::string total = parse_error("honest:60000,drainer:60000");
  EXPECT_NE(total.find("at most 100000"), std::string::npos) << total;
}

TEST(Roster, RejectsMissingColon) {
  const std::string m = parse_error("honest8");
  EXPECT_NE(m.find("'honest8' is not ROLE:COUNT"), std::string::npos) << m;
}

TEST(Roster, RejectsBadCount) {
  for (const char* text : {"honest:", "honest:x", "honest:3x", "honest:+3", "honest:1.5"}) {
    const std::string m = parse_error(text);
    EXPECT_NE(m.find("is not a whole number"), std::string::npos) << text << ": " << m;
  }
}

TEST(Roster, RejectsDuplicateRole) {
  const std::string m = parse_error("honest:2,drainer:1,honest:3");
  EXPECT_NE(m.find("role 'honest' named twice"), std::string::npos) << m;
}

TEST(Roster, RejectsEmpty) {
  EXPECT_NE(parse_error("").find("empty"), std::string::npos);
  EXPECT_NE(parse_error("   ").find("empty"), std::string::npos);
}

TEST(Roster, RejectsStrayCommas) {
  EXPECT_NE(parse_error("honest:2,").find("entry 2 is empty"), std::string::npos);
  EXPECT_NE(parse_error(",honest:2").find("entry 1 is empty"), std::string::npos);
  EXPECT_NE(parse_error("honest:2,,drainer:1").find("entry 2 is empty"), std::string::npos);
}

TEST(Roster, RejectsNoAgents) {
  EXPECT_NE(parse_error("honest:0,drainer:0").find("no agents"), std::string::npos);
}

TEST(Population, IdsAreStableReadableAndInRoleOrder) {
  const Population pop = make_population(3, 2, 1, 1);
  EXPECT_EQ(ids_of(pop),
            (std::vector<std::string>{"honest-01", "honest-02", "honest-03", "drainer-01",
                                      "drainer-02", "entrencher-01", "suppressor-01"}));
  const std::vector<AgentRole> roles{role_named("honest"),    role_named("honest"),
                                     role_named("honest"),    role_named("drainer"),
                                     role_named("drainer"),   role_named("entrencher"),
                                     role_named("suppressor")};
  for (std::size_t i = 0; i < pop.size(); ++i) EXPECT_EQ(pop[i]->role(), roles[i]) << pop[i]->id();
  // The same composition always gives the same ids.
  EXPECT_EQ(ids_of(make_population(3, 2, 1, 1)), ids_of(pop));
}

TEST(Population, WidensIdsForLargeRoles) {
  const Population ten = make_population(10, 0, 0, 0);
  EXPECT_EQ(ten.front()->id(), "honest-01");
  EXPECT_EQ(ten.back()->id(), "honest-10");
  const Population hundred = make_population(100, 2, 0, 0);
  EXPECT_EQ(hundred.front()->id(), "honest-001");
  EXPECT_EQ(hundred[99]->id(), "honest-100");
  EXPECT_EQ(hundred[100]->id(), "drainer-01");  // each role has its own width
  const Population thousand = make_population(1000, 0, 0, 0);
  EXPECT_EQ(thousand.front()->id(), "honest-0001");
  EXPECT_EQ(thousand.back()->id(), "honest-1000");
}

TEST(Population, RosterOverloadMatches) {
  const Roster r = parse_ok("honest:5,drainer:1,entrencher:1,suppressor:1");
  EXPECT_EQ(ids_of(make_population(r)), ids_of(make_population(5, 1, 1, 1)));
  EXPECT_TRUE(make_population(0, 0, 0, 0).empty());
}

TEST(MakeAgent, ByRoleName) {
  for (const auto& [name, role] :
       std::vector<std::pair<std::string, AgentRole>>{{"honest", role_named("honest")},
                                                      {"drainer", role_named("drainer")},
                                                      {"entrencher", role_named("entrencher")},
                                                      {"suppressor", role_named("suppressor")}}) {
    Result<std::unique_ptr<Agent>> a = make_agent(name, name + "-07");
    ASSERT_TRUE(a.ok()) << name << ": " << a.status().message();
    EXPECT_EQ((*a)->role(), role);
    EXPECT_EQ((*a)->id(), name + "-07");
    EXPECT_EQ(agent_role_name(role), name);
  }
}

TEST(MakeAgent, ClearErrors) {
  Result<std::unique_ptr<Agent>> unknown = make_agent("wizard", "w-01");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown agent role 'wizard'"), std::string::npos)
      << unknown.status().message();

  Result<std::unique_ptr<Agent>> scripted = make_agent("scripted", "s-01");
  ASSERT_FALSE(scripted.ok());
  EXPECT_NE(scripted.status().message().find("ScriptedAgent"), std::string::npos)
      << scripted.status().message();

  Result<std::unique_ptr<Agent>> no_id = make_agent("honest", "");
  ASSERT_FALSE(no_id.ok());
  EXPECT_NE(no_id.status().message().find("empty id"), std::string::npos)
      << no_id.status().message();
}

TEST(MakeAgent, ScriptedStandsForItsRole) {
  ScriptedAgent s("drainer-01", role_named("drainer"), {});
  EXPECT_EQ(s.role(), role_named("scripted"));
  EXPECT_EQ(s.stands_for(), role_named("drainer"));
  EXPECT_EQ(s.plays(), role_named("drainer"));  // traces and teams see the role it stands for
  EXPECT_EQ(s.id(), "drainer-01");
  EXPECT_FALSE(is_red_team(s.role()));
}

}  // namespace
}  // namespace fable
