// Strict tournament configs: unknown and duplicate keys, wrong types with the
// key, line and expected type, matchups without a name or named twice, and
// the seed rules (no wrap-round at 2^64-1, no seed listed twice).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "fable/limits.h"
#include "fable/tournament_config.h"

namespace fable {
namespace {

namespace fs = std::filesystem;

fs::path scratch() {
  const fs::path dir =
      fs::temp_directory_path() / ("fable-strict-config-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

std::string error_of(const std::string& text) {
  const fs::path path = scratch() / "c.yaml";
  std::ofstream(path) << text;
  const Result<TournamentConfig> cfg = load_tournament_config(path.string());
  EXPECT_FALSE(cfg.ok()) << text;
  return cfg.ok() ? "accepted" : cfg.status().message();
}

#define EXPECT_ERROR(text, needle) \
  EXPECT_NE(error_of(text).find(needle), std::string::npos) << error_of(text)

TEST(StrictConfig, WrongTypesNameKeyLineAndExpectedType) {
  EXPECT_ERROR("seeds: 0..3\nturns: \"abc\"\n",
               "c.yaml:2: turns: expected an integer 1..100000, got the quoted string 'abc'");
  EXPECT_ERROR("turns: abc\n", "c.yaml:1: turns: expected an integer 1..100000, got 'abc'");
  EXPECT_ERROR("turns: 12.5\n", "c.yaml:1: turns: expected an integer 1..100000, got '12.5'");
  EXPECT_ERROR("turns: [1]\n", "c.yaml:1: turns: expected an integer 1..100000, got a list");
  EXPECT_ERROR("treasury: lots\n", "c.yaml:1: treasury: expected a number, got 'lots'");
  EXPECT_ERROR("threads: 0\n", "c.yaml:1: threads: expected an integer 1..256, got '0'");
  EXPECT_ERROR("matchups: {name: a}\n", "c.yaml:1: matchups: expected a list, got a mapping");
}

TEST(StrictConfig, QuotedCountsAreStrings) {
  EXPECT_ERROR("matchups:\n  - {name: a, honest: \"3\"}\n",
               "c.yaml:2: matchups: 'a': honest: expected an integer");
  EXPECT_ERROR("matchups:\n  - {name: a, honest: 3.0}\n", "got '3.0'");
}

TEST(StrictConfig, UnknownAndDuplicateKeysAreRefused) {
  EXPECT_ERROR("drainers: 2\n", "c.yaml:1: drainers: unknown key (known: episode_files");
  EXPECT_ERROR("turns: 5\nturns: 6\n", "c.yaml:2: turns: key written twice");
  EXPECT_ERROR("matchups:\n  - {name: a, honest: 3, drainrs: 2}\n",
               "c.yaml:2: matchups: 'a': unknown role 'drainrs'");
  EXPECT_ERROR("matchups:\n  - {name: a, honest: 3, honest: 2}\n",
               "c.yaml:2: matchups: key 'honest' is written twice");
}

TEST(StrictConfig, SingularAndPluralRoleKeysBothCount) {
  const fs::path path = scratch() / "roles.yaml";
  std::ofstream(path) << "matchups:\n  - {name: a, honest: 3, drainer: 2}\n";
  const Result<TournamentConfig> cfg = load_tournament_config(path.string());
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(cfg->matchups.at(0).roster.to_string(), "honest:3,drainer:2");
}

TEST(StrictConfig, MatchupsNeedAUniqueName) {
  EXPECT_ERROR("matchups:\n  - {honest: 3}\n", "c.yaml:2: matchups: a matchup needs a name");
  EXPECT_ERROR("matchups:\n  - {name: a, honest: 3}\n  - {name: a, honest: 4}\n",
               "c.yaml:3: matchups: name 'a' is used twice");
  EXPECT_ERROR("matchups:\n  - {name: \"a\\u0007\", honest: 3}\n",
               "c.yaml:2: matchups: name: text control character U+0007 at byte 1");
  EXPECT_ERROR("matchups:\n  - {name: huge, honest: 100001}\n",
               "c.yaml:2: matchups: 'huge': honest: expected an integer");
}

TEST(StrictConfig, EpisodesMustFitTheCitizenTurnLimit) {
  EXPECT_ERROR("turns: 100000\nmatchups:\n  - {name: big, honest: 401}\n",
               "matchup 'big': 401 citizens x 100000 turns is over the limit of 40000000");
}

TEST(StrictConfig, AFifoIsRefusedNotRead) {
  const fs::path fifo = scratch() / "fifo.yaml";
  fs::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const Result<TournamentConfig> cfg = load_tournament_config(fifo.string());
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.status().message().find("fifo.yaml: not a regular file"), std::string::npos)
      << cfg.status().message();
  fs::remove(fifo);
}

TEST(StrictConfig, SeedsNeverWrapAndAreEachListedOnce) {
  const auto last = parse_seeds("18446744073709551615..18446744073709551615");
  ASSERT_TRUE(last.ok()) << last.status().message();
  EXPECT_EQ(*last, (std::vector<std::uint64_t>{18446744073709551615ULL}));
  const auto tail = parse_seeds("18446744073709551613..18446744073709551615");
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->size(), 3u);
  const auto twice = parse_seeds("1,1,1");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("seed 1 is listed twice"), std::string::npos);
  EXPECT_FALSE(parse_seeds("0..100000000").ok());
  EXPECT_TRUE(parse_seeds("0..99999").ok());
}

// `seeds:` may be a YAML list of whole numbers (session 22's fresh-user try:
// `seeds: [0, 1, 2]` was refused as "expected a string, got a list").
TEST(StrictConfig, SeedsMayBeAYamlListOfWholeNumbers) {
  const fs::path path = scratch() / "list.yaml";
  std::ofstream(path) << "seeds: [5, 0, 18446744073709551615]\n";
  const Result<TournamentConfig> cfg = load_tournament_config(path.string());
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(cfg->seeds, (std::vector<std::uint64_t>{5, 0, 18446744073709551615ULL}));

  EXPECT_ERROR("turns: 5\nseeds:\n  - 1\n  - 2\n  - 1\n",
               "c.yaml:5: seeds[2]: seed 1 is listed twice");
  // Session 25: the list index is named.
  EXPECT_ERROR("seeds: [1, \"2\"]\n",
               "c.yaml:1: seeds[1]: expected a whole number 0..18446744073709551615, got the "
               "quoted string '2'");
  EXPECT_ERROR("seeds: [1, -2]\n", "seeds[1]: expected a whole number");
  EXPECT_ERROR("seeds: [1.5]\n", "seeds[0]: expected a whole number");
  EXPECT_ERROR("seeds: [x]\n", "seeds[0]: expected a whole number");
  EXPECT_ERROR("seeds: [18446744073709551616]\n", "seeds[0]: expected a whole number");
  EXPECT_ERROR("seeds: [[1]]\n", "got a list");
  EXPECT_ERROR("seeds: []\n", "seeds: expected a list of 1..10000 seeds, got a list of 0");
}

}  // namespace
}  // namespace fable
