// The hunt's search loop; see include/fable/hunt.h.
#include "fable/hunt.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <span>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "base/byte_io.h"
#include "base/hash.h"
#include "base/population_json.h"
#include "base/test_kill.h"
#include "fable/episode.h"
#include "hunt/beam.h"
#include "hunt/executor.h"
#include "hunt/island_wire.h"
#include "hunt/worker_pool.h"
#include "tournament/dedup.h"
#include "tournament/wire_parts.h"

namespace fable {

namespace {

using hunt::Execution;
using hunt::Executor;
using hunt::Genome;
using hunt::Mutation;

constexpr std::size_t kMaxCorpus = 4096;
constexpr int kMaxBatch = 4096;
constexpr int kMaxInsertions = 4;

struct CorpusEntry {
  Genome genome;
  ObjectiveScores scores;
};

// A child to run: its parent's moves after the pre-execution edits, the
// insertions to resolve online, and the stream they draw from.
struct Planned {
  Genome genome;
  Mutation mutation;
  std::uint64_t seed = 0;
  std::size_t parent = 0;  // corpus index
  int diverges = 0;        // the first turn at which it may play otherwise than its parent
  hunt::SnapshotPtr from;  // a saved world of the parent before `diverges`, if any
};

// Draws child `n` of the hunt from the corpus as it stood at the start of
// its generation.
Planned plan_child(const HuntConfig& cfg, const std::vector<CorpusEntry>& corpus,
                   const std::array<std::size_t, kObjectiveCount>& best_entry,
                   const std::vector<AgentIndex>& attackers, std::uint64_t n) {
  Rng rng(derive_seed(cfg.seed, fmt::format("hunt/child/{}", n)));
  const auto pursued = cfg.objective ? static_cast<std::size_t>(*cfg.objective)
                                     : static_cast<std::size_t>(n % kObjectiveCount);
  const std::size_t parent =
      rng.chance(0.5) ? best_entry[pursued] : static_cast<std::size_t>(rng.below(corpus.size()));
  Planned p;
  p.genome = corpus[parent].genome;
  p.parent = parent;
  p.diverges = cfg.turns + 1;
  const auto diverge_at = [&p](int turn) { p.diverges = std::min(p.diverges, turn); };
  p.seed = derive_seed(cfg.seed, fmt::format("hunt/moves/{}", n));
  const auto turn = [&] { return static_cast<int>(rng.between(1, cfg.turns)); };
  const auto attacker = [&] { return static_cast<int>(rng.below(attackers.size())); };
  int insertions = static_cast<int>(rng.between(1, kMaxInsertions));
  switch (rng.below(4)) {
    case 0:  // havoc: insertions only
      break;
    case 1: {  // delete one to three moves, insert at most one
      const int deletions = static_cast<int>(rng.between(1, 3));
      for (int i = 0; i < deletions && !p.genome.moves.empty(); ++i) {
        const auto at = static_cast<std::size_t>(rng.below(p.genome.moves.size()));
        diverge_at(p.genome.moves[at].turn);
        hunt::delete_move(p.genome, at, attackers);
      }
      insertions = static_cast<int>(rng.below(2));
      break;
    }
    case 2: {  // replace: a move gives way to a fresh one at its turn
      if (!p.genome.moves.empty()) {
        const auto i = static_cast<std::size_t>(rng.below(p.genome.moves.size()));
        const hunt::Insertion at{p.genome.moves[i].turn, p.genome.moves[i].attacker};
        diverge_at(at.turn);
        hunt::delete_move(p.genome, i, attackers);
        p.mutation.insertions.push_back(at);
        insertions = 0;
      }
      break;
    }
    default: {  // splice with another corpus entry
      const auto other = static_cast<std::size_t>(rng.below(corpus.size()));
      const int at = turn();
      diverge_at(at);
      p.genome = hunt::splice(p.genome, corpus[other].genome, at);
      insertions = 1;
      break;
    }
  }
  for (int i = 0; i < insertions; ++i) p.mutation.insertions.push_back({turn(), attacker()});
  for (const hunt::Insertion& ins : p.mutation.insertions) diverge_at(ins.turn);
  std::stable_sort(
      p.mutation.insertions.begin(), p.mutation.insertions.end(),
      [](const hunt::Insertion& a, const hunt::Insertion& b) { return a.turn < b.turn; });
  return p;
}

bool better(double value, std::size_t moves, const ObjectiveBest& best) {
  if (best.execution == 0) return true;
  if (value != best.value) return value > best.value;
  return moves < best.moves;
}

struct Outcome {
  Execution execution;
  std::unique_ptr<EpisodeResult> episode;  // kept only when it has findings
};

}  // namespace

std::string_view hunt_strategy_name(HuntStrategy s) {
  switch (s) {
    case HuntStrategy::kEvolve:
      return "evolve";
    case HuntStrategy::kBeam:
      return "beam";
    case HuntStrategy::kBoth:
      return "both";
  }
  return "both";
}

std::optional<HuntStrategy> find_hunt_strategy(std::string_view name) {
  for (HuntStrategy s : {HuntStrategy::kEvolve, HuntStrategy::kBeam, HuntStrategy::kBoth}) {
    if (hunt_strategy_name(s) == name) return s;
  }
  return std::nullopt;
}

Status check_hunt_config(const HuntConfig& c) {
  if (Status st = check_roster(c.roster); !st.ok()) return st;
  if (Status st = check_population(c.population); !st.ok()) return st;
  if (c.roster.count(hunt::kAttackerRole) < 1) {
    return Status::Invalid(
        fmt::format("roster: a hunt needs at least one '{}' (the coalition the search plays), "
                    "e.g. honest:9,attacker:11",
                    hunt::kAttackerRole));
  }
  if (c.budget < 1 || c.budget > kMaxHuntBudget) {
    return Status::Invalid(fmt::format("budget: expected 1..{} executions", kMaxHuntBudget));
  }
  if (c.threads < 1 || c.threads > kMaxHuntThreads) {
    return Status::Invalid(fmt::format("threads: expected 1..{}", kMaxHuntThreads));
  }
  if (c.turns < 1 || c.turns > kMaxHuntTurns) {
    return Status::Invalid(fmt::format("turns: expected 1..{}", kMaxHuntTurns));
  }
  if (c.batch < 1 || c.batch > kMaxBatch) {
    return Status::Invalid(fmt::format("batch: expected 1..{}", kMaxBatch));
  }
  if (c.beam_width < 1 || c.beam_width > kMaxBeamWidth) {
    return Status::Invalid(fmt::format("beam width: expected 1..{}", kMaxBeamWidth));
  }
  if (c.beam_branching < 1 || c.beam_branching > kMaxBeamBranching) {
    return Status::Invalid(fmt::format("beam branching: expected 1..{}", kMaxBeamBranching));
  }
  if (c.time_limit_seconds && !(*c.time_limit_seconds > 0 && *c.time_limit_seconds <= 1e9)) {
    return Status::Invalid("time limit: expected 0 < seconds <= 10^9");
  }
  if (c.checkpoint_every < 1 || c.checkpoint_every > kMaxHuntCheckpointEvery) {
    return Status::Invalid(
        fmt::format("checkpoint every: expected 1..{} generations", kMaxHuntCheckpointEvery));
  }
  if (c.initial_treasury < 0) return Status::Invalid("treasury: must not be negative");
  if (c.settings.plan_length < 1 || c.settings.plan_length > kMaxPlanLength) {
    return Status::Invalid(fmt::format("plan length: expected 1..{}", kMaxPlanLength));
  }
  return Status::Ok();
}

namespace {

// The turns after which a corpus entry's worlds are saved for prefix reuse:
// a quarter, half and three quarters of the way (distinct, 1..turns-1).
std::vector<int> snapshot_turns(int turns) {
  std::vector<int> at;
  for (int q = 1; q <= 3; ++q) {
    const int t = turns * q / 4;
    if (t >= 1 && t < turns && (at.empty() || at.back() != t)) at.push_back(t);
  }
  return at;
}

// The hunt's state between generations, merged in execution order.
class Search {
 public:
  Search(const HuntConfig& cfg, const hunt::ExecutionSetup& setup, HuntResult& result)
      : cfg_(cfg), setup_(setup), result_(result), corpus_(1) {}

