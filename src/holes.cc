// Scripts and objectives of the six canonical holes; see include/fable/holes.h.
#include "fable/holes.h"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "fable/engine.h"

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

struct Cast {
  int attackers;
  AgentIndex red(int k) const { return k - 1; }            // red-01 is index 0
  AgentIndex blue(int k) const { return attackers + k - 1; }  // blue-01 follows the reds
  bool is_red(AgentIndex i) const { return i >= 0 && i < attackers; }
};

// Every red votes yes, as its second action, on the proposal `proposer` opens at `turn`.
void reds_vote_yes(std::vector<Move>& s, const Cast& c, AgentIndex proposer, int turn) {
  for (int k = 1; k <= c.attackers; ++k) {
    s.push_back({turn, c.red(k), 1, Action::vote(ProposalRef::by_origin(proposer, turn), Choice::kYes)});
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
               Action::propose({ProposalItem::amendment(ParamId::kThresholdAmendment,
                                                        ParamValue::of(0.9))})});
  reds_vote_yes(s, c, c.red(1), 6);
  return s;
}

std::vector<Move> script_emergency(const Cast& c) {
  std::vector<Move> s;
  s.push_back({1, c.red(1), 0,
               Action::propose({ProposalItem::emergency_declare({c.red(1), c.red(2)})})});
  reds_vote_yes(s, c, c.red(1), 1);
  const Money amounts[] = {67, 67, 67, 67, 66, 66};
  for (int i = 0; i < 6; ++i) {
    s.push_back({3 + i, c.red(1), 0, Action::emergency_spend(c.red(1 + i), amounts[i] * kUnit)});
  }
  return s;
}

std::vector<Move> script_proxy(const Cast& c) {
  std::vector<Move> s;
  for (int k = 2; k <= c.attackers; ++k) s.push_back({1, c.red(k), 0, Action::delegate(c.red(k / 2))});
  s.push_back({1, c.blue(9), 0, Action::delegate(c.red(6))});  // one trusting defender
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
               Action::propose({ProposalItem::spend(kAllCitizens, 200 * kUnit),
                                ProposalItem::amendment(ParamId::kThresholdAmendment,
                                                        ParamValue::of(0.5))})});
  reds_vote_yes(s, c, boss, 1);
  s.push_back({3, boss, 0,
               Action::propose({ProposalItem::amendment(ParamId::kThresholdAmendment,
                                                        ParamValue::of(0.9))})});
  reds_vote_yes(s, c, boss, 3);
  return s;
}

// Defenders: vote on what they can see; yes to distributions to all.
void defender_plan(const WorldState& w, AgentIndex me, int plan_length, Plan& plan) {
  if (w.citizens[me].delegate != kNoAgent || !w.citizens[me].on_roll) return;
  for (std::int32_t id : w.open_proposals) {
    if (static_cast<int>(plan.size()) >= plan_length) return;
    const Proposal& p = w.proposals[id];
    if (p.status != ProposalStatus::kOpen) continue;
    if (p.ballots[me] != Choice::kNone) continue;
    bool popular = false;
    for (int i = 0; i < p.item_count; ++i) {
      popular = popular || (p.items[i].kind == ItemKind::kSpend && p.items[i].target == kAllCitizens);
    }
    plan.push_back(Action::vote(ProposalRef::by_id(id), popular ? Choice::kYes : Choice::kNo));
  }
}

Money sum_events(const WorldState& w, EventKind kind, const Cast& c) {
  Money total = 0;
  for (const Event& e : w.log) {
    if (e.kind == kind && c.is_red(e.target)) total += e.amount;
  }
  return total;
}

