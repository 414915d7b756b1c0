// Clause coverage of a tournament (TournamentConfig::coverage): the same map
// for any thread count, nothing without it; and the `--coverage` /
// `coverage FILE` command line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "fable/coverage.h"
#include "fable/tournament.h"
#include "support/cli_test_support.h"
#include "support/files.h"
#include "support/kernels.h"

namespace fable {
namespace {

namespace fs = std::filesystem;
using ::fable::testing::fable_command;
using ::fable::testing::read_file;
using ::fable::testing::run_command;

TEST(TournamentCoverage, TheMapIsByteIdenticalForAnyThreadCount) {
  const Kernel v01 = ::fable::testing::load_test_kernel("kernels/kernel-v0.1.yaml");
  std::string first;
  for (int threads : {1, 2}) {
    TournamentConfig cfg;
    cfg.threads = threads;
    cfg.seeds = {0, 1, 2};
    cfg.n_turns = 30;
    cfg.coverage = true;
    const auto r = Tournament(cfg).run(v01);
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_TRUE(r->coverage.has_value());
    EXPECT_EQ(r->coverage->episodes, 15U);
    const std::string text = coverage_json(*r->coverage);
    if (first.empty()) {
      first = text;
      // The default matchups propose, vote and tally: the map is not empty.
      const CoverageEntry& quorum = r->coverage->clauses[clause_of(ParamId::kVotingQuorum)];
      EXPECT_GT(quorum.counters[CoverageCounter::kTallies], 0U);
    } else {
      EXPECT_EQ(text, first) << "threads " << threads;
    }
  }
}

TEST(TournamentCoverage, NoMapWithoutTheFlag) {
  TournamentConfig cfg;
  cfg.seeds = {0};
  cfg.n_turns = 5;
  const auto r =
      Tournament(cfg).run(::fable::testing::load_test_kernel("kernels/kernel-v0.1.yaml"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->coverage.has_value());
}

TEST(CoverageCli, RunWritesTheMapAndCoveragePrintsIt) {
  const fs::path dir = fs::temp_directory_path() / ("fable-cov-cli-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string map = (dir / "map.json").string();
  const auto run = run_command(fable_command(
      "run --kernel kernels/kernel-v0.2.yaml --roster honest:4,drainer:2 --episodes 2 "
      "--max-turns 20 --coverage " +
      map + " 2>&1"));
  ASSERT_EQ(run.code, 0) << run.out;
  EXPECT_NE(run.out.find("coverage written to " + map), std::string::npos);
  const std::string text = read_file(map);
  EXPECT_NE(text.find("\"command\": \"run\""), std::string::npos);
  EXPECT_NE(text.find("\"matchups\": \"custom="), std::string::npos);
  EXPECT_NE(text.find("\"seeds\": \"0..1\""), std::string::npos);
  const auto shown = run_command(fable_command("coverage " + map + " 2>&1"));
  ASSERT_EQ(shown.code, 0) << shown.out;
  EXPECT_NE(shown.out.find("clause coverage of Commons Charter 0.2.0"), std::string::npos);
  EXPECT_NE(shown.out.find("2 episode(s)"), std::string::npos);
  EXPECT_NE(shown.out.find("spend.per_proposal_cap"), std::string::npos);
  EXPECT_NE(shown.out.find(" of 41 clauses never exercised"), std::string::npos);
  // Never overwritten: a second run with the same path is refused before playing.
  const auto again = run_command(fable_command(
      "run --kernel kernels/kernel-v0.2.yaml --roster honest:4 --coverage " + map + " 2>&1"));
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.out.find("already exists; not overwritten"), std::string::npos);
  EXPECT_EQ(read_file(map), text);
  const auto missing =
      run_command(fable_command("coverage " + (dir / "none.json").string() + " 2>&1"));
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.out.find("no such file"), std::string::npos);
  const auto help = run_command(fable_command("coverage --help"));
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("never exercised"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fable
