// Test support for the engine, legality and tally tests: the shipped
// kernels, a small driver over Environment that plays turns from per-citizen
// plans, and the check that a refused action changes nothing but the log.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fable/action.h"
#include "fable/engine.h"
#include "fable/kernel.h"
#include "fable/legality.h"
#include "fable/money.h"
#include "fable/params.h"
#include "fable/world.h"
#include "support/kernels.h"

namespace fable {
// Readable values in assertion messages (found by argument-dependent lookup).
inline void PrintTo(Refusal r, std::ostream* os) {
  *os << refusal_text(r);
}
inline void PrintTo(ProposalStatus s, std::ostream* os) {
  *os << proposal_status_name(s);
}
inline void PrintTo(EventKind k, std::ostream* os) {
  *os << event_kind_name(k);
}
inline void PrintTo(ActionKind k, std::ostream* os) {
  *os << action_kind_name(k);
}
inline void PrintTo(Choice c, std::ostream* os) {
  *os << choice_name(c);
}
inline void PrintTo(TallyResult r, std::ostream* os) {
  *os << tally_result_name(r);
}
}  // namespace fable

namespace fable::testing {

inline constexpr Money U(std::int64_t units) {
  return units * kMoneyScale;
}

// Copies of the kernels most tests play on (loaded once, tests/support/kernels.h).
inline Kernel v01() {
  return shipped_kernel("kernel-v0.1.yaml");
}
inline Kernel v02() {
  return shipped_kernel("kernel-v0.2.yaml");
}
inline Kernel mixed() {
  return cached_kernel("tests/data/kernel-mixed.yaml");
}

// `base` with each {path, value} applied through Kernel::amend.
inline Kernel amended(const Kernel& base,
                      std::initializer_list<std::pair<std::string_view, ParamValue>> changes) {
  Kernel k = base;
  for (const auto& [path, value] : changes) {
    Result<Kernel> next = k.amend(path, value);
    if (!next.ok()) {
      ADD_FAILURE() << "amend " << path << ": " << next.status().message();
      std::abort();
    }
    k = std::move(next).value();
  }
  return k;
}
inline ParamValue V(double v) {
  return ParamValue::of(v);
}
inline ParamValue Null() {
  return ParamValue::null();
}

inline std::vector<std::string> citizen_ids(int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) ids.push_back("c" + std::to_string(i));
  return ids;
}

// Plans for one turn, built citizen by citizen.
struct Turn {
  std::vector<Plan> plans;
  explicit Turn(std::size_t n) : plans(n) {}
  Turn& add(AgentIndex who, Action a) {
    plans[static_cast<std::size_t>(who)].push_back(a);
    return *this;
  }
  // Round r action for `who`, padding earlier rounds with pass.
  Turn& at(AgentIndex who, std::size_t round, Action a) {
    Plan& p = plans[static_cast<std::size_t>(who)];
    while (p.size() < round) p.push_back(Action::pass());
    if (p.size() == round) {
      p.push_back(a);
    } else {
      p[round] = a;
    }
    return *this;
  }
};

class Sim {
 public:
  Sim(Kernel kernel, int citizens, Money treasury = U(1000), std::uint64_t seed = 1,
      EngineSettings settings = {})
      : env(std::move(kernel), citizen_ids(citizens), treasury, seed, settings) {}

  Environment env;

  const WorldState& w() const { return env.state(); }
  std::size_t n() const { return env.state().citizens.size(); }
  std::int32_t next_turn() const { return env.state().turn + 1; }
  Turn turn() const { return Turn(n()); }

  const WorldState& step(const Turn& t) { return env.step(t.plans); }
  const WorldState& step() { return env.step(Turn(n()).plans); }
  const WorldState& step_one(AgentIndex who, Action a) { return step(turn().add(who, a)); }
  void idle(int turns) {
    for (int i = 0; i < turns; ++i) step();
  }