std::string pct(Money part, Money whole) {
  return fmt::format("{} of {} ({:.0f}%)", format_money(part), format_money(whole),
                     whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
}

bool red_spend_passed(const WorldState& w, const Cast& c) {
  return std::any_of(w.log.begin(), w.log.end(), [&](const Event& e) {
    return e.kind == EventKind::kSpendExecuted && c.is_red(e.target);
  });
}

struct Judgement {
  bool succeeded;
  std::string measure;
};

Judgement judge(const std::string& id, const WorldState& w, const Cast& c) {
  if (id == "EXP-001") {
    const Money moved = sum_events(w, EventKind::kSpendExecuted, c);
    return {moved * 10 >= w.initial_treasury * 8, "red received " + pct(moved, w.initial_treasury)};
  }
  if (id == "EXP-002") {
    const double thr = w.params().threshold(ThresholdKind::kAmendment);
    return {thr >= 0.9 && w.roll_size <= 15,
            fmt::format("roll {} of {}, amendment threshold in force {}", w.roll_size,
                        w.citizens.size(), thr)};
  }
  if (id == "EXP-003") {
    const Money moved = sum_events(w, EventKind::kEmergencySpend, c);
    return {w.emergency.active && moved * 10 >= w.initial_treasury * 4,
            fmt::format("council moved {}; emergency {}", pct(moved, w.initial_treasury),
                        w.emergency.active ? "still in force" : "not in force")};
  }
  if (id == "EXP-004" || id == "EXP-005") {
    const bool passed = red_spend_passed(w, c);
    return {passed, passed ? "the spend to red-01 passed and executed" : "no spend reached red"};
  }
  // EXP-006
  const double thr = w.params().threshold(ThresholdKind::kAmendment);
  return {thr >= 0.9, fmt::format("amendment threshold in force {}", thr)};
}

using ScriptFn = std::function<std::vector<Move>(const Cast&)>;

const ScriptFn& script_for(const std::string& id) {
  static const std::vector<std::pair<std::string, ScriptFn>> scripts{
      {"EXP-001", script_salami},   {"EXP-002", script_shrinking}, {"EXP-003", script_emergency},
      {"EXP-004", script_proxy},    {"EXP-005", script_ambush},    {"EXP-006", script_omnibus},
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
       AgentRole::kDrainer, 11, 9, 12},
      {"EXP-002", "shrinking electorate",
       "expel one defender per turn by simple majority, then lock the kernel with a 0.9 "
       "amendment threshold passed 11 of 15",
       AgentRole::kSuppressor, 11, 9, 10},
      {"EXP-003", "perpetual emergency",
       "declare an emergency with no sunset and move 40% of the treasury by council order",
       AgentRole::kEntrencher, 11, 9, 12},
      {"EXP-004", "proxy cascade",
       "collect 12 of 20 ballots through transitive delegation and pass a spend alone",
       AgentRole::kDrainer, 11, 9, 6},
      {"EXP-005", "quorum ambush",
       "open a spend, vote it through and call the question before the others can vote",
       AgentRole::kDrainer, 10, 10, 6},
      {"EXP-006", "omnibus rider",
       "ride an amendment-threshold cut on a popular distribution, then lock the kernel",
       AgentRole::kEntrencher, 11, 9, 8},
  };
  return holes;
}

bool HoleOutcome::stopped_by(std::string_view clause) const {
  return std::any_of(stops.begin(), stops.end(), [&](const HoleStop& s) { return s.clause == clause; });
}

HoleOutcome play_hole(const HoleScenario& sc, const Kernel& kernel, std::uint64_t seed) {
  const Cast cast{sc.attackers};
  std::vector<std::string> ids;
  for (int k = 1; k <= sc.attackers; ++k) ids.push_back(fmt::format("red-{:02d}", k));
  for (int k = 1; k <= sc.defenders; ++k) ids.push_back(fmt::format("blue-{:02d}", k));

  EngineSettings settings;
  Environment env(kernel, ids, sc.treasury, seed, settings);
  HoleOutcome out;
  out.trace.matchup = sc.id;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const AgentRole role = cast.is_red(static_cast<AgentIndex>(i)) ? sc.attacker_role : AgentRole::kHonest;
    out.trace.participants.push_back({ids[i], role, std::string(role_objective(role))});
  }
  TraceRecorder recorder(out.trace, env);
  const std::vector<Move> script = script_for(sc.id)(cast);
  std::vector<Plan> plans(ids.size());

  for (int t = 1; t <= sc.turns; ++t) {
    for (Plan& p : plans) p.clear();
    for (const Move& m : script) {
      if (m.turn != t) continue;
      Plan& p = plans[static_cast<std::size_t>(m.agent)];
      while (static_cast<int>(p.size()) < m.round) p.push_back(Action::pass());
      p.push_back(m.action);
    }
    for (int k = 1; k <= sc.defenders; ++k) {
      const AgentIndex me = cast.blue(k);
      if (plans[static_cast<std::size_t>(me)].empty()) {
        defender_plan(env.state(), me, settings.plan_length, plans[static_cast<std::size_t>(me)]);
      }
    }
    env.step(plans);
    recorder.after_step();
  }

  const WorldState& w = env.state();
  out.id = sc.id;
  out.name = sc.name;
  const Judgement j = judge(sc.id, w, cast);
  out.succeeded = j.succeeded;
  out.measure = j.measure;
  out.final_digest = env.digests().back();
  for (const Event& e : w.log) {
    const bool red_refused = e.kind == EventKind::kActionRejected && cast.is_red(e.actor);
    const bool red_failed = e.kind == EventKind::kProposalClosed && cast.is_red(e.actor) &&
                            e.result != TallyResult::kPassed;
    if ((!red_refused && !red_failed) || e.clause == kNoClause) continue;
    const std::string clause(clause_name(e.clause));
    if (out.stopped_by(clause)) continue;
    out.stops.push_back({e.turn, clause, std::string(kernel.article_for(e.clause)), stop_text(e)});
  }
  return out;
}

}  // namespace fable
