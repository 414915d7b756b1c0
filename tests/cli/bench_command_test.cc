// `fable-selfplay bench`: JSON Lines on stdout with every documented key and
// consistent counts, bad flags are exit 2 with one error naming the valid
// cases, and --list names every case. Timings are never asserted: speed is
// shown by the printed figures, not by a timed test.
#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/cli_test_support.h"

namespace {

using BenchRun = fable::testing::CliRun;

// stdout only, unless `args` redirects stderr.
BenchRun run(const std::string& args) {
  return fable::testing::run_command(fable::testing::fable_command("bench " + args));
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::vector<std::string> kRequiredKeys{"schema",
                                             "name",
                                             "build",
                                             "quick",
                                             "kernel",
                                             "kernel_version",
                                             "threads",
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
    names.push_back(j.at("name").get<std::string>());
    EXPECT_TRUE(j.at("build") == "release" || j.at("build") == "debug") << line;
    EXPECT_EQ(j.at("quick"), true);
    EXPECT_EQ(j.at("kernel_version"), "0.1.0");
    EXPECT_EQ(j.at("threads"), 1);
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
  EXPECT_EQ(names, (std::vector<std::string>{"default-1t", "default-3t", "scale-10x60",
                                             "scale-10x240", "scale-100x60", "scale-100x240",
                                             "scale-1000x60", "scale-1000x240", "million"}));
}

}  // namespace
