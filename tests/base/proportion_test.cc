// The Wilson score interval against published and closed-form values.
#include <gtest/gtest.h>

#include "fable/proportion.h"

namespace fable {
namespace {

void expect_interval(std::int64_t x, std::int64_t n, double lower, double upper, double tol) {
  const WilsonInterval w = wilson_interval(x, n);
  EXPECT_NEAR(w.lower, lower, tol) << x << "/" << n;
  EXPECT_NEAR(w.upper, upper, tol) << x << "/" << n;
}

// Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3
// (the Wilson score interval without continuity correction), to 4 decimals.
TEST(WilsonInterval, MatchesNewcombesPublishedExamples) {
  expect_interval(81, 263, 0.2553, 0.3662, 5e-5);
  expect_interval(15, 148, 0.0624, 0.1605, 5e-5);
  expect_interval(0, 20, 0.0, 0.1611, 5e-5);
  expect_interval(1, 29, 0.0061, 0.1718, 5e-5);
}

// The brief's cases, z = 1.959964: 0 and n successes have closed forms,
// z^2 / (n + z^2) and n / (n + z^2); 5/10 is symmetric about 1/2.
TEST(WilsonInterval, KnownValuesAtTheEndsAndTheMiddle) {
  const double z2 = kZ95 * kZ95;
  const WilsonInterval none = wilson_interval(0, 10);
  EXPECT_EQ(none.lower, 0.0);
  EXPECT_NEAR(none.upper, z2 / (10 + z2), 1e-12);
  EXPECT_NEAR(none.upper, 0.277533, 1e-6);
  const WilsonInterval all = wilson_interval(10, 10);
  EXPECT_NEAR(all.lower, 10 / (10 + z2), 1e-12);
  EXPECT_NEAR(all.lower, 0.722467, 1e-6);
  EXPECT_EQ(all.upper, 1.0);
  const WilsonInterval half = wilson_interval(5, 10);
  EXPECT_NEAR(half.lower, 0.236593, 1e-6);
  EXPECT_NEAR(half.upper, 0.763407, 1e-6);
  EXPECT_NEAR(half.lower + half.upper, 1.0, 1e-12);
  expect_interval(1, 64, 0.002764, 0.083341, 1e-6);
  // The honest-only baseline of the default tournament: 0 of 8.
  expect_interval(0, 8, 0.0, 0.324408, 1e-6);
}

TEST(WilsonInterval, StaysInsideTheUnitIntervalAndNarrowsWithMoreTrials) {
  for (std::int64_t n : {1, 2, 7, 64, 1000, 1000000}) {
    for (std::int64_t x = 0; x <= n; x += std::max<std::int64_t>(1, n / 13)) {
      const WilsonInterval w = wilson_interval(x, n);
      const double p = static_cast<double>(x) / static_cast<double>(n);
      EXPECT_GE(w.lower, 0.0);
      EXPECT_LE(w.upper, 1.0);
      EXPECT_LE(w.lower, p) << x << "/" << n;
      EXPECT_GE(w.upper, p) << x << "/" << n;
    }
  }
  const WilsonInterval small = wilson_interval(5, 10);
  const WilsonInterval large = wilson_interval(500, 1000);
  EXPECT_LT(large.upper - large.lower, small.upper - small.lower);
}

TEST(WilsonInterval, NoTrialsOrBadCountsGiveTheWholeRange) {
  for (const auto& [x, n] : std::initializer_list<std::pair<std::int64_t, std::int64_t>>{
           {0, 0}, {1, 0}, {-1, 5}, {6, 5}}) {
    const WilsonInterval w = wilson_interval(x, n);
    EXPECT_EQ(w.lower, 0.0);
    EXPECT_EQ(w.upper, 1.0);
  }
  const Proportion p = Proportion::of(3, 12);
  EXPECT_EQ(p.successes, 3);
  EXPECT_EQ(p.trials, 12);
  EXPECT_DOUBLE_EQ(p.rate, 0.25);
  EXPECT_EQ(Proportion::of(0, 0).rate, 0.0);
}

}  // namespace
}  // namespace fable
