// Internal: one hunt execution — an episode in which the attackers play a
// genome, with moves inserted from the legal moves of the world reached.
//
// The episode is an ordinary run_episode: honest citizens and any other
// roles of the roster are the environment, each attacker is a search agent
// that plays the genome's moves of the turn at their plan positions (padding
// with pass, exactly as a ScriptedAgent replays a record), and at each
// insertion point picks a move from legal_actions() of the world as it stands
// (a proposal brings its allies' yes ballots in the next plan position). The
// moves actually played become the child genome, so a record made from it
// replays bit for bit. The draws of the search come from its own stream,
// never from an agent's, so the environment plays exactly as in replay.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fable/agent.h"
#include "fable/detector.h"
#include "fable/episode.h"
#include "fable/kernel.h"
#include "fable/objectives.h"
#include "hunt/genome.h"

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
  EpisodeScore score;
};

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
  // (trace, findings, score) for records.
  Execution run(const Genome& parent, const Mutation& mutation, std::uint64_t mutation_seed,
                EpisodeResult* episode = nullptr);

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
};

}  // namespace fable::hunt
