// DetectorSuite::firing (fable/detector.h), the hunt lookahead's novelty
// read: the names of the detectors with findings on a trace, leaving out the
// known ones without running them, each name once, in the suite's order; and
// on real episodes, exactly the names among run()'s findings.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fable/agent.h"
#include "fable/detector.h"
#include "fable/episode.h"
#include "fable/metrics.h"
#include "support/kernels.h"

namespace fable {
namespace {

// Reports `count` findings on every trace.
class Fires : public Detector {
 public:
  explicit Fires(int count) : count_(count) {}
  void run(const EpisodeTrace&, const EpisodeScore&,
           std::vector<ExploitFinding>& out) const override {
    for (int i = 0; i < count_; ++i) out.emplace_back().turn = i + 1;
  }

 private:
  int count_;
};

// A detector that must not run.
class MustNotRun : public Detector {
 public:
  void run(const EpisodeTrace&, const EpisodeScore&, std::vector<ExploitFinding>&) const override {
    throw std::logic_error("a detector that firing() should have left out ran");
  }
};

EpisodeResult an_episode(std::uint64_t seed) {
  Population agents = make_population(6, 2, 1, 1);
  EpisodeOptions options;
  options.turns = 20;
  return run_episode(testing::shipped_kernel("kernel-v0.1.yaml"), agents, seed, options,
                     default_suite());
}

TEST(DetectorFiring, NamesWhatFiresOnceEachInOrderWithoutRunningTheSkipped) {
  DetectorSuite suite;
  suite.add("twice", Category::kDrain, std::make_unique<Fires>(2));
  suite.add("never", Category::kDrain, std::make_unique<Fires>(0));
  suite.add("known", Category::kEntrench, std::make_unique<MustNotRun>());
  suite.add("always", Category::kProcedure, std::make_unique<Fires>(1));
  // A second detector under a name that has fired already is not asked.
  suite.add("twice", Category::kDrain, std::make_unique<MustNotRun>());
  const EpisodeResult ep = an_episode(1);
  const std::vector<std::string> known{"known", "unused"};
  const std::vector<std::string_view> fired = suite.firing(ep.trace, ep.score, known);
  EXPECT_EQ(fired, (std::vector<std::string_view>{"twice", "always"}));
  const std::vector<std::string> all{"always", "known", "twice"};
  EXPECT_TRUE(suite.firing(ep.trace, ep.score, all).empty());
}

TEST(DetectorFiring, IsTheNamesOfTheFindingsOfTheWholeSuite) {
  const DetectorSuite suite = default_suite();
  std::size_t fired_somewhere = 0;
  for (std::uint64_t seed = 0; seed < 12; ++seed) {
    const EpisodeResult ep = an_episode(seed);
    std::vector<std::string> want;
    for (const ExploitFinding& f : suite.run(ep.trace, ep.score, FindingTexts::kSkip)) {
      if (std::find(want.begin(), want.end(), f.name) == want.end()) want.push_back(f.name);
    }
    std::vector<std::string> got;
    for (std::string_view name : suite.firing(ep.trace, ep.score)) got.emplace_back(name);
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, want) << "seed " << seed;
    fired_somewhere += got.size();
  }
  EXPECT_GT(fired_somewhere, 0u) << "some episode has findings to compare";
}

}  // namespace
}  // namespace fable
