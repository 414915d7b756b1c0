// run_episode: one governance game from reset to scoring, as in the seed.
//
// Builds the environment for the agents' ids, asks each agent for a plan every
// turn (each with its own random stream derived from (seed, agent id)), steps
// the engine, hands the fresh events to every agent, records a snapshot per
// turn, then scores the trace and runs the detector suite (which reads the
// score rather than working it out again).
//
// EpisodePlay is the same loop one turn at a time, for a search that saves an
// episode after some turn and continues copies of it in different ways (the
// hunt's lookahead and prefix reuse): a copy holds the world, the trace so
// far, every agent's random stream and the red team's view; the agents
// themselves are the caller's (Agent::clone copies them). run_episode is
// EpisodePlay played to the end, so both give the same trace bit for bit.
//
// Both have a form taking an EpisodeScratch (fable/episode_scratch.h): the
// result is built in the storage of results recycled into it, for a thread
// that plays episode after episode; the result is the same.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fable/agent.h"
#include "fable/detector.h"
#include "fable/engine.h"
#include "fable/kernel.h"
#include "fable/metrics.h"
#include "fable/population.h"
#include "fable/trace.h"

namespace fable {

class EpisodeScratch;

inline constexpr std::string_view kEngineVersion = "fable-engine/1";

struct EpisodeResult {
  std::string matchup;
  std::uint64_t seed = 0;
  EpisodeScore score;
  std::vector<ExploitFinding> findings;
  EpisodeTrace trace;
  // Text made from this result by the thread that played it, for whoever
  // consumes it: a tournament's workers put the episode file's JSON here when
  // that file is kept (docs/tournament-format.md), so that the one thread
  // writing files in job order only writes bytes. Empty otherwise;
  // run_episode leaves it empty.
  std::string rendered;
};

struct EpisodeOptions {
  int turns = 60;
  Money initial_treasury = 1000 * kMoneyScale;
  EngineSettings settings;
  std::string matchup = "ad-hoc";
  PopulationModel population;  // how honest citizens behave (fable/population.h)
};

class EpisodePlay {
 public:
  // Turn 0 of an episode of `agents` (their ids and the roles they play fix
  // the environment and the trace's participants; the agents are not kept).
  // REQUIRES: agents non-empty with unique ids.
  EpisodePlay(const Kernel& kernel, const Population& agents, std::uint64_t seed,
              const EpisodeOptions& options);
  // The same, with the trace and result in the storage of results recycled
  // into `scratch`, which must outlive this play and serve no other play
  // until it is finished. A copy or a move of this play does not use it.
  EpisodePlay(const Kernel& kernel, const Population& agents, std::uint64_t seed,
              const EpisodeOptions& options, EpisodeScratch& scratch);
  EpisodePlay(const EpisodePlay& other);
  EpisodePlay(EpisodePlay&& other) noexcept;
  // Becomes a copy of `other`, reusing this object's storage (the trace's
  // vectors keep their capacity): a search that tries many one-turn
  // continuations of saved episodes copies each into the same scratch
  // episode without allocating once it has grown. When the two plays share
  // their first turns (both descend, through copies and turns played, from
  // the state one of them reached after turn s) the append-only histories
  // of turns 0..s are kept as they are and only the later turns copied:
  // copying a saved state into a scratch episode that last held a state of
  // the same search costs the turns since their common ancestor, not the
  // whole episode. Same result either way.
  EpisodePlay& operator=(const EpisodePlay& other);
  // How many of the states after turns 0, 1, ... this play and `other` share
  // (0: none, as for plays made apart; turn() + 1: `other` has reached this
  // play's state). operator= copies the turns after those.
  std::size_t states_shared_with(const EpisodePlay& other) const;
  EpisodePlay& operator=(EpisodePlay&&) = delete;
  // Becomes `origin` again, as `*this = origin` would: the same state, the
  // same trace. REQUIRES: this play is a copy of `origin` (copy-constructed
  // or copy-assigned) that has only played turns since, and `origin` has not
  // changed. This is operator= where origin's histories are all shared:
  // what is append-only (the trace's lists, the engine's event log and
  // digests) is cut back to origin's lengths, not copied.
  void rewind_to(const EpisodePlay& origin);
  ~EpisodePlay();

  int turn() const { return env_.state().turn; }  // turns played
  bool done() const { return turn() >= turns_; }  // options.turns played
  const WorldState& world() const { return env_.state(); }
  const EpisodeTrace& trace() const { return result_.trace; }

  // Plays the next turn: asks every agent of `agents` (the same ids, in the
  // same order as at construction, each in the state the episode left it
  // in) for a plan, steps the engine, delivers the fresh events and records
  // the turn. REQUIRES: !done().
  void play_turn(Population& agents);

  // Runs `suite` on the trace, scores it, and hands over the result; the
  // play is spent afterwards. With FindingTexts::kSkip the findings may come
  // without their texts (fable/detector.h).
  EpisodeResult finish(const DetectorSuite& suite, FindingTexts texts = FindingTexts::kWrite);
  // The same findings, for a caller that reads nothing of the score but the
  // red team's objectives and capture flags (the hunt): the result's score
  // has those, and its other fields are score_episode's only when a detector
  // of the suite read them on this trace (Detector::score_use,
  // LazyEpisodeScore), zero otherwise. Saves a pass over the trace whenever
  // no detector reads more.
  EpisodeResult finish_scoring_as_read(const DetectorSuite& suite, FindingTexts texts);

 private:
  EpisodePlay(const Kernel& kernel, const Population& agents, std::uint64_t seed,
              const EpisodeOptions& options, EpisodeResult storage, TraceSpares* spares);
  // The result, once scored; the play is spent.
  EpisodeResult hand_over();

  EpisodeResult result_;  // matchup, seed and the trace so far
  Environment env_;
  std::optional<TraceRecorder> recorder_;  // bound to result_.trace and env_
  std::vector<Rng> rngs_;
  std::vector<AgentIndex> red_;
  TeamView team_;
  std::vector<Plan> plans_;
  PopulationModel population_;
  std::vector<AgentIndex> honest_;  // participants playing the honest role
  // By turn 0..turn(): which state the play reached after that turn (an id
  // drawn from a process-wide counter when the turn was played, or the play
  // made; a copy keeps the ids, so equal ids mean the same state and the
  // same histories up to it) and the lengths of the histories then. Empty
  // once finished. What operator= compares to find the turns two plays share.
  struct Lengths {
    EpisodeTrace::Lengths trace;
    WorldState::Kept world;  // the log's and refused proposals' lengths, closed_prefix()
    std::size_t digests = 0;
  };
  std::vector<std::uint64_t> lineage_;
  std::vector<Lengths> lengths_;
  void mark_turn();  // appends the state just reached to lineage_ and lengths_
  int turns_ = 0;
  int plan_length_ = 0;
};

// REQUIRES: agents non-empty with unique ids.
// `texts` as EpisodePlay::finish.
EpisodeResult run_episode(const Kernel& kernel, Population& agents, std::uint64_t seed,
                          const EpisodeOptions& options, const DetectorSuite& suite,
                          FindingTexts texts = FindingTexts::kWrite);
// The same, played in the storage of `scratch` (EpisodePlay's form above):
// the same result. Recycle it into `scratch` once done with it.
EpisodeResult run_episode(const Kernel& kernel, Population& agents, std::uint64_t seed,
                          const EpisodeOptions& options, const DetectorSuite& suite,
                          FindingTexts texts, EpisodeScratch& scratch);

}  // namespace fable
