// The seed's tournament config format (fable/seed_config.h), the economy in the
// engine, and playing a seed config (fable/seed_run.h): the shipped T1-T3 load,
// mistakes give one error with file, line and field path, income and stipend
// land as docs/turn-engine.md says, records keep the economy and replay with
// it, expected_exploits missing is exit 1, and the verification kernel's
// difference is in the report.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fable/engine.h"
#include "fable/episode.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "fable/seed_config.h"
#include "fable/seed_run.h"
#include "fable/trace.h"
#include "support/cli_test_support.h"
#include "support/kernels.h"

namespace fable {
namespace {

namespace fs = std::filesystem;

std::string seed_file(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("fable-seedcfg-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

const char* const kValid = R"(tournament:
  id: S1
  name: small
  seed: 5
  episodes: 2
  rounds_per_episode: 40
  kernel: kernels/kernel-v0.1.yaml
population:
  citizens: 8
  honest: 6
  red_team: 2
  roles:
    - {role: treasury_drainer, count: 2, objective: drain}
economy: {initial_treasury: 1000, income_per_turn: 5, citizen_stipend: 0.5}
detectors: [treasury_drain, snap_vote]
scoring: {primary: worst_off_welfare, secondary: [treasury_integrity]}
outputs: {exploits_dir: results/S1, report: S1.md}
expected_exploits: [treasury_drain]
)";

std::string error_of(const std::string& text) {
  const Result<SeedConfig> c = load_seed_config(seed_file("bad.yaml", text));
  EXPECT_FALSE(c.ok()) << text;
  return c.ok() ? "" : c.status().message();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(SeedConfig, EveryShippedConfigLoads) {
  for (const char* name :
       {"configs/T1-treasury-and-timing.yaml", "configs/T2-entrenchment-and-suppression.yaml",
        "configs/T3-emergency-and-exit.yaml"}) {
    const std::string path = testing::source_path(name);
    const Result<bool> seed_format = is_seed_config(path);
    ASSERT_TRUE(seed_format.ok() && *seed_format) << name;
    const Result<SeedConfig> c = load_seed_config(path);
    ASSERT_TRUE(c.ok()) << c.status().message();
    EXPECT_EQ(c->episodes, 64u);
    EXPECT_EQ(c->roster().total(), c->citizens);
    EXPECT_FALSE(c->expected_exploits.empty());
    EXPECT_EQ(c->scoring_primary, "worst_off_welfare");
  }
  const Result<SeedConfig> t1 =
      load_seed_config(testing::source_path("configs/T1-treasury-and-timing.yaml"));
  ASSERT_TRUE(t1.ok());
  EXPECT_EQ(t1->seed, 1101u);
  EXPECT_EQ(t1->rounds_per_episode, 200);
  EXPECT_EQ(t1->roster().to_string(), "honest:16,drainer:3,timing_attacker:2");
  EXPECT_EQ(t1->initial_treasury, 10000 * kMoneyScale);
  EXPECT_EQ(t1->income_per_turn, 50 * kMoneyScale);
  EXPECT_EQ(t1->citizen_stipend, kMoneyScale);
  const TournamentConfig cfg = t1->tournament_config();
  EXPECT_EQ(cfg.seeds.front(), 1101u);
  EXPECT_EQ(cfg.seeds.back(), 1164u);
  EXPECT_EQ(cfg.settings.income_per_turn, 50 * kMoneyScale);
  EXPECT_EQ(t1->detector_kinds,
            (std::vector<std::string>{"treasury_drain", "salami_slicing", "self_dealing",
                                      "omnibus_rider", "quorum_ambush"}));
  // Our own format is not taken for the seed's.
  const Result<bool> ours = is_seed_config(seed_file("ours.yaml", "turns: 5\n"));
  ASSERT_TRUE(ours.ok());
  EXPECT_FALSE(*ours);
}

TEST(SeedConfig, MistakesNameFileLineAndField) {
  ASSERT_TRUE(load_seed_config(seed_file("ok.yaml", kValid)).ok());
  std::string e = error_of(replaced(kValid, "  name: small\n", "  name: small\n  colour: red\n"));
  EXPECT_NE(e.find("bad.yaml:4: tournament.colour: unknown key"), std::string::npos) << e;
  e = error_of(replaced(kValid, "count: 2,", "count: two,"));
  EXPECT_NE(e.find(":13: population.roles[0].count: expected an integer"), std::string::npos) << e;
  e = error_of(replaced(kValid, "  citizens: 8", "  citizens: 9"));
  EXPECT_NE(e.find("citizens is 9 but honest + red_team is 6 + 2"), std::string::npos) << e;
  e = error_of(replaced(kValid, "  red_team: 2", "  red_team: 3"));
  EXPECT_NE(e.find("red_team is 3 but the roles' counts add up to 2"), std::string::npos) << e;
  e = error_of(replaced(kValid, "objective: drain", "objective: block_exit"));
  EXPECT_NE(e.find("population.roles[0].objective: 'block_exit' is not the objective of drainer"),
            std::string::npos)
      << e;
  e = error_of(replaced(kValid, "snap_vote]", "snap_votes]"));
  EXPECT_NE(e.find("detectors[1]: unknown detector 'snap_votes'"), std::string::npos) << e;
  e = error_of(replaced(kValid, "[treasury_integrity]", "[happiness]"));
  EXPECT_NE(e.find("scoring.secondary[0]: unknown metric 'happiness'"), std::string::npos) << e;
  e = error_of(replaced(kValid, "[treasury_drain]\n", "[emergency_chaining]\n"));
  EXPECT_NE(e.find("expected_exploits[0]: 'emergency_chaining' cannot be found"), std::string::npos)
      << e;
  e = error_of(replaced(kValid, "results/S1", "../elsewhere"));
  EXPECT_NE(e.find("outputs.exploits_dir"), std::string::npos) << e;
  e = error_of(replaced(kValid, "results/S1", "/tmp/x"));
  EXPECT_NE(e.find("outputs.exploits_dir: '/tmp/x': expected a relative path"), std::string::npos)
      << e;
  e = error_of(replaced(kValid, "report: S1.md", "report: a/b.md"));
  EXPECT_NE(e.find("outputs.report"), std::string::npos) << e;
  e = error_of(replaced(kValid, "  seed: 5\n", ""));
  EXPECT_NE(e.find("tournament.seed: missing"), std::string::npos) << e;
}

// The red-team list of a role error: no honest (given by population.honest),
// no attacker (hunt only), and the aliases.
TEST(SeedConfig, ARoleErrorListsTheRedTeamRolesAndTheirAliases) {
  std::string e = error_of(replaced(kValid, "role: treasury_drainer", "role: honest"));
  EXPECT_NE(e.find("population.roles[0].role: 'honest' is not a red-team role: honest citizens "
                   "are given by population.honest (red-team roles: drainer, entrencher, "),
            std::string::npos)
      << e;
  for (const std::string& bad : {std::string("honest"), std::string("wizard")}) {
    e = error_of(replaced(kValid, "role: treasury_drainer", "role: " + bad));
    const std::size_t list = e.find("(red-team roles: ");
    ASSERT_NE(list, std::string::npos) << e;
    EXPECT_EQ(e.find("honest", list), std::string::npos) << e;
    EXPECT_EQ(e.find(", attacker", list), std::string::npos) << e;
    EXPECT_NE(e.find("; aliases: treasury_drainer (drainer), entrenchment_engineer (entrencher), "
                     "faction_suppressor (suppressor))",
                     list),
              std::string::npos)
        << e;
  }
  e = error_of(replaced(kValid, "role: treasury_drainer", "role: attacker"));
  EXPECT_NE(e.find("'attacker' plays only what a search chooses"), std::string::npos) << e;
}

// The kernels' lines are kept for messages about the kernels.
TEST(SeedConfig, TheKernelsLinesAreKept) {
  const Result<SeedConfig> c = load_seed_config(
      seed_file("lines.yaml", replaced(kValid, "  kernel: kernels/kernel-v0.1.yaml\n",
                                       "  kernel: kernels/kernel-v0.1.yaml\n"
                                       "  verification_kernel: kernels/kernel-v0.2.yaml\n")));
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->kernel_line, 7);
  EXPECT_EQ(c->verification_kernel_line, 8);
}

// A seed config is one YAML mapping without merge keys (yaml-cpp would read `<<` as a key).
TEST(SeedConfig, AMergeKeyIsRefused) {
  const std::string e = error_of(replaced(kValid, "population:\n  citizens: 8\n",
                                          "base: &b {citizens: 8}\npopulation:\n  <<: *b\n"));
  EXPECT_NE(e.find("bad.yaml:10: '<<' (a YAML merge key) is not supported in a config"),
            std::string::npos)
      << e;
}

// The size bounds are checked on the values as played: overrides first.
TEST(SeedConfig, BoundsAreCheckedAfterTheOverrides) {
  const std::string big =
      replaced(kValid, "  citizens: 8\n  honest: 6\n", "  citizens: 1002\n  honest: 1000\n");
  const std::string big_rounds =
      replaced(big, "rounds_per_episode: 40", "rounds_per_episode: 50000");
  // Over the citizen-turns bound as written; within it with fewer rounds.
  std::string e = error_of(big_rounds);
  EXPECT_NE(e.find("population.citizens: 1002 citizens x 50000 rounds is over the limit"),
            std::string::npos)
      << e;
  const std::string path = seed_file("bounds.yaml", big_rounds);
  const Result<SeedConfig> within = load_seed_config(path, SeedOverrides{40, std::nullopt});
  ASSERT_TRUE(within.ok()) << within.status().message();
  EXPECT_EQ(within->rounds_per_episode, 50000) << "the file's value is kept";
  // Within the bound as written; beyond it with more rounds.
  const Result<SeedConfig> beyond =
      load_seed_config(seed_file("bounds2.yaml", big), SeedOverrides{50000, std::nullopt});
  ASSERT_FALSE(beyond.ok());
  EXPECT_NE(beyond.status().message().find("1002 citizens x 50000 rounds (overridden) is over"),
            std::string::npos)
      << beyond.status().message();
  // The economy: income x rounds + treasury, with either overridden.
  const std::string rich = replaced(kValid, "income_per_turn: 5,", "income_per_turn: 1e8,");
  EXPECT_TRUE(load_seed_config(seed_file("rich.yaml", rich)).ok());
  const Result<SeedConfig> long_run =
      load_seed_config(seed_file("rich.yaml", rich), SeedOverrides{20000, std::nullopt});
  ASSERT_FALSE(long_run.ok());
  EXPECT_NE(long_run.status().message().find(
                "economy: initial_treasury + income_per_turn x 20000 rounds (overridden) is over"),
            std::string::npos)
      << long_run.status().message();
  const Result<SeedConfig> richer = load_seed_config(
      seed_file("rich.yaml", rich), SeedOverrides{std::nullopt, kMaxMoney - kMoneyScale});
  ASSERT_FALSE(richer.ok());
  EXPECT_NE(richer.status().message().find("economy: initial_treasury (overridden) + "),
            std::string::npos)
      << richer.status().message();
  // 1e11 units a round: over the bound for 40 rounds, within it for 5.
  const std::string richest = replaced(kValid, "income_per_turn: 5,", "income_per_turn: 1e11,");
  EXPECT_FALSE(load_seed_config(seed_file("richest.yaml", richest)).ok());
  EXPECT_TRUE(
      load_seed_config(seed_file("richest.yaml", richest), SeedOverrides{5, std::nullopt}).ok());
}

TEST(SeedConfig, AnEconomyThatCouldOverflowIsRefusedAtLoad) {
  std::string e = error_of(replaced(kValid, "income_per_turn: 5,", "income_per_turn: 1e12,"));
  EXPECT_NE(e.find("economy: initial_treasury + income_per_turn x 40 rounds is over"),
            std::string::npos)
      << e;
  e = error_of(replaced(kValid, "citizen_stipend: 0.5", "citizen_stipend: -1"));
  EXPECT_NE(e.find("economy.citizen_stipend: expected an amount in units"), std::string::npos) << e;
  e = error_of(replaced(kValid, "citizen_stipend: 0.5", "citizen_stipend: 2e12"));
  EXPECT_NE(e.find("economy.citizen_stipend"), std::string::npos) << e;
}

TEST(Economy, IncomeThenStipendAtTheEndOfEachTurn) {
  EngineSettings settings;
  settings.income_per_turn = 50 * kMoneyScale;
  settings.citizen_stipend = 1500;  // 1.5 units
  Environment env(testing::shipped_kernel("kernel-v0.1.yaml"), {"a", "b", "c"}, 100 * kMoneyScale,
                  1, settings);
  const std::vector<Plan> plans(3);
  env.step(plans);
  // +50 income, then 3 x 1.5 paid out of the treasury.
  EXPECT_EQ(env.state().treasury, 100 * kMoneyScale + 50 * kMoneyScale - 3 * 1500);
  for (const Citizen& c : env.state().citizens) EXPECT_EQ(c.balance, 1500);
  EXPECT_EQ(env.state().income_total, 50 * kMoneyScale);
  EXPECT_EQ(env.state().spent_this_epoch, 0);  // a stipend is not a spend
  EXPECT_EQ(env.state().money_in_system(), 150 * kMoneyScale);
}

TEST(Economy, TheStipendIsPaidInIndexOrderWhileFundsLast) {
  EngineSettings settings;
  settings.citizen_stipend = 2 * kMoneyScale;
  Environment env(testing::shipped_kernel("kernel-v0.1.yaml"), {"a", "b", "c"}, 3 * kMoneyScale, 1,
                  settings);
  env.step(std::vector<Plan>(3));
  EXPECT_EQ(env.state().treasury, 0);
  EXPECT_EQ(env.state().citizens[0].balance, 2 * kMoneyScale);
  EXPECT_EQ(env.state().citizens[1].balance, 1 * kMoneyScale);
  EXPECT_EQ(env.state().citizens[2].balance, 0);
}

TEST(Economy, NoEconomyLeavesTheWorldAsBefore) {
  Environment plain(testing::shipped_kernel("kernel-v0.1.yaml"), {"a", "b"}, 100 * kMoneyScale, 1);
  plain.step(std::vector<Plan>(2));
  EXPECT_EQ(plain.state().treasury, 100 * kMoneyScale);
  EXPECT_EQ(plain.state().citizens[0].balance, 0);
}

TEST(Economy, TracesKeepTheEconomyAndReadItBack) {
  Population agents = make_population(*parse_roster("honest:3,drainer:1"));
  EpisodeOptions options;
  options.turns = 5;
  options.settings.income_per_turn = 7 * kMoneyScale;
  options.settings.citizen_stipend = 250;
  const EpisodeResult r =
      run_episode(testing::shipped_kernel("kernel-v0.1.yaml"), agents, 3, options, default_suite());
  EXPECT_EQ(r.trace.settings.income_per_turn, 7 * kMoneyScale);
  const std::string json = trace_to_json(r.trace);
  EXPECT_NE(json.find("\"income_per_turn_milli\": 7000"), std::string::npos);
  EXPECT_NE(json.find("\"citizen_stipend_milli\": 250"), std::string::npos);
  const Result<EpisodeTrace> back = trace_from_json(json, "trace.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->settings.income_per_turn, 7 * kMoneyScale);
  EXPECT_EQ(back->settings.citizen_stipend, 250);
  EXPECT_EQ(trace_to_json(*back), json);
}

// A small seed config on T1's population, played for real.
SeedConfig small_t1(std::uint64_t episodes) {
  Result<SeedConfig> c =
      load_seed_config(testing::source_path("configs/T1-treasury-and-timing.yaml"));
  EXPECT_TRUE(c.ok());
  c->kernel = testing::source_path("kernels/kernel-v0.1.yaml");
  c->episodes = episodes;
  c->rounds_per_episode = 60;
  return *c;
}

TEST(SeedRun, ARecordWrittenWithAnEconomyReplaysWithIt) {
  // Four episodes: under the default token-vote citizens not every T1
  // episode yields a finding in 60 turns.
  const SeedConfig seed = small_t1(4);
  const auto run = run_seed_tournament(seed, seed.tournament_config());
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_FALSE(run->main.exploit_records.empty());
  const ExploitRecord& rec = run->main.exploit_records.front();
  // The seed's format names no population: the default plays, and is recorded.
  EXPECT_EQ(rec.reproduction.population, default_population());
  EXPECT_EQ(rec.reproduction.settings.income_per_turn, 50 * kMoneyScale);
  EXPECT_EQ(rec.reproduction.settings.citizen_stipend, kMoneyScale);
  const std::string json = record_to_json(rec);
  EXPECT_NE(json.find("\"income_per_turn_milli\": 50000"), std::string::npos);
  EXPECT_NE(json.find("\"citizen_stipend_milli\": 1000"), std::string::npos);
  const Result<ExploitRecord> back = record_from_json(json, "rec.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(record_to_json(*back), json);
  const Kernel& v01 = testing::shipped_kernel("kernel-v0.1.yaml");
  const ReplayResult with = replay_record(*back, v01, seed_detector_suite(seed));
  EXPECT_EQ(with.verdict, Verdict::kReproduces) << with.reason;
  // Without the economy the same script plays a different episode.
  ExploitRecord stripped = *back;
  stripped.reproduction.settings.income_per_turn = 0;
  stripped.reproduction.settings.citizen_stipend = 0;
  const ReplayResult without = replay_record(stripped, v01, seed_detector_suite(seed));
  EXPECT_NE(with.digests, without.digests);
  // A record without an economy is written without its keys.
  EXPECT_EQ(record_to_json(stripped).find("income_per_turn_milli"), std::string::npos);
}

TEST(SeedRun, TheVerificationKernelsDifferenceIsReported) {
  Result<SeedConfig> c =
      load_seed_config(testing::source_path("configs/T3-emergency-and-exit.yaml"));
  ASSERT_TRUE(c.ok());
  c->kernel = testing::source_path("kernels/kernel-v0.1.yaml");
  c->verification_kernel = testing::source_path("kernels/kernel-v0.2.yaml");
  c->episodes = 2;
  c->rounds_per_episode = 80;
  const auto run = run_seed_tournament(*c, c->tournament_config());
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_TRUE(run->verification.has_value());
  EXPECT_EQ(run->main.kernel_version, "0.1.0");
  EXPECT_EQ(run->verification->kernel_version, "0.2.0");
  EXPECT_TRUE(run->all_expected_found());
  const std::string report = render_seed_report(*c, c->tournament_config(), *run);
  EXPECT_NE(report.find("| detector | v0.1.0 | v0.2.0 |"), std::string::npos) << report;
  // The report names the population that played (a fresh user found it silent).
  EXPECT_NE(report.find("Honest citizens: population model `token-vote`"), std::string::npos)
      << report;
  EXPECT_NE(report.find("| emergency_abuse | 2 (1) | 0 (0) |"), std::string::npos) << report;
  // exit_obstruction is ours too now, and runs on both kernels: on v0.1 the
  // exit blockers strike a distressed token-vote citizen off the roll and
  // its exit is refused; v0.2's expulsion threshold stops them.
  EXPECT_NE(report.find("| exit_obstruction | exit_obstruction |"), std::string::npos) << report;
  EXPECT_NE(report.find("| exit_obstruction | 1 (1) | 0 (0) |"), std::string::npos) << report;
  EXPECT_EQ(report.find("none (not run"), std::string::npos) << report;
  EXPECT_NE(report.find("| proposal_legitimacy | procedural legitimacy (procedural_legitimacy) |"),
            std::string::npos)
      << report;
  EXPECT_EQ(report.find("missing"), std::string::npos) << report;
}

TEST(SeedRunCli, AMissingExpectedClassIsExit1) {
  std::string text = kValid;
  text = replaced(text, "[treasury_drain, snap_vote]", "[treasury_drain, emergency_chaining]");
  text = replaced(text, "outputs: {exploits_dir: results/S1, report: S1.md}\n", "");
  const std::string found_text = text;
  text = replaced(text, "expected_exploits: [treasury_drain]",
                  "expected_exploits: [treasury_drain, emergency_chaining]");
  const auto run = testing::run_command(
      testing::fable_command("tournament --config " + seed_file("missing.yaml", text) + " 2>&1"));
  EXPECT_EQ(run.code, 1) << run.out;
  EXPECT_NE(run.out.find("- emergency_chaining (emergency_chaining): MISSING"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("expected exploit missing: emergency_chaining"), std::string::npos);
  EXPECT_NE(run.out.find("treasury_drain (treasury_drain, salami_slicing, self_dealing): found"),
            std::string::npos)
      << run.out;
  // All found: exit 0.
  const auto found = testing::run_command(testing::fable_command(
      "tournament --config " + seed_file("found.yaml", found_text) + " 2>&1"));
  EXPECT_EQ(found.code, 0) << found.out;
  EXPECT_NE(found.out.find("Expected check: passed"), std::string::npos);
}

// The seed's secondaries with a per-episode metric of ours become the
// leaderboard's secondary columns (they were once parsed and dropped).
TEST(SeedConfig, SecondariesWithAMetricOfOursReachTheLeaderboard) {
  const Result<SeedConfig> t1 =
      load_seed_config(std::string(FABLE_SOURCE_DIR) + "/configs/T1-treasury-and-timing.yaml");
  ASSERT_TRUE(t1.ok()) << t1.status().message();
  EXPECT_EQ(
      t1->tournament_config().secondary_metrics,
      (std::vector<std::string>{"treasury_retention", "participation", "procedural_legitimacy"}));
  const Result<SeedConfig> t2 = load_seed_config(std::string(FABLE_SOURCE_DIR) +
                                                 "/configs/T2-entrenchment-and-suppression.yaml");
  ASSERT_TRUE(t2.ok()) << t2.status().message();
  EXPECT_EQ(t2->tournament_config().secondary_metrics,
            (std::vector<std::string>{"minority_participation", "procedural_legitimacy"}));
  const Result<SeedConfig> t3 =
      load_seed_config(std::string(FABLE_SOURCE_DIR) + "/configs/T3-emergency-and-exit.yaml");
  ASSERT_TRUE(t3.ok()) << t3.status().message();
  EXPECT_EQ(t3->tournament_config().secondary_metrics,
            (std::vector<std::string>{"procedural_legitimacy"}));
}

// outputs.exploits_dir may not pass through a symbolic link: a link in the
// current folder could lead anywhere (a fresh user wrote records to another
// folder this way).
TEST(SeedConfig, AnExploitsDirThroughALinkIsRefusedAtLoad) {
  const std::string base = ::testing::TempDir() + "/seed-link";
  std::filesystem::remove_all(base);
  std::filesystem::create_directories(base + "/elsewhere");
  std::filesystem::create_directory_symlink(base + "/elsewhere", base + "/linkdir");
  std::string text = kValid;
  text = replaced(text, "outputs: {exploits_dir: results/S1, report: S1.md}",
                  "outputs: {exploits_dir: linkdir/records, report: S1.md}");
  const std::string config = seed_file("link.yaml", text);
  const auto run = testing::run_command("cd '" + base + "' && " + FABLE_BINARY +
                                        " tournament --config " + config + " --out o 2>&1");
  EXPECT_EQ(run.code, 2) << run.out;
  EXPECT_NE(run.out.find("outputs.exploits_dir: 'linkdir/records': linkdir is a symbolic link"),
            std::string::npos)
      << run.out;
  EXPECT_TRUE(std::filesystem::is_empty(base + "/elsewhere"));
  EXPECT_FALSE(std::filesystem::exists(base + "/o"));
  std::filesystem::remove_all(base);
}

// --population reaches a seed config's episodes (it was once read and then
// ignored for seed configs): the records the run writes carry the model.
TEST(SeedRunCli, PopulationFlagAppliesToASeedConfig) {
  std::string text = kValid;
  text = replaced(text, "outputs: {exploits_dir: results/S1, report: S1.md}\n", "");
  const std::string config = seed_file("population.yaml", text);
  const std::string out = ::testing::TempDir() + "/seed-population-out";
  std::filesystem::remove_all(out);
  std::filesystem::remove_all(out + "-records");
  const auto run = testing::run_command(
      testing::fable_command("tournament --config " + config + " --population token-vote --out " +
                             out + " --exploit-dir " + out + "-records 2>&1"));
  ASSERT_EQ(run.code, 0) << run.out;
  int records = 0, recorded = 0;
  for (const auto& e : std::filesystem::directory_iterator(out + "-records")) {
    std::ifstream in(e.path());
    const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++records;
    recorded += body.find("\"token-vote\"") != std::string::npos ? 1 : 0;
  }
  EXPECT_GT(records, 0) << run.out;
  EXPECT_EQ(recorded, records) << "a record does not name the token-vote population";
  std::filesystem::remove_all(out);
  std::filesystem::remove_all(out + "-records");
}

}  // namespace
}  // namespace fable
