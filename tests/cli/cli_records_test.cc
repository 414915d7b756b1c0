// The binary's record commands: verdicts map to documented exit codes, bad
// input is one clear error with exit 2, and nothing is overwritten.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "support/cli_test_support.h"

namespace {

using fable::testing::CliRun;

// stdout and stderr together.
CliRun run(const std::string& args) {
  return fable::testing::run_command(fable::testing::fable_command(args) + " 2>&1");
}

TEST(CliRecords, ReplayExitCodesFollowTheVerdict) {
  const CliRun found = run("replay exploits/EXP-001.json");
  EXPECT_EQ(found.code, 1) << found.out;
  EXPECT_NE(found.out.find("reproduces"), std::string::npos);
  const CliRun fixed = run("replay exploits/EXP-001.json --kernel kernels/kernel-v0.2.yaml");
  EXPECT_EQ(fixed.code, 0) << fixed.out;
  EXPECT_NE(fixed.out.find("blocked"), std::string::npos);
  EXPECT_NE(fixed.out.find("spend.epoch_rate_cap"), std::string::npos);
}

TEST(CliRecords, ExplainExitsAsReplay) {
  const CliRun found = run("explain exploits/EXP-005.json");
  EXPECT_EQ(found.code, 1) << found.out;
  EXPECT_NE(found.out.find("quorum_ambush"), std::string::npos) << found.out;
  const CliRun fixed = run("explain exploits/EXP-001.json --kernel kernels/kernel-v0.2.yaml");
  EXPECT_EQ(fixed.code, 0) << fixed.out;
  EXPECT_NE(fixed.out.find("spend.epoch_rate_cap"), std::string::npos) << fixed.out;
  const CliRun json = run("explain exploits/EXP-005.json --format json");
  EXPECT_EQ(json.code, 1) << json.out;
  EXPECT_NE(json.out.find("\"schema\": \"fable-explain/1\""), std::string::npos) << json.out;
  const CliRun bad = run("explain exploits/EXP-005.json --format xml");
  EXPECT_EQ(bad.code, 2) << bad.out;
}

TEST(CliRecords, VerifyIsTheAmendmentGate) {
  const CliRun v03 = run("verify --kernel kernels/kernel-v0.3.yaml exploits");
  EXPECT_EQ(v03.code, 0) << v03.out;
  EXPECT_NE(v03.out.find("0 reproduce, 0 stale, 12 blocked"), std::string::npos) << v03.out;
  // v0.2 closes the six canonical holes but not what the hunt found on it:
  // EXP-007..009 (threshold locks) and EXP-010..012 (a majority's private spends).
  const CliRun v02 = run("verify --kernel kernels/kernel-v0.2.yaml exploits");
  EXPECT_EQ(v02.code, 1) << v02.out;
  EXPECT_NE(v02.out.find("6 reproduce, 0 stale, 6 blocked"), std::string::npos) << v02.out;
  const CliRun v01 = run("verify --kernel kernels/kernel-v0.1.yaml exploits");
  EXPECT_EQ(v01.code, 1) << v01.out;
  EXPECT_NE(v01.out.find("12 reproduce"), std::string::npos) << v01.out;
}

TEST(CliRecords, BadInputIsExitTwoWithOneMessage) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "fable-cli-bad";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "EXP-001.json") << "{\"schema\": \"fable-exploit/1\", \"exploit_id\": ";
  const CliRun truncated =
      run("replay " + (dir / "EXP-001.json").string() + " --kernel kernels/kernel-v0.1.yaml");
  EXPECT_EQ(truncated.code, 2) << truncated.out;
  EXPECT_NE(truncated.out.find("not a valid exploit record"), std::string::npos) << truncated.out;
  EXPECT_EQ(run("verify --kernel kernels/kernel-v0.2.yaml " + dir.string()).code, 2);
  EXPECT_EQ(run("replay no/such/record.json").code, 2);
  EXPECT_EQ(run("tournament --kernel kernels/kernel-v0.1.yaml --matchups drain,chaos").code, 2);
  EXPECT_EQ(run("run --kernel kernels/kernel-v0.1.yaml --roster honest:4,wizard:2").code, 2);
  EXPECT_EQ(run("tournament --kernel tests/data/malformed/quorum_out_of_range.yaml").code, 2);
  EXPECT_EQ(run("tournament --kernel kernels/kernel-v0.1.yaml --seeds 9..3").code, 2);
  EXPECT_EQ(run("tournament --kernel kernels/kernel-v0.1.yaml --threads 0").code, 2);
  EXPECT_EQ(run("tournament --kernel kernels/kernel-v0.1.yaml --turns 0").code, 2);
  EXPECT_EQ(run("tournament --kernel kernels/kernel-v0.1.yaml --treasury -5").code, 2);
  EXPECT_EQ(run("tournament --kernel kernels/kernel-v0.1.yaml --threads two").code, 2);
  const CliRun files = run("tournament --kernel kernels/kernel-v0.1.yaml --episode-files some");
  EXPECT_EQ(files.code, 2) << files.out;
  EXPECT_NE(files.out.find("--episode-files 'some': expected all, findings or none"),
            std::string::npos)
      << files.out;
  EXPECT_EQ(
      run("run --kernel kernels/kernel-v0.1.yaml --roster honest:4 --episode-files some").code, 2);
  std::ofstream(dir / "bad-files.yaml")
      << "kernel: kernels/kernel-v0.1.yaml\nepisode_files: every\n";
  const CliRun bad_files = run("tournament --config " + (dir / "bad-files.yaml").string());
  EXPECT_EQ(bad_files.code, 2) << bad_files.out;
  EXPECT_NE(bad_files.out.find("bad-files.yaml:2: episode_files 'every'"), std::string::npos)
      << bad_files.out;
  std::ofstream(dir / "bad-treasury.yaml") << "kernel: kernels/kernel-v0.1.yaml\ntreasury: -5\n";
  const CliRun bad_treasury = run("tournament --config " + (dir / "bad-treasury.yaml").string());
  EXPECT_EQ(bad_treasury.code, 2) << bad_treasury.out;
  EXPECT_NE(bad_treasury.out.find("bad-treasury.yaml:2: treasury -5"), std::string::npos)
      << bad_treasury.out;
  EXPECT_EQ(run("tournament --kernel kernels/kernel-v0.1.yaml --out " + dir.string()).code, 2);
  std::filesystem::remove_all(dir);
}

