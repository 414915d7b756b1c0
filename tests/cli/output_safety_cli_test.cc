// Issue 12 at the command line: nothing a flag or a config says becomes a path
// outside the output folder, output folders are never replaced, limits and
// repeats are refused before any work, nothing blocks or loops, and a
// file-size limit gives exit 3 with one message naming the partial folder.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/cli_test_support.h"
#include "support/files.h"

namespace {

namespace fs = std::filesystem;
using fable::testing::CliRun;
using fable::testing::read_file;

// Runs the binary from a scratch folder (so relative paths land there), with
// stdout and stderr captured; `timeout` turns a hang into exit 124.
CliRun run_in(const fs::path& dir, const std::string& args) {
  return fable::testing::run_command("cd '" + dir.string() + "' && timeout 60 " + FABLE_BINARY +
                                     " " + args + " 2>&1");
}

fs::path fresh_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("fable-outsafe-" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

const std::string kKernel = std::string(FABLE_SOURCE_DIR) + "/kernels/kernel-v0.1.yaml";
const std::string kRun = "run --kernel " + kKernel + " --roster honest:3 --max-turns 3 ";

int error_lines(const std::string& out) {
  int n = 0;
  for (std::size_t at = out.find("error:"); at != std::string::npos;
       at = out.find("error:", at + 1))
    ++n;
  return n;
}

TEST(OutputSafetyCli, RunNameCannotLeaveTheOutputFolder) {
  const fs::path base = fresh_dir("name");
  fs::create_directories(base / "a" / "b");
  std::ofstream(base / "x-seed0.json") << "the user's file";
  for (const std::string name : {"../../x", "a/b", "..", "'x\ny'", "''"}) {
    const CliRun r = run_in(base / "a" / "b", kRun + "--episodes 1 --name " + name + " --out o");
    EXPECT_EQ(r.code, 2) << name << ": " << r.out;
    EXPECT_NE(r.out.find("error: --name"), std::string::npos) << r.out;
    EXPECT_EQ(error_lines(r.out), 1) << r.out;
  }
  EXPECT_EQ(read_file(base / "x-seed0.json"), "the user's file");
  EXPECT_FALSE(fs::exists(base / "a" / "b" / "o"));
  fs::remove_all(base);
}

TEST(OutputSafetyCli, ConfigMatchupNamesAreSafeAndDistinct) {
  const fs::path base = fresh_dir("config-names");
  std::ofstream(base / "escape.yaml") << "matchups:\n  - {name: ../x, honest: 3}\n";
  std::ofstream(base / "twice.yaml")
      << "matchups:\n  - {name: a, honest: 3}\n  - {name: a, honest: 4}\n";
  CliRun r = run_in(base, "tournament --kernel " + kKernel + " --config escape.yaml --out o");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("matchup name '../x'"), std::string::npos) << r.out;
  r = run_in(base, "tournament --kernel " + kKernel + " --config twice.yaml --out o");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("used twice"), std::string::npos) << r.out;
  r = run_in(base, "tournament --kernel " + kKernel + " --matchups drain,drain");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_FALSE(fs::exists(base / "o"));
  fs::remove_all(base);
}

