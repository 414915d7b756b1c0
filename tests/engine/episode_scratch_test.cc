// EpisodeScratch: episodes played in the storage of recycled results give the
// same results byte for byte as fresh ones, whatever came before (larger or
// smaller episodes, other kernels, findings or none), and that storage is
// really reused.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "fable/episode.h"
#include "fable/episode_scratch.h"
#include "fable/trace.h"
#include "support/kernels.h"
#include "tournament/artifacts.h"

namespace fable {
namespace {

struct Case {
  const char* kernel;
  const char* roster;
  int turns;
  std::uint64_t seed;
};

// Shapes that differ from one to the next: citizens, turns, kernels, red roles.
const std::vector<Case>& cases() {
  static const std::vector<Case> c{
      {"kernel-v0.1.yaml", "honest:5,drainer:1,entrencher:1,suppressor:1", 60, 3},
      {"kernel-v0.2.yaml", "honest:6", 12, 7},
      {"kernel-v0.1.yaml", "honest:9,drainer:11", 80, 1},
      {"kernel-v0.1.yaml", "honest:5,drainer:2", 60, 4},
      {"kernel-v0.2.yaml", "honest:3,attacker:1", 5, 9},
      {"kernel-v0.3.yaml", "honest:5,entrencher:2", 40, 2},
  };
  return c;
}

EpisodeOptions options_of(const Case& c) {
  EpisodeOptions o;
  o.turns = c.turns;
  o.matchup = c.roster;
  return o;
}

// Everything of a result, as text: the trace and the episode file's summary.
std::string render(const EpisodeResult& r) {
  std::string out = trace_to_json(r.trace);
  append_episode_summary_json(out, r.matchup, r.seed, r.score, r.findings);
  out += r.rendered;
  return out;
}

std::string fresh(const Case& c, FindingTexts texts) {
  Population agents = make_population(*parse_roster(c.roster));
  return render(run_episode(testing::shipped_kernel(c.kernel), agents, c.seed, options_of(c),
                            default_suite(), texts));
}

TEST(EpisodeScratch, ResultsAreTheSameAsWithoutOne) {
  for (const FindingTexts texts : {FindingTexts::kWrite, FindingTexts::kSkip}) {
    EpisodeScratch scratch;
    // Twice through the cases, each result recycled before the next episode.
    for (int round = 0; round < 2; ++round) {
      for (const Case& c : cases()) {
        Population agents = make_population(*parse_roster(c.roster));
        EpisodeResult r = run_episode(testing::shipped_kernel(c.kernel), agents, c.seed,
                                      options_of(c), default_suite(), texts, scratch);
        EXPECT_EQ(render(r), fresh(c, texts)) << c.roster << " after round " << round;
        r.rendered = "text a consumer left";
        scratch.recycle(std::move(r));
        EXPECT_EQ(scratch.spare_results(), 1u);
      }
    }
  }
}

TEST(EpisodeScratch, ResultsMovedFromOrKeptStillGiveTheSameResults) {
  EpisodeScratch scratch;
  std::vector<EpisodeResult> kept;  // more than the scratch keeps
  for (std::size_t i = 0; i < EpisodeScratch::kMaxSpareResults + 2; ++i) {
    const Case& c = cases()[i % cases().size()];
    Population agents = make_population(*parse_roster(c.roster));
    kept.push_back(run_episode(testing::shipped_kernel(c.kernel), agents, c.seed, options_of(c),
                               default_suite(), FindingTexts::kWrite, scratch));
  }
  // Parts moved away by a consumer (as the MPI shipper moves the findings).
  std::vector<ExploitFinding> moved = std::move(kept[0].findings);
  EpisodeTrace trace = std::move(kept[1].trace);
  for (EpisodeResult& r : kept) scratch.recycle(std::move(r));
  EXPECT_EQ(scratch.spare_results(), EpisodeScratch::kMaxSpareResults);  // the rest freed
  for (int round = 0; round < 2; ++round) {
    for (const Case& c : cases()) {
      Population agents = make_population(*parse_roster(c.roster));
      const EpisodeResult r =
          run_episode(testing::shipped_kernel(c.kernel), agents, c.seed, options_of(c),
                      default_suite(), FindingTexts::kWrite, scratch);
      EXPECT_EQ(render(r), fresh(c, FindingTexts::kWrite)) << c.roster;
    }
  }
  EXPECT_EQ(scratch.spare_results(), 0u);
}

TEST(EpisodeScratch, TheNextEpisodeIsRecordedInTheRecycledStorage) {
  // The same episode twice: every list needs exactly the room it had.
  const Case& c = cases()[0];
  EpisodeScratch scratch;
  const auto play = [&] {
    Population agents = make_population(*parse_roster(c.roster));
    return run_episode(testing::shipped_kernel(c.kernel), agents, c.seed, options_of(c),
                       default_suite(), FindingTexts::kWrite, scratch);
  };
  EpisodeResult first = play();
  const Event* const events = first.trace.events.data();
  const TurnSnapshot* const snapshots = first.trace.snapshots.data();
  std::vector<const CitizenSnapshot*> citizens;
  for (const TurnSnapshot& s : first.trace.snapshots) citizens.push_back(s.citizens.data());
  std::vector<const ProposalItem*> items;
  for (const ProposalInfo& p : first.trace.proposals) items.push_back(p.items.data());
  ASSERT_FALSE(items.empty());
  scratch.recycle(std::move(first));

  const EpisodeResult second = play();
  EXPECT_EQ(second.trace.events.data(), events);
  EXPECT_EQ(second.trace.snapshots.data(), snapshots);
  ASSERT_EQ(second.trace.snapshots.size(), citizens.size());
  for (std::size_t t = 0; t < citizens.size(); ++t)
    EXPECT_EQ(second.trace.snapshots[t].citizens.data(), citizens[t]) << "turn " << t;
  ASSERT_EQ(second.trace.proposals.size(), items.size());
  for (std::size_t p = 0; p < items.size(); ++p)
    EXPECT_EQ(second.trace.proposals[p].items.data(), items[p]) << "proposal " << p;
}

Population clone_all(const Population& agents) {
  Population out;
  for (const auto& a : agents) out.push_back(a->clone());
  return out;
}

TEST(EpisodeScratch, ACopyOfAPlayContinuesAsTheOriginal) {
  const Case& c = cases()[1];  // honest citizens only: they can be copied
  EpisodeScratch scratch;
  {
    const Case& big = cases()[2];
    Population agents = make_population(*parse_roster(big.roster));
    scratch.recycle(run_episode(testing::shipped_kernel(big.kernel), agents, big.seed,
                                options_of(big), default_suite(), FindingTexts::kWrite, scratch));
  }
  Population agents = make_population(*parse_roster(c.roster));
  EpisodePlay play(testing::shipped_kernel(c.kernel), agents, c.seed, options_of(c), scratch);
  for (int t = 0; t < 5; ++t) play.play_turn(agents);
  EpisodePlay copy = play;
  Population copies = clone_all(agents);
  while (!play.done()) play.play_turn(agents);
  while (!copy.done()) copy.play_turn(copies);
  const std::string expected = fresh(c, FindingTexts::kWrite);
  EXPECT_EQ(render(play.finish(default_suite())), expected);
  EXPECT_EQ(render(copy.finish(default_suite())), expected);
}

}  // namespace
}  // namespace fable
