// Sweeps (fable/sweep.h, docs/sweep-format.md): the config's lists, one
// error per mistake, one row per cell and matchup that agrees with the
// cell's own tournament, and byte-identical output for any thread count.
#include "fable/sweep.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/files.h"
#include "support/kernels.h"

namespace fable {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("fable-sweep-" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir.parent_path());
  return dir;
}

std::string config_file(const std::string& name, const std::string& text) {
  const fs::path path = scratch(name);
  std::ofstream(path) << text;
  return path.string();
}

std::string kernels_block() {
  return "kernels:\n  - " + testing::source_path("kernels/kernel-v0.1.yaml") + "\n  - " +
         testing::source_path("kernels/kernel-v0.2.yaml") + "\n";
}

std::string small_sweep() {
  return kernels_block() +
         "populations: [token-vote, naive]\n"
         "seeds: 0..2\n"
         "turns: 30\n"
         "episode_files: none\n"
         "matchups:\n"
         "  - {name: drain, honest: 8, drainer: 2}\n"
         "  - {name: entrench, honest: 8, entrencher: 2}\n";
}

std::string error_of(const std::string& text) {
  const Result<SweepConfig> cfg = load_sweep_config(config_file("bad.yaml", text));
  EXPECT_FALSE(cfg.ok()) << text;
  return cfg.ok() ? "" : cfg.status().message();
}

TEST(SweepConfig, ReadsTheListsAndTheTournamentKeys) {
  const Result<SweepConfig> cfg = load_sweep_config(config_file("ok.yaml", small_sweep()));
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(cfg->kernels.size(), 2u);
  ASSERT_EQ(cfg->populations.size(), 2u);
  EXPECT_EQ(cfg->populations[0].preset, "token-vote");
  EXPECT_EQ(cfg->populations[1].preset, "naive");
  EXPECT_EQ(cfg->base.seeds, (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_EQ(cfg->base.n_turns, 30);
  ASSERT_EQ(cfg->base.matchups.size(), 2u);
}

TEST(SweepConfig, PopulationsDefaultToTheTournamentDefault) {
  const Result<SweepConfig> cfg = load_sweep_config(config_file("ok.yaml", kernels_block()));
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  ASSERT_EQ(cfg->populations.size(), 1u);
  EXPECT_EQ(cfg->populations[0], default_population());
}

TEST(SweepConfig, OneErrorPerMistakeWithItsLine) {
  EXPECT_NE(error_of("seeds: 0..2\n").find("kernels: required"), std::string::npos);
  EXPECT_NE(error_of("kernel: kernels/kernel-v0.1.yaml\n").find(":1: kernel: unknown key"),
            std::string::npos);
  EXPECT_NE(error_of(kernels_block() + "population: naive\n").find(":4: population: unknown key"),
            std::string::npos);
  EXPECT_NE(error_of("kernels: kernels/kernel-v0.1.yaml\n")
                .find(":1: kernels: expected a list of 1..64 kernel documents, got "
                      "'kernels/kernel-v0.1.yaml'"),
            std::string::npos);
  EXPECT_NE(error_of("kernels: []\n").find("got a list of 0"), std::string::npos);
  const std::string v01 = testing::source_path("kernels/kernel-v0.1.yaml");
  EXPECT_NE(error_of("kernels: [" + v01 + ", " + v01 + "]\n").find("'" + v01 + "' is listed twice"),
            std::string::npos);
  EXPECT_NE(error_of(kernels_block() + "populations: [naive, naive]\n")
                .find(":4: populations: 'naive' is listed twice"),
            std::string::npos);
  EXPECT_NE(error_of(kernels_block() + "populations: [crowd]\n").find("crowd"), std::string::npos);
  EXPECT_NE(error_of(kernels_block() + "populations: [{preset: naive, attention: 2}]\n")
                .find(":4: populations[0].attention: 2 is out of range"),
            std::string::npos);
  // Session 22's fresh-user try: the entry and the file's line are named.
  EXPECT_NE(error_of(kernels_block() + "populations:\n  - naive\n  - {preset: naive, turnout: 1}\n")
                .find(":6: populations[1]: turnout: unknown key"),
            std::string::npos);
  EXPECT_NE(error_of("kernels: [1]\n").find(":1: kernels[0]: 1: no such file"), std::string::npos);
  EXPECT_NE(error_of(kernels_block() + "turns: 0\n").find("turns"), std::string::npos);
  EXPECT_NE(error_of(kernels_block() + "matchups: []\n").find("matchups: expected at least one"),
            std::string::npos);
  EXPECT_NE(error_of("kernels: ['']\n").find(":1: kernels[0]: expected the path"),
            std::string::npos);
  // Session 25: an empty item is named by its index.
  EXPECT_NE(error_of("kernels:\n  - " + v01 + "\n  -\n")
                .find("kernels[1]: expected the path of a kernel document, got nothing"),
            std::string::npos)
      << error_of("kernels:\n  - " + v01 + "\n  -\n");
}

TEST(Sweep, TheSameKernelUnderAnotherSpellingIsRefusedBeforePlay) {
  SweepConfig cfg;
  const std::string path = testing::source_path("kernels/kernel-v0.1.yaml");
  const std::string again = fs::path(path).parent_path().string() + "/./kernel-v0.1.yaml";
  cfg.kernels = {path, again};
  cfg.populations = {default_population()};
  const fs::path out = scratch("same");
  cfg.out_dir = out.string();
  const Result<SweepResult> r = run_sweep(cfg);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("kernels[1]: " + again + " is the same kernel as kernels[0]"),
            std::string::npos)
      << r.status().message();
  EXPECT_FALSE(fs::exists(out));
}

TEST(SweepCellName, PaddedToTheWidthOfTheCellCount) {
  EXPECT_EQ(sweep_cell_name(0, 9), "cell-01");
  EXPECT_EQ(sweep_cell_name(10, 99), "cell-11");
  EXPECT_EQ(sweep_cell_name(10, 128), "cell-011");
  EXPECT_EQ(sweep_cell_name(127, 128), "cell-128");
}

TEST(SweepSummary, EscapesTablePipes) {
  SweepResult r;
  r.cells = 1;
  SweepRow row;
  row.kernel_name = "Pipe | Charter";
  row.population = "naive";
  row.matchup.matchup = "m";
  r.rows.push_back(row);
  EXPECT_NE(render_sweep_summary(r).find("| Pipe \\| Charter v"), std::string::npos);
}

// Session 22's fresh-user try: a one-cell sweep said "1 cells".
TEST(SweepSummary, CountsAgreeWithTheirNouns) {
  SweepResult r;
  r.cells = 1;
  r.episodes = 1;
  EXPECT_NE(render_sweep_summary(r).find("\n1 cell (kernel x population), 1 episode. "),
            std::string::npos)
      << render_sweep_summary(r);
  r.cells = 4;
  r.episodes = 64;
  EXPECT_NE(render_sweep_summary(r).find("\n4 cells (kernel x population), 64 episodes. "),
            std::string::npos);
}

TEST(Sweep, AMissingKernelIsNamedBeforeAnythingIsPlayed) {
  SweepConfig cfg;
  cfg.kernels = {testing::source_path("kernels/kernel-v0.1.yaml"), "no/such.yaml"};
  cfg.populations = {default_population()};
  const fs::path out = scratch("never");
  cfg.out_dir = out.string();
  const Result<SweepResult> r = run_sweep(cfg);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("kernels[1]: no/such.yaml", 0), 0u) << r.status().message();
  EXPECT_FALSE(fs::exists(out));
}

