// Internal: one hunt execution — an episode in which the attackers play a
// genome, with moves inserted from the legal moves of the world reached.
//
// The episode is an ordinary episode (EpisodePlay, the loop of run_episode):
// honest citizens and any other roles of the roster are the environment,
// each attacker is a search agent that plays the genome's moves of the turn
// at their plan positions (padding with pass, exactly as a ScriptedAgent
// replays a record), and at each insertion point draws a move uniformly
// among the legal actions of the world as it stands (LegalMoveSampler,
// fable/legal_moves.h; a proposal brings its allies'
// yes ballots in the next plan position). The moves actually played become
// the child genome, so a record made from it replays bit for bit. The draws
// of the search come from its own stream, never from an agent's, so the
// environment plays exactly as in replay.
//
// Snapshots. An execution can save itself after chosen turns (a Snapshot:
// the EpisodePlay, copies of the environment's agents, the moves played so
// far) and another execution whose genome agrees with it before turn d can
// start from a snapshot taken after a turn s < d instead of from turn 1: the
// world, the agents and their random streams are those turn 1..s would
// rebuild, so the result is the same bit for bit. The lookahead (beam.h)
// extends snapshots one turn at a time. Snapshots need every environment
// agent to be copyable (Agent::clone); when one is not, `can_snapshot()` is
// false, the evolution replays from turn 1 and the lookahead rebuilds each
// state by replaying its moves from turn 1 (same results, slower).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fable/agent.h"
#include "fable/coverage.h"
#include "fable/detector.h"
#include "fable/episode.h"
#include "fable/episode_scratch.h"
#include "fable/kernel.h"
#include "fable/legal_moves.h"
#include "fable/objectives.h"
#include "hunt/genome.h"
#include "tournament/dedup.h"

namespace fable::hunt {

inline constexpr std::string_view kAttackerRole = "attacker";
inline constexpr std::string_view kHuntMatchup = "hunt";

struct ExecutionSetup {
  Kernel kernel;
  Roster roster;  // must name kAttackerRole at least once
  std::uint64_t episode_seed = 0;
  EpisodeOptions options;  // turns, treasury, engine settings, matchup
};

struct Execution {
  Genome genome;  // the moves the attackers played
  ObjectiveScores scores;
  std::vector<ExploitFinding> findings;
  std::vector<std::uint64_t> features;  // sorted, distinct
  ClauseCoverage coverage;              // of this episode; the features are made from it
};

// The attackers' moves up to a saved point, shared by a snapshot and every
// snapshot continued from it: a chain of links, each holding the moves
// played after the link before it (so extending a state one turn copies
// that turn's moves, not all of them).
struct PlayedMoves;
using PlayedPtr = std::shared_ptr<const PlayedMoves>;
struct PlayedMoves {
  PlayedMoves(PlayedPtr before_moves, std::vector<Move> tail);
  PlayedPtr before;         // the earlier moves, or null
  std::vector<Move> moves;  // the moves after before's, in play order
  std::size_t total = 0;    // moves in the whole chain
};

// Every move of the chain ending at `played` (null: none), from turn 1, in
// play order; the result has room for `spare` more.
Genome flatten(const PlayedMoves* played, std::size_t spare = 0);

// A saved point of an execution (see the file comment).
struct Snapshot {
  EpisodePlay play;   // after play.turn() turns
  Population agents;  // copies of the environment's agents, nullptr at attacker slots;
                      // empty when they cannot be copied
  PlayedPtr played;   // the attackers' moves of turns 1..play.turn() (null: none)
  // The attackers' objectives over play.trace(), read so far: set by
  // initial() and extend() (the lookahead's states), default elsewhere.
  ObjectiveProgress progress;
};
using SnapshotPtr = std::shared_ptr<const Snapshot>;

// Proposals of several items are composed from the single-item proposals of
// the grammar: with probability kComposeChance another move is drawn from
// `legal` (prepared for `self` in `world`) and, when it is a proposal, its
// item joins `proposal` (again and again, up to kMaxItems), kept only if the
// whole is legal for `self` in `world`. The evolution's insertions and the
// lookahead's candidates compose alike.
inline constexpr double kComposeChance = 0.3;
void compose_items(const WorldState& world, AgentIndex self, LegalMoveSampler& legal, Rng& rng,
                   Action& proposal);

class Controller;

// One per worker thread: owns a population and a detector suite, reused by
// every execution it runs.
class Executor {
 public:
  explicit Executor(const ExecutionSetup& setup);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Plays `parent` with `mutation`'s insertions, drawing from a stream
  // seeded `mutation_seed`. When `episode` is given it receives the episode
  // (trace, findings) for records; its score holds the red team's objectives
  // and capture flags, the rest only when a detector read it
  // (EpisodePlay::finish_scoring_as_read: the hunt reads no more). When
  // `from` is given the episode
  // starts from it: REQUIRES `parent` agrees with the execution `from` was
  // saved in up to turn from->play.turn() (its moves of those turns are
  // from->played) and no insertion is at or before that turn. After each
  // turn listed in `save_at` (ascending) a snapshot is appended to `saved`
  // (when can_snapshot()).
  Execution run(const Genome& parent, const Mutation& mutation, std::uint64_t mutation_seed,
                EpisodeResult* episode = nullptr, const Snapshot* from = nullptr,
                std::span<const int> save_at = {}, std::vector<SnapshotPtr>* saved = nullptr);

