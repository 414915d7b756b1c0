// Hunt: a search-based red team that finds holes nobody told it about.
//
// The roster names how many citizens of each role play; the `attacker`
// citizens form the coalition whose moves the search chooses, from the legal
// moves of the world (include/fable/legal_moves.h) — no hand-written tactic
// is involved; everyone else (honest citizens, any other role) is the
// environment. Two strategies (docs/hunt-format.md):
//   * evolve: coverage-guided evolution over coalition scripts, as a fuzzer
//     evolves inputs: a corpus of scripts; each execution takes a parent
//     (often the best so far for the objective pursued), deletes, splices or
//     keeps its moves, and inserts fresh legal moves at random turns (a
//     proposal brings the allies' yes ballots); an execution that shows a
//     new coverage feature (src/hunt/features.h: rules touched, tally
//     margins, amendments, objective progress, findings) or beats the best
//     value of an objective joins the corpus. A child that agrees with its
//     parent before turn d starts from a world saved during its parent's
//     play (after a turn before d) instead of from turn 1, when the parent
//     has such snapshots (src/hunt/executor.h); results are the same.
//   * beam: a lookahead over turn-by-turn coalition moves from saved worlds,
//     keeping the states with the best objective progress
//     (src/hunt/beam.h); its complete playouts are executions like the
//     evolution's and join the same corpus.
//   * both (the default): the two in alternation, one evolution generation
//     (`batch` executions) then one beam pass (at most beam_width x
//     beam_branching executions), and so on until the budget is spent.
// Objectives (include/fable/objectives.h) score every execution; the
// detector suite turns what it sees into findings, deduplicated by
// fingerprint into ordinary exploit records whose perpetrators are the
// attackers, replayable with `replay`.
//
// Islands (docs/distributed.md): with a communicator of N > 1 ranks, each
// rank hunts as an island with its share of the budget (budget / N, the
// first budget % N ranks one more) and its own search streams (rank 0 those
// of a one-process hunt, rank r > 0 those of seed derive_seed(seed,
// "hunt/island/r")), on the same episode seed, so every island plays the same
// environment. After every `migrate_every` generations the islands exchange
// the best script of each objective, and each adopts those that beat its own
// best; an island whose budget is spent keeps joining the exchanges until
// all are done. Rank 0 then merges the islands: executions add up, features
// are the union, each objective's best is the best over islands (ties to the
// shorter script, then the lower rank), and findings are deduplicated by
// fingerprint over all islands in rank order. Same config and rank count =>
// byte-identical result, with any number of threads per rank.
//
// Determinism: the budget is counted in executions (a beam pass counts one
// execution per `turns` turns it plays), run in generations whose random
// draws come from streams derived from (seed, execution or pass number);
// results are merged in execution order. Same config => byte-identical
// result with any number of threads and with or without prefix reuse. Every
// execution plays the same episode seed, so the environment is fixed and
// only the coalition's moves vary. A time limit (time_limit_seconds) stops
// the hunt between generations once exceeded: the result then depends on
// the machine and is reported as not reproducible.
//
// Checkpoints (docs/resume.md, "Hunts"): between two generations a hunt's
// whole state (executions and generations done, the corpus, the best of each
// objective, the features, the findings, the coverage) can be handed to
// HuntConfig::checkpoint as bytes, and a hunt given those bytes in
// HuntConfig::resume_from goes on from there and returns the result, byte for
// byte, of a hunt never stopped. One process only, without a time limit. The
// corpus only grows, and is most of the state (tens of MB at the default
// budget): each checkpoint carries the entries added since the one before,
// to be appended to what the earlier ones carried.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fable/agent.h"
#include "fable/coverage.h"
#include "fable/distributed.h"
#include "fable/engine.h"
#include "fable/kernel.h"
#include "fable/objectives.h"
#include "fable/record.h"
#include "fable/status.h"

