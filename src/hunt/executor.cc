// One hunt execution; see executor.h.
#include "hunt/executor.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "fable/legal_moves.h"
#include "fable/legality.h"
#include "hunt/features.h"

namespace fable::hunt {

PlayedMoves::PlayedMoves(PlayedPtr before_moves, std::vector<Move> tail)
    : before(std::move(before_moves)),
      moves(std::move(tail)),
      total((before ? before->total : 0) + moves.size()) {}

Genome flatten(const PlayedMoves* played, std::size_t spare) {
  Genome g;
  if (!played) return g;
  std::vector<const PlayedMoves*> chain;
  for (const PlayedMoves* p = played; p; p = p->before.get()) chain.push_back(p);
  g.moves.reserve(played->total + spare);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    g.moves.insert(g.moves.end(), (*it)->moves.begin(), (*it)->moves.end());
  }
  return g;
}

// Plans the attackers' moves turn by turn: the genome's, plus insertions
// chosen from the legal moves, and records what was played.
void compose_items(const WorldState& world, AgentIndex self, LegalMoveSampler& legal, Rng& rng,
                   Action& proposal) {
  while (proposal.item_count < kMaxItems && rng.chance(kComposeChance)) {
    const std::optional<Action> other = legal.draw(rng);
    if (!other || other->kind != ActionKind::kPropose) continue;
    Action joined = proposal;
    joined.items[joined.item_count++] = other->items[0];
    if (check_action(world, self, joined).legal()) proposal = joined;
  }
}

class Controller {
 public:
  explicit Controller(std::vector<AgentIndex> attackers) : attackers_(std::move(attackers)) {}

  // `parent`: the genome's moves, sorted as a Genome's (read, not copied:
  // they must outlive the episode). `played`: the moves already played when
  // the episode resumes from a snapshot (empty from turn 1). Without `record`
  // the moves played are not kept (a probe's turn: nobody reads them).
  void start(std::span<const Move> parent, const Mutation& mutation, std::uint64_t seed,
             PlayedPtr played = nullptr, bool record = true) {
    record_ = record;
    parent_ = parent;
    mutation_ = &mutation;
    rng_ = Rng(seed);
    planned_turn_ = 0;
    next_move_ = 0;
    played_.moves.clear();
    // What is played is mostly the parent's moves and one per insertion (a
    // proposal's ballots come on top): room for that, as the genome may be
    // kept in the corpus with its capacity. (Resumed from a snapshot, the
    // moves before it are not recorded here: the room is then too much, but
    // the buffer is kept, not handed out; take_played copies from it.)
    if (record_) played_.moves.reserve(parent.size() + mutation.insertions.size());
    before_ = std::move(played);
    for (Plan& p : plans_) p.clear();
    plans_.resize(attackers_.size());
  }

  // The moves played so far, as a new link after those the episode resumed
  // from: copied, or taken (the controller then holds none until start()).
  PlayedPtr played() const { return std::make_shared<const PlayedMoves>(before_, played_.moves); }
  PlayedPtr take_played_link() {
    return std::make_shared<const PlayedMoves>(std::move(before_), std::move(played_.moves));
  }

  // Hands attacker `k` its plan for the turn after `world.turn` by swapping
  // it with `plan` (each attacker asks once a turn; the moves were recorded
  // when the turn was planned).
  void take_plan(const WorldState& world, int plan_length, std::size_t k, Plan& plan) {
    if (world.turn + 1 != planned_turn_) plan_turn(world, plan_length);
    plan.swap(plans_[k]);
  }

  // Every move played, from turn 1.
  Genome take_played() {
    if (!before_) return std::move(played_);
    Genome all = flatten(before_.get(), played_.moves.size());
    all.moves.insert(all.moves.end(), played_.moves.begin(), played_.moves.end());
    return all;
  }