  // The state at turn 0, before anyone acts.
  Snapshot initial();

  // The lookahead's step: the state one turn after `from` (turn 0 when
  // null) in which the attackers play `moves` (all of that turn; sorted by
  // attacker and round). When `from` holds no agent copies the state is
  // rebuilt from turn 1 with from->played.
  Snapshot extend(const Snapshot* from, const std::vector<Move>& moves);

  // What extend(from, moves) would reach, without keeping it: the
  // attackers' objectives after the turn and the world's digest. Plays the
  // turn in this executor's scratch episode (no allocation once it has
  // grown); the lookahead probes every child and extends only those it
  // keeps. REQUIRES: from.agents not empty (can_snapshot()).
  struct Probe {
    ObjectiveScores scores;
    std::uint64_t digest = 0;
  };
  Probe probe(const Snapshot& from, const std::vector<Move>& moves);

  // Scores a state whose episode has played all its turns, as run() does.
  Execution finish(Snapshot state, EpisodeResult* episode = nullptr);

  // Takes back a state nobody reads any more (the lookahead's states of a
  // turn once the next turn's are made): its episode's storage receives the
  // next copy of a saved episode this executor makes (run() from a snapshot,
  // extend()), which then appends turns without moving its lists into new
  // storage. Storage only: no result depends on it. At most kMaxSparePlays
  // are kept; the others are freed.
  void recycle(Snapshot&& spent);
  static constexpr std::size_t kMaxSparePlays = 16;

  // The detectors that fire on a lookahead state's trace so far and are not
  // named in `known` (sorted ascending, distinct), in the suite's order:
  // DetectorSuite::firing(trace, score_of(state), known), with score_of's
  // score worked out only if a detector run reads more than the objectives
  // (LazyEpisodeScore). The lookahead's novelty key; `known` holds the
  // detectors that have fired in the hunt.
  std::vector<std::string_view> new_detectors(const Snapshot& state,
                                              std::span<const std::string> known) const;
  // The score new_detectors(state) hands the suite (as far as read):
  // score_episode(trace).
  // When the attackers are the whole red team it takes their objectives from
  // state.progress (the same bits) instead of reading the trace for them
  // again.
  EpisodeScore score_of(const Snapshot& state) const;

  // Whether every environment agent can be copied (snapshots possible).
  bool can_snapshot() const { return can_snapshot_; }

  // Citizen indices of the attackers, ascending (attacker k is attackers()[k]).
  const std::vector<AgentIndex>& attackers() const { return attackers_; }
  const std::vector<std::string>& ids() const { return ids_; }

 private:
  const ExecutionSetup& setup_;
  std::unique_ptr<Controller> controller_;
  Population population_;
  DetectorSuite suite_;
  std::vector<AgentIndex> attackers_;
  std::vector<std::string> ids_;
  std::vector<bool> is_attacker_;  // by citizen index
  bool can_snapshot_ = true;
  // Copies of the environment's agents as made, to refill population_ after
  // save_spent() moved its agents into a snapshot; nullptr at attacker slots.
  Population prototypes_;
  bool spent_ = false;  // population_'s environment slots are empty

  // A snapshot of `play` with copies of the agents and of the moves played.
  Snapshot save(EpisodePlay play) const;
  // The same, taking the agents and the moves themselves (no copies):
  // population_ is spent until restore() or refill().
  Snapshot save_spent(EpisodePlay play);
  void refill();
  void restore(const Snapshot& s);
  // The episode to play: a copy of `from`'s (the agents restored to it), or
  // a fresh one from turn 1 when `from` is null.
  std::optional<EpisodePlay> begin_play(const Snapshot* from);
  // The detectors run without texts (FindingTexts::kSkip); an episode handed
  // back gets them again when one of its findings is not ruled out by those
  // this executor saw before (DedupCandidates: every finding the hunt's dedup
  // keeps has its texts, as executions reach an executor in execution order).
  Execution score(EpisodeResult r, Genome played, EpisodeResult* episode);
  DedupCandidates candidates_;
  // The storage of the episodes this executor played and dropped, for the
  // next ones it plays from turn 1 (fable/episode_scratch.h).
  EpisodeScratch episodes_;
  // Episodes of spent states (recycle()), copied into by begin_play().
  std::vector<std::unique_ptr<EpisodePlay>> spare_plays_;
  // probe()'s scratch: an episode and objectives copied into, turn after turn
  // (a copy skips the turns the scratch shares with the state: EpisodePlay::
  // operator=; for the next child of the same state, all but the turn probed).
  std::optional<EpisodePlay> scratch_play_;
  ObjectiveProgress scratch_progress_;
  Mutation probe_none_;
};

}  // namespace fable::hunt