TEST(Sweep, OneRowPerCellAndMatchupAgreeingWithTheCellsTournament) {
  Result<SweepConfig> cfg = load_sweep_config(config_file("ok.yaml", small_sweep()));
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  const fs::path out = scratch("out");
  cfg->out_dir = out.string();
  const Result<SweepResult> r = run_sweep(*cfg);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->cells, 4u);
  EXPECT_EQ(r->episodes, 4u * 2 * 3);
  ASSERT_EQ(r->rows.size(), 8u);
  // Cell 3 (0-based 2) is v0.2 with token-vote: the same as its own tournament.
  TournamentConfig t = cfg->base;
  t.kernel_path = cfg->kernels[1];
  t.population = cfg->populations[0];
  const fs::path alone = scratch("alone");
  t.out_dir = alone.string();
  const Result<TournamentResult> direct = Tournament(t).run();
  ASSERT_TRUE(direct.ok()) << direct.status().message();
  EXPECT_EQ(testing::folder_contents(out / "cells" / "cell-03"), testing::folder_contents(alone));
  const SweepRow& row = r->rows[4];
  EXPECT_EQ(row.cell, 2u);
  EXPECT_EQ(row.population, "token-vote");
  EXPECT_EQ(row.kernel_version, "0.2.0");
  EXPECT_EQ(row.matchup.matchup, direct->leaderboard[0].matchup);
  EXPECT_EQ(row.matchup.mean_governance_score, direct->leaderboard[0].mean_governance_score);
  // v0.1 is captured in every cell; rows carry the records first seen in them.
  EXPECT_GT(r->rows[0].matchup.capture_rate, 0.0);
  EXPECT_FALSE(r->rows[0].fingerprints.empty());
  // The files.
  const std::string csv = testing::read_file(out / "sweep.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 9);
  EXPECT_EQ(csv, sweep_csv(*r));
  EXPECT_EQ(testing::read_file(out / "sweep.json"), sweep_json(*cfg, *r));
  EXPECT_NE(testing::read_file(out / "sweep.json").find("\"schema\": \"fable-sweep/1\""),
            std::string::npos);
}

TEST(Sweep, ByteIdenticalForAnyThreadCount) {
  Result<SweepConfig> cfg = load_sweep_config(config_file("ok.yaml", small_sweep()));
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  const fs::path one = scratch("t1");
  const fs::path two = scratch("t2");
  cfg->base.threads = 1;
  cfg->out_dir = one.string();
  ASSERT_TRUE(run_sweep(*cfg).ok());
  cfg->base.threads = 2;
  cfg->out_dir = two.string();
  ASSERT_TRUE(run_sweep(*cfg).ok());
  const auto files = testing::folder_contents(one);
  EXPECT_GT(files.size(), 3u);
  EXPECT_EQ(files, testing::folder_contents(two));
}

TEST(SweepCsv, QuotesFieldsWithCommas) {
  SweepResult r;
  r.cells = 1;
  SweepRow row;
  row.kernel_path = "kernels/a,b.yaml";
  row.population = "naive";
  row.matchup.matchup = "m";
  r.rows.push_back(row);
  EXPECT_NE(sweep_csv(r).find(",\"kernels/a,b.yaml\","), std::string::npos);
}

}  // namespace
}  // namespace fable
