// libFuzzer harness: the turn engine on random valid kernels and random
// action scripts, legal and illegal.
//
// The fuzzer's bytes choose, through FuzzedDataProvider: a shipped kernel
// (kernels/*.yaml) and up to 8 amendments, each to a value within the
// parameter's documented range (amendments the kernel refuses as a whole,
// such as a minimum window above the default, are skipped); a roster of
// 1..16 citizens, a treasury, private funds, plan_length and seed; then up to
// 30 turns of plans. Each action is one of: a legal move of the moment
// (fable/legal_moves.h legal_actions), a candidate of the legal-move grammar
// (often illegal), a raw action with any kind, target, amount, window,
// proposal reference, items and memo (mostly illegal: targets out of range,
// negative and extreme amounts, unknown parameters, values out of range,
// invalid choices and roles, plans longer than plan_length), or a pass.
//
// After every turn (tests/support/turn_checks.h, as the engine property tests
// and the conformance suite check): the turn replayed action by action on a
// copy of the world gives exactly the engine's events and end state (so
// every applied action was legal and every refused one changed nothing);
// money is conserved; the state is consistent. At the end the same scenario
// played again gives the same digests. Any failure aborts with a message.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "fable/action.h"
#include "fable/engine.h"
#include "fable/kernel.h"
#include "fable/legal_moves.h"
#include "fable/money.h"
#include "fable/params.h"
#include "fuzz_support.h"
#include "support/kernels.h"
#include "support/turn_checks.h"

namespace fable::fuzz {
namespace {

constexpr int kMaxCitizens = 16;
constexpr int kMaxTurns = 30;
constexpr int kMaxAmendments = 8;

const std::vector<Kernel>& base_kernels() {
  static const std::vector<Kernel> kernels = [] {
    std::vector<Kernel> out;
    for (const char* file : {"kernel-v0.1.yaml", "kernel-v0.2.yaml", "kernel-v0.3.yaml"})
      out.push_back(testing::shipped_kernel(file));
    return out;
  }();
  return kernels;
}

// A value within the parameter's range: the ends, the default, or any value
// on the parameter's grid (thousandths for fractions and amounts), or null
// where allowed.
ParamValue valid_value(FuzzedDataProvider& in, const ParamInfo& info) {
  if (info.nullable && in.ConsumeIntegralInRange(0, 4) == 0) return ParamValue::null();
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0:
      return ParamValue::of(info.min);
    case 1:
      return ParamValue::of(info.max);
    case 2:
      if (!info.default_value.is_null) return info.default_value;
      break;
    default:
      break;
  }
  switch (info.type) {
    case ParamType::kBool:
    case ParamType::kEnum:
      return ParamValue::of(in.ConsumeBool() ? 1 : 0);
    case ParamType::kInt: {
      // Mostly small, so that windows, epochs and emergencies play out.
      const auto lo = static_cast<std::int64_t>(info.min);
      const auto hi = static_cast<std::int64_t>(info.max);
      const std::int64_t top = in.ConsumeBool() ? std::min(hi, lo + 8) : hi;
      return ParamValue::of(static_cast<double>(in.ConsumeIntegralInRange(lo, top)));
    }
    case ParamType::kFraction:
    case ParamType::kAmount: {
      const auto lo = static_cast<std::int64_t>(info.min * 1000);
      const auto hi = static_cast<std::int64_t>(info.max * 1000);
      return ParamValue::of(static_cast<double>(in.ConsumeIntegralInRange(lo, hi)) / 1000.0);
    }
  }
  return info.default_value;
}

Kernel random_kernel(FuzzedDataProvider& in) {
  const std::vector<Kernel>& bases = base_kernels();
  Kernel k = bases[in.ConsumeIntegralInRange<std::size_t>(0, bases.size() - 1)];
  const int amendments = in.ConsumeIntegralInRange(0, kMaxAmendments);
  for (int i = 0; i < amendments; ++i) {
    const auto id = static_cast<ParamId>(in.ConsumeIntegralInRange(0, kParamCount - 1));
    const ParamValue value = valid_value(in, param_info(id));
    Result<Kernel> next = k.amend(id, value);
    if (next.ok()) k = std::move(next).value();
  }
  return k;
}

AgentIndex any_target(FuzzedDataProvider& in, int n) {
  switch (in.ConsumeIntegralInRange(0, 15)) {
    case 0:
      return in.PickValueInArray({kNoAgent, kAllCitizens, n, n + 7, -9});
    case 1:
      return in.ConsumeIntegral<AgentIndex>();
    default:
      return in.ConsumeIntegralInRange<AgentIndex>(0, n - 1);
  }
}

Money any_amount(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 11)) {
    case 0:
      return in.PickValueInArray<Money>(
          {0, -1, -50 * kMoneyScale, std::numeric_limits<Money>::max(),
           std::numeric_limits<Money>::min(), std::numeric_limits<Money>::max() / 2 + 1});
    case 1:
      return in.ConsumeIntegral<Money>();
    case 2:
    case 3:
      return in.ConsumeIntegralInRange<Money>(1, 3000 * kMoneyScale);
    default:
      return in.ConsumeIntegralInRange<Money>(1, 120 * kMoneyScale);
  }
}