  const std::vector<CorpusEntry>& corpus() const { return corpus_; }
  const std::array<std::size_t, kObjectiveCount>& best_entry() const { return best_entry_; }
  std::size_t features() const { return seen_.size(); }
  std::size_t findings() const { return dedup_.size(); }
  const std::set<std::string>& detectors() const { return detectors_; }
  hunt::BeamKnown known() const { return {{detectors_.begin(), detectors_.end()}}; }

  // Execution `n` (1-based) joins the results.
  void absorb(std::uint64_t n, Execution& e, const EpisodeResult* episode,
              const std::vector<AgentIndex>& attackers) {
    bool novel = false;
    for (std::uint64_t f : e.features) novel = seen_.insert(f).second || novel;
    if (cfg_.coverage) coverage_.merge(e.coverage);
    std::vector<int> improved;
    // Whether it becomes the parent of choice of each objective it improves: an
    // adopted script (islands) stays that until an execution here beats it.
    std::array<bool, kObjectiveCount> parent{};
    for (int k = 0; k < kObjectiveCount; ++k) {
      const auto obj = static_cast<Objective>(k);
      ObjectiveBest& best = result_.best[k];
      if (!better(e.scores[obj], e.genome.moves.size(), best)) continue;
      const auto& m = adopted_best_[static_cast<std::size_t>(k)];
      parent[static_cast<std::size_t>(k)] = !m || beats(e.scores[obj], e.genome.moves.size(), *m);
      best.value = e.scores[obj];
      best.captured = e.scores.captured(obj);
      best.execution = n;
      best.moves = e.genome.moves.size();
      best.fingerprints.clear();
      for (const ExploitFinding& f : e.findings) best.fingerprints.push_back(f.fingerprint);
      improved.push_back(k);
    }
    if (episode) dedup_.add(*episode, setup_.options.matchup, cfg_.roster, attackers);
    for (const ExploitFinding& f : e.findings) {
      detectors_.insert(f.name);
      fingerprints_.insert(f.fingerprint);
    }
    // A new best always joins; a new feature joins while there is room.
    if (!improved.empty() || (novel && corpus_.size() < kMaxCorpus)) {
      for (int k : improved) {
        if (!parent[static_cast<std::size_t>(k)]) continue;
        best_entry_[static_cast<std::size_t>(k)] = corpus_.size();
        adopted_best_[static_cast<std::size_t>(k)].reset();
      }
      corpus_.push_back(CorpusEntry{std::move(e.genome), e.scores});
    }
  }

  // Islands (fable/hunt.h): the best script of each objective, once each,
  // in objective order; the empty script is left out.
  std::vector<hunt::Migrant> migrants() const {
    std::vector<hunt::Migrant> out;
    std::vector<std::size_t> sent;
    for (const std::size_t i : best_entry_) {
      if (corpus_[i].genome.moves.empty() || std::find(sent.begin(), sent.end(), i) != sent.end()) {
        continue;
      }
      sent.push_back(i);
      out.push_back(hunt::Migrant{corpus_[i].genome, corpus_[i].scores});
    }
    return out;
  }

