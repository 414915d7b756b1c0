// run_episode and EpisodePlay: the seed's episode loop, whole or a turn at a time.
#include "fable/episode.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "fable/episode_scratch.h"

namespace fable {

namespace {

std::vector<std::string> ids_of(const Population& agents) {
  std::vector<std::string> ids;
  ids.reserve(agents.size());
  for (const auto& agent : agents) ids.push_back(agent->id());
  return ids;
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
      turns_(other.turns_),
      plan_length_(other.plan_length_) {
  recorder_.emplace(TraceRecorder::resume(result_.trace, env_));
}

EpisodePlay& EpisodePlay::operator=(const EpisodePlay& other) {
  if (this == &other) return *this;
  recorder_.reset();  // bound to result_.trace and env_, about to change
  result_ = other.result_;
  env_ = other.env_;
  rngs_ = other.rngs_;
  red_ = other.red_;
  team_ = other.team_;
  plans_.resize(other.plans_.size());
  population_ = other.population_;
  honest_ = other.honest_;
  turns_ = other.turns_;
  plan_length_ = other.plan_length_;
  recorder_.emplace(TraceRecorder::resume(result_.trace, env_));
  return *this;
}

void EpisodePlay::rewind_to(const EpisodePlay& origin) {
  if (this == &origin) return;
  recorder_.reset();  // bound to result_.trace and env_, about to change
  result_.trace.rewind_to(origin.result_.trace);
  env_.rewind_to(origin.env_);
  rngs_ = origin.rngs_;
  team_ = origin.team_;
  population_ = origin.population_;
  // red_, honest_, turns_, plan_length_ and the plans' count are fixed at
  // construction; plans_ is scratch, refilled by every turn.
  recorder_.emplace(TraceRecorder::resume(result_.trace, env_));
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
}

EpisodeResult EpisodePlay::finish(const DetectorSuite& suite, FindingTexts texts) {
  result_.score = score_episode(result_.trace);
  result_.findings = suite.run(result_.trace, result_.score, texts);
  recorder_.reset();
  return std::move(result_);
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
