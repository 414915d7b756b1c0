// run_episode: one governance game from reset to scoring, as in the seed.
//
// Builds the environment for the agents' ids, asks each agent for a plan every
// turn (each with its own random stream derived from (seed, agent id)), steps
// the engine, hands the fresh events to every agent, records a snapshot per
// turn, then scores the trace and runs the detector suite (which reads the
// score rather than working it out again).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fable/agent.h"
#include "fable/detector.h"
#include "fable/engine.h"
#include "fable/kernel.h"
#include "fable/metrics.h"
#include "fable/trace.h"

namespace fable {

inline constexpr std::string_view kEngineVersion = "fable-engine/1";

struct EpisodeResult {
  std::string matchup;
  std::uint64_t seed = 0;
  EpisodeScore score;
  std::vector<ExploitFinding> findings;
  EpisodeTrace trace;
};

struct EpisodeOptions {
  int turns = 60;
  Money initial_treasury = 1000 * kMoneyScale;
  EngineSettings settings;
  std::string matchup = "ad-hoc";
};

// REQUIRES: agents non-empty with unique ids.
EpisodeResult run_episode(const Kernel& kernel, Population& agents, std::uint64_t seed,
                          const EpisodeOptions& options, const DetectorSuite& suite);

}  // namespace fable