TEST(OutputSafetyCli, FlagsAreRefusedBeforeAnyWork) {
  const fs::path base = fresh_dir("flags");
  std::ofstream(base / "file") << "mine";
  const std::string t = "tournament --kernel " + kKernel + " --turns 2 ";
  const std::pair<std::string, std::string> cases[] = {
      {t + "--seeds 1,1,1", "seed 1 is listed twice"},
      {t + "--seeds ''", "--seeds"},
      {t + "--matchups ''", "--matchups"},
      {t + "--matchups drain,", "--matchups"},
      {t + "--out ''", "empty"},
      {t + "--config ''", "--config"},
      {kRun + "--seed -1", "--seed"},
      {kRun + "--episodes -1", "--episodes"},
      {kRun + "--seed 18446744073709551615 --episodes 2", "2^64-1"},
      {kRun + "--episodes 100000001", "--episodes"},
      {kRun + "--exploit-dir file", "--exploit-dir file: exists and is not a folder"},
      {kRun + "--out file", "not a folder"},
      {kRun + "--out .", "not usable"},
      {"holes --kernel " + kKernel + " --seed -3", "--seed"},
      {"hunt --kernel " + kKernel + " --roster honest:3,attacker:2 --out h --seed -1", "--seed"},
      {"hunt --kernel " + kKernel + " --roster honest:3,attacker:2 --out h --exploit-dir file",
       "--exploit-dir file: exists and is not a folder"},
  };
  for (const auto& [args, says] : cases) {
    const CliRun r = run_in(base, args);
    EXPECT_EQ(r.code, 2) << args << ": " << r.out;
    EXPECT_NE(r.out.find(says), std::string::npos) << args << ": " << r.out;
    EXPECT_EQ(r.out.find("exploit records"), std::string::npos)
        << "played before refusing: " << r.out;
  }
  EXPECT_EQ(read_file(base / "file"), "mine");
  EXPECT_FALSE(fs::exists(base / "h"));
  fs::remove_all(base);
}

// An exploit folder the records could not be appended to (a *.json that is
// not a record, or the output folder itself) is refused before anything is
// played, not after the run (a fresh user found both refused only at the end).
TEST(OutputSafetyCli, AnExploitFolderIsCheckedBeforeThePlay) {
  const fs::path base = fresh_dir("exploit-folder");
  fs::create_directories(base / "junk");
  std::ofstream(base / "junk" / "junk.json") << "{}";
  const std::string t = "tournament --kernel " + kKernel + " --turns 2 --seeds 0..1 ";
  const std::string h = "hunt --kernel " + kKernel + " --roster honest:3,attacker:2 --budget 4 ";
  const std::pair<std::string, std::string> cases[] = {
      {kRun + "--out o1 --exploit-dir junk", "junk/junk.json"},
      {h + "--out o2 --exploit-dir junk", "junk/junk.json"},
      {kRun + "--out o3 --exploit-dir o3", "inside the output folder o3"},
      {kRun + "--out o4 --exploit-dir o4/records", "inside the output folder o4"},
      {h + "--out o5 --exploit-dir o5", "inside the output folder o5"},
  };
  for (const auto& [args, says] : cases) {
    const CliRun r = run_in(base, args);
    EXPECT_EQ(r.code, 2) << args << ": " << r.out;
    EXPECT_NE(r.out.find(says), std::string::npos) << args << ": " << r.out;
    EXPECT_EQ(error_lines(r.out), 1) << args << ": " << r.out;
  }
  for (const char* out : {"o1", "o2", "o3", "o4", "o5"})
    EXPECT_FALSE(fs::exists(base / out)) << out;
  EXPECT_EQ(read_file(base / "junk" / "junk.json"), "{}");
  fs::remove_all(base);
}

TEST(OutputSafetyCli, TheLargestSeedRangeEndsAndAFifoConfigDoesNotBlock) {
  const fs::path base = fresh_dir("hangs");
  CliRun r = run_in(base, "tournament --kernel " + kKernel +
                              " --seeds 18446744073709551615..18446744073709551615 --turns 2 "
                              "--matchups drain --out o");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("1 episodes"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(base / "o" / "episodes" / "drain-seed18446744073709551615.json"));
  r = run_in(base,
             "tournament --kernel " + kKernel +
                 " --seeds 18446744073709551614..18446744073709551615 --turns 2 --matchups drain");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("2 episodes"), std::string::npos) << r.out;
  ASSERT_EQ(::mkfifo((base / "fifo").c_str(), 0600), 0);
  r = run_in(base, "tournament --kernel " + kKernel + " --config fifo");
  EXPECT_EQ(r.code, 2) << r.out;  // 124 would be the timeout: it blocked
  EXPECT_NE(r.out.find("--config fifo: is not a regular file"), std::string::npos) << r.out;
  r = run_in(base, "tournament --kernel " + kKernel + " --config /dev/zero");
  EXPECT_EQ(r.code, 2) << r.out;
  fs::remove_all(base);
}