 private:
  void plan_turn(const WorldState& w, int plan_length) {
    const int turn = w.turn + 1;
    planned_turn_ = turn;
    for (Plan& p : plans_) p.clear();
    // The genome's moves of this turn, placed as a ScriptedAgent places them.
    const std::span<const Move> moves = parent_;
    while (next_move_ < moves.size() && moves[next_move_].turn < turn) ++next_move_;
    for (; next_move_ < moves.size() && moves[next_move_].turn == turn; ++next_move_) {
      const Move& m = moves[next_move_];
      if (m.attacker < 0 || static_cast<std::size_t>(m.attacker) >= plans_.size()) continue;
      Plan& p = plans_[static_cast<std::size_t>(m.attacker)];
      const auto round = static_cast<std::size_t>(std::clamp(m.round, 0, kMaxPlanLength - 1));
      while (p.size() < round) p.emplace_back();  // a pass
      p.push_back(m.action);
    }
    for (const Insertion& ins : mutation_->insertions) {
      if (ins.turn == turn) insert(w, plan_length, ins.attacker);
    }
    if (!record_) return;
    for (std::size_t k = 0; k < plans_.size(); ++k) {
      for (std::size_t r = 0; r < plans_[k].size(); ++r) {
        if (plans_[k][r].kind == ActionKind::kPass) continue;
        Move& m = played_.moves.emplace_back();  // built in place: an Action is large
        m.turn = turn;
        m.round = static_cast<int>(r);
        m.attacker = static_cast<int>(k);
        m.action = plans_[k][r];
      }
    }
  }

  // The first free position of `p` at or after `from` (a pass or the end).
  static std::size_t free_slot(const Plan& p, std::size_t from) {
    for (std::size_t r = from; r < p.size(); ++r) {
      if (p[r].kind == ActionKind::kPass) return r;
    }
    return std::max(from, p.size());
  }

  static void place(Plan& p, std::size_t r, const Action& a) {
    while (p.size() <= r) p.emplace_back();  // a pass
    p[r] = a;
  }

  void insert(const WorldState& w, int plan_length, int attacker) {
    if (attacker < 0 || static_cast<std::size_t>(attacker) >= attackers_.size()) return;
    const auto k = static_cast<std::size_t>(attacker);
    const AgentIndex self = attackers_[k];
    const auto length = static_cast<std::size_t>(std::max(plan_length, 0));
    Plan& plan = plans_[k];
    const std::size_t slot = free_slot(plan, 0);
    if (slot >= length) return;
    allies_.clear();
    for (AgentIndex a : attackers_) {
      if (a != self) allies_.push_back(a);
    }
    sampler_.prepare(w, MoveContext{self, allies_}, PassMove::kLeaveOut);
    const std::optional<Action> drawn = sampler_.draw(rng_);
    if (!drawn) return;
    Action chosen = *drawn;
    if (chosen.kind == ActionKind::kPropose) compose_items(w, self, sampler_, rng_, chosen);
    place(plan, slot, chosen);
    if (chosen.kind != ActionKind::kPropose) return;
    // The allies back their own side's proposal in the next position.
    std::int32_t ordinal = 0;
    for (std::size_t r = 0; r < slot; ++r) ordinal += plan[r].kind == ActionKind::kPropose ? 1 : 0;
    const Action ballot =
        Action::vote(ProposalRef::by_origin(self, planned_turn_, ordinal), Choice::kYes);
    for (std::size_t j = 0; j < attackers_.size(); ++j) {
      if (j == k || !w.on_roll(attackers_[j])) continue;
      const std::size_t r = free_slot(plans_[j], slot + 1);
      if (r < length) place(plans_[j], r, ballot);
    }
  }

  std::vector<AgentIndex> attackers_;
  bool record_ = true;
  std::span<const Move> parent_;
  const Mutation* mutation_ = nullptr;
  Rng rng_;
  int planned_turn_ = 0;
  std::size_t next_move_ = 0;
  std::vector<Plan> plans_;
  PlayedPtr before_;  // the moves of the turns the episode resumed after
  Genome played_;     // the moves played since
  std::vector<AgentIndex> allies_;
  LegalMoveSampler sampler_;  // the legal moves of the insertion being made
};

namespace {

// An attacker whose moves the search chooses: it plays its controller's plan.
class SearchAgent final : public Agent {
 public:
  SearchAgent(std::string id, AgentRole role, Controller& controller, std::size_t k)
      : Agent(std::move(id), role), controller_(controller), k_(k) {}

  void act(const Observation& obs, Rng& rng, Plan& plan) override {
    (void)rng;  // the search draws from its own stream
    controller_.take_plan(obs.world, obs.plan_length, k_, plan);
  }

 private:
  Controller& controller_;
  std::size_t k_;
};

}  // namespace

