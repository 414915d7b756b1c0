// The hunt's search loop; see include/fable/hunt.h.
#include "fable/hunt.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <thread>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "base/hash.h"
#include "fable/episode.h"
#include "hunt/executor.h"
#include "tournament/dedup.h"

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
        hunt::delete_move(p.genome, static_cast<std::size_t>(rng.below(p.genome.moves.size())),
                          attackers);
      }
      insertions = static_cast<int>(rng.below(2));
      break;
    }
    case 2: {  // replace: a move gives way to a fresh one at its turn
      if (!p.genome.moves.empty()) {
        const auto i = static_cast<std::size_t>(rng.below(p.genome.moves.size()));
        const hunt::Insertion at{p.genome.moves[i].turn, p.genome.moves[i].attacker};
        hunt::delete_move(p.genome, i, attackers);
        p.mutation.insertions.push_back(at);
        insertions = 0;
      }
      break;
    }
    default: {  // splice with another corpus entry
      const auto other = static_cast<std::size_t>(rng.below(corpus.size()));
      p.genome = hunt::splice(p.genome, corpus[other].genome, turn());
      insertions = 1;
      break;
    }
  }
  for (int i = 0; i < insertions; ++i) p.mutation.insertions.push_back({turn(), attacker()});
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

Status check_hunt_config(const HuntConfig& c) {
  if (Status st = check_roster(c.roster); !st.ok()) return st;
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
  if (c.initial_treasury < 0) return Status::Invalid("treasury: must not be negative");
  if (c.settings.plan_length < 1 || c.settings.plan_length > kMaxPlanLength) {
    return Status::Invalid(fmt::format("plan length: expected 1..{}", kMaxPlanLength));
  }
  return Status::Ok();
}

Result<HuntResult> run_hunt(const Kernel& kernel, const HuntConfig& cfg,
                            const HuntProgressFn& progress) {
  if (Status st = check_hunt_config(cfg); !st.ok()) return st;
  hunt::ExecutionSetup setup{kernel, cfg.roster, cfg.seed, EpisodeOptions{}};
  setup.options.turns = cfg.turns;
  setup.options.initial_treasury = cfg.initial_treasury;
  setup.options.settings = cfg.settings;
  setup.options.matchup = std::string(hunt::kHuntMatchup);

  HuntResult result;
  result.kernel_name = kernel.name();
  result.kernel_version = kernel.version().to_string();
  result.kernel_hash = hex64(kernel.content_hash());
  for (int o = 0; o < kObjectiveCount; ++o) result.best[o].objective = static_cast<Objective>(o);

  const int workers = std::min<int>(cfg.threads, cfg.batch);
  std::vector<std::unique_ptr<Executor>> executors;
  try {
    for (int w = 0; w < workers; ++w) executors.push_back(std::make_unique<Executor>(setup));
  } catch (const std::exception& e) {
    return Status::Invalid(e.what());
  }
  const std::vector<AgentIndex> attackers = executors.front()->attackers();

  // The corpus starts with the empty script: the environment alone.
  std::vector<CorpusEntry> corpus(1);
  std::array<std::size_t, kObjectiveCount> best_entry{};
  std::unordered_set<std::uint64_t> seen;
  FingerprintDedup dedup;
  std::set<std::string> detectors;  // names that fired so far

  std::uint64_t done = 0;
  std::vector<Planned> planned;
  std::vector<Outcome> outcomes;
  while (done < cfg.budget) {
    const auto batch = static_cast<std::size_t>(
        std::min<std::uint64_t>(static_cast<std::uint64_t>(cfg.batch), cfg.budget - done));
    planned.clear();
    for (std::size_t i = 0; i < batch; ++i) {
      const std::uint64_t n = done + i + 1;
      planned.push_back(plan_child(cfg, corpus, best_entry, attackers, n));
    }
    outcomes.clear();
    outcomes.resize(batch);
    std::vector<std::exception_ptr> failures(static_cast<std::size_t>(workers));
    const auto work = [&](int w) {
      try {
        for (std::size_t i = static_cast<std::size_t>(w); i < batch;
             i += static_cast<std::size_t>(workers)) {
          const Planned& p = planned[i];
          Outcome& o = outcomes[i];
          EpisodeResult episode;
          o.execution =
              executors[static_cast<std::size_t>(w)]->run(p.genome, p.mutation, p.seed, &episode);
          if (!o.execution.findings.empty()) {
            o.episode = std::make_unique<EpisodeResult>(std::move(episode));
          }
        }
      } catch (...) {
        failures[static_cast<std::size_t>(w)] = std::current_exception();
      }
    };
    if (workers == 1) {
      work(0);
    } else {
      std::vector<std::thread> pool;
      for (int w = 0; w < workers; ++w) pool.emplace_back(work, w);
      for (std::thread& t : pool) t.join();
    }
    for (const std::exception_ptr& f : failures) {
      if (!f) continue;
      try {
        std::rethrow_exception(f);
      } catch (const std::bad_alloc&) {
        return Status::Internal("hunt: out of memory");
      } catch (const std::exception& e) {
        return Status::Internal(fmt::format("hunt: an execution failed: {}", e.what()));
      }
    }

    // Merge in execution order: the result does not depend on the threads.
    for (std::size_t i = 0; i < batch; ++i) {
      const std::uint64_t n = done + i + 1;
      Outcome& o = outcomes[i];
      Execution& e = o.execution;
      bool novel = false;
      for (std::uint64_t f : e.features) novel = seen.insert(f).second || novel;
      std::vector<int> improved;
      for (int k = 0; k < kObjectiveCount; ++k) {
        const auto obj = static_cast<Objective>(k);
        ObjectiveBest& best = result.best[k];
        if (!better(e.scores[obj], e.genome.moves.size(), best)) continue;
        best.value = e.scores[obj];
        best.captured = e.scores.captured(obj);
        best.execution = n;
        best.moves = e.genome.moves.size();
        best.fingerprints.clear();
        for (const ExploitFinding& f : e.findings) best.fingerprints.push_back(f.fingerprint);
        improved.push_back(k);
      }
      if (o.episode) dedup.add(*o.episode, setup.options.matchup, cfg.roster, attackers);
      for (const ExploitFinding& f : e.findings) detectors.insert(f.name);
      // A new best always joins; a new feature joins while there is room.
      if (!improved.empty() || (novel && corpus.size() < kMaxCorpus)) {
        for (int k : improved) best_entry[static_cast<std::size_t>(k)] = corpus.size();
        corpus.push_back(CorpusEntry{std::move(e.genome), e.scores});
      }
    }
    done += batch;
    if (progress) {
      HuntProgress p;
      p.executions = done;
      p.budget = cfg.budget;
      p.corpus_size = corpus.size();
      p.findings = dedup.size();
      for (int k = 0; k < kObjectiveCount; ++k) p.best[k] = result.best[k].value;
      p.detectors.assign(detectors.begin(), detectors.end());
      progress(p);
    }
  }

  result.executions = done;
  result.corpus_size = corpus.size();
  result.features = seen.size();
  Reproduction run;
  run.n_turns = cfg.turns;
  run.initial_treasury = cfg.initial_treasury;
  run.kernel_name = result.kernel_name;
  run.kernel_version = result.kernel_version;
  run.kernel_hash = result.kernel_hash;
  run.engine_version = std::string(kEngineVersion);
  run.settings = cfg.settings;
  result.records = dedup.records(1, run);
  return result;
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
                   {"initial_balance_milli", cfg.settings.initial_balance}};
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
