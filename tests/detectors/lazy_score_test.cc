// LazyEpisodeScore, Detector::score_use and EpisodePlay::finish_scoring_as_read
// (fable/detector.h, fable/episode.h): a suite handed a lazy score finds what
// it finds with the whole score, and works the whole score out only when a
// detector run on the trace reads more than the red team's objectives.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fable/agent.h"
#include "fable/detector.h"
#include "fable/detector_registry.h"
#include "fable/episode.h"
#include "fable/metrics.h"
#include "fable/objectives.h"
#include "support/kernels.h"

namespace fable {
namespace {

// Kernel v0.1 with one more invariant, on the governance score: drained
// episodes (score 0) breach it, others (score about 20) do not, so a score
// left at zero would breach it where the whole score does not.
Kernel with_score_invariant() {
  const std::string path = testing::source_path("kernels/kernel-v0.1.yaml");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream read;
  read << in.rdbuf();
  std::string text = read.str();
  const std::string anchor = "invariants:\n";
  const std::size_t at = text.find(anchor);
  if (at == std::string::npos) throw std::runtime_error("kernel v0.1 has no invariants block");
  text.insert(at + anchor.size(),
              "  - name: score_floor\n"
              "    metric: governance_score\n"
              "    min: 10\n"
              "    article: A13\n");
  Result<Kernel> k = Kernel::parse(text, "v0.1 with a governance_score invariant");
  if (!k.ok()) throw std::runtime_error(k.status().message());
  return std::move(k).value();
}

// Seeds below 100 are drained (governance score 0 on v0.1); from 100 on,
// one entrencher among honest citizens leaves the score high.
EpisodeResult an_episode(const Kernel& kernel, std::uint64_t seed) {
  Population agents = seed < 100 ? make_population(6, 3, 1, 1) : make_population(9, 0, 1, 0);
  EpisodeOptions options;
  options.turns = 24;
  return run_episode(kernel, agents, seed, options, default_suite());
}

std::vector<std::string> described(const std::vector<ExploitFinding>& findings) {
  std::vector<std::string> out;
  for (const ExploitFinding& f : findings) {
    out.push_back(f.name + "/" + std::to_string(f.turn) + "/" + std::to_string(f.severity) + "/" +
                  f.fingerprint + "/" + f.summary);
  }
  return out;
}

// Counts how often it is asked for its findings, and reads nothing.
class ReadsNothing : public Detector {
 public:
  void run(const EpisodeTrace&, const EpisodeScore&, std::vector<ExploitFinding>&) const override {}
  ScoreUse score_use(const EpisodeTrace&) const override { return ScoreUse::kNothing; }
};

// Says nothing of what it reads (the default: all of it), and checks that
// what it was handed is the whole score.
class ReadsAll : public Detector {
 public:
  void run(const EpisodeTrace& trace, const EpisodeScore& score,
           std::vector<ExploitFinding>& out) const override {
    if (score.participation != score_episode(trace).participation) {
      throw std::logic_error("a detector that reads the whole score got part of it");
    }
    out.emplace_back().turn = 1;
  }
};

TEST(LazyEpisodeScore, HandsTheObjectivesAloneUntilTheWholeScoreIsAsked) {
  const EpisodeResult ep = an_episode(testing::shipped_kernel("kernel-v0.1.yaml"), 3);
  const EpisodeScore whole = score_episode(ep.trace);
  ASSERT_GT(whole.participation, 0.0) << "a field to tell apart from zero";
  LazyEpisodeScore lazy(ep.trace, score_objectives(ep.trace, ep.trace.red_team()));
  for (const ScoreUse use : {ScoreUse::kNothing, ScoreUse::kObjectives}) {
    const EpisodeScore& part = lazy.for_use(use);
    EXPECT_EQ(part.objectives.value, whole.objectives.value);
    EXPECT_EQ(part.capture.any(), whole.capture.any());
    EXPECT_EQ(part.participation, 0.0) << "nothing but the objectives is worked out";
    EXPECT_FALSE(lazy.complete());
  }
  const EpisodeScore& all = lazy.for_use(ScoreUse::kAll);
  EXPECT_TRUE(lazy.complete());
  EXPECT_EQ(all.governance_score, whole.governance_score);
  EXPECT_EQ(all.empathy_floor_trough, whole.empathy_floor_trough);
  EXPECT_EQ(all.participation, whole.participation);
  EXPECT_EQ(all.invariant_breaches, whole.invariant_breaches);
  EXPECT_EQ(all.objectives.value, whole.objectives.value);
  // Once worked out, the whole score is what every later detector gets.
  EXPECT_EQ(lazy.for_use(ScoreUse::kNothing).participation, whole.participation);
}

TEST(LazyEpisodeScore, IsWorkedOutOnlyForADetectorThatReadsIt) {
  const EpisodeResult ep = an_episode(testing::shipped_kernel("kernel-v0.1.yaml"), 1);
  const ObjectiveScores red = score_objectives(ep.trace, ep.trace.red_team());
  DetectorSuite light;
  light.add("nothing", Category::kDrain, std::make_unique<ReadsNothing>());
  LazyEpisodeScore a(ep.trace, red);
  EXPECT_TRUE(light.run(ep.trace, a).empty());
  EXPECT_FALSE(a.complete());
  DetectorSuite heavy;
  heavy.add("nothing", Category::kDrain, std::make_unique<ReadsNothing>());
  heavy.add("all", Category::kDrain, std::make_unique<ReadsAll>());
  LazyEpisodeScore b(ep.trace, red);
  EXPECT_EQ(heavy.run(ep.trace, b).size(), 1u);
  EXPECT_TRUE(b.complete());
  LazyEpisodeScore c(ep.trace, red);
  EXPECT_EQ(heavy.firing(ep.trace, c), (std::vector<std::string_view>{"all"}));
  EXPECT_TRUE(c.complete());
  // Skipped, the detector that reads it does not make it be worked out.
  LazyEpisodeScore d(ep.trace, red);
  const std::vector<std::string> known{"all"};
  EXPECT_TRUE(heavy.firing(ep.trace, d, known).empty());
  EXPECT_FALSE(d.complete());
}

// The shipped detectors read only the objectives of the score, except
// invariant_breach on a kernel with an invariant on the governance score.
TEST(LazyEpisodeScore, ShippedDetectorsReadTheWholeScoreOnlyForAGovernanceScoreInvariant) {
  const Kernel& v01 = testing::shipped_kernel("kernel-v0.1.yaml");
  const Kernel scored = with_score_invariant();
  const EpisodeResult plain = an_episode(v01, 2);
  const EpisodeResult breached = an_episode(scored, 2);
  for (const DetectorKind* kind : detector_kinds()) {
    const std::unique_ptr<Detector> d = kind->make();
    const ScoreUse on_plain = d->score_use(plain.trace);
    const ScoreUse on_scored = d->score_use(breached.trace);
    if (kind->name == "invariant_breach") {
      EXPECT_EQ(on_plain, ScoreUse::kNothing);
      EXPECT_EQ(on_scored, ScoreUse::kAll);
    } else if (kind->name == "commons_paralysis") {
      EXPECT_EQ(on_plain, ScoreUse::kObjectives);
      EXPECT_EQ(on_scored, ScoreUse::kObjectives);
    } else {
      EXPECT_EQ(on_plain, ScoreUse::kNothing) << kind->name;
      EXPECT_EQ(on_scored, ScoreUse::kNothing) << kind->name;
    }
  }
}

// On real episodes, with and without an invariant on the governance score,
// the suite handed a lazy score finds exactly what it finds with the whole
// one (texts included), and works the score out exactly when the kernel has
// that invariant. With invariant_breach saying it reads nothing on the
// second kernel, the breaches of the score invariant would be lost here.
TEST(LazyEpisodeScore, TheSuiteFindsWhatTheWholeScoreFinds) {
  const DetectorSuite suite = default_suite();
  const Kernel scored = with_score_invariant();
  std::size_t score_breaches = 0;
  std::size_t above_the_bar = 0;  // episodes whose score keeps the invariant
  std::size_t findings = 0;
  for (const Kernel* kernel : {&testing::shipped_kernel("kernel-v0.1.yaml"), &scored}) {
    const bool reads = kernel == &scored;
    for (const std::uint64_t seed : {0, 1, 2, 3, 100, 101, 102, 103}) {
      SCOPED_TRACE(::testing::Message()
                   << (reads ? "with" : "without") << " the score invariant, seed " << seed);
      const EpisodeResult ep = an_episode(*kernel, seed);
      const EpisodeScore whole = score_episode(ep.trace);
      for (const FindingTexts texts : {FindingTexts::kWrite, FindingTexts::kSkip}) {
        LazyEpisodeScore lazy(ep.trace, score_objectives(ep.trace, ep.trace.red_team()));
        const std::vector<ExploitFinding> got = suite.run(ep.trace, lazy, texts);
        EXPECT_EQ(described(got), described(suite.run(ep.trace, whole, texts)));
        EXPECT_EQ(lazy.complete(), reads);
        findings += got.size();
      }
      for (const std::string& name : whole.invariant_breaches) {
        score_breaches += name == "score_floor" ? 1 : 0;
      }
      above_the_bar += reads && whole.governance_score >= 10 ? 1 : 0;
      LazyEpisodeScore lazy(ep.trace, score_objectives(ep.trace, ep.trace.red_team()));
      EXPECT_EQ(suite.firing(ep.trace, lazy), suite.firing(ep.trace, whole));
    }
  }
  EXPECT_GT(findings, 0u) << "episodes with findings to compare";
  EXPECT_GT(score_breaches, 0u) << "episodes that breach the score invariant";
  EXPECT_GT(above_the_bar, 0u) << "episodes that keep it, which a score left at 0 would breach";
}

// finish_scoring_as_read: the same trace and findings as finish(), the
// objectives and capture flags of the whole score, and the rest of it only
// when a detector read it.
TEST(LazyEpisodeScore, FinishScoringAsReadIsFinishWithTheScoreAsRead) {
  const Kernel scored = with_score_invariant();
  for (const Kernel* kernel : {&testing::shipped_kernel("kernel-v0.1.yaml"), &scored}) {
    Population a = make_population(6, 3, 1, 1);
    Population b = make_population(6, 3, 1, 1);
    EpisodeOptions options;
    options.turns = 20;
    EpisodePlay one(*kernel, a, 4, options);
    EpisodePlay two(*kernel, b, 4, options);
    while (!one.done()) one.play_turn(a);
    while (!two.done()) two.play_turn(b);
    const EpisodeResult whole = one.finish(default_suite(), FindingTexts::kSkip);
    const EpisodeResult as_read = two.finish_scoring_as_read(default_suite(), FindingTexts::kSkip);
    EXPECT_EQ(described(as_read.findings), described(whole.findings));
    EXPECT_EQ(as_read.trace.digests, whole.trace.digests);
    EXPECT_EQ(as_read.score.objectives.value, whole.score.objectives.value);
    EXPECT_EQ(as_read.score.capture.any(), whole.score.capture.any());
    if (kernel == &scored) {
      EXPECT_EQ(as_read.score.participation, whole.score.participation);
      EXPECT_EQ(as_read.score.invariant_breaches, whole.score.invariant_breaches);
    } else {
      EXPECT_GT(whole.score.participation, 0.0);
      EXPECT_EQ(as_read.score.participation, 0.0) << "not read, not worked out";
    }
  }
}

}  // namespace
}  // namespace fable
