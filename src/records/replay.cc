// Replaying exploit records against a kernel; see include/fable/replay.h.
#include "fable/replay.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "base/id_table.h"

namespace fable {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kReproduces:
      return "reproduces";
    case Verdict::kBlocked:
      return "blocked";
    case Verdict::kStale:
      return "stale";
  }
  return "?";
}

Result<Population> reproduction_population(const Reproduction& r) {
  Population pop = make_population(r.roster);
  // Agents by id (a roster may hold 100,000, and so may the perpetrators).
  // The ids are copied: the agents they came from are replaced below.
  std::vector<std::string> ids;
  ids.reserve(pop.size());
  for (const auto& a : pop) ids.push_back(a->id());
  const IdTable by_id(ids);
  for (const std::string& id : r.perpetrators) {
    const std::optional<std::size_t> found = by_id.find(id);
    if (!found) {
      return Status::Precondition(
          fmt::format("perpetrator '{}' is not in roster {}", id, r.roster.to_string()));
    }
    const auto it = pop.begin() + static_cast<std::ptrdiff_t>(*found);
    const auto script = r.scripts.find(id);
    std::vector<ScriptStep> steps =
        script == r.scripts.end() ? std::vector<ScriptStep>{} : script->second;
    *it = std::make_unique<ScriptedAgent>(id, (*it)->plays(), std::move(steps));
  }
  return pop;
}

Result<EpisodeResult> play_reproduction(const Reproduction& r, const Kernel& kernel,
                                        const DetectorSuite& suite) {
  if (r.engine_version != kEngineVersion) {
    return Status::Precondition(
        fmt::format("recorded with engine {}, this is {}", r.engine_version, kEngineVersion));
  }
  Result<Population> pop = reproduction_population(r);
  if (!pop.ok()) return Status::Precondition(pop.status().message());
  return run_episode(kernel, *pop, r.seed, reproduction_options(r), suite);
}

EpisodeOptions reproduction_options(const Reproduction& r) {
  EpisodeOptions options;
  options.turns = r.n_turns;
  options.initial_treasury = r.initial_treasury;
  options.settings = r.settings;
  options.matchup = r.matchup;
  options.population = r.population;
  return options;
}

namespace {

// The script step that produced an action event, if the agent is scripted.
const ScriptStep* step_of(const Reproduction& r, const std::string& agent, const Event& e) {
  const auto it = r.scripts.find(agent);
  if (it == r.scripts.end()) return nullptr;
  for (const ScriptStep& s : it->second) {
    if (s.turn == e.turn && s.round == e.round) return &s;
  }
  return nullptr;
}

bool propose_refused(const EpisodeTrace& t, AgentIndex proposer, int turn) {
  return std::any_of(t.events.begin(), t.events.end(), [&](const Event& e) {
    return e.kind == EventKind::kActionRejected && e.actor == proposer && e.turn == turn &&
           e.action == ActionKind::kPropose;
  });
}

}  // namespace

ReplayResult replay_record(const ExploitRecord& rec, const Kernel& kernel,
                           const DetectorSuite& suite) {
  ReplayResult out;
  const Reproduction& r = rec.reproduction;
  Result<EpisodeResult> played = play_reproduction(r, kernel, suite);
  if (!played.ok()) {
    out.reason = played.status().message();
    return out;
  }
  const EpisodeResult& ep = *played;
  out.digests = ep.trace.digests;

  const auto fired =
      std::find_if(ep.findings.begin(), ep.findings.end(),
                   [&](const ExploitFinding& f) { return f.fingerprint == rec.fingerprint; });
  if (fired != ep.findings.end()) {
    out.verdict = Verdict::kReproduces;
    out.reason = fmt::format("{} fired at turn {}: {}", fired->name, fired->turn, fired->summary);
    return out;
  }

  const EpisodeTrace& t = ep.trace;
  std::vector<bool> perp(t.participants.size(), false);
  const IdTable perpetrators(r.perpetrators);
  for (std::size_t i = 0; i < t.participants.size(); ++i) {
    perp[i] = perpetrators.contains(t.participants[i].id);
  }
  auto is_perp = [&](AgentIndex i) {
    return i >= 0 && static_cast<std::size_t>(i) < perp.size() && perp[i];
  };
  std::string stale;
  for (const Event& e : t.events) {
    if (e.kind == EventKind::kActionRejected && is_perp(e.actor)) {
      const std::string& who = t.participants[static_cast<std::size_t>(e.actor)].id;
      if (e.clause == kNoClause) {
        if (stale.empty())
          stale = fmt::format("turn {}: {}'s {} cannot be applied: {}", e.turn, who,
                              action_kind_name(e.action), refusal_text(e.refusal));
        continue;
      }
      if (e.refusal == Refusal::kUnknownProposal) {
        // A ballot or call whose proposal does not exist. If the proposal was
        // someone else's, that agent simply acted differently under this
        // kernel; if it was a perpetrator's and its propose was refused, the
        // refusal is already a stop. Otherwise the script contradicts itself.
        const ScriptStep* s = step_of(r, who, e);
        const AgentIndex author = s ? s->action.proposal.proposer : kNoAgent;
        if (!is_perp(author) || propose_refused(t, author, s->action.proposal.opened_turn))
          continue;
        if (stale.empty()) {
          stale = fmt::format("turn {}: {}'s {} addresses a proposal {} never opened", e.turn, who,
                              action_kind_name(e.action),
                              t.participants[static_cast<std::size_t>(author)].id);
        }
        continue;
      }
      out.stops.push_back(fmt::format("turn {}: {}'s {} refused by {} (article {}): {}", e.turn,
                                      who, action_kind_name(e.action), clause_name(e.clause),
                                      kernel.article_label(e.clause), refusal_text(e.refusal)));
    } else if (e.kind == EventKind::kProposalClosed && is_perp(e.actor) &&
               e.result != TallyResult::kPassed) {
      out.stops.push_back(
          fmt::format("turn {}: proposal #{} by {} {} on {} (article {}): {} yes, {} no of {}",
                      e.turn, e.proposal, t.participants[static_cast<std::size_t>(e.actor)].id,
                      tally_result_name(e.result), clause_name(e.clause),
                      kernel.article_label(e.clause), e.yes, e.no, e.eligible));
    }
  }
  if (!stale.empty()) {
    out.verdict = Verdict::kStale;
    out.reason = stale;
    return out;
  }
  out.verdict = Verdict::kBlocked;
  out.reason = out.stops.empty() ? "no move was refused, but the finding no longer fires"
                                 : out.stops.front();
  return out;
}

}  // namespace fable