Executor::Executor(const ExecutionSetup& setup)
    : setup_(setup), population_(make_population(setup.roster)), suite_(default_suite()) {
  is_attacker_.assign(population_.size(), false);
  for (std::size_t i = 0; i < population_.size(); ++i) {
    ids_.push_back(population_[i]->id());
    if (population_[i]->role().name() == kAttackerRole) {
      attackers_.push_back(static_cast<AgentIndex>(i));
      is_attacker_[i] = true;
    } else if (!population_[i]->clone()) {
      can_snapshot_ = false;
    }
  }
  if (attackers_.empty()) throw std::invalid_argument("hunt: the roster has no attacker");
  if (can_snapshot_) {
    prototypes_.resize(population_.size());
    for (std::size_t i = 0; i < population_.size(); ++i) {
      if (!is_attacker_[i]) prototypes_[i] = population_[i]->clone();
    }
  }
  controller_ = std::make_unique<Controller>(attackers_);
  for (std::size_t k = 0; k < attackers_.size(); ++k) {
    auto& slot = population_[static_cast<std::size_t>(attackers_[k])];
    slot = std::make_unique<SearchAgent>(slot->id(), slot->role(), *controller_, k);
  }
}

Executor::~Executor() = default;

Snapshot Executor::save(EpisodePlay play) const {
  Snapshot s{std::move(play), Population{}, controller_->played(), ObjectiveProgress{}};
  if (!can_snapshot_) return s;
  s.agents.resize(population_.size());
  for (std::size_t i = 0; i < population_.size(); ++i) {
    if (!is_attacker_[i]) s.agents[i] = population_[i]->clone();
  }
  return s;
}

Snapshot Executor::save_spent(EpisodePlay play) {
  if (!can_snapshot_) return save(std::move(play));
  // The agents and the moves go into the snapshot as they are: the next
  // episode restores agents from a snapshot or refills them (refill()).
  Snapshot s{std::move(play), Population(population_.size()), controller_->take_played_link(),
             ObjectiveProgress{}};
  for (std::size_t i = 0; i < population_.size(); ++i) {
    if (!is_attacker_[i]) s.agents[i] = std::move(population_[i]);
  }
  spent_ = true;
  return s;
}

void Executor::refill() {
  if (!spent_) return;
  // Any agent of the kind will do at turn 1: an agent forgets the previous
  // episode when its turn 1 comes (Agent::act).
  for (std::size_t i = 0; i < population_.size(); ++i) {
    if (!is_attacker_[i]) population_[i] = prototypes_[i]->clone();
  }
  spent_ = false;
}

void Executor::restore(const Snapshot& s) {
  for (std::size_t i = 0; i < population_.size(); ++i) {
    if (is_attacker_[i]) continue;
    if (!population_[i] || !population_[i]->assign_from(*s.agents[i])) {
      population_[i] = s.agents[i]->clone();
    }
  }
  spent_ = false;
}

Execution Executor::score(EpisodeResult r, Genome played, EpisodeResult* episode) {
  Execution e;
  e.genome = std::move(played);
  // score_episode has measured the red team already; it is the attackers
  // unless the roster has other red roles.
  e.scores =
      r.trace.red_team() == attackers_ ? r.score.objectives : score_objectives(r.trace, attackers_);
  e.coverage.add_episode(r.trace);
  e.features = execution_features(r.trace, attackers_, e.coverage, e.scores, r.findings);
  // The detectors ran without texts: an episode handed back for the dedup
  // gets them when one of its findings may be kept (DedupCandidates).
  if (episode && !r.findings.empty() && candidates_.note_all(r.findings)) {
    LazyEpisodeScore again(r.trace, r.score.objectives);
    r.findings = suite_.run(r.trace, again);
  }
  e.findings = r.findings;
  if (episode) {
    *episode = std::move(r);
  } else {
    episodes_.recycle(std::move(r));
  }
  return e;
}

std::optional<EpisodePlay> Executor::begin_play(const Snapshot* from) {
  std::optional<EpisodePlay> play;
  if (from) {
    if (spare_plays_.empty()) {
      play.emplace(from->play);
    } else {
      // The copy assignment keeps the spare's storage and the histories of
      // the turns it shares with `from` (EpisodePlay::operator=): the spare
      // that shares the most is taken (the latest recycled on a tie).
      std::size_t best = spare_plays_.size() - 1;
      std::size_t most = spare_plays_[best]->states_shared_with(from->play);
      for (std::size_t i = best; i-- > 0;) {
        const std::size_t shared = spare_plays_[i]->states_shared_with(from->play);
        if (shared > most) {
          best = i;
          most = shared;
        }
      }
      play.emplace(std::move(*spare_plays_[best]));
      spare_plays_.erase(spare_plays_.begin() + static_cast<std::ptrdiff_t>(best));
      *play = from->play;
    }
    restore(*from);
  } else {
    refill();
    play.emplace(setup_.kernel, population_, setup_.episode_seed, setup_.options, episodes_);
  }
  return play;
}