namespace fable {

inline constexpr std::string_view kHuntSchema = "fable-hunt/1";
inline constexpr std::uint64_t kMaxHuntBudget = 100'000'000;  // executions
inline constexpr int kMaxHuntTurns = 1000;
inline constexpr int kMaxHuntThreads = 256;

enum class HuntStrategy : std::uint8_t { kEvolve, kBeam, kBoth };
std::string_view hunt_strategy_name(HuntStrategy s);  // "evolve", "beam", "both"
std::optional<HuntStrategy> find_hunt_strategy(std::string_view name);

inline constexpr int kMaxBeamWidth = 4096;
inline constexpr int kMaxBeamBranching = 4096;
inline constexpr std::uint64_t kMaxHuntCheckpointEvery = 1'000'000;  // generations

// A hunt's state after some generations, for a checkpoint. The bytes are
// opaque (read back only by run_hunt of the same build, through
// HuntConfig::resume_from; docs/resume.md gives their layout).
struct HuntCheckpointState {
  std::uint64_t executions = 0;      // executions done
  std::uint64_t generations = 0;     // generations (evolution batches and beam passes) done
  std::uint64_t corpus_entries = 0;  // corpus entries the state counts on
  // The corpus entries added since the previous call of this process (since
  // the resumed state, or all of them, at its first call), as bytes: the
  // corpus of the state is every corpus_added so far, concatenated.
  std::vector<std::byte> corpus_added;
  std::vector<std::byte> state;  // everything but the corpus
};
using HuntCheckpointFn = std::function<Status(const HuntCheckpointState&)>;

// What a hunt is resumed from: one checkpoint's `state`, and the corpus_added
// of that checkpoint and of every one before it, concatenated in order.
struct HuntResumeState {
  std::vector<std::byte> corpus;
  std::vector<std::byte> state;
  // Where each came from (e.g. the files' paths), for error messages:
  // "<origin>: malformed hunt corpus", "<origin>: malformed hunt checkpoint".
  // Empty: the messages say "the (corpus of the) checkpoint to resume from".
  std::string corpus_origin;
  std::string state_origin;
};

struct HuntConfig {
  Roster roster;                       // must name `attacker` at least once
  std::optional<Objective> objective;  // nullopt: any objective
  std::uint64_t budget = 20000;        // executions, >= 1
  std::uint64_t seed = 0;              // the search's and the episode's seed
  int threads = 1;                     // 1..kMaxHuntThreads; does not change the result
  int turns = 30;                      // per execution, 1..kMaxHuntTurns
  Money initial_treasury = 1000 * kMoneyScale;
  EngineSettings settings;
  PopulationModel population;  // honest citizens' behaviour (fable/population.h)
  int batch = 64;              // executions per generation, 1..4096
  HuntStrategy strategy = HuntStrategy::kBoth;
  int beam_width = 8;      // beam states kept per turn, 1..kMaxBeamWidth
  int beam_branching = 8;  // candidate moves per beam state, 1..kMaxBeamBranching
  // Wall-clock limit in seconds (> 0); nullopt: none. Makes the result
  // depend on the machine (reported as not reproducible).
  std::optional<double> time_limit_seconds;
  // Speed only: start evolution children from their parent's saved worlds.
  // The result is the same either way (tests compare the two).
  bool reuse_prefixes = true;
  // Count clause coverage (fable/coverage.h) over every complete episode
  // into HuntResult::coverage (the same counters as the search's features):
  // every evolution execution, whole (a resumed one with its prefix), and
  // every beam playout; not the partial states a beam pass prunes, so its
  // episodes can be fewer than `executions` (docs/coverage-format.md).
  bool coverage = false;
  // Islands across ranks (see the file comment); nullptr or one rank: one
  // hunt. Not owned; used by the calling thread only.
  Communicator* communicator = nullptr;
  // Generations (evolution batches or beam passes) between two exchanges
  // of the islands, 1..kMaxMigrateEvery. Changes nothing in one process.
  int migrate_every = 8;
  // Checkpoints (see the file comment). When set, in one process and
  // without a time limit (else never called), `checkpoint` is called on the
  // calling thread with the hunt's state when it starts (0 generations;
  // not when resuming), after every `checkpoint_every` generations
  // (1..kMaxHuntCheckpointEvery) and after the last, before run_hunt
  // returns. An error it returns ends the hunt with that error.
  HuntCheckpointFn checkpoint;
  std::uint64_t checkpoint_every = 8;
  // The checkpoint to go on from (HuntResumeState); nullptr: start afresh. The
  // config must be the one that hunt had (the threads and checkpoint
  // interval may differ). Errors: Status::Invalid with islands or a time
  // limit, or for bytes that are not a whole state (naming the corpus when
  // its part is at fault, else the state); Status::Precondition
  // for the state of another hunt (other settings or kernel).
  std::shared_ptr<const HuntResumeState> resume_from;
};

inline constexpr int kMaxMigrateEvery = 1'000'000;

// The best an objective reached over the hunt.
struct ObjectiveBest {
  Objective objective = Objective::kDrain;
  double value = 0.0;                     // in [0, 1]
  bool captured = false;                  // its capture predicate held
  std::uint64_t execution = 0;            // the first execution that reached it (1-based; 0: none)
  std::size_t moves = 0;                  // moves of that execution's script
  std::vector<std::string> fingerprints;  // findings of that execution
  int island = 0;                         // the rank whose execution it was (islands only)
};

// One island of a hunt across ranks, as rank 0 merged it.
struct IslandSummary {
  int rank = 0;
  std::uint64_t seed = 0;  // the island's search seed
  std::uint64_t budget = 0;
  std::uint64_t executions = 0;
  std::size_t corpus_size = 0;  // adopted scripts included
  std::size_t features = 0;
  std::uint64_t adopted = 0;  // scripts adopted from other islands
};

struct HuntResult {
  std::string kernel_name;
  std::string kernel_version;
  std::string kernel_hash;
  std::uint64_t executions = 0;
  std::size_t corpus_size = 0;
  std::size_t features = 0;      // distinct coverage features seen
  bool stopped_by_time = false;  // the time limit ended the hunt before the budget
  // Evolution executions started from a saved world of their parent rather
  // than from turn 1 (speed only; not in hunt.json).
  std::uint64_t resumed_executions = 0;
  std::array<ObjectiveBest, kObjectiveCount> best{};
  // One record per fingerprint, ordered as a tournament orders them, ids
  // EXP-001...; perpetrators are the attackers that acted.
  std::vector<ExploitRecord> records;
  // With HuntConfig::coverage: every clause's counters over all executions
  // (no settings; the caller adds them).
  std::optional<CoverageReport> coverage;
  // Across ranks: the islands in rank order (on rank 0; empty in one process
  // and on the other ranks, which hold their own island's result only).
  std::vector<IslandSummary> islands;
  int exchanges = 0;  // rounds of exchange in which some island was still hunting
};

struct HuntProgress {
  std::uint64_t executions = 0;
  std::uint64_t budget = 0;
  std::size_t corpus_size = 0;
  std::size_t findings = 0;  // distinct fingerprints so far
  std::array<double, kObjectiveCount> best{};
  std::vector<std::string> detectors;  // names of the detectors that fired so far, sorted
  std::uint64_t resumed_at = 0;        // executions done before a resumed hunt was taken up, else 0
};
using HuntProgressFn = std::function<void(const HuntProgress&)>;

// Checks the config (roster has attackers, ranges). Errors: Status::Invalid
// naming the field and what was expected.
Status check_hunt_config(const HuntConfig& config);

// Runs the hunt on `kernel`. Calls `progress` after every generation.
// Across ranks (config.communicator), every rank calls it with the same
// config; rank 0 returns the merged result, the others their island's.
// Errors: an invalid config; Status::Internal if an execution fails; across
// ranks, the first failure in rank order, on every rank.
Result<HuntResult> run_hunt(const Kernel& kernel, const HuntConfig& config,
                            const HuntProgressFn& progress = {});

// DIR/hunt.json (docs/hunt-format.md): schema, settings, executions, corpus
// and feature counts, and per objective the best value, whether it was
// captured and the execution that reached it; keys sorted, fixed float
// formatting; `record_ids` name the files the records were written as.
// With a time limit, settings.time_limit_seconds and a top-level
// `reproducible` (false when the limit ended the hunt) are added. Across
// ranks, settings.ranks and settings.migrate_every, each objective's
// `island`, and `islands` and `exchanges` are added.
std::string hunt_json(const HuntConfig& config, const HuntResult& result,
                      const std::vector<std::string>& record_ids);

}  // namespace fable