// A write that fails (here: a file-size limit of zero) ends the run at once
// with exit 3, says how far it got, and never passes the folder off as done.
TEST(CliRecords, AnIoErrorStopsTheRunAtOnce) {
  const std::filesystem::path out = std::filesystem::temp_directory_path() / "fable-cli-io-error";
  std::filesystem::remove_all(out);
  const CliRun r = fable::testing::run_command(
      "trap '' XFSZ; ulimit -f 0; " +
      fable::testing::fable_command(
          "tournament --kernel kernels/kernel-v0.1.yaml --seeds 0..99999 --threads 2 --out " +
          out.string()) +
      " 2>&1");
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_NE(r.out.find("cannot write: File too large"), std::string::npos) << r.out;
  // The first write is the checkpoint made when the run starts (docs/resume.md).
  EXPECT_NE(r.out.find("checkpoint.bin: cannot write: File too large"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("stopped after 0 of 500000 episodes"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(out));
  for (const auto& e : std::filesystem::directory_iterator(out.parent_path())) {
    if (e.path().filename().string().rfind("fable-cli-io-error.partial-", 0) == 0)
      std::filesystem::remove_all(e.path());
  }
}

TEST(CliRecords, RunAppendsOnlyNewRecordsToAnExploitFolder) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "fable-cli-append";
  std::filesystem::remove_all(dir);
  const std::string cmd =
      "run --kernel kernels/kernel-v0.1.yaml --roster honest:5,drainer:2 --episodes 4 "
      "--exploit-dir " +
      dir.string();
  const CliRun first = run(cmd);
  ASSERT_EQ(first.code, 0) << first.out;
  const auto count = [&] {
    return std::distance(std::filesystem::directory_iterator(dir),
                         std::filesystem::directory_iterator{});
  };
  const auto after_first = count();
  EXPECT_GT(after_first, 0);
  const CliRun second = run(cmd);
  ASSERT_EQ(second.code, 0) << second.out;
  EXPECT_EQ(count(), after_first);  // same fingerprints: nothing new, nothing rewritten
  EXPECT_NE(second.out.find("0 new exploit record(s)"), std::string::npos) << second.out;
  std::filesystem::remove_all(dir);
}

// The default population (docs/population.md, "The default"): `run` plays
// token-vote citizens and says so in every record it writes, where replay
// finds it; `--population naive` writes records without the key, as before.
TEST(CliRecords, RunRecordsCarryTheDefaultPopulation) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / "fable-cli-default-pop";
  std::filesystem::remove_all(dir);
  const auto records_in = [](const std::filesystem::path& d) {
    std::vector<std::string> texts;
    for (const auto& e : std::filesystem::directory_iterator(d)) {
      std::ifstream in(e.path());
      texts.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return texts;
  };
  const std::string cmd =
      "run --kernel kernels/kernel-v0.1.yaml --roster honest:5,drainer:2 --episodes 4 "
      "--exploit-dir ";
  const CliRun token = run(cmd + (dir / "default").string());
  ASSERT_EQ(token.code, 0) << token.out;
  const auto made = records_in(dir / "default");
  ASSERT_FALSE(made.empty());
  for (const std::string& text : made) {
    EXPECT_NE(text.find("\"preset\": \"token-vote\""), std::string::npos) << text;
  }
  const CliRun naive = run(cmd + (dir / "naive").string() + " --population naive");
  ASSERT_EQ(naive.code, 0) << naive.out;
  for (const std::string& text : records_in(dir / "naive")) {
    EXPECT_EQ(text.find("\"population\""), std::string::npos) << text;
  }
  const CliRun replay = run("replay " + (dir / "default" / "EXP-001.json").string());
  EXPECT_EQ(replay.code, 1) << replay.out;  // reproduces, under the recorded population
  std::filesystem::remove_all(dir);
}

}  // namespace