TEST(OutputSafetyCli, SymlinkOutIsRefusedAndATrailingSlashIsTheFolder) {
  const fs::path base = fresh_dir("links");
  fs::create_directory(base / "elsewhere");
  fs::create_directory_symlink(base / "elsewhere", base / "link");
  CliRun r = run_in(base, kRun + "--episodes 1 --out link");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("symbolic link"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::is_empty(base / "elsewhere"));
  r = run_in(base, kRun + "--episodes 1 --out made/");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(fs::exists(base / "made" / "summary.md"));
  for (const auto& e : fs::directory_iterator(base)) {  // no partial folder left, none inside
    EXPECT_EQ(e.path().filename().string().find(".partial"), std::string::npos) << e.path();
  }
  EXPECT_FALSE(fs::exists(base / "made" / ".partial-0"));
  fs::remove_all(base);
}

TEST(OutputSafetyCli, GenerateTestsOnTheInjectedRecordWritesNoCodeThatRuns) {
  const fs::path base = fresh_dir("generate");
  fs::create_directories(base / "exploits");
  nlohmann::json rec =
      nlohmann::json::parse(read_file(std::string(FABLE_SOURCE_DIR) + "/exploits/EXP-001.json"));
  rec["name"] =
      "x\n#include <cstdlib>\nstatic const int injected = std::system(\"touch PWNED\");\n//";
  std::ofstream(base / "exploits" / "EXP-001.json") << rec.dump(2) << "\n";
  const CliRun r = run_in(base, "generate-tests --exploits exploits --kernels " +
                                    std::string(FABLE_SOURCE_DIR) + "/kernels --out gen");
  // A strict record reader may refuse the name (exit 2, nothing written);
  // otherwise the test is written with the name escaped inside its comment.
  if (r.code == 2) {
    EXPECT_FALSE(fs::exists(base / "gen" / "EXP_001_test.cc")) << r.out;
  } else {
    ASSERT_EQ(r.code, 0) << r.out;
    const std::string text = read_file(base / "gen" / "EXP_001_test.cc");
    std::size_t includes = 0;
    for (std::size_t at = text.find("\n#"); at != std::string::npos; at = text.find("\n#", at + 1))
      ++includes;
    EXPECT_EQ(includes, 1u) << text;
    EXPECT_NE(text.find("EXP-001: x\\x0A#include <cstdlib>\\x0Astatic const int injected"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("FABLE_EXPLOIT_REGRESSION(EXP_001, \"exploits/EXP-001.json\", "),
              std::string::npos)
        << text;
  }
  fs::remove_all(base);
}

// The binary under a file-size limit, SIGXFSZ at its default action (which
// kills) unless the program ignores it: exit status and everything it printed.
CliRun run_with_file_size_limit(const fs::path& dir, const std::vector<std::string>& args,
                                rlim_t bytes) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return {-1, "pipe failed"};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    const struct rlimit limit { bytes, bytes };
    ::signal(SIGXFSZ, SIG_DFL);
    if (::chdir(dir.c_str()) != 0 || ::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(120);
    std::vector<char*> argv{const_cast<char*>(FABLE_BINARY)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(FABLE_BINARY, argv.data());
    ::_exit(121);
  }
  ::close(pipe_fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) > 0;) out.append(buf, n);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFSIGNALED(status))
    return {-1, out + "[killed by signal " + std::to_string(WTERMSIG(status)) + "]"};
  return {WEXITSTATUS(status), out};
}

TEST(OutputSafetyCli, AFileSizeLimitGivesExit3AndOneMessageNamingThePartialFolder) {
  const fs::path base = fresh_dir("fsize");
  // An episode summary is several KB: the first one passes a 2 KB limit.
  const CliRun r =
      run_with_file_size_limit(base,
                               {"run", "--kernel", kKernel, "--roster", "honest:3,drainer:1",
                                "--max-turns", "5", "--episodes", "2", "--out", "o"},
                               2048);
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_EQ(error_lines(r.out), 1) << r.out;
  EXPECT_NE(r.out.find("File too large"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("o.partial-"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(base / "o"));
  fs::remove_all(base);
}

}  // namespace