  // Another island's script joins the corpus, as the parent of choice of
  // every objective whose best here it beats; else it is dropped. Returns
  // whether it joined. Its findings were counted on its own island.
  bool adopt(const hunt::Migrant& m) {
    const std::size_t moves = m.genome.moves.size();
    std::vector<std::size_t> wins;
    for (std::size_t k = 0; k < kObjectiveCount; ++k) {
      const double v = m.scores.value[k];
      const bool wins_here =
          adopted_best_[k] ? beats(v, moves, *adopted_best_[k])
                           : (result_.best[k].execution == 0 ||
                              beats(v, moves, {result_.best[k].value, result_.best[k].moves}));
      if (wins_here) wins.push_back(k);
    }
    if (wins.empty()) return false;
    for (const std::size_t k : wins) {
      best_entry_[k] = corpus_.size();
      adopted_best_[k] = Mark{m.scores.value[k], moves};
    }
    corpus_.push_back(CorpusEntry{m.genome, m.scores});
    return true;
  }

  const FingerprintDedup& dedup() const { return dedup_; }
  std::vector<std::uint64_t> feature_set() const {
    std::vector<std::uint64_t> out(seen_.begin(), seen_.end());
    std::sort(out.begin(), out.end());
    return out;
  }

  Reproduction reproduction() const {
    Reproduction run;
    run.n_turns = cfg_.turns;
    run.initial_treasury = cfg_.initial_treasury;
    run.kernel_name = result_.kernel_name;
    run.kernel_version = result_.kernel_version;
    run.kernel_hash = result_.kernel_hash;
    run.engine_version = std::string(kEngineVersion);
    run.settings = cfg_.settings;
    run.population = cfg_.population;
    return run;
  }
  std::vector<ExploitRecord> records() const { return dedup_.records(1, reproduction()); }
  const ClauseCoverage& coverage() const { return coverage_; }

  // For a checkpoint (docs/resume.md, "Hunts"): the corpus size, the best
  // entry of each objective, the features (sorted), the dedup, the
  // detectors and fingerprints seen, and the coverage when counted. One
  // process only: adopted_best_ (islands) is not part of it.
  void save(ByteWriter& w) const {
    w.u64(corpus_.size());
    for (const std::size_t i : best_entry_) w.u64(i);
    const std::vector<std::uint64_t> features = feature_set();
    w.u64(features.size());
    for (const std::uint64_t f : features) w.u64(f);
    dedup_.save(w);
    wire::put_strings(w, {detectors_.begin(), detectors_.end()});
    wire::put_strings(w, {fingerprints_.begin(), fingerprints_.end()});
    w.boolean(cfg_.coverage);
    if (cfg_.coverage) wire::put_coverage(w, coverage_);
  }
  // The corpus entries from `from` on (their scripts and scores).
  void save_corpus(ByteWriter& w, std::size_t from) const {
    for (std::size_t i = from; i < corpus_.size(); ++i) {
      hunt::put_genome(w, corpus_[i].genome);
      hunt::put_objectives(w, corpus_[i].scores);
    }
  }
  // Reads what save wrote, and the corpus it counts from `corpus` (exactly
  // that many entries), replacing this search's state; malformed input (or
  // a move the hunt's settings cannot play) fails `r`.
  void load(ByteReader& r, ByteReader& corpus, std::size_t attackers) {
    // The entries are in `corpus`, each at least its move count and its
    // objectives: their number is bounded by what `corpus` holds. (It was
    // bounded by what was left of `r`, which is unrelated: a hunt whose
    // state was short for its corpus could not be resumed.)
    constexpr std::size_t kMinEntryBytes = 8 + 8 * kObjectiveCount;
    // A failure of what corpus.bin holds fails `corpus`, of the rest `r`:
    // the error names the file at fault (decode_state).
    const std::uint64_t entries = r.u64();
    if (!r.ok() || entries == 0 || entries > corpus.remaining() / kMinEntryBytes) {
      if (r.ok() && entries != 0) corpus.fail();  // fewer bytes than the entries counted
      if (entries == 0) r.fail();
      corpus_.clear();
    } else {
      corpus_.resize(static_cast<std::size_t>(entries));
    }
    for (CorpusEntry& e : corpus_) {
      if (!r.ok() || !corpus.ok()) break;
      e.genome = hunt::get_genome(corpus);
      e.scores = hunt::get_objectives(corpus);
      // Fractions in [0, 1] (fable/objectives.h); a NaN would break the
      // corpus's orderings.
      for (const double v : e.scores.value) {
        if (!(v >= 0.0 && v <= 1.0)) corpus.fail();
      }
      for (const hunt::Move& m : e.genome.moves) {
        if (m.turn < 1 || m.turn > cfg_.turns || m.round < 0 ||
            m.round >= cfg_.settings.plan_length || m.attacker < 0 ||
            static_cast<std::size_t>(m.attacker) >= attackers) {
          corpus.fail();
        }
      }
    }
    // Bytes after the entries (only when the state could count them).
    if (r.ok() && corpus.ok() && !corpus.at_end()) corpus.fail();
    for (std::size_t& i : best_entry_) {
      i = static_cast<std::size_t>(r.u64());
      if (i >= corpus_.size()) r.fail();
    }
    seen_.clear();
    const std::size_t features = r.count(8);
    for (std::size_t i = 0; i < features && r.ok(); ++i) seen_.insert(r.u64());
    dedup_.load(r);
    const std::vector<std::string> detectors = wire::get_strings(r);
    detectors_ = {detectors.begin(), detectors.end()};
    const std::vector<std::string> fingerprints = wire::get_strings(r);
    fingerprints_ = {fingerprints.begin(), fingerprints.end()};
    if (r.boolean() != cfg_.coverage) r.fail();
    if (r.ok() && cfg_.coverage) coverage_ = wire::get_coverage(r);
  }

