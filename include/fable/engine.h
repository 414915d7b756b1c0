// The turn engine: Environment(kernel, citizens, treasury, seed), reset, step.
//
// Mirrors the seed module's driver: `reset()` builds the initial world and
// `step(plans)` plays one turn (plans[i] is citizen i's plan) and returns the
// new state; events are read from `state().log`. The exact order of a turn is
// part of the contract and is written in docs/turn-engine.md:
//   1. turn += 1; a seeded shuffle fixes this turn's agent order;
//   2. actions, round by round: round r applies the r-th action of every
//      plan, agents in this turn's order; each is ruled on, then applied or
//      logged as action_rejected;
//   3. economy (engine settings): income_per_turn into the treasury, then the
//      stipend to each citizen not exited, in index order, while funds last;
//   4. epoch boundary (if turn is a multiple of epoch.turns): income, ledger
//      reset, epoch-start treasury, delegation expiry;
//   5. emergency tick and sunset;
//   6. tallies of every proposal whose window ended or whose question was
//      called, in opening order;
//   7. execution of passed proposals in opening order, then amendments whose
//      delay has run out;
//   8. the state digest is recorded.
// Randomness: the engine draws only the agent order, from its own stream
// derive_seed(seed, "engine/order"); agents get `agent_rng(seed, id)`.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "fable/action.h"
#include "fable/kernel.h"
#include "fable/random.h"
#include "fable/ruling.h"
#include "fable/world.h"

namespace fable {

struct EngineSettings {
  int plan_length = 3;        // actions per agent per turn, 1..kMaxPlanLength
  Money initial_balance = 0;  // each citizen's private funds at reset
  // The seed's economy (docs/turn-engine.md, step 3), kernel-independent; 0 = none.
  Money income_per_turn = 0;  // into the treasury at the end of every turn, 0..kMaxMoney
  Money citizen_stipend = 0;  // from the treasury to each citizen not exited, per turn
};

// The random stream of agent `agent_id` in the episode seeded `seed`.
Rng agent_rng(std::uint64_t seed, std::string_view agent_id);

class Environment {
 public:
  // REQUIRES: citizen ids unique and non-empty; settings.plan_length in range.
  Environment(Kernel kernel, std::vector<std::string> citizen_ids, Money initial_treasury,
              std::uint64_t seed, EngineSettings settings = {});

  const WorldState& reset();
  // REQUIRES: plans.size() == number of citizens.
  const WorldState& step(std::span<const Plan> plans);

  const WorldState& state() const { return world_; }
  std::span<const Event> events() const { return world_.log; }
  // Digest after reset (index 0) and after each turn.
  const std::vector<std::uint64_t>& digests() const { return digests_; }
  const EngineSettings& settings() const { return settings_; }
  std::uint64_t seed() const { return seed_; }

  // Ask the legality engine without acting.
  Ruling check(AgentIndex actor, const Action& action) const;

  // Becomes `other`, as `*this = other` would, keeping the world's parts
  // `kept` names (WorldState::assign_after) and the first `digests_kept`
  // digests as they are and copying the rest. REQUIRES: both environments
  // play the same episode (what is fixed at construction is equal: it is not
  // copied) and descend from one state where these were the lengths.
  void assign_after(const Environment& other, const WorldState::Kept& kept,
                    std::size_t digests_kept);

 private:
  Kernel initial_kernel_;
  std::vector<std::string> ids_;
  Money initial_treasury_;
  std::uint64_t seed_;
  EngineSettings settings_;
  WorldState world_;
  Rng order_rng_;
  std::vector<AgentIndex> order_;
  std::vector<std::int32_t> passed_;  // scratch: proposals passed this turn
  std::vector<std::uint64_t> digests_;
};

// Digest of everything that determines the future of the world (not the log).
std::uint64_t state_digest(const WorldState& world);

}  // namespace fable
