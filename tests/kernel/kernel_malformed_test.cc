// Malformed kernels: each gets one clear, located error and never a crash.
//
// Every tests/data/malformed/*.yaml file starts with two comment lines:
//   # expect: <a substring of the error message>
//   # line: <the 1-based line the error must point at, or "none">
// and breaks tests/data/kernel-minimal.yaml (which loads) in exactly one way.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fable/kernel.h"
#include "support/kernels.h"

namespace fable {
namespace {

namespace fs = std::filesystem;

const fs::path kMalformedDir = testing::source_path("tests/data/malformed");

std::vector<std::string> malformed_files() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kMalformedDir)) {
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class KernelMalformedFileTest : public ::testing::TestWithParam<std::string> {};

TEST_P(KernelMalformedFileTest, RejectedWithLocatedMessage) {
  const fs::path path = kMalformedDir / (GetParam() + ".yaml");
  std::istringstream header(read_text(path));
  std::string expect_line, line_line;
  std::getline(header, expect_line);
  std::getline(header, line_line);
  const std::string kExpect = "# expect: ", kLine = "# line: ";
  ASSERT_EQ(expect_line.rfind(kExpect, 0), 0u) << "first line must be '# expect: ...'";
  ASSERT_EQ(line_line.rfind(kLine, 0), 0u) << "second line must be '# line: N|none'";
  const std::string expect = expect_line.substr(kExpect.size());
  const std::string line = line_line.substr(kLine.size());
  ASSERT_FALSE(expect.empty());

  const auto k = Kernel::load_file(path.string());
  ASSERT_FALSE(k.ok()) << path << " loaded but should not";
  const std::string& msg = k.status().message();
  EXPECT_EQ(k.status().code(), StatusCode::kInvalidArgument) << msg;
  EXPECT_NE(msg.find(expect), std::string::npos) << "message: " << msg << "\nexpected: " << expect;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
  if (line == "none") {
    EXPECT_EQ(msg.rfind(path.string() + ": ", 0), 0u) << msg;
  } else {
    // FILE:LINE:COL: at the start of the message.
    const std::string prefix = path.string() + ":" + line + ":";
    ASSERT_EQ(msg.rfind(prefix, 0), 0u) << "message: " << msg << "\nexpected prefix: " << prefix;
    const std::string rest = msg.substr(prefix.size());
    const std::size_t colon = rest.find(':');
    ASSERT_NE(colon, std::string::npos) << msg;
    ASSERT_GT(colon, 0u) << msg;
    EXPECT_TRUE(std::all_of(rest.begin(), rest.begin() + static_cast<long>(colon),
                            [](char c) { return c >= '0' && c <= '9'; }))
        << "column: " << msg;
  }
}

INSTANTIATE_TEST_SUITE_P(Kernel, KernelMalformedFileTest, ::testing::ValuesIn(malformed_files()),
                         [](const auto& p) { return p.param; });

TEST(KernelMalformedTest, TheBaseOfTheMalformedFilesIsValid) {
  const auto k = Kernel::load_file(testing::source_path("tests/data/kernel-minimal.yaml"));
  ASSERT_TRUE(k.ok()) << k.status().message();
}

TEST(KernelMalformedTest, EveryClassOfDefectHasAFile) {
  const auto files = malformed_files();
  EXPECT_GE(files.size(), 18u);
  for (const char* required : {"yaml_syntax_error",
                               "tab_indentation",
                               "wrong_schema",
                               "missing_schema",
                               "missing_name",
                               "missing_params",
                               "missing_articles",
                               "bad_version",
                               "unknown_top_level_key",
                               "misspelled_param_key",
                               "unknown_param_section",
                               "quorum_out_of_range",
                               "negative_window",
                               "quoted_number",
                               "list_for_number",
                               "yes_for_boolean",
                               "float_for_int",
                               "duplicate_key",
                               "duplicate_article_id",
                               "ungoverned_clause",
                               "unknown_clause_in_governs",
                               "alias_bomb",
                               "single_alias",
                               "min_window_exceeds_default",
                               "invariant_unknown_metric",
                               "two_documents",
                               "empty_file",
                               "deep_nesting"}) {
    EXPECT_NE(std::find(files.begin(), files.end(), required), files.end()) << required;
  }
}

// Files made at run time in a fresh temporary directory.
class KernelTempFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           (std::string("fable-kernel-") + info->name() + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream out(p, std::ios::binary);
    out << text;
    return p.string();
  }

  fs::path dir_;
};

