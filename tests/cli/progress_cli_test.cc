// The progress line as a process (docs/tournament-format.md, "The progress
// line"): on a terminal (a pseudo-terminal from script(1)) tournament, run
// and sweep end with their last progress line on stderr; --quiet silences it
// and only it; stdout is the same either way. The lines themselves are pinned
// in progress_line_test.cc.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "support/cli_test_support.h"

namespace {

using fable::testing::CliRun;
using fable::testing::run_command;

std::string binary_in_source(const std::string& args) {
  return std::string("cd ") + FABLE_SOURCE_DIR + " && " + FABLE_BINARY + " " + args;
}

// `args` with stderr on a pseudo-terminal and stdout in `stdout_file`; the
// result is what reached the terminal.
CliRun on_terminal(const std::string& args, const std::string& stdout_file) {
  return run_command("script -qec '" + binary_in_source(args) + " >" + stdout_file +
                     "' /dev/null </dev/null");
}

bool has_script() {
  return std::system("command -v script >/dev/null 2>&1") == 0;
}

TEST(ProgressCli, ATerminalGetsTheLineAndQuietSilencesOnlyIt) {
  if (!has_script()) GTEST_SKIP() << "script(1) is not installed";
  const std::string base = ::testing::TempDir() + "fable-progress-cli-";
  const struct {
    std::string args, last;
  } cases[] = {
      {"tournament --kernel kernels/kernel-v0.1.yaml --seeds 0..1 --no-minimize",
       "tournament: 10/10 episodes (100.0%)"},
      {"run --kernel kernels/kernel-v0.1.yaml --roster honest:8,drainer:2 --episodes 3 "
       "--no-minimize",
       "run: 3/3 episodes (100.0%)"},
  };
  for (const auto& c : cases) {
    const CliRun loud = on_terminal(c.args, base + "loud.txt");
    ASSERT_EQ(loud.code, 0) << loud.out;
    EXPECT_NE(loud.out.find(c.last), std::string::npos) << loud.out;
    EXPECT_NE(loud.out.find("done in "), std::string::npos) << loud.out;
    EXPECT_NE(loud.out.find("\x1b[K\r\n"), std::string::npos) << loud.out;  // ends its line
    const CliRun quiet = on_terminal(c.args + " --quiet", base + "quiet.txt");
    ASSERT_EQ(quiet.code, 0) << quiet.out;
    EXPECT_EQ(quiet.out, "") << quiet.out;
    const std::string loud_stdout = run_command("cat " + base + "loud.txt").out;
    EXPECT_NE(loud_stdout.find("kernel Commons Charter"), std::string::npos) << loud_stdout;
    EXPECT_EQ(run_command("cat " + base + "quiet.txt").out, loud_stdout);
  }
  // Errors still print.
  const CliRun bad =
      on_terminal("tournament --kernel kernels/kernel-v0.1.yaml --seeds 0..1 --turns 0 --quiet",
                  base + "bad.txt");
  EXPECT_EQ(bad.code, 2) << bad.out;
  EXPECT_NE(bad.out.find("error: "), std::string::npos) << bad.out;
}

TEST(ProgressCli, OffATerminalAShortRunPrintsNoProgress) {
  const CliRun r = run_command(binary_in_source(
      "tournament --kernel kernels/kernel-v0.1.yaml --seeds 0..1 --no-minimize 2>&1 >/dev/null"));
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "");
}

TEST(ProgressCli, EveryLongCommandHasQuiet) {
  for (const char* command : {"tournament", "run", "sweep", "hunt"}) {
    const CliRun help = run_command(binary_in_source(std::string(command) + " --help"));
    EXPECT_NE(help.out.find("--quiet"), std::string::npos) << command;
  }
}

}  // namespace