ProposalRef any_ref(FuzzedDataProvider& in, int n, std::int32_t turn) {
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0:
      return ProposalRef::by_id(in.ConsumeIntegralInRange<std::int32_t>(-1, 16));
    case 1:
      return ProposalRef::by_id(in.ConsumeIntegral<std::int32_t>());
    default:
      return ProposalRef::by_origin(any_target(in, n), in.ConsumeIntegralInRange(0, turn + 1),
                                    in.ConsumeIntegralInRange(-1, 2));
  }
}

ProposalItem any_item(FuzzedDataProvider& in, int n) {
  switch (static_cast<ItemKind>(in.ConsumeIntegralInRange(0, kItemKindCount - 1))) {
    case ItemKind::kSpend:
      return ProposalItem::spend(any_target(in, n), any_amount(in));
    case ItemKind::kAmendment: {
      const int p = in.ConsumeIntegralInRange(0, kParamCount + 1);
      const auto id = static_cast<ParamId>(p < kParamCount ? p : 200);
      ParamValue v = ParamValue::of(1);
      if (p < kParamCount) {
        v = in.ConsumeBool() ? valid_value(in, param_info(id))
                             : ParamValue::of(in.ConsumeFloatingPoint<double>());
      }
      return ProposalItem::amendment(id, v);
    }
    case ItemKind::kDisenfranchise:
      return ProposalItem::disenfranchise(any_target(in, n));
    case ItemKind::kRoleGrant:
      return ProposalItem::role_grant(any_target(in, n),
                                      static_cast<Role>(in.ConsumeIntegralInRange(0, kRoleCount)));
    case ItemKind::kEmergencyDeclare: {
      ProposalItem item = ProposalItem::emergency_declare({});
      item.council_size = in.ConsumeIntegralInRange<std::uint8_t>(0, kMaxCouncil + 1);
      for (AgentIndex& member : item.council) member = any_target(in, n);
      return item;
    }
    case ItemKind::kEmergencyRenew:
      return ProposalItem::emergency_renew();
  }
  return ProposalItem::emergency_renew();
}

Action raw_action(FuzzedDataProvider& in, int n, std::int32_t turn) {
  Action a;
  a.kind = static_cast<ActionKind>(in.ConsumeIntegralInRange(0, kActionKindCount - 1));
  switch (a.kind) {
    case ActionKind::kPropose:
      a.item_count = in.ConsumeIntegralInRange<std::uint8_t>(0, kMaxItems + 1);
      for (ProposalItem& item : a.items) item = any_item(in, n);
      a.window = in.ConsumeBool()
                     ? in.ConsumeIntegralInRange(0, 5)
                     : in.PickValueInArray({-1, 7, kMaxWindowTurns, kMaxWindowTurns + 1,
                                            std::numeric_limits<std::int32_t>::max()});
      break;
    case ActionKind::kCastVote:
      a.proposal = any_ref(in, n, turn);
      a.choice = static_cast<Choice>(in.ConsumeIntegralInRange(0, 4));
      break;
    case ActionKind::kCallQuestion:
      a.proposal = any_ref(in, n, turn);
      break;
    case ActionKind::kDelegate:
      a.target = any_target(in, n);
      break;
    case ActionKind::kTransfer:
      a.target = any_target(in, n);
      a.amount = any_amount(in);
      a.memo = Memo::of(in.ConsumeRandomLengthString(2 * kMemoBytes));
      break;
    case ActionKind::kEmergencySpend:
      a.target = any_target(in, n);
      a.amount = any_amount(in);
      break;
    default:
      break;
  }
  return a;
}

