// The agent and detector registries, extended from this test file alone: a
// throw-away agent kind and a throw-away detector registered below play a
// whole tournament, and their names reach rosters, records and replays.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "fable/agent.h"
#include "fable/detector_registry.h"
#include "fable/kernel.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "fable/script.h"
#include "fable/tournament.h"

namespace fable {
namespace {

constexpr std::string_view kMimic = "test-mimic";

// Delegates its ballot to the first other citizen once, then does nothing.
class Mimic final : public Agent {
 public:
  Mimic(std::string id, AgentRole role) : Agent(std::move(id), role) {}
  void act(const Observation& obs, Rng&, Plan& plan) override {
    const Citizen& me = obs.world.citizens[static_cast<std::size_t>(obs.self)];
    if (me.on_roll && !me.exited && me.delegate == kNoAgent)
      plan.push_back(Action::delegate(obs.self == 0 ? 1 : 0));
  }
};

FABLE_REGISTER_AGENT({.name = kMimic,
                      .order = 500,
                      .red_team = false,
                      .description = "test only: delegates its ballot once",
                      .objective = "hand its ballot to a neighbour",
                      .make = make_agent_of<Mimic>});

// Flags every participant playing the mimic that set a delegation: it fires
// only if the mimic is in the episode and actually played. It sets neither a
// name nor a category: the suite must stamp the registered ones.
void run_mimic_marker(const EpisodeTrace& t, std::vector<ExploitFinding>& out) {
  std::vector<std::string> actors;
  int first = 0;
  for (const Event& e : t.events) {
    if (e.kind != EventKind::kDelegationSet || e.actor < 0) continue;
    const ParticipantInfo& p = t.participants[static_cast<std::size_t>(e.actor)];
    if (p.role.name() != kMimic) continue;
    if (actors.empty()) first = e.turn;
    actors.push_back(p.id);
  }
  if (actors.empty()) return;
  ExploitFinding f;
  f.severity = 2;
  f.turn = first;
  f.actors = std::move(actors);
  f.summary = "A mimic delegated its ballot.";
  f.kernel_clauses = {"delegation.max_depth"};
  f.proposed_guard = "none";
  out.push_back(std::move(f));
}

FABLE_REGISTER_DETECTOR({.name = "test_mimic_marker",
                         .category = Category::kProcedure,
                         .description = "test only: a mimic delegated",
                         .make = detector_of<&run_mimic_marker>});

Kernel v01() {
  Result<Kernel> k = Kernel::load_file(std::string(FABLE_SOURCE_DIR) + "/kernels/kernel-v0.1.yaml");
  EXPECT_TRUE(k.ok()) << k.status().message();
  return std::move(k).value();
}

TEST(AgentRegistry, ListsKindsInCanonicalOrderWhateverTheRegistrationOrder) {
  const std::vector<AgentRole>& roles = agent_roles();
  std::vector<std::string_view> names;
  for (const AgentRole r : roles) names.push_back(r.name());
  // Built-ins first, in the seed's roster order; this file's kind by its
  // order key (500), before the stand-in. Other kinds may sit in between:
  // adding one changes nothing here.
  std::vector<std::string_view> expected{"honest",     "drainer", "entrencher",
                                         "suppressor", kMimic,    "scripted"};
  std::vector<std::string_view> seen;
  for (std::string_view n : names) {
    if (std::find(expected.begin(), expected.end(), n) != expected.end()) seen.push_back(n);
  }
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(names.front(), "honest");
  EXPECT_EQ(names.back(), "scripted");
  for (std::size_t i = 0; i < roles.size(); ++i) {
    EXPECT_EQ(roles[i].index(), i);
    if (i > 0) {
      EXPECT_LT(std::make_tuple(roles[i - 1].order(), roles[i - 1].name()),
                std::make_tuple(roles[i].order(), roles[i].name()));
    }
  }
  EXPECT_TRUE(find_agent_role("drainer")->red_team());
  EXPECT_FALSE(find_agent_role("honest")->red_team());
  EXPECT_EQ(find_agent_role("drainer")->objective(),
            "move more than half the initial treasury to red-team recipients, legally");
  EXPECT_FALSE(find_agent_role("scripted")->in_rosters());
  const std::string listed = roster_role_names();
  EXPECT_EQ(listed.rfind("honest, drainer, entrencher, suppressor, ", 0), 0u) << listed;
  EXPECT_NE(listed.find(", test-mimic"), std::string::npos) << listed;
  EXPECT_EQ(listed.find("scripted"), std::string::npos) << "a stand-in is not in rosters";
  EXPECT_FALSE(find_agent_role("wizard").has_value());
}

TEST(AgentRegistry, RefusesDuplicateAndMalformedNames) {
  const std::size_t before = agent_roles().size();
  const Result<AgentRole> twice = register_agent_kind(
      {.name = "drainer", .order = 1, .description = "", .objective = "", .make = nullptr});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("'drainer' is registered twice"), std::string::npos);
  for (const char* bad : {"", "Drainer", "9lives", "a:b", "a,b", "a b"}) {
    const Result<AgentRole> r = register_agent_kind(
        {.name = bad, .order = 1, .description = "", .objective = "", .make = nullptr});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("lowercase letters"), std::string::npos) << bad;
  }
  EXPECT_EQ(agent_roles().size(), before);
  EXPECT_EQ(*find_agent_role("drainer"), agent_roles()[1]);
}