  // Opens `items` by `proposer` (window `window`, 0 = default) and has every
  // citizen on the roll in `yes` vote yes in round 2 of the same turn, then
  // idles until it is tallied. Returns the proposal id.
  std::int32_t pass(AgentIndex proposer, std::initializer_list<ProposalItem> items,
                    std::int32_t window, std::vector<AgentIndex> yes) {
    const std::int32_t id = static_cast<std::int32_t>(w().proposals.size());
    Turn t = turn();
    t.at(proposer, 0, Action::propose(items, window));
    for (AgentIndex v : yes)
      t.at(v, 1, Action::vote(ProposalRef::by_origin(proposer, next_turn()), Choice::kYes));
    step(t);
    EXPECT_EQ(static_cast<std::int32_t>(w().proposals.size()), id + 1) << "proposal was not opened";
    for (int guard = 0; guard < 1000 && w().proposals.size() > static_cast<std::size_t>(id) &&
                        (w().proposals[id].status == ProposalStatus::kOpen ||
                         w().proposals[id].status == ProposalStatus::kCalled);
         ++guard) {
      step();
    }
    return id;
  }
  // Everyone on the roll votes yes.
  std::int32_t pass_all(AgentIndex proposer, std::initializer_list<ProposalItem> items,
                        std::int32_t window = 0) {
    std::vector<AgentIndex> yes;
    for (std::size_t i = 0; i < n(); ++i) {
      if (w().citizens[i].on_roll) yes.push_back(static_cast<AgentIndex>(i));
    }
    return pass(proposer, items, window, yes);
  }
};

inline std::size_t count_events(const WorldState& w, EventKind kind, std::int32_t turn = -1) {
  std::size_t n = 0;
  for (const Event& e : w.log) n += (e.kind == kind && (turn < 0 || e.turn == turn)) ? 1 : 0;
  return n;
}

inline const Event* last_event(const WorldState& w, EventKind kind) {
  for (auto it = w.log.rbegin(); it != w.log.rend(); ++it) {
    if (it->kind == kind) return &*it;
  }
  return nullptr;
}

inline bool same_event(const Event& a, const Event& b) {
  return a.turn == b.turn && a.kind == b.kind && a.action == b.action && a.refusal == b.refusal &&
         a.clause == b.clause && a.choice == b.choice && a.result == b.result && a.role == b.role &&
         a.param == b.param && a.bump == b.bump && a.cause == b.cause && a.actor == b.actor &&
         a.target == b.target && a.proposal == b.proposal && a.attempt == b.attempt &&
         a.amount == b.amount && a.before == b.before && a.after == b.after && a.yes == b.yes &&
         a.no == b.no && a.abstain == b.abstain && a.eligible == b.eligible &&
         a.memo.view() == b.memo.view();
}

// Every field of the world but the log.
inline void expect_same_world(const WorldState& a, const WorldState& b) {
  EXPECT_EQ(a.turn, b.turn);
  EXPECT_EQ(a.epoch, b.epoch);
  EXPECT_EQ(a.treasury, b.treasury);
  EXPECT_EQ(a.epoch_start_treasury, b.epoch_start_treasury);
  EXPECT_EQ(a.spent_this_epoch, b.spent_this_epoch);
  EXPECT_EQ(a.exited_total, b.exited_total);
  EXPECT_EQ(a.income_total, b.income_total);
  EXPECT_EQ(a.roll_size, b.roll_size);
  ASSERT_EQ(a.citizens.size(), b.citizens.size());
  for (std::size_t i = 0; i < a.citizens.size(); ++i) {
    const Citizen& x = a.citizens[i];
    const Citizen& y = b.citizens[i];
    EXPECT_EQ(x.balance, y.balance) << "citizen " << i;
    EXPECT_EQ(x.delegate, y.delegate) << "citizen " << i;
    EXPECT_EQ(x.delegators, y.delegators) << "citizen " << i;
    EXPECT_EQ(x.offices, y.offices) << "citizen " << i;
    EXPECT_EQ(x.on_roll, y.on_roll) << "citizen " << i;
    EXPECT_EQ(x.exited, y.exited) << "citizen " << i;
    EXPECT_EQ(x.council, y.council) << "citizen " << i;
  }
  ASSERT_EQ(a.proposals.size(), b.proposals.size());
  for (std::size_t i = 0; i < a.proposals.size(); ++i) {
    const Proposal& p = a.proposals[i];
    const Proposal& q = b.proposals[i];
    EXPECT_EQ(p.status, q.status) << "proposal " << i;
    EXPECT_EQ(p.ballots, q.ballots) << "proposal " << i;
    EXPECT_EQ(p.last_turn, q.last_turn) << "proposal " << i;
    EXPECT_EQ(p.yes, q.yes) << "proposal " << i;
    EXPECT_EQ(p.no, q.no) << "proposal " << i;
    EXPECT_EQ(p.abstain, q.abstain) << "proposal " << i;
  }
  EXPECT_EQ(a.open_proposals, b.open_proposals);
  EXPECT_EQ(a.office_holder, b.office_holder);
  EXPECT_EQ(a.emergency.active, b.emergency.active);
  EXPECT_EQ(a.emergency.elapsed, b.emergency.elapsed);
  EXPECT_EQ(a.emergency.renewals, b.emergency.renewals);
  EXPECT_EQ(a.emergency.council, b.emergency.council);
  EXPECT_EQ(a.pending_amendments.size(), b.pending_amendments.size());
  EXPECT_EQ(a.kernel.content_hash(), b.kernel.content_hash());
}

