// Episode traces: what detectors and metrics read, and what is saved to disk.
//
// A TurnSnapshot is an immutable picture of the world after reset (turn 0) and
// after each turn: treasury, each citizen's balance, standing, offices,
// council seat, voting weight and welfare. An EpisodeTrace is everything that
// is needed to score an episode and run the detectors without the engine: the
// seed, the kernel (its full document text, so a saved trace re-loads it),
// the engine settings, the citizens with their roles and objectives, one
// snapshot per turn, every normalised event (a refused action with what was
// attempted), every proposal's contents, and the digest sequence. Traces round-trip through JSON
// byte for byte (docs/trace-format.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fable/agent.h"
#include "fable/engine.h"
#include "fable/event.h"
#include "fable/kernel.h"
#include "fable/status.h"
#include "fable/world.h"

namespace fable {

// /3: a refused action keeps what was attempted (docs/trace-format.md).
// /2 traces (the same but for that payload) are still read, and written back as
// /2; /1 traces carried byte-wise digests that no longer match a re-run, and
// are refused.
inline constexpr std::string_view kTraceSchema = "fable-trace/3";
inline constexpr std::string_view kTraceSchemaNoPayload = "fable-trace/2";

struct CitizenSnapshot {
  Money balance = 0;
  double welfare = 0.0;  // in [0, 1], see docs/metrics.md
  std::int32_t weight =
      0;  // ballots it would carry now if it voted (1 + delegated), 0 off the roll
  std::uint8_t offices = 0;
  bool on_roll = false;
  bool exited = false;
  bool council = false;
};

struct TurnSnapshot {
  std::int32_t turn = 0;
  std::int32_t epoch = 0;
  Money treasury = 0;
  std::int32_t roll_size = 0;
  bool emergency_active = false;
  std::vector<CitizenSnapshot> citizens;

  static TurnSnapshot from_state(const WorldState& world);
  // The same picture written over this one: `citizens` keeps its storage.
  void assign(const WorldState& world);
};

struct ParticipantInfo {
  std::string id;
  AgentRole role;  // the role it plays (a scripted stand-in: the role it replaces)
  std::string objective;
};

// The contents of a proposal, as opened (outcome is in the events).
struct ProposalInfo {
  std::int32_t id = 0;
  AgentIndex proposer = kNoAgent;
  std::int32_t opened_turn = 0;
  std::int32_t ordinal = 0;
  std::int32_t last_turn = 0;
  std::int32_t window = 0;  // as requested; 0 = kernel default
  std::vector<ProposalItem> items;
};

struct EpisodeTrace {
  std::string matchup;
  std::uint64_t seed = 0;
  std::string engine_version;
  EngineSettings settings;
  // How the honest citizens behaved (fable/population.h); in the JSON only
  // when not naive.
  PopulationModel population;
  Money initial_treasury = 0;
  std::optional<Kernel> kernel;               // the kernel at the start of the episode
  std::vector<ParticipantInfo> participants;  // index == AgentIndex
  std::vector<TurnSnapshot> snapshots;        // [0] after reset, [t] after turn t
  std::vector<Event> events;
  std::vector<ProposalInfo> proposals;
  // False for a trace read from fable-trace/2: its refused actions carry only
  // their kind (and the proposal addressed), not what was attempted.
  bool refusal_payloads = true;
  // Contents of each refused `propose`, addressed by its event's `attempt`.
  std::vector<RefusedProposal> refused_proposals;
  std::vector<std::uint64_t> digests;

  int turns() const { return static_cast<int>(snapshots.size()) - 1; }
  // How long each append-only list is now (see assign_after).
  struct Lengths {
    std::size_t snapshots = 0;
    std::size_t events = 0;
    std::size_t proposals = 0;
    std::size_t refused_proposals = 0;
    std::size_t digests = 0;
  };
  Lengths lengths() const;
  // Becomes `other`, as `*this = other` would, keeping the first `kept`
  // entries of each append-only list as they are and copying only the rest
  // (with kept == other.lengths() the lists are cut back). REQUIRES: both traces
  // record the same episode (the fields set at its start are equal: they
  // are not copied) and their lists agree on those first entries (both
  // descend from one point where the lists had these lengths).
  void assign_after(const EpisodeTrace& other, const Lengths& kept);
  // Parameters in force after the last turn: the start kernel's, with every
  // amendment_in_force event applied (the defaults if there is no kernel).
  Params final_params() const;
  // Indices of participants with a red-team role.
  std::vector<AgentIndex> red_team() const;
};

// Storage of finished traces kept for the next ones (fable/episode_scratch.h):
// each turn's citizens and each proposal's items, emptied but with their
// capacity. A recorder given spares takes its vectors from here before it
// allocates.
struct TraceSpares {
  std::vector<std::vector<CitizenSnapshot>> citizens;
  std::vector<std::vector<ProposalItem>> items;

  // Moves the citizens of every snapshot and the items of every proposal of
  // `trace` here (emptied), then empties `trace.snapshots` and
  // `trace.proposals` (which keep their capacity). Nothing else changes.
  void take_from(EpisodeTrace& trace);
};

// Records a trace while an Environment plays: snapshot 0 at construction,
// then after_step() after every env.step(). With `spares` (not null, used by
// this recorder alone while it records) the per-turn and per-proposal
// vectors come from there: the trace is the same.
class TraceRecorder {
 public:
  TraceRecorder(EpisodeTrace& trace, const Environment& env, TraceSpares* spares = nullptr);
  // Continues `trace`, already recorded up to the current state of `env` (or
  // of the environment `env` is a copy of): records nothing now; the next
  // after_step() records the next turn. For episodes saved and continued
  // (EpisodePlay's copies).
  static TraceRecorder resume(EpisodeTrace& trace, const Environment& env);
  void after_step();

 private:
  TraceRecorder(EpisodeTrace& trace, const Environment& env, std::size_t events_seen)
      : trace_(trace), env_(env), events_seen_(events_seen) {}
  void record_snapshot();
  EpisodeTrace& trace_;
  const Environment& env_;
  std::size_t events_seen_ = 0;
  TraceSpares* spares_ = nullptr;
};

// Ballots each citizen would carry now if it voted and every delegator stayed
// silent: 1 + delegated weight (within the kernel's depth and cap) for citizens
// on the roll who do not delegate; 0 for delegators and citizens off the roll.
std::vector<std::int32_t> voting_weights(const WorldState& world);

// JSON with sorted keys and fixed number formatting: the same trace always
// gives the same bytes.
std::string trace_to_json(const EpisodeTrace& trace);
Result<EpisodeTrace> trace_from_json(std::string_view text, std::string_view source_name);

}  // namespace fable