 private:
  const HuntConfig& cfg_;
  const hunt::ExecutionSetup& setup_;
  HuntResult& result_;
  std::vector<CorpusEntry> corpus_;  // starts with the empty script: the environment alone
  ClauseCoverage coverage_;          // of every execution, when cfg_.coverage
  std::array<std::size_t, kObjectiveCount> best_entry_{};
  std::unordered_set<std::uint64_t> seen_;
  FingerprintDedup dedup_;
  std::set<std::string> detectors_;     // names that fired so far
  std::set<std::string> fingerprints_;  // fingerprints found so far
  // Islands only: per objective, the adopted script that is its parent of
  // choice (value, moves), until an execution here beats it.
  struct Mark {
    double value = 0.0;
    std::size_t moves = 0;
  };
  static bool beats(double value, std::size_t moves, const Mark& m) {
    return value != m.value ? value > m.value : moves < m.moves;
  }
  std::array<std::optional<Mark>, kObjectiveCount> adopted_best_{};
};

// Saved worlds of the corpus entries that are the best of some objective
// (at most kObjectiveCount entries x 3 snapshots: memory stays bounded
// whatever the budget). They change only the speed, never a result.
class SnapshotStore {
 public:
  SnapshotStore(int turns, bool enabled) : at_(snapshot_turns(turns)), enabled_(enabled) {}

  // The latest saved world of `entry` before turn `diverges`, or null.
  hunt::SnapshotPtr before(std::size_t entry, int diverges) const {
    const auto it = saved_.find(entry);
    if (it == saved_.end()) return nullptr;
    hunt::SnapshotPtr found;
    for (const hunt::SnapshotPtr& s : it->second) {
      if (s->play.turn() < diverges) found = s;
    }
    return found;
  }

  // Keeps the worlds of exactly the entries in `best`, replaying the new ones.
  void refresh(const std::array<std::size_t, kObjectiveCount>& best,
               const std::vector<CorpusEntry>& corpus,
               std::vector<std::unique_ptr<Executor>>& executors, hunt::WorkerPool& pool) {
    if (!enabled_ || at_.empty() || !executors.front()->can_snapshot()) return;
    std::vector<std::size_t> wanted(best.begin(), best.end());
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    std::erase_if(saved_, [&](const auto& kv) {
      return !std::binary_search(wanted.begin(), wanted.end(), kv.first);
    });
    std::erase_if(wanted, [&](std::size_t e) { return saved_.count(e) != 0; });
    std::vector<std::vector<hunt::SnapshotPtr>> made(wanted.size());
    const Mutation none;
    pool.run(wanted.size(), [&](int worker, std::size_t i) {
      executors[static_cast<std::size_t>(worker)]->run(corpus[wanted[i]].genome, none, 0, nullptr,
                                                       nullptr, at_, &made[i]);
    });
    for (std::size_t i = 0; i < wanted.size(); ++i) saved_[wanted[i]] = std::move(made[i]);
  }

