// run_episode and EpisodePlay: the seed's episode loop, whole or a turn at a time.
#include "fable/episode.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <utility>

#include "fable/episode_scratch.h"
#include "fable/objectives.h"

namespace fable {

namespace {

std::vector<std::string> ids_of(const Population& agents) {
  std::vector<std::string> ids;
  ids.reserve(agents.size());
  for (const auto& agent : agents) ids.push_back(agent->id());
  return ids;
}

// Ids of the states plays reach (EpisodePlay::lineage_): distinct across the
// process. They only choose what a copy skips, never a result.
std::uint64_t next_state_id() {
  // Each thread takes the ids in blocks: one shared add per kBlock turns.
  constexpr std::uint64_t kBlock = 4096;
  static std::atomic<std::uint64_t> taken{0};
  thread_local std::uint64_t next = 0;
  thread_local std::uint64_t end = 0;
  if (next == end) {
    next = taken.fetch_add(kBlock, std::memory_order_relaxed) + 1;
    end = next + kBlock;
  }
  return next++;
}

}  // namespace

EpisodePlay::EpisodePlay(const Kernel& kernel, const Population& agents, std::uint64_t seed,
                         const EpisodeOptions& options)
    : EpisodePlay(kernel, agents, seed, options, EpisodeResult{}, nullptr) {}

EpisodePlay::EpisodePlay(const Kernel& kernel, const Population& agents, std::uint64_t seed,
                         const EpisodeOptions& options, EpisodeScratch& scratch)
    : EpisodePlay(kernel, agents, seed, options, scratch.take(), &scratch.trace_spares()) {}

EpisodePlay::EpisodePlay(const Kernel& kernel, const Population& agents, std::uint64_t seed,
                         const EpisodeOptions& options, EpisodeResult storage, TraceSpares* spares)
    : result_(std::move(storage)),
      env_(kernel, ids_of(agents), options.initial_treasury, seed, options.settings),
      population_(options.population),
      turns_(options.turns),
      plan_length_(options.settings.plan_length) {
  assert(!agents.empty());
  result_.matchup = options.matchup;
  result_.seed = seed;
  EpisodeTrace& trace = result_.trace;
  trace.matchup = options.matchup;
  trace.engine_version = kEngineVersion;
  trace.population = options.population;
  // Assigned field by field: a reused participant keeps its strings' storage.
  trace.participants.resize(agents.size());
  for (std::size_t i = 0; i < agents.size(); ++i) {
    const AgentRole role = agents[i]->plays();
    ParticipantInfo& p = trace.participants[i];
    p.id = agents[i]->id();
    p.role = role;
    p.objective = role_objective(role);
    if (is_red_team(role)) red_.push_back(static_cast<AgentIndex>(i));
    if (role.name() == kHonestRole) honest_.push_back(static_cast<AgentIndex>(i));
  }
  const auto snapshots = static_cast<std::size_t>(std::max(options.turns, 0)) + 1;
  trace.snapshots.reserve(snapshots);
  trace.digests.reserve(snapshots);
  recorder_.emplace(trace, env_, spares);
  rngs_.reserve(agents.size());
  for (const auto& agent : agents) rngs_.push_back(agent_rng(seed, agent->id()));
  // The red team's shared view, refreshed once per turn before anyone acts.
  team_ = TeamView(red_, agents.size());
  plans_.resize(agents.size());
  lineage_.reserve(snapshots);
  lengths_.reserve(snapshots);
  mark_turn();
}

void EpisodePlay::mark_turn() {
  const WorldState& w = env_.state();
  lineage_.push_back(next_state_id());
  lengths_.push_back({result_.trace.lengths(),
                      {w.log.size(), w.refused_proposals.size(), w.closed_prefix()},
                      env_.digests().size()});
}

EpisodePlay::EpisodePlay(const EpisodePlay& other)
    : result_(other.result_),
      env_(other.env_),
      rngs_(other.rngs_),
      red_(other.red_),
      team_(other.team_),
      plans_(other.plans_.size()),
      population_(other.population_),
      honest_(other.honest_),
      lineage_(other.lineage_),
      lengths_(other.lengths_),
      turns_(other.turns_),
      plan_length_(other.plan_length_) {
  recorder_.emplace(TraceRecorder::resume(result_.trace, env_));
}

EpisodePlay::EpisodePlay(EpisodePlay&& other) noexcept
    : result_(std::move(other.result_)),
      env_(std::move(other.env_)),
      rngs_(std::move(other.rngs_)),
      red_(std::move(other.red_)),
      team_(std::move(other.team_)),
      plans_(std::move(other.plans_)),
      population_(std::move(other.population_)),
      honest_(std::move(other.honest_)),
      lineage_(std::move(other.lineage_)),
      lengths_(std::move(other.lengths_)),
      turns_(other.turns_),
      plan_length_(other.plan_length_) {
  recorder_.emplace(TraceRecorder::resume(result_.trace, env_));
}

std::size_t EpisodePlay::states_shared_with(const EpisodePlay& other) const {
  // Two plays' states agree up to some turn and differ from the next on (a
  // state id is never drawn twice).
  std::size_t shared = 0;
  const std::size_t n = std::min(lineage_.size(), other.lineage_.size());
  while (shared < n && lineage_[shared] == other.lineage_[shared]) ++shared;
  return shared;
}

EpisodePlay& EpisodePlay::operator=(const EpisodePlay& other) {
  if (this == &other) return *this;
  recorder_.reset();  // bound to result_.trace and env_, about to change
  const std::size_t shared = states_shared_with(other);
  const Lengths kept = shared == 0 ? Lengths{} : lengths_[shared - 1];  // other's as well
  // No id vouches for this play's histories until the copy is done (one
  // that throws midway leaves them neither this play's nor other's).
  lineage_.clear();
  lengths_.clear();
  if (shared == 0) {
    result_ = other.result_;
    env_ = other.env_;
  } else {
    result_.matchup = other.result_.matchup;
    result_.seed = other.result_.seed;
    result_.score = other.result_.score;
    result_.findings = other.result_.findings;
    result_.rendered = other.result_.rendered;
    result_.trace.assign_after(other.result_.trace, kept.trace);
    env_.assign_after(other.env_, kept.world, kept.digests);
  }
  rngs_ = other.rngs_;
  red_ = other.red_;
  team_ = other.team_;
  plans_.resize(other.plans_.size());
  population_ = other.population_;
  honest_ = other.honest_;
  lineage_ = other.lineage_;
  lengths_ = other.lengths_;
  turns_ = other.turns_;
  plan_length_ = other.plan_length_;
  recorder_.emplace(TraceRecorder::resume(result_.trace, env_));
  return *this;
}

void EpisodePlay::rewind_to(const EpisodePlay& origin) {
  // origin's states are this play's first ones: operator= keeps their
  // histories and cuts the rest.
  assert(origin.lineage_.size() <= lineage_.size() && !origin.lineage_.empty() &&
         lineage_[origin.lineage_.size() - 1] == origin.lineage_.back());
  *this = origin;
}

EpisodePlay::~EpisodePlay() = default;

void EpisodePlay::play_turn(Population& agents) {
  assert(!done() && agents.size() == plans_.size());
  if (!red_.empty()) team_.refresh(env_.state());
  for (std::size_t i = 0; i < agents.size(); ++i) {
    plans_[i].clear();
    const bool on_team = team_.contains(static_cast<AgentIndex>(i));
    const Observation obs{env_.state(),
                          static_cast<AgentIndex>(i),
                          on_team ? &team_ : nullptr,
                          plan_length_,
                          &population_,
                          honest_};
    agents[i]->act(obs, rngs_[i], plans_[i]);
  }
  const std::size_t before = env_.state().log.size();
  env_.step(plans_);
  deliver_events(agents, env_.state().proposals, env_.events().subspan(before));
  recorder_->after_step();
  mark_turn();
}

EpisodeResult EpisodePlay::finish(const DetectorSuite& suite, FindingTexts texts) {
  result_.score = score_episode(result_.trace);
  result_.findings = suite.run(result_.trace, result_.score, texts);
  return hand_over();
}

EpisodeResult EpisodePlay::hand_over() {
  recorder_.reset();
  lineage_.clear();  // the histories leave with the result
  lengths_.clear();
  return std::move(result_);
}

EpisodeResult EpisodePlay::finish_scoring_as_read(const DetectorSuite& suite, FindingTexts texts) {
  // score_episode scores nothing of a trace without snapshots (all zero).
  if (result_.trace.snapshots.empty()) return finish(suite, texts);
  LazyEpisodeScore score(result_.trace, score_objectives(result_.trace, result_.trace.red_team()));
  result_.findings = suite.run(result_.trace, score, texts);
  result_.score = score.take();
  return hand_over();
}

EpisodeResult run_episode(const Kernel& kernel, Population& agents, std::uint64_t seed,
                          const EpisodeOptions& options, const DetectorSuite& suite,
                          FindingTexts texts) {
  EpisodePlay play(kernel, agents, seed, options);
  while (!play.done()) play.play_turn(agents);
  return play.finish(suite, texts);
}

EpisodeResult run_episode(const Kernel& kernel, Population& agents, std::uint64_t seed,
                          const EpisodeOptions& options, const DetectorSuite& suite,
                          FindingTexts texts, EpisodeScratch& scratch) {
  EpisodePlay play(kernel, agents, seed, options, scratch);
  while (!play.done()) play.play_turn(agents);
  return play.finish(suite, texts);
}

}  // namespace fable
