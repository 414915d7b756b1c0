// The hostile-input catalogue runner: one test case per .expect file under
// tests/data/hostile/ (found when the test binary starts), each running the
// built binary on a hostile input and checking its exit code, its one error
// line and that nothing was written where it must not be.
//
// Format (docs/fuzzing.md, "The hostile-input catalogue"): next to the input
// tests/data/hostile/<kind>/<case>.<ext> is <case>.expect, lines of
// `key: value` (blank lines and lines starting with # are skipped):
//   args:   the arguments, once; {input} is the input's absolute path, {out}
//           a folder path in the case's temp dir that does not exist yet.
//           Split at blanks; '...' or "..." keep blanks (no escapes).
//   exit:   the expected exit code, once.
//   stderr: a substring of the single line the binary writes to stderr (may
//           repeat: all must occur); with any stderr key, stderr must be
//           exactly one line.
//   absent: a path relative to the temp dir that must not exist afterwards
//           (may repeat; may climb at most two levels with ..).
// The binary runs without a shell, in the case's own temp dir, which holds
// copies of kernels/ and exploits/ (so args may name kernels/kernel-v0.1.yaml),
// with stdin from /dev/null, killed after kCaseSeconds. A malformed .expect
// file, a missing input, or two inputs for one case fail that case.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/files.h"

namespace {

namespace fs = std::filesystem;

constexpr int kCaseSeconds = 120;  // generous: the suite also runs under sanitizers
constexpr std::size_t kMinCases = 8;

const fs::path& catalogue_dir() {
  static const fs::path dir = fs::path(FABLE_SOURCE_DIR) / "tests/data/hostile";
  return dir;
}

struct Expectation {
  std::string args;
  int exit_code = 0;
  std::vector<std::string> stderr_parts;
  std::vector<std::string> absent;
};

// Parses the text of a .expect file into `out`; returns "" or what is wrong.
std::string parse_expect(const std::string& text, Expectation& out) {
  bool have_args = false;
  bool have_exit = false;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    const std::string where = "line " + std::to_string(line_no) + ": ";
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const std::size_t colon = line.find(": ");
    if (colon == std::string::npos) return where + "expected 'key: value'";
    const std::string key = line.substr(0, colon);
    const std::string value = line.substr(colon + 2);
    if (value.empty()) return where + key + ": empty value";
    if (key == "args") {
      if (have_args) return where + "args: given twice";
      have_args = true;
      out.args = value;
    } else if (key == "exit") {
      if (have_exit) return where + "exit: given twice";
      if (value.size() > 3 || value.find_first_not_of("0123456789") != std::string::npos)
        return where + "exit: expected a whole number 0..255, got '" + value + "'";
      out.exit_code = std::stoi(value);
      if (out.exit_code > 255) return where + "exit: expected 0..255, got " + value;
      have_exit = true;
    } else if (key == "stderr") {
      out.stderr_parts.push_back(value);
    } else if (key == "absent") {
      const fs::path p(value);
      if (p.is_absolute()) return where + "absent: must be relative to the temp dir";
      const fs::path normal = (fs::path("a/b") / p).lexically_normal();
      if (normal.empty() || *normal.begin() == "..")
        return where + "absent: climbs more than two levels";
      out.absent.push_back(value);
    } else {
      return where + "unknown key '" + key + "' (args, exit, stderr, absent)";
    }
  }
  if (!have_args) return "no args line";
  if (!have_exit) return "no exit line";
  return "";
}

// Splits args at blanks; quotes group (no escapes). Returns "" or the problem.
std::string split_args(const std::string& args, std::vector<std::string>& out) {
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : args) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) out.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0) return "args: unterminated quote";
  if (in_word) out.push_back(word);
  if (out.empty()) return "args: no arguments";
  return "";
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

// A catalogue case: the .expect file, relative to the catalogue folder.
struct Case {
  std::string expect;  // e.g. "kernels/dev_zero.expect"
};

// GoogleTest prints a case by its file.
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.expect;
}

