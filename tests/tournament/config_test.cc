// Tournament config files (fable/tournament_config.h): keys, role names from
// the registry (singular or plural), and one clear error per mistake.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "fable/tournament_config.h"

namespace fable {
namespace {

namespace fs = std::filesystem;

// Writes `text` to a fresh file and returns its path.
std::string config_file(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("fable-config-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

std::string error_of(const std::string& name, const std::string& text) {
  const Result<TournamentConfig> cfg = load_tournament_config(config_file(name, text));
  EXPECT_FALSE(cfg.ok()) << text;
  return cfg.ok() ? "" : cfg.status().message();
}

TEST(TournamentConfig, ReadsEveryKey) {
  const std::string path =
      config_file("all.yaml",
                  "kernel: kernels/kernel-v0.1.yaml\n"
                  "seeds: \"3..5\"\n"
                  "turns: 40\n"
                  "treasury: 500\n"
                  "threads: 2\n"
                  "plan_length: 2\n"
                  "exploit_id_start: 7\n"
                  "episode_files: findings\n"
                  "matchups:\n"
                  "  - {name: big-drain, honest: 20, drainers: 5}\n"
                  "  - {name: singular, suppressor: 1, honest: 3, drainer: 0}\n");
  const Result<TournamentConfig> cfg = load_tournament_config(path);
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(cfg->kernel_path, "kernels/kernel-v0.1.yaml");
  EXPECT_EQ(cfg->seeds, (std::vector<std::uint64_t>{3, 4, 5}));
  EXPECT_EQ(cfg->n_turns, 40);
  EXPECT_EQ(cfg->initial_treasury, 500 * kMoneyScale);
  EXPECT_EQ(cfg->threads, 2);
  EXPECT_EQ(cfg->settings.plan_length, 2);
  EXPECT_EQ(cfg->exploit_id_start, 7);
  EXPECT_EQ(cfg->episode_files, EpisodeFiles::kWithFindings);
  ASSERT_EQ(cfg->matchups.size(), 2u);
  EXPECT_EQ(cfg->matchups[0].name, "big-drain");
  EXPECT_EQ(cfg->matchups[0].roster.to_string(), "honest:20,drainer:5");
  EXPECT_EQ(cfg->matchups[1].roster.to_string(), "honest:3,suppressor:1");
  // Canonical order whatever the order of the keys.
  ASSERT_EQ(cfg->matchups[1].roster.entries.size(), 3u);
  EXPECT_EQ(cfg->matchups[1].roster.entries[0].role, "honest");
  EXPECT_EQ(cfg->matchups[1].roster.entries[2].role, "suppressor");
}

TEST(TournamentConfig, KeysNotInTheFileKeepTheDefaults) {
  const Result<TournamentConfig> cfg =
      load_tournament_config(config_file("few.yaml", "turns: 9\n"));
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(cfg->n_turns, 9);
  EXPECT_EQ(cfg->seeds.size(), 8u);
  ASSERT_EQ(cfg->matchups.size(), default_matchups().size());
  EXPECT_EQ(cfg->matchups[4].roster, default_matchups()[4].roster);
}

TEST(TournamentConfig, UnknownRoleListsTheRegisteredOnes) {
  const std::string m =
      error_of("role.yaml", "matchups:\n  - {name: odd, honest: 3, wizards: 2}\n");
  EXPECT_NE(m.find("role.yaml:2: matchups: 'odd': unknown role 'wizards' (registered: honest, "
                   "drainer, entrencher, suppressor"),
            std::string::npos)
      << m;
  EXPECT_NE(error_of("scripted.yaml", "matchups:\n  - {name: s, honest: 3, scripted: 1}\n")
                .find("unknown role 'scripted'"),
            std::string::npos);
}

// The list names the aliases each kind accepts, and leaves out the attacker,
// which a tournament refuses.
TEST(TournamentConfig, UnknownRoleListsTheAliasesAndNoHuntOnlyRole) {
  const std::string m =
      error_of("alias.yaml", "matchups:\n  - {name: odd, honest: 3, wizards: 2}\n");
  for (const char* part : {"; aliases: treasury_drainer (drainer), entrenchment_engineer "
                           "(entrencher), faction_suppressor (suppressor);",
                           "plurals such as 'drainers' work too"}) {
    EXPECT_NE(m.find(part), std::string::npos) << m;
  }
  EXPECT_EQ(m.find(", attacker"), std::string::npos) << m;
  EXPECT_EQ(m.find("(hunt only)"), std::string::npos) << m;
}

// `attacker` plays only what a hunt's search chooses: a tournament refuses it,
// from a file (with its line) or built in code (check_tournament_settings).
TEST(TournamentConfig, TheAttackerIsRefusedOutsideHunt) {
  for (const char* key : {"attacker", "attackers"}) {
    const std::string m =
        error_of("attacker.yaml",
                 std::string("seeds: 0..1\nmatchups:\n  - {name: a, honest: 3, ") + key + ": 2}\n");
    EXPECT_NE(m.find("attacker.yaml:3: matchups: 'a': 'attacker' plays only what a search "
                     "chooses"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("use it with `hunt`"), std::string::npos) << m;
  }
  TournamentConfig cfg;
  cfg.matchups = {MatchupSpec{"coded", Roster{{{"honest", 3}, {"attacker", 2}}}}};
  const Status st = check_tournament_settings(cfg);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("matchup 'coded': 'attacker' plays only what a search chooses"),
            std::string::npos)
      << st.message();
  cfg.matchups = {MatchupSpec{"coded", Roster{{{"honest", 3}, {"drainer", 2}}}}};
  EXPECT_TRUE(check_tournament_settings(cfg).ok());
}

// yaml-cpp does not resolve merge keys: `<<` would be read as a role or key.
TEST(TournamentConfig, AMergeKeyIsRefused) {
  const std::string m = error_of("merge.yaml",
                                 "seeds: 0..1\n"
                                 "matchups:\n"
                                 "  - {name: a, honest: 5, drainer: 1}\n"
                                 "  - <<: {honest: 5}\n"
                                 "    name: b\n");
  EXPECT_NE(m.find("merge.yaml:4: '<<' (a YAML merge key) is not supported in a config"),
            std::string::npos)
      << m;
  EXPECT_EQ(m.find("unknown role"), std::string::npos) << m;
  // At the top level, tagged !!merge, and in a block mapping: refused too.
  for (const char* text : {"base: &b {turns: 5}\n<<: *b\n", "!!merge <<: {turns: 5}\n",
                           "population:\n  <<: {preset: naive}\n"}) {
    EXPECT_NE(error_of("merge2.yaml", text).find("(a YAML merge key) is not supported"),
              std::string::npos)
        << text;
  }
  // A quoted "<<" is an ordinary (unknown) key; anchors and aliases still work.
  EXPECT_NE(error_of("quoted.yaml", "\"<<\": 1\n").find("unknown key"), std::string::npos);
  const Result<TournamentConfig> aliased = load_tournament_config(
      config_file("alias-ok.yaml", "turns: &t 7\nseeds: 0..1\nthreads: *t\n"));
  ASSERT_TRUE(aliased.ok()) << aliased.status().message();
  EXPECT_EQ(aliased->threads, 7);
}

// The line that names the kernel is noted for messages about the kernel.
TEST(TournamentConfig, TheKernelsLineIsNoted) {
  TournamentConfig cfg;
  ConfigLines lines;
  ASSERT_TRUE(
      apply_tournament_config(config_file("k.yaml", "turns: 5\nkernel: k.yaml\n"), cfg, &lines)
          .ok());
  EXPECT_EQ(lines.kernel, 2);
  ConfigLines none;
  ASSERT_TRUE(apply_tournament_config(config_file("nok.yaml", "turns: 5\n"), cfg, &none).ok());
  EXPECT_EQ(none.kernel, 0);
}

TEST(TournamentConfig, ARoleNamedTwiceIsAnError) {
  const std::string m =
      error_of("twice.yaml", "matchups:\n  - {name: t, honest: 3, drainer: 1, drainers: 2}\n");
  EXPECT_NE(m.find("twice.yaml:2: matchups: 't': role 'drainer' named twice"), std::string::npos)
      << m;
}

// The seed's role names (issue 13) are aliases: read as our kinds, written
// under our names; one kind under two of its names is named twice.
TEST(TournamentConfig, TheSeedsRoleNamesAreAliases) {
  const Result<TournamentConfig> cfg = load_tournament_config(
      config_file("seed-names.yaml",
                  "matchups:\n"
                  "  - {name: t1, honest: 16, treasury_drainer: 3, timing_attacker: 2}\n"
                  "  - {name: t2, honest: 18, entrenchment_engineers: 4, faction_suppressor: 3}\n"
                  "  - {name: t3, honest: 15, emergency_abusers: 3, exit_blocker: 3}\n"));
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  ASSERT_EQ(cfg->matchups.size(), 3u);
  EXPECT_EQ(cfg->matchups[0].roster.to_string(), "honest:16,drainer:3,timing_attacker:2");
  EXPECT_EQ(cfg->matchups[0].roster.entries[1].role, "drainer");
  EXPECT_EQ(cfg->matchups[1].roster.to_string(), "honest:18,entrencher:4,suppressor:3");
  EXPECT_EQ(cfg->matchups[2].roster.to_string(), "honest:15,emergency_abuser:3,exit_blocker:3");
  const std::string m = error_of(
      "alias-twice.yaml", "matchups:\n  - {name: t, honest: 3, drainer: 1, treasury_drainer: 2}\n");
  EXPECT_NE(m.find("role 'drainer' named twice"), std::string::npos) << m;
}

TEST(TournamentConfig, CountsKeepTheirMessage) {
  for (const char* matchup : {"{name: neg, honest: 3, drainers: -1}", "{name: none, honest: 0}",
                              "{name: huge, honest: 99999, drainers: 2}"}) {
    const std::string m = error_of("counts.yaml", std::string("matchups:\n  - ") + matchup + "\n");
    EXPECT_NE(m.find("counts.yaml:2: matchups: '"), std::string::npos) << m;
    EXPECT_NE(m.find("' needs 1..100000 agents and no negative count"), std::string::npos) << m;
  }
  const std::string bad = error_of("notint.yaml", "matchups:\n  - {name: x, honest: many}\n");
  EXPECT_NE(bad.find("notint.yaml:2:"), std::string::npos) << bad;
}

TEST(TournamentConfig, OtherMistakes) {
  EXPECT_NE(
      error_of("key.yaml", "kernel: k.yaml\nwizard: 1\n").find("key.yaml:2: wizard: unknown key"),
      std::string::npos);
  EXPECT_NE(error_of("seeds.yaml", "seeds: \"5..1\"\n")
                .find("seeds.yaml:1: seeds: --seeds '5..1': expected A..B with A <= B"),
            std::string::npos);
  EXPECT_NE(error_of("files.yaml", "episode_files: some\n")
                .find("files.yaml:1: episode_files 'some': expected all, findings or none"),
            std::string::npos);
  EXPECT_NE(error_of("turns.yaml", "turns: 0\n")
                .find("turns.yaml:1: turns: expected an integer 1..100000, got '0'"),
            std::string::npos);
  EXPECT_NE(error_of("list.yaml", "- a\n- b\n").find("list.yaml: expected a mapping"),
            std::string::npos);
  EXPECT_FALSE(load_tournament_config("/nonexistent/fable.yaml").ok());
}

TEST(TournamentConfig, SeedsAndTreasuryParsers) {
  EXPECT_EQ(*parse_seeds("1,5,9"), (std::vector<std::uint64_t>{1, 5, 9}));
  EXPECT_EQ(*parse_seeds("7"), (std::vector<std::uint64_t>{7}));
  EXPECT_FALSE(parse_seeds("1,,2").ok());
  EXPECT_FALSE(parse_seeds("").ok());
  EXPECT_FALSE(parse_seeds("0..100000000").ok());
  EXPECT_EQ(*parse_treasury(12.5), 12500);
  EXPECT_FALSE(parse_treasury(-1).ok());
}

}  // namespace
}  // namespace fable