TEST(DetectorRegistry, RefusesDuplicateAndMalformedNames) {
  const std::size_t before = detector_kinds().size();
  const Result<const DetectorKind*> twice =
      register_detector_kind({.name = "salami_slicing",
                              .category = Category::kDrain,
                              .description = "",
                              .make = detector_of<&run_mimic_marker>});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("registered twice"), std::string::npos);
  EXPECT_FALSE(register_detector_kind({.name = "Bad-Name",
                                       .category = Category::kDrain,
                                       .description = "",
                                       .make = detector_of<&run_mimic_marker>})
                   .ok());
  EXPECT_FALSE(
      register_detector_kind(
          {.name = "no_factory", .category = Category::kDrain, .description = "", .make = nullptr})
          .ok());
  EXPECT_EQ(detector_kinds().size(), before);
  EXPECT_TRUE(std::is_sorted(
      detector_kinds().begin(), detector_kinds().end(),
      [](const DetectorKind* a, const DetectorKind* b) { return a->name < b->name; }));
}

TEST(AgentRegistry, RostersNameTheNewKind) {
  const Result<Roster> r = parse_roster("test-mimic:1,honest:3");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->to_string(), "honest:3,test-mimic:1");  // canonical order, not the text's
  std::vector<std::string> ids;
  for (const auto& a : make_population(*r)) ids.push_back(a->id());
  EXPECT_EQ(ids,
            (std::vector<std::string>{"honest-01", "honest-02", "honest-03", "test-mimic-01"}));

  const Result<Roster> bad = parse_roster("honest:3,wizard:1");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(
                "unknown role 'wizard' (registered: " + roster_role_names() + ")"),
            std::string::npos)
      << bad.status().message();
}

// The throw-away kind plays a tournament; the throw-away detector's finding
// becomes a record under its registered name and category, the record reads
// back, and its scripted stand-in replays it.
TEST(Registries, ATestFileAloneAddsAnAgentKindAndADetectorToATournament) {
  const Kernel kernel = v01();
  TournamentConfig cfg;
  cfg.seeds = {0, 1};
  cfg.n_turns = 6;
  cfg.matchups = {MatchupSpec{"mimicry", Roster{{{"honest", 3}, {std::string(kMimic), 1}}}}};
  const Result<TournamentResult> result = Tournament(cfg).run(kernel);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->episodes_run, 2u);

  const auto it =
      std::find_if(result->exploit_records.begin(), result->exploit_records.end(),
                   [](const ExploitRecord& rec) { return rec.name == "test_mimic_marker"; });
  ASSERT_NE(it, result->exploit_records.end()) << "the detector never fired on the mimic";
  const ExploitRecord& rec = *it;
  EXPECT_EQ(rec.category, Category::kProcedure);
  EXPECT_EQ(rec.occurrences, 2);
  EXPECT_EQ(rec.first_turn, 1);
  EXPECT_EQ(rec.reproduction.roster.to_string(), "honest:3,test-mimic:1");
  EXPECT_EQ(rec.reproduction.perpetrators, std::vector<std::string>{"test-mimic-01"});
  // The fingerprint hashes the registered name, category and the actor's role name.
  EXPECT_EQ(rec.fingerprint, finding_fingerprint("test_mimic_marker", Category::kProcedure,
                                                 {std::string(kMimic)}, {"delegation.max_depth"}));

  // The record reader takes the role from the registry.
  const Result<ExploitRecord> back = record_from_json(record_to_json(rec), "mimic.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->reproduction.roster, rec.reproduction.roster);

  // A scripted stand-in plays the new role and reproduces the finding.
  const Result<Population> pop = reproduction_population(back->reproduction);
  ASSERT_TRUE(pop.ok()) << pop.status().message();
  EXPECT_EQ((*pop)[3]->role(), scripted_role());
  EXPECT_EQ((*pop)[3]->plays().name(), kMimic);
  const ReplayResult replay = replay_record(*back, kernel, default_suite());
  EXPECT_EQ(replay.verdict, Verdict::kReproduces) << replay.reason;
}