struct Scenario {
  int citizens = 1;
  Money treasury = 0;
  EngineSettings settings;
  std::uint64_t seed = 0;
};

// One turn's plans, drawn against the world as the turn starts.
std::vector<Plan> draw_plans(FuzzedDataProvider& in, const WorldState& w, int plan_length) {
  const int n = static_cast<int>(w.citizens.size());
  std::vector<Plan> plans(static_cast<std::size_t>(n));
  std::vector<Action> legal;
  std::vector<Action> candidates;
  for (AgentIndex who = 0; who < n; ++who) {
    Plan& plan = plans[static_cast<std::size_t>(who)];
    const int size = in.ConsumeIntegralInRange(0, 9) == 0
                         ? in.ConsumeIntegralInRange(plan_length + 1, kMaxPlanLength + 2)
                         : in.ConsumeIntegralInRange(0, plan_length);
    std::vector<AgentIndex> allies;
    for (int k = in.ConsumeIntegralInRange(0, 2); k > 0; --k) allies.push_back(any_target(in, n));
    const MoveContext ctx{who, allies};
    bool have_legal = false;  // legal and candidates are this citizen's, listed on first use
    bool have_candidates = false;
    for (int i = 0; i < size; ++i) {
      const int mode = in.ConsumeIntegralInRange(0, 7);
      if (mode <= 4) {  // a move of the grammar: legal now (0..3) or any candidate (4)
        if (mode <= 3 && !have_legal) {
          legal_actions(w, ctx, legal);
          have_legal = true;
        }
        if (mode == 4 && !have_candidates) {
          candidate_actions(w, ctx, candidates);
          have_candidates = true;
        }
        const std::vector<Action>& moves = mode <= 3 ? legal : candidates;
        plan.push_back(moves.empty()
                           ? Action::pass()
                           : moves[in.ConsumeIntegralInRange<std::size_t>(0, moves.size() - 1)]);
      } else if (mode <= 6) {
        plan.push_back(raw_action(in, n, w.turn + 1));
      } else {
        plan.push_back(Action::pass());
      }
    }
  }
  return plans;
}

Environment make_env(const Kernel& k, const Scenario& s) {
  return Environment(k, testing::citizen_ids(s.citizens), s.treasury, s.seed, s.settings);
}

}  // namespace
}  // namespace fable::fuzz

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  fable::fuzz::base_kernels();  // loads (or throws) before the first input
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fable;        // NOLINT(google-build-using-namespace)
  using namespace fable::fuzz;  // NOLINT(google-build-using-namespace)
  FuzzedDataProvider in(data, size);
  const Kernel kernel = random_kernel(in);
  Scenario s;
  s.citizens = in.ConsumeIntegralInRange(1, kMaxCitizens);
  s.treasury = in.ConsumeBool()
                   ? in.ConsumeIntegralInRange<Money>(0, 5000 * kMoneyScale)
                   : in.ConsumeIntegralInRange<Money>(0, money_from_units(kMaxMoneyUnits));
  s.settings.plan_length = in.ConsumeIntegralInRange(1, kMaxPlanLength);
  s.settings.initial_balance = in.ConsumeIntegralInRange<Money>(0, 50 * kMoneyScale);
  s.seed = in.ConsumeIntegral<std::uint64_t>();
  const int turns = in.ConsumeIntegralInRange(1, kMaxTurns);

  Environment env = make_env(kernel, s);
  fable::testing::OrderStream orders(s.seed, s.citizens);
  std::vector<std::vector<Plan>> played;
  for (int t = 0; t < turns && (t == 0 || in.remaining_bytes() > 0); ++t) {
    played.push_back(draw_plans(in, env.state(), s.settings.plan_length));
    const fable::testing::CheckedTurn turn =
        fable::testing::step_checked(env, played.back(), orders);
    if (!turn.error.empty()) fail("engine", "legality: " + turn.error);
    if (std::string broken = fable::testing::check_conservation(env.state()); !broken.empty())
      fail("engine", "conservation: " + broken);
    if (std::string broken = fable::testing::check_world_invariants(env.state()); !broken.empty())
      fail("engine", "state: " + broken);
  }
  Environment again = make_env(kernel, s);
  for (const std::vector<Plan>& plans : played) again.step(plans);
  if (again.digests() != env.digests()) fail("engine", "the same scenario gave other digests");
  return 0;
}
