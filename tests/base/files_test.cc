// Output folders and files (base/files.h): the destination is checked without
// following links, a trailing slash is dropped, the folder is moved into place
// without replacing anything a user made meanwhile, files are never
// overwritten, and a FIFO is refused without blocking.
#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/files.h"

namespace fable::files {
namespace {

namespace fs = std::filesystem;
using fable::testing::read_file;

fs::path fresh_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("fable-files-test-" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

TEST(CheckOutDir, AcceptsAbsentAndEmptyAndDropsTrailingSlashes) {
  const fs::path base = fresh_dir("check");
  auto absent = check_out_dir((base / "new").string() + "//");
  ASSERT_TRUE(absent.ok()) << absent.status().message();
  EXPECT_EQ(*absent, base / "new");
  fs::create_directory(base / "empty");
  EXPECT_TRUE(check_out_dir((base / "empty").string() + "/").ok());
  fs::remove_all(base);
}

TEST(CheckOutDir, RefusesLinksFilesFullFoldersAndDotNames) {
  const fs::path base = fresh_dir("refuse");
  fs::create_directory(base / "target");
  fs::create_directory_symlink(base / "target", base / "link");
  fs::create_symlink(base / "nowhere", base / "dangling");
  std::ofstream(base / "file") << "mine";
  fs::create_directory(base / "full");
  std::ofstream(base / "full" / "x") << "mine";
  const std::pair<std::string, std::string> cases[] = {
      {(base / "link").string(), "symbolic link"},
      {(base / "link").string() + "/", "symbolic link"},
      {(base / "dangling").string(), "symbolic link"},
      {(base / "file").string(), "not a folder"},
      {(base / "file" / "sub").string(), "cannot be a folder"},
      {(base / "full").string(), "not empty"},
      {"", "empty"},
      {".", "not usable"},
      {"..", "not usable"},
      {(base / "..").string(), "not usable"},
      {"/", "not usable"},
  };
  for (const auto& [path, says] : cases) {
    const auto st = check_out_dir(path);
    ASSERT_FALSE(st.ok()) << path;
    EXPECT_EQ(st.status().code(), StatusCode::kInvalidArgument) << path;
    EXPECT_NE(st.status().message().find(says), std::string::npos) << st.status().message();
  }
  EXPECT_EQ(read_file(base / "file"), "mine");
  fs::remove_all(base);
}

TEST(StagedFolder, PublishesIntoAnAbsentOrStillEmptyFolder) {
  const fs::path base = fresh_dir("publish");
  for (const bool pre_made : {false, true}) {
    const fs::path out = base / (pre_made ? "made" : "absent");
    if (pre_made) fs::create_directory(out);
    auto staged = StagedFolder::create(out.string() + "/");
    ASSERT_TRUE(staged.ok()) << staged.status().message();
    EXPECT_EQ(staged->partial().parent_path(), base);  // a sibling, not inside OUT
    ASSERT_TRUE(write_new_file(staged->partial() / "a.txt", "A").ok());
    ASSERT_TRUE(staged->publish().ok());
    EXPECT_EQ(read_file(out / "a.txt"), "A");
    EXPECT_FALSE(fs::exists(staged->partial()));
  }
  fs::remove_all(base);
}

TEST(StagedFolder, NeverReplacesWhatAUserMadeMeanwhile) {
  const fs::path base = fresh_dir("meanwhile");
  // A file made at OUT while the run was going.
  auto staged = StagedFolder::create((base / "out").string());
  ASSERT_TRUE(staged.ok());
  ASSERT_TRUE(write_new_file(staged->partial() / "a.txt", "A").ok());
  std::ofstream(base / "out") << "the user's file";
  Status st = staged->publish();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kIoError);
  EXPECT_NE(st.message().find(staged->partial().string()), std::string::npos) << st.message();
  EXPECT_EQ(read_file(base / "out"), "the user's file");
  EXPECT_EQ(read_file(staged->partial() / "a.txt"), "A");
  // An empty folder given as OUT, filled meanwhile.
  fs::create_directory(base / "out2");
  auto staged2 = StagedFolder::create((base / "out2").string());
  ASSERT_TRUE(staged2.ok());
  std::ofstream(base / "out2" / "note") << "mine";
  EXPECT_FALSE(staged2->publish().ok());
  EXPECT_EQ(read_file(base / "out2" / "note"), "mine");
  // OUT absent at the start, an empty folder made there meanwhile: not replaced either.
  auto staged3 = StagedFolder::create((base / "out3").string());
  ASSERT_TRUE(staged3.ok());
  ASSERT_TRUE(write_new_file(staged3->partial() / "a.txt", "A").ok());
  fs::create_directory(base / "out3");
  EXPECT_FALSE(staged3->publish().ok());
  EXPECT_TRUE(fs::is_empty(base / "out3"));
  fs::remove_all(base);
}

TEST(StagedFolder, NeverReusesAnExistingPartialFolder) {
  const fs::path base = fresh_dir("reuse");
  fs::path taken = base / "out";
  taken += ".partial-" + std::to_string(::getpid());
  fs::create_directory(taken);
  std::ofstream(taken / "old") << "left by someone";
  auto staged = StagedFolder::create((base / "out").string());
  ASSERT_TRUE(staged.ok());
  EXPECT_NE(staged->partial(), taken);
  EXPECT_TRUE(fs::is_empty(staged->partial()));
  EXPECT_EQ(read_file(taken / "old"), "left by someone");
  fs::remove_all(base);
}

TEST(WriteNewFile, NeverOverwritesNorFollowsALink) {
  const fs::path base = fresh_dir("write");
  std::ofstream(base / "exists") << "mine";
  EXPECT_FALSE(write_new_file(base / "exists", "theirs").ok());
  EXPECT_EQ(read_file(base / "exists"), "mine");
  fs::create_symlink(base / "exists", base / "link");
  EXPECT_FALSE(write_new_file(base / "link", "theirs").ok());
  EXPECT_EQ(read_file(base / "exists"), "mine");
  ASSERT_TRUE(replace_file(base / "link", "generated").ok());
  EXPECT_FALSE(fs::is_symlink(base / "link"));  // the link is replaced, its target untouched
  EXPECT_EQ(read_file(base / "link"), "generated");
  EXPECT_EQ(read_file(base / "exists"), "mine");
  EXPECT_EQ(std::distance(fs::directory_iterator(base), fs::directory_iterator()), 2);
  fs::remove_all(base);
}

// A step redone by --resume (docs/resume.md): the same bytes count as written, nothing
// else is ever overwritten.
TEST(WriteNewFileOrSame, AcceptsOnlyTheVeryBytes) {
  const fs::path base = fresh_dir("same");
  ASSERT_TRUE(write_new_file_or_same(base / "f", "text").ok());
  EXPECT_TRUE(write_new_file_or_same(base / "f", "text").ok());
  EXPECT_FALSE(write_new_file_or_same(base / "f", "text!").ok());
  EXPECT_FALSE(write_new_file_or_same(base / "f", "tex").ok());
  EXPECT_FALSE(write_new_file_or_same(base / "f", "TEXT").ok());
  EXPECT_EQ(read_file(base / "f"), "text");
  fs::create_symlink(base / "f", base / "link");  // not followed, even to the same bytes
  EXPECT_FALSE(write_new_file_or_same(base / "link", "text").ok());
  fs::create_directory(base / "dir");
  EXPECT_FALSE(write_new_file_or_same(base / "dir", "").ok());
  EXPECT_EQ(std::distance(fs::directory_iterator(base), fs::directory_iterator()), 3);
  fs::remove_all(base);
}

TEST(CheckOutDir, MayHoldFilesWhenAsked) {
  const fs::path base = fresh_dir("may-hold");
  std::ofstream(base / "f") << "x";
  EXPECT_FALSE(check_out_dir(base.string()).ok());
  EXPECT_TRUE(check_out_dir(base.string(), true).ok());
  EXPECT_FALSE(check_out_dir((base / "f").string(), true).ok());  // still a folder or nothing
  fs::remove_all(base);
}

TEST(CheckRegularFile, RefusesAFifoAFolderAndADeviceWithoutBlocking) {
  const fs::path base = fresh_dir("regular");
  ASSERT_EQ(::mkfifo((base / "fifo").c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  const Status fifo = check_regular_file(base / "fifo", "--config");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(fifo.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(fifo.message().find("--config"), std::string::npos) << fifo.message();
  EXPECT_EQ(check_regular_file(base, "--config").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(check_regular_file("/dev/null", "--config").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(check_regular_file(base / "missing", "--config").code(), StatusCode::kNotFound);
  std::ofstream(base / "ok.yaml") << "seeds: 0..1\n";
  EXPECT_TRUE(check_regular_file(base / "ok.yaml", "--config").ok());
  EXPECT_TRUE(check_folder_or_absent(base / "missing", "--exploit-dir").ok());
  EXPECT_TRUE(check_folder_or_absent(base, "--exploit-dir").ok());
  EXPECT_FALSE(check_folder_or_absent(base / "ok.yaml", "--exploit-dir").ok());
  fs::remove_all(base);
}

}  // namespace
}  // namespace fable::files
