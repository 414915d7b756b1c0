// Micro-benchmarks of the legality engine and of applying one action.
//
// The worlds are taken between two turns of a recorded episode (seed 0,
// kernel v0.1; see bench_support.h), after the turn nearest turn 30 where a
// vote, a spend proposal and a transfer are legal (the label says which turn
// and the ruling): `check_action` on each of the three, for an honest
// 6-citizen matchup, mixed-capture and a 1000-citizen matchup.
// Applying an action goes straight to the engine's internal transition,
// `detail::apply_action` from src/engine/transitions.h (not through
// Environment::step, whose end-of-turn work and digest would dominate): a
// legal transfer and its reverse are applied in each iteration and the two
// log entries dropped, so the world is the same at every iteration.
#include <benchmark/benchmark.h>

#include <string>

#include "bench_support.h"
#include "engine/transitions.h"
#include "fable/legality.h"

namespace fable::bench {
namespace {

constexpr int kMidTurn = 30;

enum class Typical { kVote, kPropose, kTransfer };

void BM_CheckAction(benchmark::State& state, const std::string& matchup, Typical which) {
  const MidEpisode mid = mid_episode(matchup, kMidTurn);
  const Action& action = which == Typical::kVote      ? mid.vote
                         : which == Typical::kPropose ? mid.propose
                                                      : mid.transfer;
  const AgentIndex actor = which == Typical::kVote      ? mid.voter
                           : which == Typical::kPropose ? mid.proposer
                                                        : mid.payer;
  const Ruling expected = check_action(mid.world, actor, action);
  for (auto _ : state) {
    Ruling r = check_action(mid.world, actor, action);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("turn " + std::to_string(mid.world.turn) + ", " + ruling_label(expected));
}

void BM_ApplyTransfer(benchmark::State& state, const std::string& matchup) {
  MidEpisode mid = mid_episode(matchup, kMidTurn);
  WorldState& w = mid.world;
  const Action there = Action::transfer(mid.payee, mid.transfer_amount, "bench");
  const Action back = Action::transfer(mid.payer, mid.transfer_amount, "bench");
  if (!check_action(w, mid.payer, there).legal()) {
    state.SkipWithError(
        ("no legal transfer: " + ruling_label(check_action(w, mid.payer, there))).c_str());
    return;
  }
  const std::size_t log_size = w.log.size();
  w.log.reserve(log_size + 2);
  for (auto _ : state) {
    detail::apply_action(w, mid.payer, there);
    detail::apply_action(w, mid.payee, back);
    w.log.resize(log_size);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(2 * state.iterations());
  state.SetLabel("turn " + std::to_string(w.turn) + ", 2 transfers per iteration");
}

const bool registered = [] {
  for (const std::string m : {"baseline-honest", "mixed-capture", "scale-1000"}) {
    benchmark::RegisterBenchmark(("BM_CheckAction/vote/" + m).c_str(), BM_CheckAction, m,
                                 Typical::kVote);
    benchmark::RegisterBenchmark(("BM_CheckAction/propose/" + m).c_str(), BM_CheckAction, m,
                                 Typical::kPropose);
    benchmark::RegisterBenchmark(("BM_CheckAction/transfer/" + m).c_str(), BM_CheckAction, m,
                                 Typical::kTransfer);
    benchmark::RegisterBenchmark(("BM_ApplyAction/transfer/" + m).c_str(), BM_ApplyTransfer, m);
  }
  return true;
}();

}  // namespace
}  // namespace fable::bench
