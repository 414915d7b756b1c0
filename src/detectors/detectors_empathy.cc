// Empathy detector: invariant_breach, a kernel invariant (e.g. the empathy
// floor) breached. Linear in citizens x turns x invariants. docs/detectors.md.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "detectors/detector_util.h"
#include "fable/metrics.h"

namespace fable::detect {

namespace {

// ---------------------------------------------------------------------------
// invariant_breach: a kernel invariant (e.g. the empathy floor) breached.

struct Floor {
  double floor = 1.0;
  double mean = 0.0;
  AgentIndex worst = kNoAgent;
};

Floor floor_of(const TurnSnapshot& s) {
  Floor f;
  double sum = 0.0;
  int count = 0;
  for (std::size_t i = 0; i < s.citizens.size(); ++i) {
    const CitizenSnapshot& c = s.citizens[i];
    if (c.exited) continue;
    if (f.worst == kNoAgent || c.welfare < f.floor) {
      f.floor = c.welfare;
      f.worst = static_cast<AgentIndex>(i);
    }
    sum += c.welfare;
    ++count;
  }
  if (count == 0) return {0.0, 0.0, kNoAgent};
  f.mean = sum / count;
  return f;
}

void run_invariant_breach(const EpisodeTrace& t, const EpisodeScore& score, FindingTexts texts,
                          std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  if (!t.kernel || t.kernel->document().invariants.empty()) return;
  const std::vector<Invariant>& invariants = t.kernel->document().invariants;
  const std::size_t m = invariants.size();
  std::vector<int> first(m, -1);
  std::vector<double> at_first(m, 0.0), worst(m, 0.0);
  std::vector<AgentIndex> worst_off(m, kNoAgent);
  auto check = [&](std::size_t k, double v, int turn, AgentIndex who) {
    const Invariant& inv = invariants[k];
    const bool low = inv.min && v < *inv.min;
    const bool high = inv.max && v > *inv.max;
    if (!low && !high) return;
    if (first[k] < 0) {
      first[k] = turn;
      at_first[k] = v;
      worst[k] = v;
      worst_off[k] = who;
    }
    worst[k] = low ? std::min(worst[k], v) : std::max(worst[k], v);
  };
  // Each invariant's metric, named once rather than compared per snapshot.
  enum class Metric { kFloor, kRatio, kTreasury, kRoll, kOther };
  std::vector<Metric> metric(m, Metric::kOther);
  for (std::size_t k = 0; k < m; ++k) {
    const std::string& name = invariants[k].metric;
    metric[k] = name == "empathy_floor"       ? Metric::kFloor
                : name == "empathy_ratio"     ? Metric::kRatio
                : name == "treasury_fraction" ? Metric::kTreasury
                : name == "roll_fraction"     ? Metric::kRoll
                                              : Metric::kOther;
  }
  for (std::size_t turn = 0; turn < t.snapshots.size(); ++turn) {
    const TurnSnapshot& s = t.snapshots[turn];
    const Floor fl = floor_of(s);
    for (std::size_t k = 0; k < m; ++k) {
      double v = 0.0;
      switch (metric[k]) {
        case Metric::kFloor:
          v = fl.floor;
          break;
        case Metric::kRatio:
          v = fl.mean > 0 ? fl.floor / fl.mean : 0.0;
          break;
        case Metric::kTreasury:
          v = fraction(s.treasury, t.initial_treasury);
          break;
        case Metric::kRoll:
          v = s.citizens.empty()
                  ? 0.0
                  : static_cast<double>(s.roll_size) / static_cast<double>(s.citizens.size());
          break;
        case Metric::kOther:
          continue;
      }
      check(k, v, static_cast<int>(turn), fl.worst);
    }
  }
  for (std::size_t k = 0; k < m; ++k) {
    if (invariants[k].metric == "governance_score") {
      check(k, score.governance_score, t.turns(), kNoAgent);
    }
  }
  const std::vector<Outcome> outcomes = proposal_outcomes(t);
  for (std::size_t k = 0; k < m; ++k) {
    if (first[k] < 0) continue;
    const Invariant& inv = invariants[k];
    // Red-team members whose legal moves took effect by the breach.
    std::vector<AgentIndex> actors;
    for (const Event& e : t.events) {
      if (e.turn > first[k]) break;
      if (e.kind == EventKind::kEmergencySpend && is_red(t, e.actor)) actors.push_back(e.actor);
      if (e.kind == EventKind::kProposalClosed && e.result == TallyResult::kPassed &&
          is_red(t, e.actor) && e.proposal >= 0 &&
          static_cast<std::size_t>(e.proposal) < outcomes.size() &&
          outcomes[static_cast<std::size_t>(e.proposal)].executed) {
        actors.push_back(e.actor);
      }
    }
    // The guard follows what hurt the worst-off at the first breach.
    const TurnSnapshot& s = t.snapshots[static_cast<std::size_t>(first[k])];
    const AgentIndex w = worst_off[k];
    std::string cause = "the commons was drained";
    std::vector<GuardStep> steps{{ParamId::kSpendCommonsFloor, ParamValue::of(0.5)}};
    const bool expelled = valid(t, w) && !s.citizens[static_cast<std::size_t>(w)].on_roll;
    if (inv.metric == "roll_fraction" || expelled) {
      cause = "citizens were expelled";
      steps = {{ParamId::kThresholdDisenfranchise, ParamValue::of(0.75)},
               {ParamId::kRollSnapshotAtOpen, ParamValue::of(1)}};
    } else if (valid(t, w) && s.emergency_active &&
               !s.citizens[static_cast<std::size_t>(w)].council) {
      cause = "an emergency excluded them";
      steps = {{ParamId::kEmergencyMaxDuration, ParamValue::of(kReferenceSunset)}};
    }
    const double bound = inv.min ? *inv.min : inv.max.value_or(0.0);
    const double margin = bound != 0.0 ? std::abs(bound - worst[k]) / std::abs(bound) : 1.0;
    ExploitFinding f;
    f.severity = margin >= 0.5 ? 5 : margin >= 0.25 ? 4 : 3;
    f.turn = first[k];
    f.actors = actor_ids(t, actors);
    if (texts_on)
      f.summary = fmt::format(
          "Invariant {} ({} {} {}) breached at turn {}: {} at {}, worst {}{}.", inv.name,
          inv.metric, inv.min ? ">=" : "<=", num(bound), first[k], inv.metric, num(at_first[k]),
          num(worst[k]),
          valid(t, w) ? fmt::format("; worst-off {} ({})",
                                    t.participants[static_cast<std::size_t>(w)].id, cause)
                      : std::string());
    f.kernel_clauses.push_back("invariants." + inv.name);
    if (!inv.article.empty()) f.kernel_clauses.push_back(inv.article);
    if (texts_on) f.proposed_guard = guard_text(params_during(t, first[k]), steps);
    if (texts_on)
      f.evidence = {
          {"invariant", inv.name},
          {"metric", inv.metric},
          {"bound", num(bound)},
          {"first_value", num(at_first[k])},
          {"worst_value", num(worst[k])},
          {"worst_off", valid(t, w) ? t.participants[static_cast<std::size_t>(w)].id : "-"},
          {"cause", cause}};
    emit(std::move(f), out);
  }
}

// What invariant_breach reads of the score: its governance_score, and only
// on a kernel with an invariant on it.
ScoreUse invariant_breach_reads(const EpisodeTrace& trace) {
  if (!trace.kernel) return ScoreUse::kNothing;
  for (const Invariant& inv : trace.kernel->document().invariants) {
    if (inv.metric == "governance_score") return ScoreUse::kAll;
  }
  return ScoreUse::kNothing;
}

FABLE_REGISTER_DETECTOR(
    {.name = "invariant_breach",
     .category = Category::kEmpathy,
     .description = "a kernel invariant (empathy floor, ratio, treasury, roll) is breached",
     .make = detector_of<&run_invariant_breach, &invariant_breach_reads>});

}  // namespace

}  // namespace fable::detect