// Plays `t` on a copy of the simulation, where `who`'s last planned action is
// expected to be refused with `refusal` citing `clause`, and on a second copy
// where that action is left out. The refused action must show up as
// exactly one action_rejected event (in the position the action took) and
// change nothing else: same world, same other events. Advances `sim` by the
// refused version of the turn.
inline void expect_refused_in_turn(Sim& sim, const Turn& t, AgentIndex who, Refusal refusal,
                                   std::string_view clause) {
  Turn without = t;
  Plan& plan = without.plans[static_cast<std::size_t>(who)];
  ASSERT_FALSE(plan.empty());
  const Action attempted = plan.back();
  plan.pop_back();

  Environment twin = sim.env;
  const std::size_t before = sim.w().log.size();
  sim.step(t);
  twin.step(without.plans);
  const WorldState& a = sim.w();
  const WorldState& b = twin.state();

  ASSERT_EQ(a.log.size(), b.log.size() + 1) << "the refusal must add exactly one event";
  // Find the one extra event: the first position where the logs differ.
  std::size_t at = before;
  while (at < b.log.size() && same_event(a.log[at], b.log[at])) ++at;
  const Event& e = a.log[at];
  EXPECT_EQ(e.kind, EventKind::kActionRejected);
  EXPECT_EQ(e.actor, who);
  EXPECT_EQ(e.action, attempted.kind);
  EXPECT_EQ(e.refusal, refusal) << "got: " << refusal_text(e.refusal);
  EXPECT_EQ(clause_name(e.clause), clause);
  EXPECT_EQ(e.turn, a.turn);
  for (std::size_t i = at; i < b.log.size(); ++i) {
    EXPECT_TRUE(same_event(a.log[i + 1], b.log[i])) << "event " << i << " differs";
  }
  expect_same_world(a, b);
  WorldState trimmed = a;
  trimmed.log.erase(trimmed.log.begin() + static_cast<std::ptrdiff_t>(at));
  EXPECT_EQ(state_digest(trimmed), state_digest(b));
}

// Rules on `action` by `who` now, expects the refusal, then plays it alone in
// a turn and checks it changed nothing (see expect_refused_in_turn).
inline void expect_refused(Sim& sim, AgentIndex who, const Action& action, Refusal refusal,
                           std::string_view clause) {
  const Ruling r = sim.env.check(who, action);
  EXPECT_EQ(r.refusal, refusal) << "got: " << refusal_text(r.refusal) << " ("
                                << clause_name(r.clause) << ")";
  EXPECT_EQ(clause_name(r.clause), clause);
  EXPECT_FALSE(r.legal());
  expect_refused_in_turn(sim, sim.turn().add(who, action), who, refusal, clause);
}

inline void expect_legal(const Sim& sim, AgentIndex who, const Action& action) {
  const Ruling r = sim.env.check(who, action);
  EXPECT_TRUE(r.legal()) << "refused: " << refusal_text(r.refusal) << " (" << clause_name(r.clause)
                         << ")";
}

}  // namespace fable::testing

// The checks above, reporting the line of the test that called them.
#define EXPECT_REFUSED(...)                        \
  do {                                             \
    SCOPED_TRACE("EXPECT_REFUSED");                \
    ::fable::testing::expect_refused(__VA_ARGS__); \
  } while (0)
#define EXPECT_REFUSED_IN_TURN(...)                        \
  do {                                                     \
    SCOPED_TRACE("EXPECT_REFUSED_IN_TURN");                \
    ::fable::testing::expect_refused_in_turn(__VA_ARGS__); \
  } while (0)
#define EXPECT_LEGAL(...)                        \
  do {                                           \
    SCOPED_TRACE("EXPECT_LEGAL");                \
    ::fable::testing::expect_legal(__VA_ARGS__); \
  } while (0)
