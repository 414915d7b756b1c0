// `hunt --resume` and `hunt --checkpoint-every` as a process (docs/resume.md,
// "Hunts"): a finished folder holds no checkpoint; --resume refuses, with
// exit 2 and one line naming every folder looked at, what it cannot go on
// with (nothing there, a folder in use, no checkpoint, a truncated,
// corrupt or newer checkpoint, another run's), and changes nothing; it is
// refused with --time-limit. The SIGKILL test is tests/hunt/resume_kill_test.sh.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "support/cli_test_support.h"
#include "tournament/checkpoint.h"

namespace fable {
namespace {

namespace fs = std::filesystem;
using ::fable::testing::CliRun;

CliRun run_cli(const std::string& args) {
  return testing::run_command(testing::fable_command(args + " 2>&1"));
}

fs::path fresh_dir(const std::string& name) {
  const fs::path p =
      fs::temp_directory_path() / ("fable-hunt-resume-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

std::string hunt_args(const fs::path& out) {
  return "hunt --kernel kernels/kernel-v0.1.yaml --roster honest:5,attacker:4 --budget 200 "
         "--turns 12 --quiet --out " +
         out.string();
}

void write_bytes(const fs::path& p, const std::vector<std::byte>& bytes) {
  std::ofstream f(p, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

TEST(HuntResumeCli, AFinishedFolderHoldsNoCheckpoint) {
  const fs::path dir = fresh_dir("done");
  const CliRun r = run_cli(hunt_args(dir / "A") + " --checkpoint-every 1");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(fs::exists(dir / "A" / "hunt.json"));
  EXPECT_FALSE(fs::exists(dir / "A" / "checkpoint.bin"));
  EXPECT_FALSE(fs::exists(dir / "A" / "corpus.bin"));
  for (const fs::directory_entry& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().filename(), "A") << "left behind: " << e.path();
  fs::remove_all(dir);
}

// Found by session 25's tester: it said "folder is not empty".
TEST(HuntResumeCli, ResumingAFinishedHuntSaysItIsFinished) {
  const fs::path dir = fresh_dir("finished");
  ASSERT_EQ(run_cli(hunt_args(dir / "A")).code, 0);
  const CliRun r = run_cli(hunt_args(dir / "A") + " --resume");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("the hunt is already finished"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(dir / "A" / "hunt.json"));
  fs::remove_all(dir);
}

// Found by session 26's tester: a missing corpus.bin was "0 bytes, shorter
// than ...", and a published folder whose checkpoint is damaged was a dead
// end (the refusal did not say what to do).
TEST(HuntResumeCli, NamesAMissingCorpusAndTheWayOutOfADamagedPublishedFolder) {
  const fs::path dir = fresh_dir("damaged");
  const std::string args = hunt_args(dir / "A") + " --minimize-budget 20";
  const std::string env = std::string("cd ") + FABLE_SOURCE_DIR + " && FABLE_TEST_KILL_AT=";
  // Killed after its files are written: the partial folder holds the checkpoint.
  CliRun r = testing::run_command(env + "files-written " + FABLE_BINARY + " " + args + " 2>&1");
  ASSERT_NE(r.code, 0) << r.out;
  fs::path partial;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) partial = e.path();
  ASSERT_TRUE(fs::exists(partial / "corpus.bin")) << partial;
  fs::remove(partial / "corpus.bin");
  r = run_cli(args + " --resume");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("corpus.bin: missing, while its checkpoint counts on its first"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(fs::exists(partial / "checkpoint.bin"));  // nothing changed
  fs::remove_all(dir);
  fs::create_directories(dir);
  // Killed once published: DIR holds the checkpoint; damaged, the refusal says what to do.
  r = testing::run_command(env + "published " + FABLE_BINARY + " " + args + " 2>&1");
  ASSERT_NE(r.code, 0) << r.out;
  ASSERT_TRUE(fs::exists(dir / "A" / "checkpoint.bin"));
  fs::resize_file(dir / "A" / "checkpoint.bin", fs::file_size(dir / "A" / "checkpoint.bin") - 3);
  r = run_cli(args + " --resume");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("a published folder is a finished hunt's: if "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("checkpoint.bin and " + (dir / "A" / "corpus.bin").string() + " by hand"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(fs::exists(dir / "A" / "checkpoint.bin"));
  fs::remove_all(dir);
}

// Found by session 28's tester: the number of corpus entries a checkpoint
// counts was bounded by the bytes left in its state, not in corpus.bin, so a
// hunt whose state was short for its corpus ("the checkpoint to resume from
// is malformed") could not be resumed. This one (64 executions, 35 entries)
// could not.
TEST(HuntResumeCli, ResumesAHuntWhoseStateIsShortForItsCorpus) {
  const fs::path dir = fresh_dir("short-state");
  const auto args = [&](const std::string& out) {
    return "hunt --kernel kernels/kernel-v0.3.yaml --roster honest:8,attacker:2 --strategy evolve "
           "--seed 132 --budget 64 --turns 30 --checkpoint-every 2 --quiet --out " +
           (dir / out).string();
  };
  const std::string env =
      std::string("cd ") + FABLE_SOURCE_DIR + " && FABLE_TEST_KILL_AT=files-written ";
  CliRun r = testing::run_command(env + FABLE_BINARY + " " + args("A") + " 2>&1");
  ASSERT_NE(r.code, 0) << r.out;
  r = run_cli(args("A") + " --resume");
  ASSERT_EQ(r.code, 0) << r.out;
  ASSERT_EQ(run_cli(args("B")).code, 0);  // the same hunt, not interrupted
  const auto text = [](const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  };
  EXPECT_FALSE(text(dir / "A" / "hunt.json").empty());
  EXPECT_EQ(text(dir / "A" / "hunt.json"), text(dir / "B" / "hunt.json"));
  fs::remove_all(dir);
}

TEST(HuntResumeCli, RefusesWhatItCannotGoOnWith) {
  const fs::path dir = fresh_dir("refuse");
  const fs::path out = dir / "A";
  CliRun r = run_cli(hunt_args(out) + " --resume");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("nothing to resume: no folder A.partial-<pid> next to it"),
            std::string::npos)
      << r.out;

  r = run_cli(hunt_args(out) + " --resume --time-limit 5");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--resume: not with --time-limit"), std::string::npos) << r.out;

  r = run_cli(hunt_args(out) + " --checkpoint-every 0");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--checkpoint-every"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1..1000000"), std::string::npos) << r.out;
  // A negative value names the same range (it said "a number 0 or more").
  r = run_cli(hunt_args(out) + " --checkpoint-every -1");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--checkpoint-every: expected 1..1000000, got -1"), std::string::npos)
      << r.out;

  // Five partial folders, none of which this hunt can go on with.
  TournamentCheckpoint other;
  other.identity = {identity_item("command", "tournament")};
  other.next_job = 3;
  other.total = 10;
  const std::vector<std::byte> good = encode_checkpoint(other);
  fs::create_directories(dir / "A.partial-101");  // another run's
  write_bytes(dir / "A.partial-101" / "checkpoint.bin", good);
  fs::create_directories(dir / "A.partial-102");  // truncated
  write_bytes(dir / "A.partial-102" / "checkpoint.bin",
              std::vector<std::byte>(good.begin(), good.end() - 3));
  fs::create_directories(dir / "A.partial-103");  // a later version
  std::vector<std::byte> newer = good;
  newer[16] = std::byte{9};
  write_bytes(dir / "A.partial-103" / "checkpoint.bin", newer);
  fs::create_directories(dir / "A.partial-104");  // no checkpoint
  fs::create_directories(dir / "A.partial-105");  // in use
  write_bytes(dir / "A.partial-105" / "checkpoint.bin", good);
  Result<std::unique_ptr<FolderLock>> held = FolderLock::take(dir / "A.partial-105");
  ASSERT_TRUE(held.ok()) << held.status().message();

  r = run_cli(hunt_args(out) + " --resume --store " + (dir / "A.db").string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("nothing to resume"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("A.partial-101: another run (these settings differ: command, "),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("A.partial-102/checkpoint.bin: truncated or corrupt (checksum mismatch)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("A.partial-103/checkpoint.bin: written as checkpoint version 9"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("A.partial-104/checkpoint.bin: no checkpoint"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("A.partial-105: in use by a running process"), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one line: " << r.out;
  // Nothing was changed: no store, no new folder, the checkpoints as they were.
  EXPECT_FALSE(fs::exists(dir / "A.db"));
  EXPECT_FALSE(fs::exists(out));
  std::size_t folders = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    (void)e;
    ++folders;
  }
  EXPECT_EQ(folders, 5u);
  EXPECT_EQ(fs::file_size(dir / "A.partial-101" / "checkpoint.bin"), good.size());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fable
