// Micro-benchmark of one turn: `Environment::step` with realistic plans.
//
// The plans are those of a recorded episode (seed 0, kernel v0.1, 60 turns;
// bench_support.h rebuilds them from the trace's scripts), so each turn sees
// the proposals, ballots, delegations and transfers the agents really made.
// An iteration resets the environment and plays all 60 turns: the figures are
// per turn (`turn_time`) and per agent-turn (items), with one reset per 60
// turns included. Agents' planning is not timed here; the episode benchmark
// times it.
#include <benchmark/benchmark.h>

#include <string>

#include "bench_support.h"

namespace fable::bench {
namespace {

void BM_Step(benchmark::State& state, const std::string& matchup) {
  const EpisodeTrace& trace = recorded_episode(matchup).trace;
  const TurnPlans plans = recorded_plans(trace);
  const std::unique_ptr<Environment> env = environment_for(trace);
  const auto turns = static_cast<std::int64_t>(plans.size());
  const auto citizens = static_cast<std::int64_t>(trace.participants.size());
  for (auto _ : state) {
    env->reset();
    for (const std::vector<Plan>& turn_plans : plans) env->step(turn_plans);
    benchmark::DoNotOptimize(env->digests().back());
  }
  state.SetItemsProcessed(state.iterations() * turns * citizens);  // agent-turns
  state.counters["turn_time"] =
      benchmark::Counter(static_cast<double>(turns), benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
  state.SetLabel(std::to_string(citizens) + " citizens, " + std::to_string(turns) +
                 " turns per iteration");
}

const bool registered = [] {
  for (const std::string m : {"mixed-capture", "scale-100", "scale-1000"}) {
    benchmark::RegisterBenchmark(("BM_Step/" + m).c_str(), BM_Step, m);
  }
  return true;
}();

}  // namespace
}  // namespace fable::bench
