// The hunt's lookahead; see beam.h.
#include "hunt/beam.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <span>
#include <string_view>
#include <unordered_set>

#include "base/hash.h"
#include "fable/legal_moves.h"

namespace fable::hunt {

namespace {

constexpr double kCallChance = 0.5;

// One child: which state, which candidate, and what it became.
struct Child {
  std::size_t parent = 0;
  const std::vector<Move>* moves = nullptr;  // the turn's, in the pass's `options`
  std::optional<Snapshot> state;
  ObjectiveScores scores;
  std::uint64_t digest = 0;
  std::uint64_t key = 0;  // tie-break drawn from the pass's stream
};

// The candidates of one state (see beam.h): how many, made into out[0],
// out[1], ... (out's vectors are kept, their storage reused from call to
// call: a candidate with its ballots is kilobytes of moves). `legal` is the
// worker's sampler (its storage kept from call to call).
std::size_t candidates(const BeamSettings& cfg, std::uint64_t pass, std::size_t rank,
                       const Snapshot& state, std::span<const AgentIndex> attackers,
                       LegalMoveSampler& legal, std::vector<std::vector<Move>>& out) {
  const WorldState& w = state.play.world();
  const int turn = w.turn + 1;
  const auto budget = static_cast<std::size_t>(cfg.branching);
  // out[0] stays empty: doing nothing.
  for (std::vector<Move>& c : out) c.clear();
  if (out.size() < budget) out.resize(budget);
  std::size_t used = 1;
  Rng rng(derive_seed(cfg.seed, fmt::format("hunt/beam/{}/{}/{}", pass, turn, rank)));
  std::size_t on_roll = 0;  // attackers on the roll
  for (const AgentIndex a : attackers) on_roll += w.on_roll(a) ? 1 : 0;
  if (on_roll == 0) return used;
  // One lead per state and turn, drawn among the attackers on the roll: its
  // legal moves are listed once.
  std::size_t k = 0;
  for (auto nth = static_cast<std::size_t>(rng.below(on_roll)); k < attackers.size(); ++k) {
    if (w.on_roll(attackers[k]) && nth-- == 0) break;
  }
  const AgentIndex self = attackers[k];
  std::vector<AgentIndex> allies;
  allies.reserve(attackers.size());
  for (AgentIndex a : attackers) {
    if (a != self) allies.push_back(a);
  }
  legal.prepare(w, MoveContext{self, allies}, PassMove::kLeaveOut);
  while (used < budget) {
    const std::optional<Action> drawn = legal.draw(rng);
    if (!drawn) break;  // nothing legal: only the first draw can find that
    std::vector<Move>& c = out[used++];
    if (drawn->kind != ActionKind::kPropose) {
      c.push_back({turn, 0, static_cast<int>(k), *drawn});
      continue;
    }
    Action chosen = *drawn;
    compose_items(w, self, legal, rng, chosen);
    const ProposalRef ref = ProposalRef::by_origin(self, turn, 0);
    const bool call = cfg.plan_length >= 3 && rng.chance(kCallChance);
    // Built in (attacker, round) order: the lead's proposal and call among
    // the allies' ballots.
    c.reserve(attackers.size() + 1);
    for (std::size_t j = 0; j < attackers.size(); ++j) {
      if (j == k) {
        c.push_back({turn, 0, static_cast<int>(k), chosen});
        if (call) c.push_back({turn, 2, static_cast<int>(k), Action::call_question(ref)});
      } else if (cfg.plan_length >= 2 && w.on_roll(attackers[j])) {
        c.push_back({turn, 1, static_cast<int>(j), Action::vote(ref, Choice::kYes)});
      }
    }
  }
  return used;
}

double total(const ObjectiveScores& s) {
  return std::accumulate(s.value.begin(), s.value.end(), 0.0);
}

}  // namespace

BeamPassResult run_beam_pass(const BeamSettings& cfg, std::uint64_t pass, const BeamKnown& known,
                             std::vector<std::unique_ptr<Executor>>& executors, WorkerPool& pool) {
  BeamPassResult result;
  const std::vector<AgentIndex>& attackers = executors.front()->attackers();
  const auto pursued = cfg.objective ? static_cast<std::size_t>(*cfg.objective)
                                     : static_cast<std::size_t>(pass % kObjectiveCount);
  Rng keys(derive_seed(cfg.seed, fmt::format("hunt/beam/{}/keys", pass)));
  std::vector<Snapshot> beam;
  beam.push_back(executors.front()->initial());
  const bool probe = !beam.front().agents.empty();
  // By state: how many detectors fire on its trace that had not fired in
  // the hunt (read only where the ranking needs it, below).
  std::vector<int> novelty(1, 0);
  std::vector<std::vector<std::vector<Move>>> options;    // by state: its candidates
  std::vector<std::size_t> made;                          // by state: how many
  std::vector<LegalMoveSampler> legal(executors.size());  // by worker
  std::vector<Child> children;
  for (int t = 0; t < cfg.turns; ++t) {
    // Kept from turn to turn (their storage reused): the children of this
    // turn point into them.
    if (options.size() < beam.size()) options.resize(beam.size());
    made.resize(beam.size());
    pool.run(beam.size(), [&](int worker, std::size_t i) {
      made[i] = candidates(cfg, pass, i, beam[i], attackers,
                           legal[static_cast<std::size_t>(worker)], options[i]);
    });
    children.clear();
    // The children of state i are [first_child[i], first_child[i + 1]).
    std::vector<std::size_t> first_child(beam.size() + 1, 0);
    for (std::size_t i = 0; i < beam.size(); ++i) {
      first_child[i] = children.size();
      for (std::size_t j = 0; j < made[i]; ++j) {
        const std::vector<Move>& m = options[i][j];
        Child c;
        c.parent = i;
        c.moves = &m;
        c.key = keys.next_u64();
        children.push_back(std::move(c));
      }
    }
    first_child[beam.size()] = children.size();
    // Every child is probed (played in a worker's scratch episode); only
    // those kept are extended into states below. A worker takes all the
    // children of a state: it copies the state into its scratch episode once
    // and only cuts the probed turn off between them (Executor::probe;
    // EpisodePlay::operator= copies what the two do not share). Without
    // agent copies a state is rebuilt from turn 1, so each child is extended
    // at once, one task a child (grouping them would save nothing and idle
    // workers).
    if (probe) {
      pool.run(beam.size(), [&](int worker, std::size_t parent) {
        Executor& ex = *executors[static_cast<std::size_t>(worker)];
        for (std::size_t i = first_child[parent]; i < first_child[parent + 1]; ++i) {
          Child& c = children[i];
          const Executor::Probe p = ex.probe(beam[c.parent], *c.moves);
          c.scores = p.scores;
          c.digest = p.digest;
        }
      });
    } else {
      pool.run(children.size(), [&](int worker, std::size_t i) {
        Child& c = children[i];
        c.state.emplace(
            executors[static_cast<std::size_t>(worker)]->extend(&beam[c.parent], *c.moves));
        c.scores = c.state->progress.scores();
        c.digest = c.state->play.trace().digests.back();
      });
    }
    result.turns_played += children.size();
    // Drop children that reach a world reached before, then rank.
    std::unordered_set<std::uint64_t> reached;
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < children.size(); ++i) {
      if (reached.insert(children[i].digest).second) order.push_back(i);
    }
    // The parents' novelty (the detectors new to the hunt that fire on their
    // traces) only orders children of different parents whose pursued
    // values tie, and only matters for a tie that reaches into the `width`
    // kept: a tie whose children all have `width` or more children above
    // them is cut off whatever its order. It is read for those parents alone, and the kept
    // states and their order are those that reading every parent gives.
    if (t > 0) {
      std::vector<std::size_t> by_value = order;
      std::stable_sort(by_value.begin(), by_value.end(), [&](std::size_t a, std::size_t b) {
        return children[a].scores.value[pursued] < children[b].scores.value[pursued];
      });
      std::vector<char> wanted(beam.size(), 0);
      for (std::size_t lo = 0; lo < by_value.size();) {
        std::size_t hi = lo + 1;
        const double v = children[by_value[lo]].scores.value[pursued];
        bool mixed = false;
        while (hi < by_value.size() && children[by_value[hi]].scores.value[pursued] == v) {
          mixed = mixed || children[by_value[hi]].parent != children[by_value[lo]].parent;
          ++hi;
        }
        // Children above this tie: those after it in ascending order.
        const bool reaches_kept = by_value.size() - hi < static_cast<std::size_t>(cfg.width);
        if (mixed && reaches_kept) {
          for (std::size_t j = lo; j < hi; ++j) wanted[children[by_value[j]].parent] = 1;
        }
        lo = hi;
      }
      std::vector<std::size_t> read;
      for (std::size_t i = 0; i < beam.size(); ++i) {
        if (wanted[i]) read.push_back(i);
      }
      pool.run(read.size(), [&](int worker, std::size_t k) {
        const std::size_t i = read[k];
        novelty[i] = static_cast<int>(executors[static_cast<std::size_t>(worker)]
                                          ->new_detectors(beam[i], known.detectors)
                                          .size());
      });
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const Child& x = children[a];
      const Child& y = children[b];
      if (x.scores.value[pursued] != y.scores.value[pursued]) {
        return x.scores.value[pursued] > y.scores.value[pursued];
      }
      if (novelty[x.parent] != novelty[y.parent]) return novelty[x.parent] > novelty[y.parent];
      const double tx = total(x.scores);
      const double ty = total(y.scores);
      if (tx != ty) return tx > ty;
      return x.key < y.key;
    });
    order.resize(std::min(order.size(), static_cast<std::size_t>(cfg.width)));
    if (probe) {
      pool.run(order.size(), [&](int worker, std::size_t k) {
        Child& c = children[order[k]];
        c.state.emplace(
            executors[static_cast<std::size_t>(worker)]->extend(&beam[c.parent], *c.moves));
      });
    }
    std::vector<Snapshot> next;
    next.reserve(order.size());
    for (std::size_t i : order) next.push_back(std::move(*children[i].state));
    // The states left behind lend their storage to the next turn's copies
    // (states are copied only when agents can be: otherwise they are rebuilt).
    if (probe) {
      for (std::size_t i = 0; i < beam.size(); ++i) {
        executors[i % executors.size()]->recycle(std::move(beam[i]));
      }
    }
    beam = std::move(next);
    // The detectors read the kept states (not every child: the ranking of
    // the next turn uses what a child's parent had found), when the next
    // turn's ranking needs it (above).
    novelty.assign(beam.size(), 0);
  }
  result.playouts.resize(beam.size());
  pool.run(beam.size(), [&](int worker, std::size_t i) {
    BeamPlayout& p = result.playouts[i];
    EpisodeResult episode;
    p.execution = executors[static_cast<std::size_t>(worker)]->finish(std::move(beam[i]), &episode);
    if (!p.execution.findings.empty())
      p.episode = std::make_unique<EpisodeResult>(std::move(episode));
  });
  const auto turns = static_cast<std::uint64_t>(std::max(cfg.turns, 1));
  result.executions =
      std::max<std::uint64_t>((result.turns_played + turns - 1) / turns, result.playouts.size());
  return result;
}

}  // namespace fable::hunt
