// `fable-selfplay bench`: JSON Lines on stdout with every documented key and
// consistent counts, bad flags are exit 2 with one error naming the valid
// cases, and --list names every case. Timings are never asserted: speed is
// shown by the printed figures, not by a timed test.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/cli_test_support.h"
#include "tournament/throughput.h"

namespace {

using BenchRun = fable::testing::CliRun;

// stdout only, unless `args` redirects stderr; `env` ("export NAME=value; ") goes first.
BenchRun run(const std::string& args, const std::string& env = "") {
  return fable::testing::run_command(env + fable::testing::fable_command("bench " + args));
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::vector<std::string> kRequiredKeys{"schema",
                                             "name",
                                             "kind",
                                             "build",
                                             "quick",
                                             "kernel",
                                             "kernel_version",
                                             "threads",
                                             "artifacts",
                                             "matchups",
                                             "episodes",
                                             "citizens",
                                             "turns",
                                             "agent_turns",
                                             "seconds",
                                             "cpu_seconds",
                                             "episodes_per_s",
                                             "agent_turns_per_s",
                                             "ns_per_agent_turn",
                                             "peak_rss_mb",
                                             "exploit_records"};

TEST(BenchCommand, QuickCasesPrintOneJsonLineEach) {
  const BenchRun r =
      run("--quick --only scale-10x60,default-1t --kernel kernels/kernel-v0.1.yaml 2>/dev/null");
  ASSERT_EQ(r.code, 0) << r.out;
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  std::vector<std::string> names;
  for (const std::string& line : lines) {
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    ASSERT_TRUE(j.is_object()) << line;
    for (const std::string& key : kRequiredKeys)
      EXPECT_TRUE(j.contains(key)) << key << " missing in " << line;
    EXPECT_EQ(j.size(), kRequiredKeys.size()) << line;
    EXPECT_EQ(j.at("schema"), "fable-bench/1") << line;
    EXPECT_EQ(j.at("kind"), "tournament") << line;
    names.push_back(j.at("name").get<std::string>());
    EXPECT_TRUE(j.at("build") == "release" || j.at("build") == "debug") << line;
    EXPECT_EQ(j.at("quick"), true);
    EXPECT_EQ(j.at("kernel_version"), "0.1.0");
    EXPECT_EQ(j.at("threads"), 1);
    EXPECT_EQ(j.at("artifacts"), "none");
    EXPECT_GE(j.at("episodes").get<std::uint64_t>(), 2u);
    EXPECT_GT(j.at("seconds").get<double>(), 0.0);
    EXPECT_GT(j.at("peak_rss_mb").get<double>(), 0.0);
    EXPECT_GT(j.at("episodes_per_s").get<double>(), 0.0);
    EXPECT_GT(j.at("agent_turns_per_s").get<double>(), 0.0);
    EXPECT_GT(j.at("ns_per_agent_turn").get<double>(), 0.0);
    EXPECT_EQ(j.at("turns"), 60);
  }
  // Canonical order, whatever the order given to --only.
  ASSERT_EQ(names, (std::vector<std::string>{"default-1t", "scale-10x60"}));

  const nlohmann::json defaults = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(defaults.at("matchups"), 5);
  EXPECT_EQ(defaults.at("episodes").get<std::uint64_t>() % 5, 0u);
  EXPECT_DOUBLE_EQ(defaults.at("citizens").get<double>(), 7.0);  // (6 + 7 + 7 + 7 + 8) / 5

  const nlohmann::json scale = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(scale.at("matchups"), 1);
  EXPECT_DOUBLE_EQ(scale.at("citizens").get<double>(), 10.0);
  EXPECT_EQ(scale.at("agent_turns").get<std::uint64_t>(),
            scale.at("episodes").get<std::uint64_t>() * 10u * 60u);
  // --quick is about 20x fewer than the full case's 10,000 episodes.
  EXPECT_EQ(scale.at("episodes"), 500);
}

// The -artifacts case plays the same tournament as its twin, writing every
// artifact into a temporary folder of its own that it removes afterwards.
TEST(BenchCommand, ArtifactsCasePlaysItsTwinAndLeavesNothingBehind) {
  const std::string tmp = ::testing::TempDir() + "bench-artifacts-tmp";
  std::filesystem::remove_all(tmp);
  std::filesystem::create_directories(tmp);
  const BenchRun r =
      run("--quick --only default-1t,default-1t-artifacts --kernel "
          "kernels/kernel-v0.1.yaml 2>/dev/null",
          "export TMPDIR=" + tmp + "; ");
  ASSERT_EQ(r.code, 0) << r.out;
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  const nlohmann::json none = nlohmann::json::parse(lines[0]);
  const nlohmann::json all = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(none.at("artifacts"), "none");
  EXPECT_EQ(all.at("name"), "default-1t-artifacts");
  EXPECT_EQ(all.at("artifacts"), "all");
  EXPECT_EQ(all.at("episodes"), none.at("episodes"));
  EXPECT_EQ(all.at("exploit_records"), none.at("exploit_records"));
  EXPECT_TRUE(std::filesystem::is_empty(tmp)) << "the case left files in " << tmp;
}

TEST(BenchCommand, UnknownCaseIsExitTwoNamingTheValidOnes) {
  const BenchRun r = run("--only nope 2>&1");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_EQ(lines_of(r.out).size(), 1u) << r.out;
  EXPECT_NE(r.out.find("error: --only: unknown case 'nope'"), std::string::npos) << r.out;
  for (const char* name : {"default-1t", "scale-10x60", "scale-1000x240", "million"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name << " not named in: " << r.out;
  }
}

TEST(BenchCommand, BadFlagsAndKernelAreExitTwo) {
  EXPECT_EQ(run("--threads 0 2>/dev/null").code, 2);
  EXPECT_EQ(run("--only default-1t --kernel no/such/kernel.yaml 2>/dev/null").code, 2);
  EXPECT_EQ(
      run("--only default-1t --kernel tests/data/malformed/quorum_out_of_range.yaml 2>/dev/null")
          .code,
      2);
  const BenchRun missing = run("--only default-1t --kernel no/such/kernel.yaml 2>&1");
  EXPECT_NE(missing.out.find("no/such/kernel.yaml"), std::string::npos) << missing.out;
}

TEST(BenchCommand, ListNamesEveryCase) {
  const BenchRun r = run("--list --threads 3");
  ASSERT_EQ(r.code, 0) << r.out;
  std::vector<std::string> names;
  for (const std::string& line : lines_of(r.out)) names.push_back(line.substr(0, line.find(' ')));
  EXPECT_EQ(names, (std::vector<std::string>{
                       "default-1t", "default-3t", "default-3t-token-vote", "default-1t-artifacts",
                       "default-3t-artifacts", "scale-10x60", "scale-10x240", "scale-100x60",
                       "scale-100x240", "scale-1000x60", "scale-1000x240", "hunt-pair-1t",
                       "hunt-default-1t", "hunt-default-3t", "million", "hunt-first"}));
}

// Hunt cases: the keys of docs/bench-format.md in order, counts that follow
// from the budget, never timings. A tiny --hunt-budget keeps it short.
const std::vector<std::string> kHuntKeys{"schema",
                                         "name",
                                         "kind",
                                         "build",
                                         "quick",
                                         "kernel",
                                         "kernel_version",
                                         "threads",
                                         "roster",
                                         "citizens",
                                         "turns",
                                         "seed",
                                         "budget",
                                         "executions",
                                         "agent_turns",
                                         "seconds",
                                         "cpu_seconds",
                                         "executions_per_s",
                                         "agent_turns_per_s",
                                         "ns_per_agent_turn",
                                         "peak_rss_mb",
                                         "corpus_size",
                                         "exploit_records"};

const std::vector<std::string> kHuntFirstKeys{"schema",
                                              "name",
                                              "kind",
                                              "build",
                                              "quick",
                                              "kernel",
                                              "kernel_version",
                                              "threads",
                                              "roster",
                                              "citizens",
                                              "turns",
                                              "budget",
                                              "seeds",
                                              "detector",
                                              "found",
                                              "median_seconds",
                                              "median_executions",
                                              "first_seconds",
                                              "first_executions",
                                              "executions",
                                              "hunt_seconds",
                                              "cpu_seconds",
                                              "peak_rss_mb"};

std::vector<std::string> keys_of(const nlohmann::json& j) {
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  return keys;
}

// Keys in the order printed (nlohmann::json sorts object keys).
std::vector<std::string> printed_keys(const std::string& line) {
  std::vector<std::string> keys;
  int depth = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    if (c == '"' && depth == 1 && (line[i - 1] == '{' || line[i - 1] == ',')) {
      const std::size_t end = line.find('"', i + 1);
      keys.push_back(line.substr(i + 1, end - i - 1));
      i = end;
      // Skip a string value so that its quotes are not read as a key.
      if (line[i + 2] == '"') i = line.find('"', i + 3);
    }
  }
  return keys;
}

TEST(BenchCommand, HuntCasesPrintTheirLinesBesideThePairedTournament) {
  const BenchRun r = run(
      "--quick --hunt-budget 70 --threads 2 --only hunt-default-2t,hunt-pair-1t,hunt-default-1t "
      "2>/dev/null");
  ASSERT_EQ(r.code, 0) << r.out;
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;

  const nlohmann::json pair = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(pair.at("name"), "hunt-pair-1t");
  EXPECT_EQ(pair.at("kind"), "tournament");
  EXPECT_EQ(pair.at("matchups"), 1);
  EXPECT_DOUBLE_EQ(pair.at("citizens").get<double>(), 20.0);  // honest:9,drainer:11
  EXPECT_EQ(pair.at("turns"), 30);
  EXPECT_EQ(pair.at("episodes"), 1000);  // 20,000 / 20 with --quick; --hunt-budget leaves it
  EXPECT_EQ(pair.at("agent_turns"), 1000 * 20 * 30);

  std::vector<nlohmann::json> hunts;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const nlohmann::json j = nlohmann::json::parse(lines[i], nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << lines[i];
    EXPECT_EQ(printed_keys(lines[i]), kHuntKeys) << lines[i];
    EXPECT_EQ(j.size(), kHuntKeys.size()) << lines[i];
    EXPECT_EQ(j.at("schema"), "fable-bench/1");
    EXPECT_EQ(j.at("kind"), "hunt");
    EXPECT_EQ(j.at("quick"), true);
    EXPECT_EQ(j.at("kernel_version"), "0.1.0");
    EXPECT_EQ(j.at("roster"), "honest:9,attacker:11");
    EXPECT_EQ(j.at("citizens"), 20);
    EXPECT_EQ(j.at("turns"), 30);
    EXPECT_EQ(j.at("seed"), 0);
    EXPECT_EQ(j.at("budget"), 70);
    EXPECT_EQ(j.at("executions"), 70);
    EXPECT_EQ(j.at("agent_turns"), 70 * 20 * 30);
    EXPECT_GT(j.at("seconds").get<double>(), 0.0);
    EXPECT_GT(j.at("executions_per_s").get<double>(), 0.0);
    EXPECT_GT(j.at("ns_per_agent_turn").get<double>(), 0.0);
    EXPECT_GT(j.at("peak_rss_mb").get<double>(), 0.0);
    EXPECT_GE(j.at("corpus_size").get<std::uint64_t>(), 1u);
    hunts.push_back(j);
  }
  EXPECT_EQ(hunts[0].at("name"), "hunt-default-1t");
  EXPECT_EQ(hunts[0].at("threads"), 1);
  EXPECT_EQ(hunts[1].at("name"), "hunt-default-2t");
  EXPECT_EQ(hunts[1].at("threads"), 2);
  // The hunt does not depend on its threads: the counts agree.
  EXPECT_EQ(hunts[0].at("corpus_size"), hunts[1].at("corpus_size"));
  EXPECT_EQ(hunts[0].at("exploit_records"), hunts[1].at("exploit_records"));
}

TEST(BenchCommand, HuntFirstPrintsOneLinePerCanonicalClass) {
  const BenchRun r = run("--quick --hunt-budget 64 --only hunt-first 2>/dev/null");
  ASSERT_EQ(r.code, 0) << r.out;
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 6u) << r.out;
  const std::vector<std::string> classes{"salami_slicing",  "electorate_shrinking",
                                         "emergency_abuse", "delegation_concentration",
                                         "quorum_ambush",   "omnibus_rider"};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const nlohmann::json j = nlohmann::json::parse(lines[i], nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << lines[i];
    EXPECT_EQ(printed_keys(lines[i]), kHuntFirstKeys) << lines[i];
    EXPECT_EQ(keys_of(j).size(), kHuntFirstKeys.size()) << lines[i];
    EXPECT_EQ(j.at("name"), "hunt-first-" + classes[i]);
    EXPECT_EQ(j.at("kind"), "hunt-first");
    EXPECT_EQ(j.at("detector"), classes[i]);
    EXPECT_EQ(j.at("threads"), 2);
    EXPECT_EQ(j.at("roster"), "honest:9,attacker:11");
    EXPECT_EQ(j.at("budget"), 64);
    EXPECT_EQ(j.at("seeds"), 5);
    EXPECT_EQ(j.at("executions"), 5 * 64);
    const nlohmann::json& secs = j.at("first_seconds");
    const nlohmann::json& execs = j.at("first_executions");
    ASSERT_EQ(secs.size(), 5u);
    ASSERT_EQ(execs.size(), 5u);
    std::uint64_t found = 0;
    for (std::size_t s = 0; s < 5; ++s) {
      // A seed either found the class (both figures) or did not (both null).
      EXPECT_EQ(secs[s].is_null(), execs[s].is_null()) << lines[i];
      if (execs[s].is_null()) continue;
      ++found;
      // Progress comes once per generation of 64: the only one here.
      EXPECT_EQ(execs[s], 64) << lines[i];
      EXPECT_GE(secs[s].get<double>(), 0.0);
    }
    EXPECT_EQ(j.at("found"), found) << lines[i];
    // The median of 5 is a measured value when at least 3 seeds found it.
    EXPECT_EQ(j.at("median_executions").is_null(), found < 3) << lines[i];
    EXPECT_EQ(j.at("median_seconds").is_null(), found < 3) << lines[i];
    if (found >= 3) {
      EXPECT_EQ(j.at("median_executions"), 64);
    }
  }
}

TEST(BenchCommand, BadHuntBudgetIsExitTwo) {
  const BenchRun r = run("--only hunt-default-1t --hunt-budget 0 2>&1");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--hunt-budget 0"), std::string::npos) << r.out;
}

// A case's workload does not move with the command line's default
// population: every case plays naive citizens but the token-vote one.
TEST(BenchCommand, CasesPinTheirPopulation) {
  for (const fable::ThroughputCase& c : fable::throughput_cases({2, false})) {
    const bool token = c.name == "default-2t-token-vote";
    EXPECT_EQ(c.population.preset, token ? "token-vote" : "naive") << c.name;
    EXPECT_EQ(c.population.naive(), !token) << c.name;
  }
}

}  // namespace
