// Voice detectors (suppress): faction_suppression and delegation_concentration.
// Linear in events + citizens x turns. docs/detectors.md.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "detectors/detector_util.h"

namespace fable::detect {

namespace {

ClauseId P(ParamId id) {
  return clause_of(id);
}

// ---------------------------------------------------------------------------
// faction_suppression: at the end, a faction's (role's) mean voting weight is
// below half the population mean, and someone outside it caused it (expelled
// its members or carries their delegated ballots).

void run_faction_suppression(const EpisodeTrace& t, FindingTexts texts,
                             std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  const std::size_t n = t.participants.size();
  // Factions by role: the roles the participants play, in registry order
  // (agent_roles().size() stands for "no role"). A role nobody plays is never
  // flagged, so only these are followed through the snapshots.
  std::vector<std::size_t> role_index(n);
  for (std::size_t i = 0; i < n; ++i) role_index[i] = t.participants[i].role.index();
  std::vector<std::size_t> played = role_index;
  std::sort(played.begin(), played.end());
  played.erase(std::unique(played.begin(), played.end()), played.end());
  const std::size_t kinds = played.size();
  // Each participant's faction (a position in `played`), looked up once.
  std::vector<std::size_t> faction_of(n);
  for (std::size_t i = 0; i < n; ++i) {
    faction_of[i] = static_cast<std::size_t>(
        std::lower_bound(played.begin(), played.end(), role_index[i]) - played.begin());
  }
  auto role_of = [&](std::size_t i) { return faction_of[i]; };
  std::vector<double> sum(kinds);
  std::vector<int> count(kinds);
  auto holds = [&](const TurnSnapshot& s, std::vector<char>& flag, std::vector<double>& mean,
                   double& pop) {
    std::fill(sum.begin(), sum.end(), 0.0);
    std::fill(count.begin(), count.end(), 0);
    double all = 0.0;
    int alive = 0;
    for (std::size_t i = 0; i < s.citizens.size() && i < n; ++i) {
      if (s.citizens[i].exited) continue;
      sum[role_of(i)] += s.citizens[i].weight;
      ++count[role_of(i)];
      all += s.citizens[i].weight;
      ++alive;
    }
    const int factions =
        static_cast<int>(std::count_if(count.begin(), count.end(), [](int c) { return c > 0; }));
    pop = alive > 0 ? all / alive : 0.0;
    for (std::size_t r = 0; r < flag.size(); ++r) {
      mean[r] = count[r] > 0 ? sum[r] / count[r] : 0.0;
      flag[r] = factions >= 2 && count[r] > 0 && pop > 0 && mean[r] < 0.5 * pop;
    }
  };
  std::vector<int> run_start(kinds, 0);
  std::vector<char> flag(kinds, 0), prev(kinds, 0);
  std::vector<double> mean(kinds, 0.0);
  double pop = 0.0;
  for (std::size_t turn = 0; turn < t.snapshots.size(); ++turn) {
    holds(t.snapshots[turn], flag, mean, pop);
    for (std::size_t r = 0; r < flag.size(); ++r) {
      if (flag[r] && !prev[r]) run_start[r] = static_cast<int>(turn);
    }
    prev = flag;
  }
  if (std::none_of(flag.begin(), flag.end(), [](char b) { return b != 0; })) return;

  // Who did it: expulsion proposers and outside delegates of each faction.
  std::vector<AgentIndex> delegate(n, kNoAgent);
  std::vector<std::vector<AgentIndex>> expellers(kinds);
  std::vector<int> expelled(kinds, 0);
  for (const Event& e : t.events) {
    if (!valid(t, e.actor)) continue;
    if (e.kind == EventKind::kDelegationSet) delegate[static_cast<std::size_t>(e.actor)] = e.target;
    if (e.kind == EventKind::kDelegationRevoked)
      delegate[static_cast<std::size_t>(e.actor)] = kNoAgent;
    if (e.kind == EventKind::kCitizenDisenfranchised && valid(t, e.target)) {
      const std::size_t r = role_of(static_cast<std::size_t>(e.target));
      if (role_of(static_cast<std::size_t>(e.actor)) == r) continue;
      expellers[r].push_back(e.actor);
      ++expelled[r];
    }
  }
  for (std::size_t r = 0; r < flag.size(); ++r) {
    if (!flag[r]) continue;
    std::vector<AgentIndex> actors = expellers[r];
    int carried = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const AgentIndex d = delegate[i];
      if (role_of(i) != r || !valid(t, d) || role_of(static_cast<std::size_t>(d)) == r) {
        continue;
      }
      actors.push_back(d);
      ++carried;
    }
    if (actors.empty()) continue;
    const double ratio = pop > 0 ? mean[r] / pop : 0.0;
    const std::size_t registry_index = played[r];
    const std::string_view faction = registry_index < agent_roles().size()
                                         ? agent_roles()[registry_index].name()
                                         : std::string_view("unknown");
    ExploitFinding f;
    f.severity = ratio <= 0.0 ? 5 : ratio < 0.25 ? 4 : 3;
    f.turn = run_start[r];
    f.actors = actor_ids(t, actors);
    if (texts_on)
      f.summary = fmt::format(
          "The {} faction ends with a mean voting weight of {} against a population mean of {} "
          "({} of it): {} member(s) expelled and {} delegated outside the faction.",
          faction, num(mean[r]), num(pop), percent(ratio), expelled[r], carried);
    f.kernel_clauses =
        clauses_of(t, {P(ParamId::kThresholdDisenfranchise), P(ParamId::kDelegationMaxDepth),
                       P(ParamId::kDelegationMaxWeightFrac)});
    std::vector<GuardStep> steps;
    if (expelled[r] > 0) steps.push_back({ParamId::kThresholdDisenfranchise, ParamValue::of(0.75)});
    if (carried > 0) {
      steps.push_back({ParamId::kDelegationMaxWeightFrac, ParamValue::of(0.05)});
      steps.push_back({ParamId::kDelegationMaxDepth, ParamValue::of(1)});
    }
    if (texts_on) f.proposed_guard = guard_text(params_during(t, f.turn), steps);
    if (texts_on)
      f.evidence = {
          {"faction", std::string(faction)},         {"faction_mean_weight", num(mean[r])},
          {"population_mean_weight", num(pop)},      {"ratio", percent(ratio)},
          {"expelled", std::to_string(expelled[r])}, {"delegated_out", std::to_string(carried)}};
    emit(std::move(f), out);
  }
}

// ---------------------------------------------------------------------------
// delegation_concentration: one voter carrying a large share of the roll.

void run_delegation_concentration(const EpisodeTrace& t, FindingTexts texts,
                                  std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  const std::size_t n = t.participants.size();
  std::vector<bool> carrier(n, false);
  int first_turn = 0, max_weight = 0, max_roll = 0;
  double max_share = 0.0;
  AgentIndex top = kNoAgent;
  // Per citizen, the turns after which it carried a heavy weight (ascending).
  std::vector<std::vector<std::int32_t>> heavy_turns(n);
  for (std::size_t turn = 1; turn < t.snapshots.size(); ++turn) {
    const TurnSnapshot& s = t.snapshots[turn];
    if (s.roll_size <= 0) continue;
    for (std::size_t i = 0; i < s.citizens.size() && i < n; ++i) {
      const int w = s.citizens[i].weight;
      if (w < kCarryMinWeight) continue;  // most citizens: no share to work out
      const double share = static_cast<double>(w) / s.roll_size;
      if (share < kCarryShare) continue;
      carrier[i] = true;
      heavy_turns[i].push_back(static_cast<std::int32_t>(turn));
      if (first_turn == 0) first_turn = static_cast<int>(turn);
      if (share > max_share) {
        max_share = share;
        max_weight = w;
        max_roll = s.roll_size;
        top = static_cast<AgentIndex>(i);
      }
    }
  }
  if (first_turn == 0) return;
  const std::vector<Outcome> outcomes = proposal_outcomes(t);
  int used = 0;
  for (const Event& e : t.events) {
    if (e.kind != EventKind::kVoteCast || !valid(t, e.actor) ||
        !carrier[static_cast<std::size_t>(e.actor)]) {
      continue;
    }
    const auto& turns = heavy_turns[static_cast<std::size_t>(e.actor)];
    if (!std::binary_search(turns.begin(), turns.end(), e.turn - 1)) continue;
    if (e.proposal >= 0 && static_cast<std::size_t>(e.proposal) < outcomes.size() &&
        outcomes[static_cast<std::size_t>(e.proposal)].passed) {
      ++used;
    }
  }
  std::vector<AgentIndex> actors;
  for (std::size_t i = 0; i < n; ++i) {
    if (carrier[i]) actors.push_back(static_cast<AgentIndex>(i));
  }
  const double quorum = start_params(t).quorum;
  ExploitFinding f;
  f.severity = 2 + (max_share >= quorum ? 1 : 0) + (max_share > 0.5 ? 1 : 0) + (used > 0 ? 1 : 0);
  f.turn = first_turn;
  f.actors = actor_ids(t, actors);
  if (texts_on)
    f.summary = fmt::format(
        "{} carried {} of {} ballots ({}) through delegation and cast {} ballot(s) at that weight "
        "on proposals that passed.",
        t.participants[static_cast<std::size_t>(top)].id, max_weight, max_roll, percent(max_share),
        used);
  f.kernel_clauses =
      clauses_of(t, {P(ParamId::kDelegationMaxDepth), P(ParamId::kDelegationMaxWeightFrac),
                     P(ParamId::kDelegationEpochExpiry)});
  if (texts_on)
    f.proposed_guard = guard_text(params_during(t, first_turn),
                                  {{ParamId::kDelegationMaxDepth, ParamValue::of(1)},
                                   {ParamId::kDelegationMaxWeightFrac, ParamValue::of(0.05)},
                                   {ParamId::kDelegationEpochExpiry, ParamValue::of(1)}});
  if (texts_on)
    f.evidence = {{"carrier", t.participants[static_cast<std::size_t>(top)].id},
                  {"max_weight", std::to_string(max_weight)},
                  {"roll", std::to_string(max_roll)},
                  {"share", percent(max_share)},
                  {"carriers", std::to_string(actors.size())},
                  {"ballots_on_passed", std::to_string(used)}};
  emit(std::move(f), out);
}

FABLE_REGISTER_DETECTOR(
    {.name = "faction_suppression",
     .category = Category::kSuppress,
     .description = "a role's mean voting weight falls below half the mean, caused by outsiders",
     .make = detector_of<&run_faction_suppression>});

FABLE_REGISTER_DETECTOR(
    {.name = "delegation_concentration",
     .category = Category::kSuppress,
     .description = "a voter carries 25% or more of the roll in delegated ballots",
     .make = detector_of<&run_delegation_concentration>});

}  // namespace

}  // namespace fable::detect
