// `fable-selfplay kernel validate|diff|show`, run as a process.
#include <gtest/gtest.h>

#include <string>

#include "fable/params.h"
#include "support/cli_test_support.h"

namespace {

using fable::testing::CliRun;

// stdout and stderr together.
CliRun run_cli(const std::string& args) {
  return fable::testing::run_command(std::string(FABLE_BINARY) + " " + args + " 2>&1");
}

const std::string kSrc = FABLE_SOURCE_DIR;

TEST(KernelCliTest, ValidateReportsEachFile) {
  const CliRun r = run_cli("kernel validate " + kSrc + "/kernels/kernel-v0.1.yaml " + kSrc +
                           "/kernels/kernel-v0.2.yaml");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("ok " + kSrc + "/kernels/kernel-v0.1.yaml: Commons Charter v0.1.0 hash "),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("v0.2.0 hash "), std::string::npos) << r.out;
  const std::string counts =
      "(13 articles, " + std::to_string(fable::kParamCount) + " params)";  // the whole table
  EXPECT_NE(r.out.find(counts), std::string::npos) << r.out;
}

TEST(KernelCliTest, ValidateFailsWithTheErrorLine) {
  const std::string bad = kSrc + "/tests/data/malformed/quorum_out_of_range.yaml";
  const CliRun r = run_cli("kernel validate " + kSrc + "/kernels/kernel-v0.1.yaml " + bad);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(bad + ":30:13: params.voting.quorum: 1.7 is out of range [0, 1]"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("ok " + kSrc + "/kernels/kernel-v0.1.yaml"), std::string::npos);
}

TEST(KernelCliTest, DiffListsChangesAndOverallBump) {
  const CliRun r = run_cli("kernel diff " + kSrc + "/kernels/kernel-v0.1.yaml " + kSrc +
                           "/kernels/kernel-v0.2.yaml");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("delegation.max_depth: null -> 1 (minor)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("voting.threshold_base: cast -> roll (minor)\n"), std::string::npos);
  EXPECT_NE(r.out.find("article A4 reworded (patch)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\noverall: minor (0.1.0 -> 0.2.0)\n"), std::string::npos) << r.out;
  const CliRun back = run_cli("kernel diff " + kSrc + "/kernels/kernel-v0.2.yaml " + kSrc +
                              "/kernels/kernel-v0.1.yaml");
  EXPECT_NE(back.out.find("overall: major (0.2.0 -> 0.1.0)"), std::string::npos) << back.out;
  const CliRun missing =
      run_cli("kernel diff " + kSrc + "/kernels/kernel-v0.1.yaml /nonexistent.yaml");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.out.find("/nonexistent.yaml: no such file"), std::string::npos);
}

TEST(KernelCliTest, ShowListsEveryParameterWithItsArticle) {
  const CliRun r = run_cli("kernel show " + kSrc + "/kernels/kernel-v0.2.yaml");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("voting.quorum = 0.5  [A3]\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("spend.commons_floor = 0.5  [A7]\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("standing.roll (structural)  [A1]\n"), std::string::npos) << r.out;
}

}  // namespace
