// run_episode: the seed's episode loop.
#include "fable/episode.h"

#include <algorithm>
#include <cassert>

namespace fable {

EpisodeResult run_episode(const Kernel& kernel, Population& agents, std::uint64_t seed,
                          const EpisodeOptions& options, const DetectorSuite& suite) {
  assert(!agents.empty());
  std::vector<std::string> ids;
  ids.reserve(agents.size());
  EpisodeResult result;
  result.matchup = options.matchup;
  result.seed = seed;
  EpisodeTrace& trace = result.trace;
  trace.matchup = options.matchup;
  trace.engine_version = std::string(kEngineVersion);
  std::vector<AgentIndex> red;
  for (std::size_t i = 0; i < agents.size(); ++i) {
    ids.push_back(agents[i]->id());
    const AgentRole role = agents[i]->plays();
    trace.participants.push_back({agents[i]->id(), role, std::string(role_objective(role))});
    if (is_red_team(role)) red.push_back(static_cast<AgentIndex>(i));
  }

  Environment env(kernel, ids, options.initial_treasury, seed, options.settings);
  const auto snapshots = static_cast<std::size_t>(std::max(options.turns, 0)) + 1;
  trace.snapshots.reserve(snapshots);
  trace.digests.reserve(snapshots);
  TraceRecorder recorder(trace, env);
  std::vector<Rng> rngs;
  rngs.reserve(agents.size());
  for (const auto& agent : agents) rngs.push_back(agent_rng(seed, agent->id()));

  // The red team's shared view, refreshed once per turn before anyone acts.
  TeamView team(red, agents.size());

  std::vector<Plan> plans(agents.size());
  for (int turn = 0; turn < options.turns; ++turn) {
    if (!red.empty()) team.refresh(env.state());
    for (std::size_t i = 0; i < agents.size(); ++i) {
      plans[i].clear();
      const bool on_team = team.contains(static_cast<AgentIndex>(i));
      const Observation obs{env.state(), static_cast<AgentIndex>(i), on_team ? &team : nullptr,
                            options.settings.plan_length};
      agents[i]->act(obs, rngs[i], plans[i]);
    }
    const std::size_t before = env.state().log.size();
    env.step(plans);
    deliver_events(agents, env.state().proposals, env.events().subspan(before));
    recorder.after_step();
  }

  result.score = score_episode(trace);
  result.findings = suite.run(trace, result.score);
  return result;
}

}  // namespace fable