Execution Executor::run(const Genome& parent, const Mutation& mutation, std::uint64_t mutation_seed,
                        EpisodeResult* episode, const Snapshot* from, std::span<const int> save_at,
                        std::vector<SnapshotPtr>* saved) {
  const bool resume = from != nullptr && !from->agents.empty();
  controller_->start(parent.moves, mutation, mutation_seed, resume ? from->played : nullptr);
  std::optional<EpisodePlay> play = begin_play(resume ? from : nullptr);
  std::size_t next_save = 0;
  while (!play->done()) {
    play->play_turn(population_);
    while (next_save < save_at.size() && save_at[next_save] < play->turn()) ++next_save;
    if (saved && can_snapshot_ && next_save < save_at.size() &&
        save_at[next_save] == play->turn()) {
      saved->push_back(std::make_shared<const Snapshot>(save(*play)));
    }
  }
  Genome played = controller_->take_played();
  return score(play->finish_scoring_as_read(suite_, FindingTexts::kSkip), std::move(played),
               episode);
}

Snapshot Executor::extend(const Snapshot* from, const std::vector<Move>& moves) {
  const bool resume = from != nullptr && !from->agents.empty();
  // What the attackers play from where the episode starts: the turn's moves,
  // after all the earlier ones when the state is rebuilt from turn 1.
  Genome rebuilt;
  if (!resume && from) {
    rebuilt = flatten(from->played.get(), moves.size());
    rebuilt.moves.insert(rebuilt.moves.end(), moves.begin(), moves.end());
  }
  const Mutation none;
  controller_->start(resume || !from ? std::span<const Move>(moves) : rebuilt.moves, none, 0,
                     resume ? from->played : nullptr);
  std::optional<EpisodePlay> play = begin_play(resume ? from : nullptr);
  const int target = (from ? from->play.turn() : 0) + 1;
  while (play->turn() < target && !play->done()) play->play_turn(population_);
  // The objectives read on from the parent's (or from turn 0 when rebuilt).
  ObjectiveProgress progress =
      resume ? from->progress : ObjectiveProgress(play->trace(), attackers_);
  progress.advance(play->trace());
  Snapshot s = save_spent(std::move(*play));
  s.progress = std::move(progress);
  return s;
}

Executor::Probe Executor::probe(const Snapshot& from, const std::vector<Move>& moves) {
  controller_->start(moves, probe_none_, 0, from.played, /*record=*/false);
  restore(from);
  if (!scratch_play_) {
    scratch_play_.emplace(from.play);
  } else {
    *scratch_play_ = from.play;  // copies the turns the scratch does not share with it
  }
  EpisodePlay& play = *scratch_play_;
  if (!play.done()) play.play_turn(population_);
  scratch_progress_ = from.progress;
  scratch_progress_.advance(play.trace());
  return {scratch_progress_.scores(), play.trace().digests.back()};
}

Snapshot Executor::initial() {
  const Genome none;
  controller_->start(none.moves, Mutation{}, 0);
  refill();
  Snapshot s = save(EpisodePlay(setup_.kernel, population_, setup_.episode_seed, setup_.options));
  s.progress = ObjectiveProgress(s.play.trace(), attackers_);
  s.progress.advance(s.play.trace());
  return s;
}

EpisodeScore Executor::score_of(const Snapshot& state) const {
  const EpisodeTrace& trace = state.play.trace();
  return trace.red_team() == attackers_ ? score_episode(trace, state.progress.scores())
                                        : score_episode(trace);
}

std::vector<std::string_view> Executor::new_detectors(const Snapshot& state,
                                                      std::span<const std::string> known) const {
  const EpisodeTrace& trace = state.play.trace();
  if (trace.snapshots.empty()) return {};
  if (trace.red_team() != attackers_) return suite_.firing(trace, score_episode(trace), known);
  // The score is worked out only if a detector run reads more than the
  // objectives (score_of's, on demand).
  LazyEpisodeScore score(trace, state.progress.scores());
  return suite_.firing(trace, score, known);
}

void Executor::recycle(Snapshot&& spent) {
  if (spare_plays_.size() < kMaxSparePlays) {
    spare_plays_.push_back(std::make_unique<EpisodePlay>(std::move(spent.play)));
  }
}

Execution Executor::finish(Snapshot state, EpisodeResult* episode) {
  Genome played = flatten(state.played.get());
  state.played.reset();
  return score(state.play.finish_scoring_as_read(suite_, FindingTexts::kSkip), std::move(played),
               episode);
}

}  // namespace fable::hunt