TEST_F(KernelTempFileTest, MissingPathIsNotFound) {
  const std::string path = (dir_ / "nope.yaml").string();
  const auto k = Kernel::load_file(path);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(k.status().message(), path + ": no such file");
}

TEST_F(KernelTempFileTest, DirectoryIsRefused) {
  const auto k = Kernel::load_file(dir_.string());
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(k.status().message(), dir_.string() + ": is a directory, not a kernel file");
}

TEST_F(KernelTempFileTest, HugeFileIsRefusedWithItsSize) {
  std::string text = "schema: fable-kernel/1\nname: big\n";
  text += "# " + std::string(3 * 1024 * 1024, 'x') + "\n";
  const std::string path = write("big.yaml", text);
  const auto k = Kernel::load_file(path);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), StatusCode::kInvalidArgument);
  const std::string& msg = k.status().message();
  EXPECT_EQ(msg.rfind(path + ": ", 0), 0u) << msg;
  EXPECT_NE(msg.find(std::to_string(text.size()) + " bytes"), std::string::npos) << msg;
  EXPECT_NE(msg.find(std::to_string(kMaxKernelBytes)), std::string::npos) << msg;
  // Kernel::parse applies the same limit to text from elsewhere.
  const auto p = Kernel::parse(text, "inline");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("at most"), std::string::npos);
}

TEST_F(KernelTempFileTest, VeryDeepNestingDoesNotCrash) {
  const std::string path = write("deep.yaml", std::string(200000, '[') + std::string(200000, ']'));
  const auto k = Kernel::load_file(path);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().message().rfind(path + ":1:", 0), 0u) << k.status().message();
  EXPECT_NE(k.status().message().find("nested deeper than"), std::string::npos)
      << k.status().message();
  // Unbalanced, too.
  const auto open_only = Kernel::parse(std::string(200000, '['), "open");
  ASSERT_FALSE(open_only.ok());
  EXPECT_EQ(open_only.status().message().rfind("open:1:", 0), 0u);
  const auto maps = Kernel::parse(std::string(100000, '{'), "maps");
  ASSERT_FALSE(maps.ok());
  EXPECT_EQ(maps.status().message().rfind("maps:1:", 0), 0u);
}

TEST_F(KernelTempFileTest, ManyNodesAreRefused) {
  std::string text = "schema: fable-kernel/1\nname: wide\nx: [";
  for (int i = 0; i < 120000; ++i) text += "1,";
  text += "1]\n";
  ASSERT_LT(text.size(), kMaxKernelBytes);
  const auto k = Kernel::load_file(write("wide.yaml", text));
  ASSERT_FALSE(k.ok());
  EXPECT_NE(k.status().message().find("more than 100000 YAML nodes"), std::string::npos)
      << k.status().message();
}

// Whatever is done to a good kernel, loading it never crashes and any error
// is one line that starts with the source name.
RC_GTEST_PROP(KernelMalformedTest, MutatedKernelsFailCleanly, ()) {
  static const std::string good = read_text(testing::source_path("kernels/kernel-v0.2.yaml"));
  std::string text = good;
  const int edits = *rc::gen::inRange(1, 6);
  for (int e = 0; e < edits; ++e) {
    const auto pos =
        static_cast<std::size_t>(*rc::gen::inRange<int>(0, static_cast<int>(text.size())));
    switch (*rc::gen::inRange(0, 4)) {
      case 0: {  // delete a span
        const auto len = static_cast<std::size_t>(*rc::gen::inRange(1, 40));
        text.erase(pos, len);
        break;
      }
      case 1: {  // insert YAML-significant characters
        const auto s = *rc::gen::container<std::string>(
            rc::gen::element(':', '-', '[', ']', '{', '}', '&', '*', '!', '"', '\'', '\t', '\n',
                             ' ', '#', '|', '>', 'x', '0', '.', '?', ',', '%', '@'));
        text.insert(pos, s);
        break;
      }
      case 2: {  // duplicate a span
        const auto len = static_cast<std::size_t>(*rc::gen::inRange(1, 200));
        text.insert(pos, text.substr(pos, len));
        break;
      }
      default: {  // random bytes
        const auto s = *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
        text.insert(pos, s);
        break;
      }
    }
  }
  const auto k = Kernel::parse(text, "mutant");
  if (!k.ok()) {
    const std::string& msg = k.status().message();
    RC_ASSERT(msg.rfind("mutant", 0) == 0u);
    RC_ASSERT(msg.find('\n') == std::string::npos);
    RC_ASSERT(msg.size() <= 1100u);
  }
}

}  // namespace
}  // namespace fable