// Every .expect file of the catalogue, sorted.
std::vector<Case> find_cases() {
  std::vector<Case> cases;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(catalogue_dir(), ec)) {
    if (e.is_regular_file() && e.path().extension() == ".expect")
      cases.push_back({fs::relative(e.path(), catalogue_dir()).generic_string()});
  }
  std::sort(cases.begin(), cases.end(),
            [](const Case& a, const Case& b) { return a.expect < b.expect; });
  return cases;
}

std::string case_name(const Case& c) {
  std::string name = c.expect.substr(0, c.expect.size() - std::string(".expect").size());
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

// The inputs next to a .expect file: same stem, another extension.
std::vector<fs::path> inputs_of(const fs::path& expect) {
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(expect.parent_path())) {
    if (e.path() != expect && e.path().stem() == expect.stem()) found.push_back(e.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

struct Outcome {
  int exit_code = -1;  // -1: killed by a signal or timed out
  std::string what;    // how it ended, for messages
};

// Runs FABLE_BINARY with `argv` in `dir`, stdout and stderr to files there.
Outcome run_binary(const std::vector<std::string>& argv, const fs::path& dir,
                   const fs::path& out_file, const fs::path& err_file) {
  std::vector<char*> cargv;
  std::string binary = FABLE_BINARY;
  cargv.push_back(binary.data());
  std::vector<std::string> copy = argv;
  for (std::string& a : copy) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return {-1, "fork failed"};
  if (pid == 0) {
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0 || chdir(dir.c_str()) != 0 || dup2(in, 0) < 0 ||
        dup2(out, 1) < 0 || dup2(err, 2) < 0)
      _exit(127);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kCaseSeconds);
  int status = 0;
  while (true) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) return {-1, "waitpid failed"};
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return {-1, "did not finish within " + std::to_string(kCaseSeconds) + " s (killed)"};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFEXITED(status))
    return {WEXITSTATUS(status), "exit " + std::to_string(WEXITSTATUS(status))};
  return {-1, "killed by signal " + std::to_string(WTERMSIG(status))};
}

// A fresh sandbox/w1/w2 folder, so that `absent` paths may climb two levels
// and still name something inside the sandbox, which is removed afterwards.
class Sandbox {
 public:
  Sandbox() {
    std::string templ = (fs::temp_directory_path() / "fable-hostile-XXXXXX").string();
    if (mkdtemp(templ.data()) != nullptr) root_ = templ;
    if (!root_.empty()) fs::create_directories(root_ / "w1/w2");
  }
  ~Sandbox() {
    std::error_code ec;
    if (!root_.empty()) fs::remove_all(root_, ec);
  }
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;
  bool ok() const { return !root_.empty(); }
  fs::path dir() const { return root_ / "w1/w2"; }

 private:
  fs::path root_;
};

void copy_tree_folder(const std::string& name, const fs::path& to) {
  fs::create_directories(to / name);
  for (const auto& e : fs::directory_iterator(fs::path(FABLE_SOURCE_DIR) / name)) {
    if (e.is_regular_file()) fs::copy_file(e.path(), to / name / e.path().filename());
  }
}

class HostileCase : public ::testing::TestWithParam<Case> {};

