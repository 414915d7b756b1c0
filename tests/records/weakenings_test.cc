// The single-parameter weakenings of kernel v0.2 (kernels/weakenings/, table in
// docs/weakenings.md): each differs from v0.2 in exactly the parameter its file
// is named after, set back to its v0.1 value; and each weakening the table calls
// exploitable has proof records (tests/data/weakenings/<parameter>/*.json) that
// reproduce on the weakening and are blocked on v0.2.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "fable/kernel.h"
#include "fable/params.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "fable/semver.h"
#include "support/kernels.h"

namespace fable {
namespace {

using ::fable::testing::cached_kernel;
using ::fable::testing::shipped_kernel;
using ::fable::testing::source_path;
namespace fs = std::filesystem;

// The weakenings docs/weakenings.md calls exploitable: each must have proofs.
const std::set<std::string>& exploitable() {
  static const std::set<std::string> names = {
      "delegation.max_weight_frac",  "proposals.single_subject",
      "spend.commons_floor",         "spend.epoch_rate_cap",
      "voting.early_close",          "voting.min_window_turns",
      "voting.threshold_base",       "voting.thresholds.disenfranchise",
      "voting.thresholds.emergency",
  };
  return names;
}

// File stems (= parameter paths) of kernels/weakenings/*.yaml, sorted.
std::vector<std::string> weakening_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(source_path("kernels/weakenings"))) {
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

const Kernel& weakening(const std::string& name) {
  return cached_kernel("kernels/weakenings/" + name + ".yaml");
}

// Every parameter v0.2 changed over v0.1 has its weakening, and nothing else does.
TEST(Weakenings, OneKernelPerGuardThatV02Added) {
  std::vector<std::string> guards;
  for (const ParamChange& c :
       diff_kernels(shipped_kernel("kernel-v0.1.yaml"), shipped_kernel("kernel-v0.2.yaml"))
           .params) {
    guards.emplace_back(param_info(c.id).path);
  }
  std::sort(guards.begin(), guards.end());
  EXPECT_EQ(weakening_names(), guards);
}

TEST(Weakenings, EachDiffersFromV02OnlyInItsParameterSetToTheV01Value) {
  const Kernel& v01 = shipped_kernel("kernel-v0.1.yaml");
  const Kernel& v02 = shipped_kernel("kernel-v0.2.yaml");
  std::set<std::string> seen_names;
  for (const std::string& name : weakening_names()) {
    SCOPED_TRACE(name);
    const Kernel& k = weakening(name);
    const KernelDiff d = diff_kernels(v02, k);
    ASSERT_EQ(d.params.size(), 1u);
    const ParamChange& c = d.params.front();
    EXPECT_EQ(param_info(c.id).path, name);
    EXPECT_EQ(c.bump, Bump::kMajor) << "a weakening loosens its parameter";
    EXPECT_EQ(c.after, get_param(v01.params(), c.id)) << "the weakened value is v0.1's";
    EXPECT_EQ(k.version().to_string(), "1.0.0");
    // Records find their discovery kernel by name and version: names are unique.
    EXPECT_TRUE(seen_names.insert(k.name()).second) << k.name() << " is used twice";
    EXPECT_NE(k.name(), v02.name());
  }
}

TEST(Weakenings, ProofRecordsReproduceOnTheirWeakeningAndAreBlockedOnV02) {
  const Kernel& v02 = shipped_kernel("kernel-v0.2.yaml");
  const DetectorSuite suite = default_suite();
  const std::vector<std::string> names = weakening_names();
  std::set<std::string> proven;
  for (const auto& dir : fs::directory_iterator(source_path("tests/data/weakenings"))) {
    const std::string name = dir.path().filename().string();
    SCOPED_TRACE(name);
    ASSERT_TRUE(std::binary_search(names.begin(), names.end(), name))
        << "tests/data/weakenings/" << name << " names no kernel in kernels/weakenings/";
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(dir.path())) {
      if (e.path().extension() == ".json") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    EXPECT_FALSE(files.empty()) << "a proof folder without records";
    for (const std::string& file : files) {
      SCOPED_TRACE(file);
      const Result<ExploitRecord> rec = load_record(file);
      ASSERT_TRUE(rec.ok()) << rec.status().message();
      const ReplayResult on_weak = replay_record(*rec, weakening(name), suite);
      EXPECT_EQ(verdict_name(on_weak.verdict), "reproduces") << on_weak.reason;
      const ReplayResult on_v02 = replay_record(*rec, v02, suite);
      EXPECT_EQ(verdict_name(on_v02.verdict), "blocked") << on_v02.reason;
    }
    proven.insert(name);
  }
  EXPECT_EQ(proven, exploitable()) << "docs/weakenings.md's exploitable rows and the proof "
                                      "folders must agree";
}

}  // namespace
}  // namespace fable
