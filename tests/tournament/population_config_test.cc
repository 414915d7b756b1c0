// `population:` in tournament configs: a preset name or fields over a preset,
// read strictly (unknown key, wrong type, out-of-range value: one error with
// the file, line and field), and the model reaches the episodes and records.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "fable/episode.h"
#include "fable/tournament.h"
#include "fable/tournament_config.h"
#include "support/kernels.h"

namespace fable {
namespace {

namespace fs = std::filesystem;

std::string write_config(const std::string& text) {
  const fs::path dir =
      fs::temp_directory_path() / ("fable-population-config-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / "c.yaml";
  std::ofstream(path) << text;
  return path.string();
}

Result<TournamentConfig> load(const std::string& text) {
  return load_tournament_config(write_config(text));
}

std::string error_of(const std::string& text) {
  const Result<TournamentConfig> cfg = load(text);
  EXPECT_FALSE(cfg.ok()) << text;
  return cfg.ok() ? "accepted" : cfg.status().message();
}

#define EXPECT_ERROR(text, needle) \
  EXPECT_NE(error_of(text).find(needle), std::string::npos) << error_of(text)

// The realistic default (docs/population.md, "The default"): a config
// without the key, and a TournamentConfig built in code, play token-vote.
TEST(PopulationConfig, DefaultIsTokenVote) {
  const Result<TournamentConfig> cfg = load("turns: 5\n");
  ASSERT_TRUE(cfg.ok());
  EXPECT_FALSE(cfg->population.naive());
  EXPECT_EQ(cfg->population.preset, "token-vote");
  EXPECT_EQ(cfg->population, *find_population_preset("token-vote", "test"));
  EXPECT_EQ(TournamentConfig{}.population, default_population());
  EXPECT_EQ(default_population().preset, kDefaultPopulationPreset);
  // A single episode's options stay naive: what a record without the key means.
  EXPECT_TRUE(EpisodeOptions{}.population.naive());
}

TEST(PopulationConfig, APresetByName) {
  const Result<TournamentConfig> cfg = load("population: token-vote\n");
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(cfg->population, *find_population_preset("token-vote", "test"));
}

TEST(PopulationConfig, FieldsOverAPreset) {
  const Result<TournamentConfig> cfg =
      load("population:\n  preset: assembly\n  turnout_proposal: 0.5\n  latency_max: 4\n");
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  PopulationModel want = *find_population_preset("assembly", "test");
  want.preset = "custom";
  want.turnout_proposal = 0.5;
  want.latency_max = 4;
  EXPECT_EQ(cfg->population, want);
  // Without a preset the fields go over the default, token-vote.
  const Result<TournamentConfig> bare = load("population: {attention: 1}\n");
  ASSERT_TRUE(bare.ok()) << bare.status().message();
  EXPECT_EQ(bare->population.attention, 1.0);
  EXPECT_EQ(bare->population.turnout_turn, 0.6);
  EXPECT_EQ(bare->population.delegation, 0.4);
  EXPECT_EQ(bare->population.preset, "custom");
}

TEST(PopulationConfig, BadValuesAreRefusedWithTheField) {
  EXPECT_ERROR("population: dao\n",
               "c.yaml:1: population: unknown population preset 'dao' (known: naive, assembly, "
               "token-vote)");
  EXPECT_ERROR("turns: 5\npopulation:\n  turnout_turn: 1.5\n",
               "c.yaml:3: population.turnout_turn: 1.5 is out of range [0, 1]");
  EXPECT_ERROR("population:\n  turnout: 0.5\n", "c.yaml:2: population: turnout: unknown key");
  EXPECT_ERROR("population:\n  attention: lots\n",
               "c.yaml:2: population.attention: expected a number, got 'lots'");
  EXPECT_ERROR("population:\n  latency_min: 1.5\n",
               "c.yaml:2: population.latency_min: expected an integer 0..1000, got '1.5'");
  EXPECT_ERROR("population:\n  latency_min: 3\n  latency_max: 2\n",
               "population.latency_max: 2 is out of range [latency_min = 3, 1000]");
  EXPECT_ERROR("population:\n  preset: nobody\n",
               "c.yaml:2: population.preset: unknown population preset 'nobody'");
  EXPECT_ERROR("population: [naive]\n", "c.yaml:1: population: expected a preset name");
  EXPECT_ERROR("population:\n  delegation: 0.1\n  delegation: 0.2\n",
               "population: key 'delegation' is written twice");
  EXPECT_ERROR("population: naive\npopulation: naive\n", "population: key written twice");
}

TEST(PopulationConfig, TheModelReachesTheRecords) {
  TournamentConfig cfg;
  cfg.seeds = {0, 1};
  cfg.matchups = {MatchupSpec{"drain", *parse_roster("honest:8,drainer:3")}};
  const Kernel& v01 = testing::shipped_kernel("kernel-v0.1.yaml");
  cfg.population = PopulationModel{};
  const Result<TournamentResult> naive = Tournament(cfg).run(v01);
  cfg.population = *find_population_preset("token-vote", "test");
  const Result<TournamentResult> token = Tournament(cfg).run(v01);
  ASSERT_TRUE(naive.ok() && token.ok());
  for (const ExploitRecord& r : naive->exploit_records)
    EXPECT_TRUE(r.reproduction.population.naive());
  for (const ExploitRecord& r : token->exploit_records)
    EXPECT_EQ(r.reproduction.population, cfg.population);
  ASSERT_FALSE(naive->leaderboard.empty());
  ASSERT_FALSE(token->leaderboard.empty());
  EXPECT_NE(naive->leaderboard[0].mean_governance_score,
            token->leaderboard[0].mean_governance_score);
}

}  // namespace
}  // namespace fable