// The seed's config names (issue 13) are aliases of our kinds: read as the
// same AgentRole, written back under the canonical name.
TEST(AgentRegistry, TheSeedsNamesAreAliasesOfOurKinds) {
  const std::vector<std::pair<std::string, std::string>> aliases = {
      {"treasury_drainer", "drainer"},
      {"entrenchment_engineer", "entrencher"},
      {"faction_suppressor", "suppressor"}};
  for (const auto& [alias, name] : aliases) {
    const std::optional<AgentRole> by_alias = find_agent_role(alias);
    ASSERT_TRUE(by_alias.has_value()) << alias;
    EXPECT_EQ(*by_alias, *find_agent_role(name)) << alias;
    EXPECT_EQ(by_alias->name(), name);
    EXPECT_EQ(std::vector<std::string>(by_alias->aliases().begin(), by_alias->aliases().end()),
              std::vector<std::string>{alias});
  }
  // The seed's three other roles are ours under the seed's own names.
  for (const char* name : {"timing_attacker", "emergency_abuser", "exit_blocker"}) {
    const std::optional<AgentRole> r = find_agent_role(name);
    ASSERT_TRUE(r.has_value()) << name;
    EXPECT_EQ(r->name(), name);
    EXPECT_TRUE(r->red_team()) << name;
    EXPECT_TRUE(r->in_rosters()) << name;
    EXPECT_TRUE(r->aliases().empty()) << name;
  }
  // Existing kinds keep their place: the new ones sort after them.
  EXPECT_EQ(agent_roles()[0].name(), "honest");
  EXPECT_EQ(agent_roles()[1].name(), "drainer");
  EXPECT_EQ(agent_roles()[2].name(), "entrencher");
  EXPECT_EQ(agent_roles()[3].name(), "suppressor");
  EXPECT_EQ(agent_roles()[4].name(), "timing_attacker");
  EXPECT_EQ(agent_roles()[5].name(), "emergency_abuser");
  EXPECT_EQ(agent_roles()[6].name(), "exit_blocker");
}

TEST(AgentRegistry, ARosterReadByAliasIsWrittenUnderTheCanonicalName) {
  const Result<Roster> r = parse_roster("treasury_drainer:2, honest:5,faction_suppressor:1");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->to_string(), "honest:5,drainer:2,suppressor:1");
  EXPECT_EQ(*r, *parse_roster("honest:5,drainer:2,suppressor:1"));
  EXPECT_EQ(r->count("drainer"), 2);
  EXPECT_EQ(r->count("treasury_drainer"), 2);
  const Population pop = make_population(*r);
  ASSERT_EQ(pop.size(), 8u);
  EXPECT_EQ(pop[5]->id(), "drainer-01");
  EXPECT_EQ(pop[5]->role(), *find_agent_role("drainer"));

  // One kind under two of its names is named twice.
  const Result<Roster> twice = parse_roster("honest:5,drainer:1,treasury_drainer:1");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("role 'drainer' named twice"), std::string::npos)
      << twice.status().message();
  const Status built =
      check_roster(Roster{{{"honest", 5}, {"drainer", 1}, {"treasury_drainer", 1}}});
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.message().find("named twice"), std::string::npos) << built.message();
  // A roster built in code with an alias counts for the kind.
  const Roster coded{{{"honest", 5}, {"entrenchment_engineer", 2}}};
  EXPECT_TRUE(check_roster(coded).ok());
  EXPECT_EQ(coded.to_string(), "honest:5,entrencher:2");
  EXPECT_EQ(make_population(coded).back()->id(), "entrencher-02");

  // An unknown name's error still lists the registered names.
  const Result<Roster> unknown = parse_roster("honest:5,treasury_drainers:1");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown role 'treasury_drainers' (registered: "
                                            "honest, drainer, entrencher, suppressor, "),
            std::string::npos)
      << unknown.status().message();
}

TEST(AgentRegistry, RefusesAnAliasThatIsAlreadyANameOrAlias) {
  const std::size_t before = agent_roles().size();
  for (const std::string_view taken : {"drainer", "treasury_drainer", "test-alias-kind"}) {
    const Result<AgentRole> r = register_agent_kind({.name = "test-alias-kind",
                                                     .order = 1,
                                                     .description = "",
                                                     .objective = "",
                                                     .make = nullptr,
                                                     .aliases = {taken}});
    ASSERT_FALSE(r.ok()) << taken;
    EXPECT_NE(r.status().message().find("already a registered name or alias"), std::string::npos)
        << r.status().message();
  }
  const Result<AgentRole> bad = register_agent_kind({.name = "test-alias-kind",
                                                     .order = 1,
                                                     .description = "",
                                                     .objective = "",
                                                     .make = nullptr,
                                                     .aliases = {"Bad Alias"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("lowercase letters"), std::string::npos);
  // A new kind whose name is an existing alias is a duplicate too.
  const Result<AgentRole> as_name = register_agent_kind({.name = "faction_suppressor",
                                                         .order = 1,
                                                         .description = "",
                                                         .objective = "",
                                                         .make = nullptr});
  ASSERT_FALSE(as_name.ok());
  EXPECT_EQ(agent_roles().size(), before);
  EXPECT_FALSE(find_agent_role("test-alias-kind").has_value());
}

}  // namespace
}  // namespace fable
