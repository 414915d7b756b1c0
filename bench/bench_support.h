// Shared set-up for the micro-benchmarks: the kernel, recorded episodes, and
// realistic worlds rebuilt from them.
//
// Benchmarks need realistic inputs without reaching into the agents: an
// episode is played once with run_episode (seed 0, kernel v0.1), every
// agent's script is recovered from its trace with extract_script, and the
// scripts become per-turn plans that drive a fresh Environment through the
// same turns. The engine is deterministic, so these worlds are the episode's
// worlds, up to refused actions whose payload a trace does not keep (those
// change nothing but the log). Set-up failures abort with a message: a
// benchmark that cannot build its input must not print a figure.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fable/action.h"
#include "fable/engine.h"
#include "fable/episode.h"
#include "fable/kernel.h"
#include "fable/tournament.h"
#include "fable/world.h"

namespace fable::bench {

[[noreturn]] void die(const std::string& message);

// kernels/kernel-v0.1.yaml of the source tree, loaded once.
const Kernel& kernel_v01();

// A default matchup by name, or "scale-<citizens>" (tournament/throughput.h).
MatchupSpec bench_matchup(std::string_view name);

// The episode of `matchup` at seed 0 with `turns` turns, played once and kept.
const EpisodeResult& recorded_episode(std::string_view matchup, int turns = 60);

// plans[t][i]: citizen i's plan for turn t + 1, rebuilt from the trace.
using TurnPlans = std::vector<std::vector<Plan>>;
TurnPlans recorded_plans(const EpisodeTrace& trace);

// An environment set up as the trace's was, after reset (ready for turn 1).
std::unique_ptr<Environment> environment_for(const EpisodeTrace& trace);

// A world between two turns of a recorded episode, with actors for the
// typical actions: `voter` may vote on open proposal `proposal`, `payer` holds
// funds it may transfer to `payee`, `proposer` may open a spend proposal.
struct MidEpisode {
  explicit MidEpisode(WorldState w) : world(std::move(w)) {}
  WorldState world;
  std::int32_t proposal = -1;
  AgentIndex voter = kNoAgent;
  AgentIndex proposer = kNoAgent;
  AgentIndex payer = kNoAgent;
  AgentIndex payee = kNoAgent;
  Money transfer_amount = 0;
  Action vote;
  Action propose;
  Action transfer;
};

// The world after the turn of the recorded episode where a vote is legal,
// preferring worlds where the spend proposal and the transfer are legal too,
// then the turn nearest `near_turn`.
MidEpisode mid_episode(std::string_view matchup, int near_turn);

// "legal", or "refused: <refusal code>".
std::string ruling_label(const Ruling& ruling);

}  // namespace fable::bench
