// Support for the generated exploit regression tests (tests/regressions/).
//
// `fable-selfplay generate-tests` writes one tests/regressions/EXP_NNN_test.cc
// per record in exploits/, each a single FABLE_EXPLOIT_REGRESSION line; CMake
// picks them up by glob. The test replays the record on its discovery kernel
// (it must reproduce: the hole stays documented) and on the current kernel,
// the newest version in kernels/: if kernels/CHANGELOG.md says the record is
// closed, it must be blocked; if it says open, it must still reproduce and
// the test is skipped as a known open hole. A record the changelog does not
// mention fails here and in the coverage test.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "fable/kernel.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "support/kernels.h"

namespace fable::regression {

using testing::source_path;

// The newest kernel version in kernels/.
inline std::optional<Kernel> current_kernel() {
  std::optional<Kernel> best;
  for (const auto& e : std::filesystem::directory_iterator(source_path("kernels"))) {
    if (e.path().extension() != ".yaml") continue;
    Result<Kernel> k = Kernel::load_file(e.path().string());
    if (k.ok() && (!best || best->version() < k->version())) best = std::move(k).value();
  }
  return best;
}

// "closed", "open", or "" when kernels/CHANGELOG.md has no row for the id.
// Rows look like: | EXP-001 | name | closed | 0.2.0 | how |
inline std::string changelog_status(const std::string& exploit_id) {
  std::ifstream in(source_path("kernels/CHANGELOG.md"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("| " + exploit_id + " ", 0) != 0) continue;
    std::stringstream cells(line);
    std::string cell;
    int column = 0;
    while (std::getline(cells, cell, '|')) {
      cell.erase(0, cell.find_first_not_of(' '));
      cell.erase(cell.find_last_not_of(' ') + 1);
      if (column == 3) return cell;
      ++column;
    }
  }
  return "";
}

inline void check_regression(const std::string& record_rel, const std::string& kernel_rel) {
  Result<ExploitRecord> rec = load_record(source_path(record_rel));
  ASSERT_TRUE(rec.ok()) << rec.status().message();
  const Kernel& discovery = testing::cached_kernel(kernel_rel);
  const DetectorSuite suite = default_suite();
  const ReplayResult found = replay_record(*rec, discovery, suite);
  EXPECT_EQ(found.verdict, Verdict::kReproduces)
      << rec->exploit_id << " no longer reproduces on its discovery kernel: " << found.reason;

  const std::string status = changelog_status(rec->exploit_id);
  ASSERT_TRUE(status == "closed" || status == "open")
      << rec->exploit_id << " has no row (closed or open) in kernels/CHANGELOG.md";
  const std::optional<Kernel> current = current_kernel();
  ASSERT_TRUE(current.has_value());
  const ReplayResult now = replay_record(*rec, *current, suite);
  if (status == "open") {
    EXPECT_EQ(now.verdict, Verdict::kReproduces)
        << rec->exploit_id << " is marked open but is " << verdict_name(now.verdict) << " on v"
        << current->version().to_string() << ": update kernels/CHANGELOG.md";
    GTEST_SKIP() << rec->exploit_id << " is a known open hole on v"
                 << current->version().to_string();
  }
  EXPECT_EQ(now.verdict, Verdict::kBlocked)
      << rec->exploit_id << " is marked closed but is " << verdict_name(now.verdict) << " on v"
      << current->version().to_string() << ": " << now.reason;
}

}  // namespace fable::regression

#define FABLE_EXPLOIT_REGRESSION(NAME, RECORD, KERNEL)     \
  TEST(ExploitRegression, NAME) {                          \
    ::fable::regression::check_regression(RECORD, KERNEL); \
  }
