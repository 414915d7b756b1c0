// Micro-benchmarks of the detector suite and of scoring over a recorded trace.
//
// `default_suite().run(trace)` and `score_episode(trace)` on the seed-0
// episode (kernel v0.1, 60 turns) of each red-team matchup and of a
// 1000-citizen matchup shaped like mixed-capture: the per-episode analysis a
// tournament does after playing. Items are the trace's agent-turns.
#include <benchmark/benchmark.h>

#include <string>

#include "bench_support.h"
#include "fable/detector.h"
#include "fable/metrics.h"

namespace fable::bench {
namespace {

std::int64_t agent_turns(const EpisodeTrace& trace) {
  return static_cast<std::int64_t>(trace.participants.size()) * trace.turns();
}

void BM_Detectors(benchmark::State& state, const std::string& matchup) {
  const EpisodeTrace& trace = recorded_episode(matchup).trace;
  const DetectorSuite suite = default_suite();
  const std::size_t findings = suite.run(trace).size();
  for (auto _ : state) {
    std::vector<ExploitFinding> out = suite.run(trace);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * agent_turns(trace));
  state.SetLabel(std::to_string(findings) + " findings, " + std::to_string(suite.names().size()) +
                 " detectors");
}

void BM_Score(benchmark::State& state, const std::string& matchup) {
  const EpisodeTrace& trace = recorded_episode(matchup).trace;
  for (auto _ : state) {
    EpisodeScore score = score_episode(trace);
    benchmark::DoNotOptimize(score.governance_score);
  }
  state.SetItemsProcessed(state.iterations() * agent_turns(trace));
}

const bool registered = [] {
  for (const std::string m : {"drain", "entrench", "suppress", "mixed-capture", "scale-1000"}) {
    benchmark::RegisterBenchmark(("BM_Detectors/" + m).c_str(), BM_Detectors, m);
    benchmark::RegisterBenchmark(("BM_ScoreEpisode/" + m).c_str(), BM_Score, m);
  }
  return true;
}();

}  // namespace
}  // namespace fable::bench