 private:
  std::vector<int> at_;
  bool enabled_;
  std::map<std::size_t, std::vector<hunt::SnapshotPtr>> saved_;
};

Status failure_status(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::bad_alloc&) {
    return Status::Internal("hunt: out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(fmt::format("hunt: an execution failed: {}", e.what()));
  } catch (...) {
    return Status::Internal("hunt: an execution failed");
  }
}

}  // namespace

namespace {

// The communicator of a hunt across ranks, or nullptr for one hunt.
Communicator* islands_of(const HuntConfig& cfg) {
  return cfg.communicator != nullptr && cfg.communicator->size() > 1 ? cfg.communicator : nullptr;
}

// One island's share of the hunt: its budget and its search seed.
HuntConfig island_config(const HuntConfig& cfg, int rank, int ranks) {
  HuntConfig island = cfg;
  const auto n = static_cast<std::uint64_t>(ranks);
  const auto r = static_cast<std::uint64_t>(rank);
  island.budget = cfg.budget / n + (r < cfg.budget % n ? 1 : 0);
  if (rank > 0) island.seed = derive_seed(cfg.seed, fmt::format("hunt/island/{}", rank));
  return island;
}

// Whether every rank hunts the same kernel with the same settings as rank 0
// (a node may hold another file at the same path, or another command line):
// else every rank gets the same error naming the first rank that differs.
Status same_hunt_on_every_rank(Communicator& comm, const Kernel& kernel, const HuntConfig& cfg) {
  HuntResult blank;
  blank.kernel_name = kernel.name();
  blank.kernel_version = kernel.version().to_string();
  blank.kernel_hash = hex64(kernel.content_hash());
  const std::string text = fmt::format("{}\n{} {} {}\n{}", blank.kernel_hash, cfg.migrate_every,
                                       cfg.coverage, cfg.reuse_prefixes, hunt_json(cfg, blank, {}));
  const std::span<const std::byte> bytes = std::as_bytes(std::span(text));
  Result<std::vector<Bytes>> all = comm.all_gather(Bytes(bytes.begin(), bytes.end()));
  if (!all.ok()) return all.status();
  const auto as_text = [](const Bytes& b) {
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
  };
  const std::string root = as_text(all->front());
  for (std::size_t r = 1; r < all->size(); ++r) {
    const std::string other = as_text((*all)[r]);
    if (other == root) continue;
    const std::string root_hash = root.substr(0, root.find('\n'));
    const std::string other_hash = other.substr(0, other.find('\n'));
    if (root_hash != other_hash) {
      return Status::Invalid(fmt::format(
          "rank {} read another kernel than rank 0 (content hash {} against {}): every rank "
          "must see the same kernel document at the path given",
          r, other_hash, root_hash));
    }
    return Status::Invalid(fmt::format(
        "rank {} was given other hunt settings than rank 0: every rank must run the same "
        "command line (docs/distributed.md)",
        r));
  }
  return Status::Ok();
}

// The first failure in rank order among the islands' states, or Ok; sets
// `all_done` when no island is still hunting.
struct RoundOutcome {
  Status failure;
  bool all_done = true;
};

// Rank 0's result of a hunt across ranks: the islands' `reports` (by rank)
// merged as fable/hunt.h says; `own` gives the kernel and the exchanges.
Result<HuntResult> merge_islands(const std::vector<Bytes>& reports, const HuntConfig& cfg,
                                 const Kernel& kernel, const Reproduction& run,
                                 const HuntResult& own) {
  HuntResult merged;
  merged.kernel_name = own.kernel_name;
  merged.kernel_version = own.kernel_version;
  merged.kernel_hash = own.kernel_hash;
  merged.exchanges = own.exchanges;
  for (int o = 0; o < kObjectiveCount; ++o) merged.best[o].objective = static_cast<Objective>(o);
  FingerprintDedup dedup;
  std::unordered_set<std::uint64_t> features;
  ClauseCoverage coverage;
  for (std::size_t r = 0; r < reports.size(); ++r) {
    Result<hunt::IslandReport> rep = hunt::decode_report(
        reports[r], static_cast<int>(r), cfg.roster, std::string(hunt::kHuntMatchup));
    if (!rep.ok()) return rep.status();
    merged.executions += rep->summary.executions;
    // Every island starts from the empty script: counted once.
    merged.corpus_size += rep->summary.corpus_size - (r == 0 ? 0 : 1);
    merged.resumed_executions += rep->resumed_executions;
    merged.stopped_by_time = merged.stopped_by_time || rep->stopped_by_time;
    features.insert(rep->features.begin(), rep->features.end());
    for (std::size_t k = 0; k < kObjectiveCount; ++k) {
      ObjectiveBest b = rep->best[k];
      if (b.execution == 0) continue;
      b.island = static_cast<int>(r);
      if (better(b.value, b.moves, merged.best[k])) merged.best[k] = std::move(b);
    }
    for (const DedupEntry& e : rep->entries) dedup.merge(e);
    if (rep->coverage) coverage.merge(*rep->coverage);
    merged.islands.push_back(rep->summary);
  }
  merged.features = features.size();
  merged.records = dedup.records(1, run);
  if (cfg.coverage) merged.coverage = coverage_report(coverage, kernel);
  return merged;
}

// What decides a hunt's state, hashed into its checkpoints: the kernel, the
// settings hunt.json names, the whole population model and engine settings,
// coverage and prefix reuse (never the threads nor the checkpoint interval).
std::uint64_t state_key(const HuntConfig& cfg, const Kernel& kernel) {
  HuntResult blank;
  blank.kernel_name = kernel.name();
  blank.kernel_version = kernel.version().to_string();
  blank.kernel_hash = hex64(kernel.content_hash());
  const EngineSettings& s = cfg.settings;
  return hash_string(fmt::format(
      "{}\n{} {} {} {} {} {}\n{}\n{}", blank.kernel_hash, cfg.coverage, cfg.reuse_prefixes,
      s.plan_length, s.initial_balance, s.income_per_turn, s.citizen_stipend,
      population_json(cfg.population).dump(), hunt_json(cfg, blank, {})));
}

// The counters of the loop between two generations.
struct Counters {
  std::uint64_t done = 0;        // executions
  std::uint64_t generation = 0;  // evolution batches and beam passes
  std::uint64_t passes = 0;      // beam passes
};

// A checkpoint's state (docs/resume.md, "Hunts").
std::vector<std::byte> encode_state(std::uint64_t key, const Counters& at, const HuntResult& result,
                                    const Search& search) {
  ByteWriter w;
  w.u64(key);
  w.u64(at.done);
  w.u64(at.generation);
  w.u64(at.passes);
  w.u64(result.resumed_executions);
  for (const ObjectiveBest& b : result.best) hunt::put_best(w, b);
  search.save(w);
  return w.take();
}

// Reads a state back into `at`, `result` and `search`. Errors as
// HuntConfig::resume_from says.
Status decode_state(const HuntResumeState& from, std::uint64_t key, const HuntConfig& cfg,
                    std::size_t attackers, Counters& at, HuntResult& result, Search& search) {
  ByteReader r(from.state);
  ByteReader corpus(from.corpus);
  if (r.u64() != key && r.ok()) {
    return Status::Precondition(fmt::format(
        "{}: the checkpoint to resume from is of another hunt (its settings or kernel differ)",
        from.state_origin.empty() ? std::string("hunt") : from.state_origin));
  }
  at.done = r.u64();
  at.generation = r.u64();
  at.passes = r.u64();
  result.resumed_executions = r.u64();
  for (int k = 0; k < kObjectiveCount; ++k) {
    result.best[k] = hunt::get_best(r);
    // A fraction reached by an execution the state has done (0: none).
    const ObjectiveBest& b = result.best[k];
    if (b.objective != static_cast<Objective>(k) || b.execution > at.done ||
        !(b.value >= 0.0 && b.value <= 1.0))
      r.fail();
  }
  search.load(r, corpus, attackers);
  if (!corpus.ok()) {
    return Status::Invalid(
        from.corpus_origin.empty()
            ? std::string("hunt: the corpus of the checkpoint to resume from is malformed")
            : fmt::format("{}: malformed hunt corpus (the entries its checkpoint counts on)",
                          from.corpus_origin));
  }
  if (!r.ok() || !r.at_end() || at.done > cfg.budget || at.passes > at.generation ||
      at.generation > at.done || result.resumed_executions > at.done) {
    return Status::Invalid(from.state_origin.empty()
                               ? std::string("hunt: the checkpoint to resume from is malformed")
                               : fmt::format("{}: malformed hunt checkpoint", from.state_origin));
  }
  return Status::Ok();
}

}  // namespace

Result<HuntResult> run_hunt(const Kernel& kernel, const HuntConfig& cfg,
                            const HuntProgressFn& progress) {
  Communicator* const comm = islands_of(cfg);
  Status checked = check_hunt_config(cfg);
  if (checked.ok() && comm != nullptr &&
      (cfg.migrate_every < 1 || cfg.migrate_every > kMaxMigrateEvery)) {
    checked = Status::Invalid(fmt::format("migrate every: expected 1..{}", kMaxMigrateEvery));
  }
  if (checked.ok() && cfg.resume_from && (comm != nullptr || cfg.time_limit_seconds)) {
    checked = Status::Invalid(
        comm != nullptr
            ? "hunt: a hunt across ranks cannot be resumed (it is not checkpointed)"
            : "hunt: a hunt with a time limit cannot be resumed (its result is not reproducible)");
  }
  if (!checked.ok()) return comm != nullptr ? comm->agree(checked) : checked;
  // Everything below the island's own: its budget and search streams. The
  // episode (the environment) is the hunt's, the same on every island.
  const HuntConfig icfg = comm != nullptr ? island_config(cfg, comm->rank(), comm->size()) : cfg;
  const auto started = std::chrono::steady_clock::now();
  hunt::ExecutionSetup setup{kernel, cfg.roster, cfg.seed, EpisodeOptions{}};
  setup.options.turns = cfg.turns;
  setup.options.initial_treasury = cfg.initial_treasury;
  setup.options.settings = cfg.settings;
  setup.options.population = cfg.population;
  setup.options.matchup = std::string(hunt::kHuntMatchup);

  HuntResult result;
  result.kernel_name = kernel.name();
  result.kernel_version = kernel.version().to_string();
  result.kernel_hash = hex64(kernel.content_hash());
  for (int o = 0; o < kObjectiveCount; ++o) result.best[o].objective = static_cast<Objective>(o);

  // More workers than tasks in a generation would idle.
  const int workers =
      std::min(cfg.threads, std::max(cfg.batch, cfg.beam_width * cfg.beam_branching));
  std::vector<std::unique_ptr<Executor>> executors;
  try {
    for (int w = 0; w < workers; ++w) executors.push_back(std::make_unique<Executor>(setup));
  } catch (const std::exception& e) {
    checked = Status::Invalid(e.what());
  }
  if (comm != nullptr) checked = comm->agree(checked);  // every island may hunt, or none
  if (checked.ok() && comm != nullptr) checked = same_hunt_on_every_rank(*comm, kernel, cfg);
  if (!checked.ok()) return checked;
  const std::vector<AgentIndex> attackers = executors.front()->attackers();
  hunt::WorkerPool pool(workers);
  Search search(icfg, setup, result);
  SnapshotStore snapshots(icfg.turns, icfg.reuse_prefixes);
  hunt::BeamSettings beam;
  beam.width = icfg.beam_width;
  beam.branching = icfg.beam_branching;
  beam.turns = icfg.turns;
  beam.plan_length = icfg.settings.plan_length;
  beam.seed = icfg.seed;
  beam.objective = icfg.objective;

  // Islands: one round of exchange (fable/hunt.h). Every island joins every
  // round, in the same sequence, so the rounds pair up by count.
  std::uint64_t adopted = 0;
  const auto exchange = [&](hunt::IslandState state, const Status& failure) -> RoundOutcome {
    hunt::ExchangeMessage mine;
    mine.state = state;
    mine.failure = failure;
    if (state == hunt::IslandState::kHunting) mine.migrants = search.migrants();
    Result<std::vector<Bytes>> all = comm->all_gather(hunt::encode_exchange(mine));
    RoundOutcome out;
    if (!all.ok()) {
      out.failure = all.status();
      return out;
    }
    std::vector<hunt::ExchangeMessage> by_rank;
    for (std::size_t r = 0; r < all->size(); ++r) {
      Result<hunt::ExchangeMessage> m = hunt::decode_exchange((*all)[r], static_cast<int>(r));
      if (!m.ok()) {
        if (out.failure.ok()) out.failure = m.status();
        continue;
      }
      if (m->state == hunt::IslandState::kFailed && out.failure.ok()) {
        out.failure =
            r == 0 ? m->failure
                   : Status(m->failure.code(), fmt::format("rank {}: {}", r, m->failure.message()));
      }
      if (m->state == hunt::IslandState::kHunting) out.all_done = false;
      by_rank.push_back(std::move(*m));
    }
    if (!out.all_done) ++result.exchanges;  // a round where scripts could move
    if (!out.failure.ok() || state != hunt::IslandState::kHunting) return out;
    for (std::size_t r = 0; r < by_rank.size(); ++r) {
      if (static_cast<int>(r) == comm->rank()) continue;
      for (const hunt::Migrant& m : by_rank[r].migrants) adopted += search.adopt(m) ? 1 : 0;
    }
    return out;
  };

  Counters at;
  std::uint64_t& done = at.done;
  std::uint64_t& generation = at.generation;
  std::uint64_t& passes = at.passes;
  // Checkpoints (fable/hunt.h): one process, no time limit.
  const bool checkpoints = comm == nullptr && !cfg.time_limit_seconds && cfg.checkpoint;
  const std::uint64_t key = checkpoints || cfg.resume_from ? state_key(cfg, kernel) : 0;
  std::size_t corpus_saved = 0;  // corpus entries handed out (or resumed from)
  const auto checkpoint = [&]() -> Status {
    HuntCheckpointState s{
        done, generation, search.corpus().size(), {}, encode_state(key, at, result, search)};
    ByteWriter added;
    search.save_corpus(added, corpus_saved);
    s.corpus_added = added.take();
    corpus_saved = search.corpus().size();
    return cfg.checkpoint(s);
  };
  if (cfg.resume_from) {
    if (Status st = decode_state(*cfg.resume_from, key, cfg, attackers.size(), at, result, search);
        !st.ok())
      return st;
    corpus_saved = search.corpus().size();
    // The saved worlds the stopped hunt held: those of the best entries,
    // refreshed after every generation (none before the first).
    if (generation > 0 && icfg.strategy != HuntStrategy::kBeam) {
      try {
        snapshots.refresh(search.best_entry(), search.corpus(), executors, pool);
      } catch (...) {
        return failure_status(std::current_exception());
      }
    }
  } else if (checkpoints) {
    if (Status st = checkpoint(); !st.ok()) return st;
  }
  const std::uint64_t resumed_at = done;
  std::vector<Planned> planned;
  std::vector<Outcome> outcomes;
  Status failed;  // islands: this island's failure, told to the others
  while (done < icfg.budget) {
    const std::uint64_t left = icfg.budget - done;
    const bool beam_turn = icfg.strategy == HuntStrategy::kBeam ||
                           (icfg.strategy == HuntStrategy::kBoth && generation % 2 == 1);
    ++generation;
    try {
      if (beam_turn) {
        // The last pass shrinks to what is left of the budget.
        hunt::BeamSettings b = beam;
        const auto branching = static_cast<std::uint64_t>(b.branching);
        if (left < branching) b.branching = static_cast<int>(left);
        b.width = static_cast<int>(std::min<std::uint64_t>(
            static_cast<std::uint64_t>(b.width),
            std::max<std::uint64_t>(1, left / static_cast<std::uint64_t>(b.branching))));
        hunt::BeamPassResult pass =
            hunt::run_beam_pass(b, passes++, search.known(), executors, pool);
        for (std::size_t i = 0; i < pass.playouts.size(); ++i) {
          hunt::BeamPlayout& p = pass.playouts[i];
          search.absorb(done + i + 1, p.execution, p.episode.get(), attackers);
        }
        done += pass.executions;
      } else {
        const auto batch = static_cast<std::size_t>(
            std::min<std::uint64_t>(static_cast<std::uint64_t>(icfg.batch), left));
        // Each child is planned by the worker that plays it: from the corpus,
        // best entries and saved worlds as they stood at the start of the
        // generation (read only while the batch runs), so the plans do not
        // depend on the threads.
        planned.clear();
        planned.resize(batch);
        outcomes.clear();
        outcomes.resize(batch);
        pool.run(batch, [&](int w, std::size_t i) {
          Planned& p = planned[i];
          p = plan_child(icfg, search.corpus(), search.best_entry(), attackers, done + i + 1);
          p.from = snapshots.before(p.parent, p.diverges);
          Outcome& o = outcomes[i];
          EpisodeResult episode;
          o.execution = executors[static_cast<std::size_t>(w)]->run(p.genome, p.mutation, p.seed,
                                                                    &episode, p.from.get());
          if (!o.execution.findings.empty()) {
            o.episode = std::make_unique<EpisodeResult>(std::move(episode));
          }
        });
        // Merge in execution order: the result does not depend on the threads.
        for (const Planned& p : planned) result.resumed_executions += p.from ? 1 : 0;
        for (std::size_t i = 0; i < batch; ++i) {
          search.absorb(done + i + 1, outcomes[i].execution, outcomes[i].episode.get(), attackers);
        }
        done += batch;
      }
      if (icfg.strategy != HuntStrategy::kBeam) {
        snapshots.refresh(search.best_entry(), search.corpus(), executors, pool);
      }
    } catch (...) {
      failed = failure_status(std::current_exception());
      if (comm == nullptr) return failed;
      break;
    }
    if (progress) {
      HuntProgress p;
      p.executions = done;
      p.budget = icfg.budget;
      p.corpus_size = search.corpus().size();
      p.findings = search.findings();
      for (int k = 0; k < kObjectiveCount; ++k) p.best[k] = result.best[k].value;
      p.detectors.assign(search.detectors().begin(), search.detectors().end());
      p.resumed_at = resumed_at;
      progress(p);
    }
    if (icfg.time_limit_seconds && done < icfg.budget &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() >=
            *icfg.time_limit_seconds) {
      result.stopped_by_time = true;
      break;
    }
    if (checkpoints && (generation % cfg.checkpoint_every == 0 || done >= icfg.budget)) {
      if (Status st = checkpoint(); !st.ok()) return st;
    }
    test_kill_point("generation");  // tests only (base/test_kill.h)
    test_stop_point("generation");
    // No round after the island's last generation: its scripts would parent nothing.
    if (comm != nullptr && done < icfg.budget &&
        generation % static_cast<std::uint64_t>(icfg.migrate_every) == 0) {
      if (const RoundOutcome round = exchange(hunt::IslandState::kHunting, Status::Ok());
          !round.failure.ok()) {
        return round.failure;
      }
    }
  }
  if (comm != nullptr) {
    // Join the rounds until every island is done (or one failed).
    for (;;) {
      const RoundOutcome round =
          exchange(failed.ok() ? hunt::IslandState::kDone : hunt::IslandState::kFailed, failed);
      if (!round.failure.ok()) return round.failure;
      if (round.all_done) break;
    }
  }

  result.executions = done;
  result.corpus_size = search.corpus().size();
  result.features = search.features();
  if (comm == nullptr) {
    result.records = search.records();
    if (cfg.coverage) result.coverage = coverage_report(search.coverage(), kernel);
    return result;
  }

  // Rank 0 merges the islands' reports, in rank order.
  hunt::IslandReport mine;
  mine.summary = IslandSummary{comm->rank(),       icfg.seed,       icfg.budget, done,
                               result.corpus_size, result.features, adopted};
  mine.resumed_executions = result.resumed_executions;
  mine.stopped_by_time = result.stopped_by_time;
  mine.features = search.feature_set();
  mine.best = result.best;
  for (const DedupEntry* e : search.dedup().in_first_seen_order()) mine.entries.push_back(*e);
  if (cfg.coverage) mine.coverage = search.coverage();
  Result<std::vector<Bytes>> all = comm->all_gather(hunt::encode_report(mine));
  if (!all.ok()) return all.status();
  if (comm->rank() != 0) {
    result.records = search.records();
    return result;
  }
  return merge_islands(*all, cfg, kernel, search.reproduction(), result);
}

std::string hunt_json(const HuntConfig& cfg, const HuntResult& r,
                      const std::vector<std::string>& record_ids) {
  std::map<std::string, std::string> id_of;  // fingerprint -> record id
  for (std::size_t i = 0; i < r.records.size() && i < record_ids.size(); ++i) {
    id_of[r.records[i].fingerprint] = record_ids[i];
  }
  nlohmann::json j;
  j["schema"] = std::string(kHuntSchema);
  j["kernel"] = {{"name", r.kernel_name}, {"version", r.kernel_version}, {"hash", r.kernel_hash}};
  j["settings"] = {{"roster", cfg.roster.to_string()},
                   {"objective", cfg.objective ? std::string(objective_info(*cfg.objective).name)
                                               : std::string("any")},
                   {"budget", cfg.budget},
                   {"seed", cfg.seed},
                   {"turns", cfg.turns},
                   {"batch", cfg.batch},
                   {"initial_treasury_milli", cfg.initial_treasury},
                   {"plan_length", cfg.settings.plan_length},
                   {"initial_balance_milli", cfg.settings.initial_balance},
                   {"strategy", std::string(hunt_strategy_name(cfg.strategy))}};
  // Naive citizens are the absence of the key: hunt.json files of before the
  // population model read and compare unchanged.
  if (!cfg.population.naive()) {
    j["settings"]["population"] = cfg.population.preset;
  }
  if (cfg.strategy != HuntStrategy::kEvolve) {
    j["settings"]["beam_width"] = cfg.beam_width;
    j["settings"]["beam_branching"] = cfg.beam_branching;
  }
  if (cfg.time_limit_seconds) {
    j["settings"]["time_limit_seconds"] = *cfg.time_limit_seconds;
    j["reproducible"] = !r.stopped_by_time;
  }
  // Across ranks only: a one-process hunt.json is unchanged.
  if (!r.islands.empty()) {
    j["settings"]["ranks"] = r.islands.size();
    j["settings"]["migrate_every"] = cfg.migrate_every;
    nlohmann::json islands = nlohmann::json::array();
    for (const IslandSummary& i : r.islands) {
      islands.push_back({{"rank", i.rank},
                         {"seed", i.seed},
                         {"budget", i.budget},
                         {"executions", i.executions},
                         {"corpus_size", i.corpus_size},
                         {"features", i.features},
                         {"adopted", i.adopted}});
    }
    j["islands"] = islands;
    j["exchanges"] = r.exchanges;
  }
  j["executions"] = r.executions;
  j["corpus_size"] = r.corpus_size;
  j["features"] = r.features;
  nlohmann::json objectives = nlohmann::json::object();
  for (const ObjectiveBest& b : r.best) {
    nlohmann::json records = nlohmann::json::array();
    for (const std::string& fp : b.fingerprints) {
      if (auto it = id_of.find(fp); it != id_of.end()) records.push_back(it->second);
    }
    std::sort(records.begin(), records.end());
    records.erase(std::unique(records.begin(), records.end()), records.end());
    objectives[std::string(objective_info(b.objective).name)] = {
        {"best_value", std::round(b.value * 1e6) / 1e6},
        {"captured", b.captured},
        {"execution", b.execution},
        {"moves", b.moves},
        {"records", records}};
    if (!r.islands.empty())
      objectives[std::string(objective_info(b.objective).name)]["island"] = b.island;
  }
  j["objectives"] = objectives;
  nlohmann::json records = nlohmann::json::array();
  for (std::size_t i = 0; i < r.records.size() && i < record_ids.size(); ++i) {
    records.push_back({{"id", record_ids[i]},
                       {"name", r.records[i].name},
                       {"category", std::string(category_name(r.records[i].category))},
                       {"severity", r.records[i].severity},
                       {"fingerprint", r.records[i].fingerprint}});
  }
  j["records"] = records;
  return j.dump(2) + "\n";
}

}  // namespace fable
