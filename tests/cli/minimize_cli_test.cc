// `fable-selfplay minimize` and the minimisation of the records a run writes:
// a new record that names its origin and replays; `--no-minimize` writes the
// records as found.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "support/cli_test_support.h"

namespace {

namespace fs = std::filesystem;
using fable::testing::CliRun;

CliRun run(const std::string& args) {
  return fable::testing::run_command(fable::testing::fable_command(args) + " 2>&1");
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(CliMinimize, WritesANewRecordThatNamesItsOriginAndReplays) {
  const fs::path dir = fresh_dir("fable-cli-minimize");
  const fs::path out = dir / "EXP-106.json";
  const CliRun m = run("minimize exploits/EXP-006.json --out " + out.string());
  ASSERT_EQ(m.code, 0) << m.out;
  EXPECT_NE(m.out.find("steps 24 -> 1, perpetrators 11 -> 1"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("1-minimal"), std::string::npos) << m.out;
  const std::string text = read(out);
  EXPECT_NE(text.find("\"exploit_id\": \"EXP-106\""), std::string::npos);
  EXPECT_NE(text.find("\"minimized_from\""), std::string::npos);
  EXPECT_NE(text.find("\"exploit_id\": \"EXP-006\""), std::string::npos);
  EXPECT_EQ(run("replay " + out.string()).code, 1);
  EXPECT_EQ(run("replay " + out.string() + " --kernel kernels/kernel-v0.2.yaml").code, 0);
  // Append-only: the same --out again is refused and the file is unchanged.
  const CliRun again = run("minimize exploits/EXP-006.json --out " + out.string());
  EXPECT_EQ(again.code, 2) << again.out;
  EXPECT_EQ(read(out), text);
  // A small budget still writes a reproducing record, and says it is not 1-minimal.
  const fs::path small = dir / "EXP-101.json";
  const CliRun b = run("minimize exploits/EXP-001.json --budget 10 --out " + small.string());
  ASSERT_EQ(b.code, 0) << b.out;
  EXPECT_NE(b.out.find("budget spent before 1-minimality"), std::string::npos) << b.out;
  EXPECT_NE(read(small).find("\"one_minimal\": false"), std::string::npos);
  EXPECT_EQ(run("replay " + small.string()).code, 1);
}

TEST(CliMinimize, RunWritesMinimisedRecordsUnlessToldNot) {
  const fs::path dir = fresh_dir("fable-cli-minimize-run");
  const std::string args =
      "run --kernel kernels/kernel-v0.1.yaml --roster honest:8,drainer:2,entrencher:1 "
      "--episodes 1 --max-turns 30 --episode-files none";
  const CliRun plain = run(args + " --no-minimize --exploit-dir " + (dir / "plain").string());
  ASSERT_EQ(plain.code, 0) << plain.out;
  const CliRun minimised = run(args + " --exploit-dir " + (dir / "min").string());
  ASSERT_EQ(minimised.code, 0) << minimised.out;
  int records = 0;
  for (const auto& e : fs::directory_iterator(dir / "min")) {
    ++records;
    const std::string text = read(e.path());
    EXPECT_NE(text.find("\"minimized_from\""), std::string::npos) << e.path();
    EXPECT_EQ(read(dir / "plain" / e.path().filename()).find("\"minimized_from\""),
              std::string::npos);
    EXPECT_EQ(run("replay " + e.path().string()).code, 1) << e.path();
  }
  EXPECT_GT(records, 0);
  EXPECT_EQ(run(args + " --minimize-budget 0").code, 2);
}

}  // namespace
