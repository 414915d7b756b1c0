// Flags the command-line parser (CLI11) refuses: every refusal is one line of
// the same shape as every other bad input, "error: WHAT (see --help)", and
// exit 2 (README "Exit codes").
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <unistd.h>

#include "support/cli_test_support.h"

namespace fable {
namespace {

using testing::fable_command;
using testing::run_command;

TEST(FlagErrors, EveryParserRefusalIsOneErrorLine) {
  const std::string run = "run --kernel kernels/kernel-v0.1.yaml --roster honest:8 ";
  const struct {
    std::string args;
    std::string what;
  } cases[] = {
      {run + "--seed 1 --seed 2", "--seed: At Most 1 required but received 2"},
      {run + "--bogus", "--bogus"},
      {run + "--episodes x", "--episodes"},
      {run + "--episodes -1", "--episodes: expected a number 0 or more, got -1"},
      // An empty number was read as 0 (found by session 25's tester).
      {run + "--seed ''", "--seed: expected a number, got nothing"},
      {run + "--threads ''", "--threads: expected a number, got nothing"},
      {run + "--treasury ' '", "--treasury: expected a number, got nothing"},
      // A whole number past 64 bits was read as the largest one: the seed
      // ran as 18446744073709551615, a budget was refused naming that number.
      {run + "--seed 99999999999999999999",
       "--seed: expected a number from 0 to 18446744073709551615, got 99999999999999999999"},
      {"hunt --kernel kernels/kernel-v0.1.yaml --roster honest:5,attacker:4 --out /nonexistent "
       "--budget 18446744073709551616",
       "--budget: expected a number from 0 to 18446744073709551615, got 18446744073709551616"},
      {"hunt --kernel kernels/kernel-v0.1.yaml --roster honest:5,attacker:4 --out /nonexistent "
       "--checkpoint-every 99999999999999999999",
       "--checkpoint-every: expected a number from 0 to 18446744073709551615"},
      // A signed flag past what its type holds was CLI11's "Could not convert:
      // --max-turns = 99999999999999999999".
      {run + "--max-turns 99999999999999999999",
       "--max-turns: expected a number within the flag's range, got 99999999999999999999"},
      {run + "--max-turns -3000000000",
       "--max-turns: expected a number within the flag's range, got -3000000000"},
      {"hunt --kernel kernels/kernel-v0.1.yaml --roster honest:5,attacker:4 --out /nonexistent "
       "--checkpoint-every -1",
       "--checkpoint-every: expected 1..1000000, got -1"},
      // CLI11 reads whole numbers in base 0 and skips any white space: hex past
      // 2^64-1 ran as 2^64-1, "\n-1" as 2^64-1 (found by session 27's tester).
      {run + "--seed 0x10000000000000000",
       "--seed: expected a whole number in decimal digits, got 0x10000000000000000"},
      {run + "--seed 0x10", "--seed: expected a whole number in decimal digits, got 0x10"},
      {run + "--seed \"$(printf '\\n-1')\"",
       "--seed: expected a whole number in decimal digits, got \\x0a-1"},
      {run + "--threads \"$(printf '\\r2')\"",
       "--threads: expected a whole number in decimal digits, got \\x0d2"},
      {run + "--seed $(printf '9%.0s' $(seq 100))",
       "--seed: expected a number from 0 to 18446744073709551615, got "
       "9999999999999999999999999999999999999999999999999999999999999999..."},
      {"hunt --kernel kernels/kernel-v0.1.yaml --roster honest:5,attacker:4 --out /nonexistent "
       "--checkpoint-every ''",
       "--checkpoint-every: expected a number, got nothing"},
      {"run --kernel kernels/kernel-v0.1.yaml", "--roster"},
      {"tournament --kernel kernels/kernel-v0.1.yaml --turns 2 --turns 3", "--turns"},
      {"kernel validate", "FILE is required"},
      {"", "A subcommand is required"},
  };
  for (const auto& c : cases) {
    const testing::CliRun r = run_command(fable_command(c.args + " 2>&1 >/dev/null"));
    EXPECT_EQ(r.code, 2) << c.args;
    EXPECT_EQ(r.out.rfind("error: ", 0), 0u) << c.args << ": " << r.out;
    EXPECT_NE(r.out.find(c.what), std::string::npos) << c.args << ": " << r.out;
    EXPECT_NE(r.out.find(" (see --help)\n"), std::string::npos) << c.args << ": " << r.out;
    EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << c.args << ": one line: " << r.out;
  }
}

// A whole number with leading zeros is decimal: CLI11 alone read "010" as 8
// (octal), and a run with --seed 010 played seed 8 (session 27's tester).
TEST(FlagErrors, WholeNumbersAreDecimalWhateverTheirLeadingZeros) {
  const std::string out = ::testing::TempDir() + "fable-flag-decimal-" + std::to_string(getpid());
  const testing::CliRun r = run_command(
      fable_command("run --kernel kernels/kernel-v0.1.yaml --roster honest:3 --episodes 1 "
                    "--max-turns 002 --seed 010 --quiet --out " +
                    out + " 2>&1"));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(std::filesystem::exists(out + "/episodes/custom-seed10.json"));
  EXPECT_FALSE(std::filesystem::exists(out + "/episodes/custom-seed8.json"));
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace fable
