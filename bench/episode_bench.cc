// Micro-benchmark of one episode: `run_episode` on each default matchup.
//
// Kernel v0.1, 60 turns, treasury 1000, the default detector suite: what a
// tournament worker does per job, including building the population. Seeds
// cycle through 0..7 so that the figure is a mean over the seed's default
// seeds rather than one episode's. Items are agent-turns (citizens x turns);
// `episode_time` is the time per episode.
#include <benchmark/benchmark.h>

#include <string>

#include "bench_support.h"
#include "fable/detector.h"
#include "fable/episode.h"

namespace fable::bench {
namespace {

constexpr int kTurns = 60;
constexpr std::uint64_t kSeeds = 8;

void BM_Episode(benchmark::State& state, const std::string& matchup) {
  const MatchupSpec m = bench_matchup(matchup);
  const Kernel& kernel = kernel_v01();
  const DetectorSuite suite = default_suite();
  EpisodeOptions options;
  options.turns = kTurns;
  options.matchup = m.name;
  std::uint64_t seed = 0;
  for (auto _ : state) {
    Population agents = m.build_agents();
    EpisodeResult result = run_episode(kernel, agents, seed, options, suite);
    benchmark::DoNotOptimize(result.score.governance_score);
    benchmark::DoNotOptimize(result.findings.data());
    seed = (seed + 1) % kSeeds;
  }
  state.SetItemsProcessed(state.iterations() * m.roster.total() * kTurns);  // agent-turns
  state.counters["episode_time"] = benchmark::Counter(
      1.0, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.SetLabel(m.roster.to_string());
}

const bool registered = [] {
  for (const MatchupSpec& m : default_matchups()) {
    benchmark::RegisterBenchmark(("BM_Episode/" + m.name).c_str(), BM_Episode, m.name);
  }
  return true;
}();

}  // namespace
}  // namespace fable::bench
