// Micro-benchmark of `tally()`: an open spend proposal with ballots cast, for
// 10, 100 and 1000 citizens.
//
// The world is built by the engine from hand-written plans on kernel v0.1:
// turn 1, citizen 0 opens a spend proposal with a 5-turn window and every
// citizen i with i % 5 in {3, 4} delegates to i - 1 (chains of depth 1 and 2);
// turn 2, everybody else votes (no when i % 7 == 0, abstain when i % 7 == 1,
// yes otherwise). The proposal is still open when it is tallied, so the count
// walks every ballot and delegation chain, as the engine's tally does.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench_support.h"
#include "fable/tally.h"

namespace fable::bench {
namespace {

std::unique_ptr<Environment> voted_world(int citizens) {
  std::vector<std::string> ids;
  for (int i = 0; i < citizens; ++i) ids.push_back(fmt::format("citizen-{:04d}", i));
  auto env = std::make_unique<Environment>(kernel_v01(), std::move(ids), 1000 * kMoneyScale, 0);
  env->reset();
  const auto n = static_cast<std::size_t>(citizens);
  const auto delegates = [](std::size_t i) { return i >= 3 && (i % 5 == 3 || i % 5 == 4); };
  std::vector<Plan> plans(n);
  plans[0].push_back(Action::propose({ProposalItem::spend(1, 10 * kMoneyScale)}, 5));
  for (std::size_t i = 0; i < n; ++i) {
    if (delegates(i)) plans[i].push_back(Action::delegate(static_cast<AgentIndex>(i - 1)));
  }
  env->step(plans);
  for (std::size_t i = 0; i < n; ++i) {
    plans[i].clear();
    if (delegates(i)) continue;
    const Choice c = i % 7 == 0 ? Choice::kNo : i % 7 == 1 ? Choice::kAbstain : Choice::kYes;
    plans[i].push_back(Action::vote(ProposalRef::by_id(0), c));
  }
  env->step(plans);
  const WorldState& w = env->state();
  if (w.proposals.empty() || w.proposals[0].status != ProposalStatus::kOpen) {
    die(fmt::format("tally world with {} citizens: the proposal is not open after two turns",
                    citizens));
  }
  return env;
}

void BM_Tally(benchmark::State& state) {
  const int citizens = static_cast<int>(state.range(0));
  const std::unique_ptr<Environment> env = voted_world(citizens);
  const WorldState& w = env->state();
  const Proposal& proposal = w.proposals[0];
  const TallyOutcome expected = tally(w, proposal);
  for (auto _ : state) {
    TallyOutcome outcome = tally(w, proposal);
    benchmark::DoNotOptimize(outcome);
  }
  state.SetItemsProcessed(state.iterations() * citizens);  // citizens counted
  state.SetLabel(fmt::format("yes {} no {} abstain {} of {} eligible", expected.count.yes,
                             expected.count.no, expected.count.abstain, expected.count.eligible));
}

BENCHMARK(BM_Tally)->Arg(10)->Arg(100)->Arg(1000);

}  // namespace
}  // namespace fable::bench
