// Internal: the hunt's lookahead — a beam search over the coalition's moves,
// turn by turn, from saved worlds.
//
// A state is an episode after t turns with every agent's state (a Snapshot,
// executor.h). One pass starts from turn 0 with a single state and, for each
// turn, expands every state of the beam by a bounded set of coalition moves
// for the next turn, plays that turn from a copy of the state (the honest
// citizens and any other roles act as usual), and keeps the best `width`
// children:
//   * candidates of a state (at most `branching`, drawn from a stream
//     derived from (seed, pass, turn, the state's rank)): the first is to do
//     nothing; each other is one action of the state's lead attacker for the
//     turn (one on the roll, drawn once) drawn uniformly among the legal
//     actions of the state's world (LegalMoveSampler), a proposal
//     possibly composed with further items (as the evolution composes them);
//     a proposal brings every other attacker's yes ballot in plan position 1
//     and, for half of the proposals when plans are at least 3 long, the
//     lead's call of the question in position 2 (the coalition acting in one
//     turn, before anyone else can vote);
//     (Children are probed first: Executor::probe plays the turn in a
//     scratch episode, copied from the state or rewound to it when it last
//     probed a sibling, and reads the state's ObjectiveProgress on by one
//     turn; only the children kept are extended into states. Without
//     agent copies every child is extended at once. Same results.)
//   * children that reach a world already reached this turn (same state
//     digest) are dropped, the first kept;
//   * ranking: the pursued objective's value after the turn (higher first),
//     then how many detectors that had not fired in the hunt fire on the
//     child's parent's trace (more first; DetectorSuite::firing runs only
//     those detectors and computes no fingerprint) — the detectors
//     read the kept states of each turn, not every child, and a state only
//     when one of its children ties on the pursued value with another
//     state's child and fewer than `width` children have a higher value:
//     elsewhere this key cannot change the order or the states kept — then
//     the sum of all objective values, then a key drawn per child from the
//     pass's stream; the sort is stable.
// At the last turn the kept states are complete playouts: each is scored like
// an evolution execution (objectives, features, detector findings) and
// handed back, best first; their moves replay from turn 1 like any genome.
//
// Budget. Every turn played from a state counts 1/turns of an execution: a
// pass costs max(ceil(turns played / turns), playouts returned) executions,
// at most width x branching. The pursued objective is the config's, or for
// `any` the objective numbered pass mod 7.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fable/episode.h"
#include "fable/objectives.h"
#include "hunt/executor.h"
#include "hunt/worker_pool.h"

namespace fable::hunt {

struct BeamSettings {
  int width = 8;      // states kept per turn, >= 1
  int branching = 8;  // candidates per state, >= 1 (the first is to do nothing)
  int turns = 30;
  int plan_length = 3;
  std::uint64_t seed = 0;
  std::optional<Objective> objective;  // nullopt: rotate by pass
};

struct BeamPlayout {
  Execution execution;
  std::unique_ptr<EpisodeResult> episode;  // kept only when it has findings
};

struct BeamPassResult {
  std::vector<BeamPlayout> playouts;  // best first
  std::uint64_t turns_played = 0;
  std::uint64_t executions = 0;  // what the pass costs in the budget
};

// What the hunt has found before a pass: the names of the detectors that
// have fired, sorted and distinct.
struct BeamKnown {
  std::vector<std::string> detectors;
};

// One pass numbered `pass`. `executors` has one entry per worker of `pool`.
BeamPassResult run_beam_pass(const BeamSettings& settings, std::uint64_t pass,
                             const BeamKnown& known,
                             std::vector<std::unique_ptr<Executor>>& executors, WorkerPool& pool);

}  // namespace fable::hunt
