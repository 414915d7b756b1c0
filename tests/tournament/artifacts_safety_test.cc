// The tournament's artifact writer under issue 12: a file or folder someone
// makes at the output path while the run is going is never deleted or
// replaced (the run fails with Status::Io naming the complete partial
// folder), and a matchup name that is not a safe name never becomes a path.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "fable/tournament.h"
#include "support/files.h"
#include "support/kernels.h"
#include "tournament/artifacts.h"

namespace fable {
namespace {

namespace fs = std::filesystem;
using ::fable::testing::read_file;

fs::path fresh_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() /
                     ("fable-artifacts-safety-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

TournamentConfig small_run(const fs::path& out) {
  TournamentConfig cfg;
  cfg.seeds = {0, 1};
  cfg.n_turns = 3;
  cfg.matchups = {*find_default_matchup("drain")};
  cfg.out_dir = out.string();
  return cfg;
}

TEST(ArtifactSafety, AUserFileMadeAtOutDuringTheRunSurvives) {
  const Kernel& v01 = testing::cached_kernel("kernels/kernel-v0.1.yaml");
  const fs::path base = fresh_dir("file");
  const fs::path out = base / "out";
  const ProgressFn user_writes = [&](const TournamentProgress& p) {
    if (p.done == 1) std::ofstream(out) << "the user's file";
  };
  const auto r = Tournament(small_run(out)).run(v01, user_writes);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_NE(r.status().message().find("out.partial-"), std::string::npos) << r.status().message();
  EXPECT_EQ(read_file(out), "the user's file");
  fs::remove_all(base);
}

TEST(ArtifactSafety, AnEmptyOutFolderFilledDuringTheRunIsLeftAlone) {
  const Kernel& v01 = testing::cached_kernel("kernels/kernel-v0.1.yaml");
  const fs::path base = fresh_dir("folder");
  const fs::path out = base / "out";
  fs::create_directory(out);
  const ProgressFn user_writes = [&](const TournamentProgress& p) {
    if (p.done == 1) std::ofstream(out / "notes.txt") << "mine";
  };
  const auto r = Tournament(small_run(out)).run(v01, user_writes);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_EQ(read_file(out / "notes.txt"), "mine");
  // Untouched, the same empty folder is replaced by the results.
  const fs::path out2 = base / "out2";
  fs::create_directory(out2);
  ASSERT_TRUE(Tournament(small_run(out2)).run(v01).ok());
  EXPECT_TRUE(fs::exists(out2 / "summary.md"));
  fs::remove_all(base);
}

TEST(ArtifactSafety, AnUnsafeMatchupNameNeverBecomesAPath) {
  const fs::path base = fresh_dir("name");
  auto writer = ArtifactWriter::open((base / "out").string(), EpisodeFiles::kAll);
  ASSERT_TRUE(writer.ok());
  const Status st = writer->write_episode("../../escaped", 0, EpisodeScore{}, {});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(base / "escaped-seed0.json"));
  EXPECT_FALSE(fs::exists(base.parent_path() / "escaped-seed0.json"));
  fs::remove_all(base);
}

}  // namespace
}  // namespace fable
