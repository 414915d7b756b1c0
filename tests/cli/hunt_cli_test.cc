// `fable-selfplay hunt` as a process: it writes hunt.json and the records,
// refuses bad flags with one error line and exit 2, and never writes into a
// folder that is not empty.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/cli_test_support.h"

namespace {

namespace fs = std::filesystem;
using fable::testing::CliRun;

CliRun run_cli(const std::string& args) {
  return fable::testing::run_command(std::string("cd ") + FABLE_SOURCE_DIR + " && " + FABLE_BINARY +
                                     " " + args + " 2>&1");
}

fs::path fresh_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("fable-hunt-cli-" + name);
  fs::remove_all(p);
  return p;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(HuntCli, WritesHuntJsonAndRecordsThatReplay) {
  const fs::path out = fresh_dir("ok");
  const CliRun r = run_cli(
      "hunt --kernel kernels/kernel-v0.1.yaml --roster honest:9,attacker:11 "
      "--budget 400 --threads 2 --quiet --out " +
      out.string());
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string json = slurp(out / "hunt.json");
  EXPECT_NE(json.find("\"schema\": \"fable-hunt/1\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"executions\": 400"), std::string::npos);
  ASSERT_TRUE(fs::exists(out / "exploits" / "EXP-001.json")) << r.out;
  const CliRun replay = run_cli("replay " + (out / "exploits" / "EXP-001.json").string() +
                                " --kernel kernels/kernel-v0.1.yaml");
  EXPECT_EQ(replay.code, 1) << replay.out;  // 1: reproduces
  // The same hunt on one thread writes the same bytes.
  const fs::path again = fresh_dir("again");
  ASSERT_EQ(run_cli("hunt --kernel kernels/kernel-v0.1.yaml --roster honest:9,attacker:11 "
                    "--budget 400 --threads 1 --quiet --out " +
                    again.string())
                .code,
            0);
  EXPECT_EQ(slurp(again / "hunt.json"), json);
  EXPECT_EQ(slurp(again / "exploits" / "EXP-001.json"), slurp(out / "exploits" / "EXP-001.json"));
  fs::remove_all(out);
  fs::remove_all(again);
}

TEST(HuntCli, RefusesBadFlagsWithOneLine) {
  const fs::path out = fresh_dir("bad");
  for (const std::string& flags : {std::string("--roster honest:9,drainer:2"),
                                   std::string("--roster honest:9,attacker:2 "
                                               "--objective wealth"),
                                   std::string("--roster honest:9,attacker:2 --budget 0"),
                                   std::string("--roster honest:9,attacker:2 --turns 0"),
                                   std::string("--roster honest:9,attacker:2 --strategy mcts"),
                                   std::string("--roster honest:9,attacker:2 --beam-width 0"),
                                   std::string("--roster honest:9,attacker:2 --time-limit 0")}) {
    const CliRun r = run_cli("hunt --kernel kernels/kernel-v0.1.yaml --quiet --out " +
                             out.string() + " " + flags);
    EXPECT_EQ(r.code, 2) << flags << ": " << r.out;
    EXPECT_EQ(r.out.rfind("error: ", 0), 0u) << r.out;
    EXPECT_FALSE(fs::exists(out)) << "nothing is written on bad input";
  }
}

TEST(HuntCli, StrategyAndTimeLimitAreWrittenToHuntJson) {
  const fs::path out = fresh_dir("beam");
  const CliRun r = run_cli(
      "hunt --kernel kernels/kernel-v0.2.yaml --roster honest:8,attacker:2 --strategy beam "
      "--beam-width 2 --beam-branching 4 --budget 16 --turns 10 --time-limit 100000 --quiet "
      "--out " +
      out.string());
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string json = slurp(out / "hunt.json");
  EXPECT_NE(json.find("\"strategy\": \"beam\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"beam_width\": 2"), std::string::npos) << json;
  EXPECT_NE(json.find("\"reproducible\": true"), std::string::npos) << "the budget came first";
  EXPECT_NE(json.find("\"executions\": 16"), std::string::npos) << json;
  fs::remove_all(out);
}

TEST(HuntCli, AnExploitDirThatIsAFileIsRefusedBeforePlaying) {
  const fs::path out = fresh_dir("xfile");
  const fs::path file = fresh_dir("xfile-records");
  { std::ofstream(file) << "not a folder"; }
  const CliRun r = run_cli(
      "hunt --kernel kernels/kernel-v0.1.yaml --roster honest:9,attacker:2 "
      "--budget 10 --quiet --out " +
      out.string() + " --exploit-dir " + file.string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("not a folder"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(slurp(file), "not a folder");
  fs::remove(file);
}

TEST(HuntCli, NeverWritesIntoAFolderThatIsNotEmpty) {
  const fs::path out = fresh_dir("busy");
  fs::create_directories(out);
  { std::ofstream(out / "mine.txt") << "a user's file"; }
  const CliRun r = run_cli(
      "hunt --kernel kernels/kernel-v0.1.yaml --roster honest:9,attacker:2 "
      "--budget 10 --quiet --out " +
      out.string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_EQ(slurp(out / "mine.txt"), "a user's file");
  EXPECT_FALSE(fs::exists(out / "hunt.json"));
  fs::remove_all(out);
}

}  // namespace
