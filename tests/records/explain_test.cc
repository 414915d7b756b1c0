// explain: the story of a record names the detector, cites articles, shows
// where a kernel blocks it, and marks the steps the reproduction needs.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "fable/detector.h"
#include "fable/explain.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "support/kernels.h"

namespace fable {
namespace {

using testing::load_test_kernel;
using testing::source_path;

ExploitRecord record(const char* id) {
  Result<ExploitRecord> r = load_record(source_path(std::string("exploits/") + id + ".json"));
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : ExploitRecord{};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Explain, TellsTheStoryOnTheDiscoveryKernel) {
  const ExploitRecord rec = record("EXP-001");
  const Explanation x =
      explain_record(rec, load_test_kernel("kernels/kernel-v0.1.yaml"), default_suite());
  EXPECT_EQ(x.verdict, Verdict::kReproduces);
  const std::string text = explanation_text(x);
  EXPECT_TRUE(contains(text, "salami_slicing")) << text;  // the detector
  EXPECT_TRUE(contains(text, "Article A")) << text;       // an article cited
  EXPECT_TRUE(contains(text, "honest citizens voted")) << text;
  EXPECT_FALSE(x.evidence.empty());
  EXPECT_LE(x.headline.size(), 3u);

  const nlohmann::json j = nlohmann::json::parse(explanation_json(x));
  EXPECT_EQ(j.at("schema"), "fable-explain/1");
  for (const char* key : {"exploit_id", "name", "kernel", "verdict", "reason", "perpetrators",
                          "headline", "timeline", "finding", "stops", "steps", "essential"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  ASSERT_FALSE(j.at("timeline").empty());
  for (const char* key :
       {"turn", "kind", "who", "what", "ruling", "clause", "article", "essential", "steps"}) {
    EXPECT_TRUE(j.at("timeline")[0].contains(key)) << key;
  }
  EXPECT_EQ(j.at("verdict"), "reproduces");
}

// EXP-001's eleven drainers are redundant (any one ballot or proposal can go
// and the salami still fires), so no single step of it is essential; EXP-005's
// ambush needs every one of its steps.
TEST(Explain, MarksEssentialSteps) {
  const Explanation x = explain_record(
      record("EXP-005"), load_test_kernel("kernels/kernel-v0.1.yaml"), default_suite());
  EXPECT_GT(x.essential, 0);
  EXPECT_TRUE(contains(explanation_text(x), " *\n"));
}

TEST(Explain, ShowsWhereAKernelBlocksIt) {
  const Explanation x = explain_record(
      record("EXP-001"), load_test_kernel("kernels/kernel-v0.2.yaml"), default_suite());
  EXPECT_EQ(x.verdict, Verdict::kBlocked);
  const std::string text = explanation_text(x);
  EXPECT_TRUE(contains(x.headline[0], "blocked")) << text;
  EXPECT_TRUE(contains(text, "Refused")) << text;
  EXPECT_TRUE(contains(text, "spend.epoch_rate_cap")) << text;  // the refusal's clause
  EXPECT_EQ(x.essential, 0);
}

// Removing a step marked essential stops the reproduction; removing one that
// is not leaves it reproducing.
TEST(Explain, EssentialMeansTheRecordNeedsIt) {
  const Kernel& v01 = load_test_kernel("kernels/kernel-v0.1.yaml");
  const DetectorSuite suite = default_suite();
  auto without = [](ExploitRecord rec, const StepMark& m) {
    auto& steps = rec.reproduction.scripts[m.agent];
    steps.erase(steps.begin() + static_cast<std::ptrdiff_t>(m.index));
    return rec;
  };
  bool saw_essential = false, saw_other = false;
  for (const char* id : {"EXP-001", "EXP-005"}) {
    const ExploitRecord rec = record(id);
    const std::vector<StepMark> marks = essential_steps(rec, v01, suite);
    ASSERT_FALSE(marks.empty()) << id;
    for (const StepMark& m : marks) {
      if (m.essential && !saw_essential) {
        saw_essential = true;
        EXPECT_NE(replay_record(without(rec, m), v01, suite).verdict, Verdict::kReproduces);
      }
      if (!m.essential && !saw_other) {
        saw_other = true;
        EXPECT_EQ(replay_record(without(rec, m), v01, suite).verdict, Verdict::kReproduces);
      }
    }
  }
  EXPECT_TRUE(saw_essential);
  EXPECT_TRUE(saw_other);
}

}  // namespace
}  // namespace fable