TEST_P(HostileCase, GivesTheExpectedRefusal) {
  const fs::path expect_file = catalogue_dir() / GetParam().expect;
  Expectation ex;
  const std::string problem = parse_expect(fable::testing::read_file(expect_file), ex);
  ASSERT_EQ(problem, "") << expect_file.string() << ": malformed";
  std::vector<std::string> argv;
  const std::string split_problem = split_args(ex.args, argv);
  ASSERT_EQ(split_problem, "") << expect_file.string() << ": malformed";
  const std::vector<fs::path> inputs = inputs_of(expect_file);
  ASSERT_LE(inputs.size(), 1u) << expect_file.string() << ": more than one input file";
  const bool uses_input = ex.args.find("{input}") != std::string::npos;
  ASSERT_TRUE(!uses_input || inputs.size() == 1)
      << expect_file.string() << ": args name {input} but there is no input file";

  Sandbox box;
  ASSERT_TRUE(box.ok()) << "cannot make a temp dir";
  copy_tree_folder("kernels", box.dir());
  copy_tree_folder("exploits", box.dir());
  const fs::path io = box.dir().parent_path();  // beside the temp dir: never an `absent` target
  for (std::string& a : argv) {
    if (uses_input) replace_all(a, "{input}", fs::absolute(inputs[0]).string());
    replace_all(a, "{out}", (box.dir() / "out").string());
  }
  const Outcome o = run_binary(argv, box.dir(), io / ".stdout", io / ".stderr");
  const std::string err = fable::testing::read_file(io / ".stderr");
  const std::string shown = "\n  args: " + ex.args + "\n  stderr: " + err +
                            "  stdout: " + fable::testing::read_file(io / ".stdout");
  EXPECT_EQ(o.exit_code, ex.exit_code) << o.what << shown;
  if (!ex.stderr_parts.empty()) {
    const bool one_line = !err.empty() && err.back() == '\n' && err.find('\n') == err.size() - 1;
    EXPECT_TRUE(one_line) << "stderr must be exactly one line" << shown;
  }
  for (const std::string& part : ex.stderr_parts)
    EXPECT_NE(err.find(part), std::string::npos) << "stderr lacks '" << part << "'" << shown;
  for (const std::string& rel : ex.absent) {
    std::error_code ec;
    EXPECT_FALSE(fs::exists(fs::symlink_status(box.dir() / rel, ec)))
        << rel << " exists afterwards" << shown;
  }
}

INSTANTIATE_TEST_SUITE_P(Catalogue, HostileCase, ::testing::ValuesIn(find_cases()),
                         [](const ::testing::TestParamInfo<Case>& p) {
                           return case_name(p.param);
                         });

TEST(HostileCatalogue, HasDistinctlyNamedCases) {
  const std::vector<Case> cases = find_cases();
  EXPECT_GE(cases.size(), kMinCases) << "cases found under " << catalogue_dir().string();
  std::set<std::string> names;
  for (const Case& c : cases)
    EXPECT_TRUE(names.insert(case_name(c)).second) << "two cases named " << case_name(c);
}

TEST(HostileCatalogue, MalformedExpectFilesAreRefused) {
  const char* bad[] = {
      "",                                        // no args, no exit
      "args: kernel validate {input}\n",         // no exit
      "exit: 2\n",                               // no args
      "args: a\nargs: b\nexit: 2\n",             // args twice
      "args: a\nexit: 2\nexit: 3\n",             // exit twice
      "args: a\nexit: two\n",                    // not a number
      "args: a\nexit: 256\n",                    // out of range
      "args: a\nexit: -1\n",                     // negative
      "args: a\nexit: 2\nsterr: x\n",            // unknown key
      "args: a\nexit: 2\nstderr:\n",             // no ": "
      "args: a\nexit: 2\nabsent: /etc/x\n",      // absolute
      "args: a\nexit: 2\nabsent: ../../../x\n",  // climbs out of the sandbox
      "args: a\nexit 2\n",                       // no colon
  };
  for (const char* text : bad) {
    Expectation ex;
    EXPECT_NE(parse_expect(text, ex), "") << "accepted: " << text;
  }
  Expectation ok;
  EXPECT_EQ(parse_expect("# comment\nargs: run --out {out}\n\nexit: 2\nstderr: a: b\n"
                         "stderr: c\nabsent: ../../x\n",
                         ok),
            "");
  EXPECT_EQ(ok.args, "run --out {out}");
  EXPECT_EQ(ok.exit_code, 2);
  EXPECT_EQ(ok.stderr_parts, (std::vector<std::string>{"a: b", "c"}));
  EXPECT_EQ(ok.absent, (std::vector<std::string>{"../../x"}));

  std::vector<std::string> argv;
  EXPECT_EQ(split_args("run --name 'a b' --x \"\" c", argv), "");
  EXPECT_EQ(argv, (std::vector<std::string>{"run", "--name", "a b", "--x", "", "c"}));
  std::vector<std::string> unterminated;
  EXPECT_NE(split_args("run 'a", unterminated), "");
}

}  // namespace
