// The time-to-first-record summary of `bench --only hunt-first`
// (src/hunt/hunt_bench.h): a seed that did not find a class counts as later
// than any that did, and the median is a value some seed measured.
#include "hunt/hunt_bench.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace fable {
namespace {

// One run per entry: nullopt when the class did not fire.
std::vector<HuntRunFigures> runs_with(const std::vector<std::optional<std::uint64_t>>& firsts) {
  std::vector<HuntRunFigures> runs;
  std::uint64_t seed = 0;
  for (const std::optional<std::uint64_t>& at : firsts) {
    HuntRunFigures r;
    r.seed = seed++;
    r.first.push_back({"other", 64, 0.5});
    if (at) r.first.push_back({"quorum_ambush", *at, static_cast<double>(*at) / 1000.0});
    runs.push_back(r);
  }
  return runs;
}

TEST(HuntBench, MedianOfFiveCountsMissesAsLatest) {
  const FirstRecordSummary s =
      summarize_first_record("quorum_ambush", runs_with({640, std::nullopt, 128, 6400, 64}));
  EXPECT_EQ(s.detector, "quorum_ambush");
  EXPECT_EQ(s.found, 4u);
  ASSERT_EQ(s.executions.size(), 5u);
  EXPECT_FALSE(s.executions[1].has_value());
  EXPECT_EQ(s.executions[0], 640u);
  // Sorted: 64, 128, 640, 6400, miss -> the third.
  EXPECT_EQ(s.median_executions, 640u);
  ASSERT_TRUE(s.median_seconds.has_value());
  EXPECT_DOUBLE_EQ(*s.median_seconds, 0.64);
}

TEST(HuntBench, MedianIsUnknownWhenFewerThanHalfFoundIt) {
  const FirstRecordSummary s = summarize_first_record(
      "quorum_ambush", runs_with({std::nullopt, 64, std::nullopt, std::nullopt, 128}));
  EXPECT_EQ(s.found, 2u);
  EXPECT_FALSE(s.median_executions.has_value());
  EXPECT_FALSE(s.median_seconds.has_value());
}

TEST(HuntBench, EvenCountTakesTheLowerMiddle) {
  const FirstRecordSummary s =
      summarize_first_record("quorum_ambush", runs_with({256, 64, std::nullopt, 128}));
  EXPECT_EQ(s.median_executions, 128u);
}

TEST(HuntBench, ClassNeverSeenIsFoundByNoSeed) {
  const FirstRecordSummary s = summarize_first_record("salami_slicing", runs_with({64, 128}));
  EXPECT_EQ(s.found, 0u);
  EXPECT_FALSE(s.median_executions.has_value());
  EXPECT_EQ(s.seconds, (std::vector<std::optional<double>>{std::nullopt, std::nullopt}));
}

TEST(HuntBench, CaseSetHasTheCanonicalClassesAndScalesBudgets) {
  const std::vector<HuntBenchCase> full = hunt_bench_cases({2, false, std::nullopt});
  ASSERT_EQ(full.size(), 3u);
  EXPECT_EQ(full[0].name, "hunt-default-1t");
  EXPECT_EQ(full[1].name, "hunt-default-2t");
  EXPECT_EQ(full[2].name, "hunt-first");
  EXPECT_TRUE(full[0].in_default_set);
  EXPECT_FALSE(full[2].in_default_set);
  EXPECT_EQ(full[0].budget, 20000u);
  EXPECT_EQ(full[2].budget, 100000u);
  EXPECT_EQ(full[2].seeds.size(), 5u);
  EXPECT_EQ(full[2].classes, canonical_detector_classes());
  EXPECT_EQ(full[0].agent_turns_per_execution(), 20u * 30u);

  const std::vector<HuntBenchCase> quick = hunt_bench_cases({1, true, std::nullopt});
  ASSERT_EQ(quick.size(), 2u);  // no all-core case on one core
  EXPECT_EQ(quick[0].budget, 1000u);
  EXPECT_EQ(quick[1].budget, 5000u);
  EXPECT_EQ(hunt_bench_cases({1, true, 7})[1].budget, 7u);
}

}  // namespace
}  // namespace fable
