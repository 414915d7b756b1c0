// Scripts and objectives of the six canonical holes; see include/fable/holes.h.
#include "fable/holes.h"

#include <algorithm>
#include <cassert>
#include <functional>

#include <fmt/format.h>

#include "base/hash.h"
#include "fable/engine.h"
#include "fable/episode.h"
#include "fable/replay.h"
#include "fable/script.h"
#include "records/reproduction_kernel.h"

namespace fable {

namespace {

constexpr Money kUnit = kMoneyScale;

// One scripted move: at `turn`, as the `round`-th action of `agent`'s plan.
struct Move {
  int turn;
  AgentIndex agent;
  int round;
  Action action;
};

// Roster order puts the honest defenders first, then the attackers.
struct Cast {
  int attackers;
  int defenders;
  AgentIndex red(int k) const { return defenders + k - 1; }
  AgentIndex blue(int k) const { return k - 1; }
  bool is_red(AgentIndex i) const { return i >= defenders && i < defenders + attackers; }
};

// Every red votes yes, as its second action, on the proposal `proposer` opens at `turn`.
void reds_vote_yes(std::vector<Move>& s, const Cast& c, AgentIndex proposer, int turn) {
  for (int k = 1; k <= c.attackers; ++k) {
    s.push_back(
        {turn, c.red(k), 1, Action::vote(ProposalRef::by_origin(proposer, turn), Choice::kYes)});
  }
}

std::vector<Move> script_salami(const Cast& c) {
  std::vector<Move> s;
  for (int t = 1; t <= 8; ++t) {
    const AgentIndex proposer = c.red(t);
    s.push_back({t, proposer, 0, Action::propose({ProposalItem::spend(proposer, 100 * kUnit)})});
    reds_vote_yes(s, c, proposer, t);
  }
  return s;
}

std::vector<Move> script_shrinking(const Cast& c) {
  std::vector<Move> s;
  for (int t = 1; t <= 5; ++t) {
    s.push_back({t, c.red(1), 0, Action::propose({ProposalItem::disenfranchise(c.blue(t))})});
    reds_vote_yes(s, c, c.red(1), t);
  }
  s.push_back({6, c.red(1), 0,
               Action::propose(
                   {ProposalItem::amendment(ParamId::kThresholdAmendment, ParamValue::of(0.9))})});
  reds_vote_yes(s, c, c.red(1), 6);
  return s;
}

std::vector<Move> script_emergency(const Cast& c) {
  std::vector<Move> s;
  s.push_back(
      {1, c.red(1), 0, Action::propose({ProposalItem::emergency_declare({c.red(1), c.red(2)})})});
  reds_vote_yes(s, c, c.red(1), 1);
  const Money amounts[] = {67, 67, 67, 67, 66, 66};
  for (int i = 0; i < 6; ++i) {
    s.push_back({3 + i, c.red(1), 0, Action::emergency_spend(c.red(1 + i), amounts[i] * kUnit)});
  }
  return s;
}

std::vector<Move> script_proxy(const Cast& c) {
  std::vector<Move> s;
  for (int k = 2; k <= c.attackers; ++k)
    s.push_back({1, c.red(k), 0, Action::delegate(c.red(k / 2))});
  const AgentIndex boss = c.red(1);
  s.push_back({2, boss, 0, Action::propose({ProposalItem::spend(boss, 150 * kUnit)})});
  s.push_back({2, boss, 1, Action::vote(ProposalRef::by_origin(boss, 2), Choice::kYes)});
  s.push_back({2, boss, 2, Action::call_question(ProposalRef::by_origin(boss, 2))});
  return s;
}

std::vector<Move> script_ambush(const Cast& c) {
  std::vector<Move> s;
  const AgentIndex boss = c.red(1);
  s.push_back({1, boss, 0, Action::propose({ProposalItem::spend(boss, 150 * kUnit)})});
  reds_vote_yes(s, c, boss, 1);
  s.push_back({1, boss, 2, Action::call_question(ProposalRef::by_origin(boss, 1))});
  return s;
}

std::vector<Move> script_omnibus(const Cast& c) {
  std::vector<Move> s;
  const AgentIndex boss = c.red(1);
  s.push_back({1, boss, 0,
               Action::propose(
                   {ProposalItem::spend(kAllCitizens, 200 * kUnit),
                    ProposalItem::amendment(ParamId::kThresholdAmendment, ParamValue::of(0.5))})});
  reds_vote_yes(s, c, boss, 1);
  s.push_back(
      {3, boss, 0,
       Action::propose({ProposalItem::amendment(ParamId::kVotingQuorum, ParamValue::of(0.25))})});
  reds_vote_yes(s, c, boss, 3);
  return s;
}

Money sum_events(const EpisodeTrace& t, EventKind kind, const Cast& c) {
  Money total = 0;
  for (const Event& e : t.events) {
    if (e.kind == kind && c.is_red(e.target)) total += e.amount;
  }
  return total;
}

std::string pct(Money part, Money whole) {
  return fmt::format(
      "{} of {} ({:.0f}%)", format_money(part), format_money(whole),
      whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
}

struct Judgement {
  bool succeeded;
  std::string measure;
};

Judgement judge(const std::string& id, const EpisodeTrace& t, const Cast& c) {
  const TurnSnapshot& last = t.snapshots.back();
  const Params p = t.final_params();
  if (id == "EXP-001") {
    const Money moved = sum_events(t, EventKind::kSpendExecuted, c);
    return {moved * 10 >= t.initial_treasury * 8, "red received " + pct(moved, t.initial_treasury)};
  }
  if (id == "EXP-002") {
    const double thr = p.threshold(ThresholdKind::kAmendment);
    return {thr >= 0.9 && last.roll_size <= 15,
            fmt::format("roll {} of {}, amendment threshold in force {}", last.roll_size,
                        last.citizens.size(), thr)};
  }
  if (id == "EXP-003") {
    const Money moved = sum_events(t, EventKind::kEmergencySpend, c);
    return {last.emergency_active && moved * 10 >= t.initial_treasury * 4,
            fmt::format("council moved {}; emergency {}", pct(moved, t.initial_treasury),
                        last.emergency_active ? "still in force" : "not in force")};
  }
  if (id == "EXP-004" || id == "EXP-005") {
    const Money moved = sum_events(t, EventKind::kSpendExecuted, c);
    return {moved > 0, moved > 0 ? fmt::format("a spend of {} to the red team passed and executed",
                                               format_money(moved))
                                 : "no spend reached the red team"};
  }
  return {p.quorum <= 0.25, fmt::format("quorum in force {}, amendment threshold in force {}",
                                        p.quorum, p.threshold(ThresholdKind::kAmendment))};
}

using ScriptFn = std::function<std::vector<Move>(const Cast&)>;

const ScriptFn& script_for(const std::string& id) {
  static const std::vector<std::pair<std::string, ScriptFn>> scripts{
      {"EXP-001", script_salami}, {"EXP-002", script_shrinking}, {"EXP-003", script_emergency},
      {"EXP-004", script_proxy},  {"EXP-005", script_ambush},    {"EXP-006", script_omnibus},
  };
  for (const auto& [key, fn] : scripts) {
    if (key == id) return fn;
  }
  return scripts.front().second;
}

std::string stop_text(const Event& e) {
  if (e.kind == EventKind::kActionRejected) {
    return fmt::format("{} refused: {}", action_kind_name(e.action), refusal_text(e.refusal));
  }
  return fmt::format("proposal #{} {} ({} yes, {} no, {} abstain of {})", e.proposal,
                     tally_result_name(e.result), e.yes, e.no, e.abstain, e.eligible);
}

}  // namespace

const std::vector<HoleScenario>& canonical_holes() {
  static const std::vector<HoleScenario> holes{
      {"EXP-001", "salami drain",
       "the majority passes one modest spend to its own members per turn until 80% of the "
       "treasury is theirs",
       "salami_slicing", "drainer", 11, 9, 12},
      {"EXP-002", "shrinking electorate",
       "expel one defender per turn by simple majority against a live roll, then lock the kernel "
       "with a 0.9 amendment threshold passed on the shrunken roll",
       "electorate_shrinking", "suppressor", 11, 9, 10},
      {"EXP-003", "perpetual emergency",
       "declare an emergency with no sunset and move 40% of the treasury by council order",
       "emergency_abuse", "entrencher", 11, 9, 12},
      {"EXP-004", "proxy cascade",
       "collect 12 of 20 ballots through transitive delegation and pass a spend alone",
       "delegation_concentration", "drainer", 12, 8, 6},
      {"EXP-005", "quorum ambush",
       "open a spend, vote it through and call the question before the others can vote",
       "quorum_ambush", "drainer", 10, 10, 6},
      {"EXP-006", "omnibus rider",
       "ride an amendment-threshold cut on a popular distribution, then lower the quorum with "
       "the bloc's bare majority",
       "omnibus_rider", "entrencher", 11, 9, 8},
  };
  return holes;
}

bool HoleOutcome::stopped_by(std::string_view clause) const {
  return std::any_of(stops.begin(), stops.end(),
                     [&](const HoleStop& s) { return s.clause == clause; });
}

Roster HoleScenario::roster() const {
  return Roster{{{std::string(kHonestRole), defenders}, {attacker_role, attackers}}};
}

Reproduction hole_reproduction(const HoleScenario& sc, const Kernel& kernel, std::uint64_t seed) {
  const Cast cast{sc.attackers, sc.defenders};
  Reproduction r;
  r.matchup = "canonical-" + sc.id;
  r.roster = sc.roster();
  r.seed = seed;
  r.n_turns = sc.turns;
  r.initial_treasury = sc.treasury;
  set_reproduction_kernel(r, kernel);
  const std::vector<std::string> ids = r.participant_ids();
  for (int k = 1; k <= sc.attackers; ++k) {
    const std::string& id = ids[static_cast<std::size_t>(cast.red(k))];
    r.perpetrators.push_back(id);
    r.scripts[id];  // every attacker is scripted, even with nothing to do
  }
  for (const Move& m : script_for(sc.id)(cast)) {
    r.scripts[ids[static_cast<std::size_t>(m.agent)]].push_back({m.turn, m.round, m.action});
  }
  return r;
}

HoleOutcome play_hole(const HoleScenario& sc, const Kernel& kernel, std::uint64_t seed) {
  const Cast cast{sc.attackers, sc.defenders};
  const Reproduction r = hole_reproduction(sc, kernel, seed);
  Result<Population> pop = reproduction_population(r);
  assert(pop.ok());
  EpisodeResult ep = run_episode(kernel, *pop, seed, reproduction_options(r), default_suite());

  HoleOutcome out;
  out.id = sc.id;
  out.name = sc.name;
  const Judgement j = judge(sc.id, ep.trace, cast);
  out.succeeded = j.succeeded;
  out.measure = j.measure;
  out.final_digest = ep.trace.digests.back();
  for (const Event& e : ep.trace.events) {
    const bool red_refused = e.kind == EventKind::kActionRejected && cast.is_red(e.actor);
    const bool red_failed = e.kind == EventKind::kProposalClosed && cast.is_red(e.actor) &&
                            e.result != TallyResult::kPassed;
    if ((!red_refused && !red_failed) || e.clause == kNoClause) continue;
    const std::string clause(clause_name(e.clause));
    if (out.stopped_by(clause)) continue;
    out.stops.push_back(
        {e.turn, clause, std::string(kernel.article_label(e.clause)), stop_text(e)});
  }
  out.findings = std::move(ep.findings);
  out.trace = std::move(ep.trace);
  return out;
}

Result<ExploitRecord> canonical_record(const HoleScenario& sc, const Kernel& discovery_kernel) {
  const HoleOutcome o = play_hole(sc, discovery_kernel);
  if (!o.succeeded) {
    return Status::Precondition(fmt::format("{} does not reproduce on {} v{}: {}", sc.id,
                                            discovery_kernel.name(),
                                            discovery_kernel.version().to_string(), o.measure));
  }
  const auto f = std::find_if(o.findings.begin(), o.findings.end(), [&](const ExploitFinding& x) {
    return x.name == sc.primary_detector;
  });
  if (f == o.findings.end()) {
    return Status::Precondition(
        fmt::format("{}: detector {} did not fire", sc.id, sc.primary_detector));
  }
  ExploitRecord rec;
  rec.exploit_id = sc.id;
  rec.name = f->name;
  rec.category = f->category;
  rec.severity = f->severity;
  rec.summary = fmt::format("{} ({}): {}", sc.name, sc.objective, f->summary);
  rec.kernel_clauses = f->kernel_clauses;
  rec.proposed_guard = f->proposed_guard;
  rec.occurrences = 1;
  rec.first_matchup = "canonical-" + sc.id;
  rec.first_seed = 0;
  rec.first_turn = f->turn;
  rec.fingerprint = f->fingerprint;
  rec.reproduction = hole_reproduction(sc, discovery_kernel, 0);
  return rec;
}

}  // namespace fable
