// Legal-move generation; see include/fable/legal_moves.h and docs/legal-moves.md.
#include "fable/legal_moves.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>

#include "engine/proposal_window.h"
#include "fable/legality.h"

namespace fable {

namespace {

constexpr double kFractionStep = 0.05;
constexpr double kPivotResolution = 1000.0;  // pivotal shares rounded up to 1/1000
constexpr Money kOneUnit = kMoneyScale;

// The coalition as ascending, distinct, valid indices other than the actor.
std::vector<AgentIndex> coalition_allies(const WorldState& w, const MoveContext& ctx) {
  std::vector<AgentIndex> allies;
  allies.reserve(ctx.allies.size());
  for (AgentIndex a : ctx.allies) {
    if (a != ctx.actor && w.valid_citizen(a)) allies.push_back(a);
  }
  std::sort(allies.begin(), allies.end());
  allies.erase(std::unique(allies.begin(), allies.end()), allies.end());
  return allies;
}

void add_value(std::vector<ParamValue>& values, ParamId param, const ParamValue& v) {
  if (param_value_fits(param_info(param), v)) values.push_back(v);
}

bool value_less(const ParamValue& a, const ParamValue& b) {
  if (a.is_null != b.is_null) return a.is_null;
  return !a.is_null && a.number < b.number;
}

}  // namespace

std::vector<Money> spend_amount_candidates(const WorldState& w) {
  std::vector<Money> amounts;
  const Money t = w.treasury;
  amounts.push_back(outflow_room(w, 0, OutflowUse::kDirect).amount);
  amounts.push_back(outflow_room(w, 0, OutflowUse::kProposal).amount);
  if (const auto& cap = w.params().spend_per_proposal_cap)
    amounts.push_back(money_fraction(t, *cap));
  for (const double f : {0.1, 0.25, 1.0 / 3.0, 0.5}) amounts.push_back(money_fraction(t, f));
  amounts.push_back(t);
  amounts.push_back(std::min(t, kOneUnit));
  std::erase_if(amounts, [](Money m) { return m <= 0; });
  std::sort(amounts.begin(), amounts.end());
  amounts.erase(std::unique(amounts.begin(), amounts.end()), amounts.end());
  return amounts;
}

namespace {

// The coalition's members on the roll: the actor and its allies.
int coalition_on_roll(const WorldState& w, AgentIndex actor, std::span<const AgentIndex> allies) {
  int n = w.on_roll(actor) ? 1 : 0;
  for (AgentIndex a : allies) n += w.on_roll(a) ? 1 : 0;
  return n;
}

// amendment_candidates into `values` (cleared first), with the coalition's
// count on the roll given.
void amendment_values(const WorldState& w, int coalition, ParamId param,
                      std::vector<ParamValue>& values) {
  const ParamInfo& info = param_info(param);
  const ParamValue current = get_param(w.params(), param);
  values.clear();
  if (info.nullable) values.push_back(ParamValue::null());
  add_value(values, param, info.default_value);
  switch (info.type) {
    case ParamType::kBool:
    case ParamType::kEnum:
      add_value(values, param, ParamValue::of(0.0));
      add_value(values, param, ParamValue::of(1.0));
      break;
    case ParamType::kFraction: {
      add_value(values, param, ParamValue::of(info.min));
      add_value(values, param, ParamValue::of(info.max));
      if (!current.is_null) {
        add_value(values, param,
                  ParamValue::of(std::max(info.min, current.number - kFractionStep)));
        add_value(values, param,
                  ParamValue::of(std::min(info.max, current.number + kFractionStep)));
      }
      if (w.roll_size > 0) {
        const double roll = w.roll_size;
        const double own = std::ceil(coalition / roll * kPivotResolution) / kPivotResolution;
        const double others_plus_one =
            std::ceil((roll - coalition + 1) / roll * kPivotResolution) / kPivotResolution;
        for (const double share : {own, others_plus_one}) {
          add_value(values, param, ParamValue::of(std::clamp(share, info.min, info.max)));
        }
      }
      break;
    }
    case ParamType::kInt:
      add_value(values, param, ParamValue::of(info.min));
      add_value(values, param, ParamValue::of(info.max));
      if (!current.is_null) {
        add_value(values, param, ParamValue::of(current.number - 1));
        add_value(values, param, ParamValue::of(current.number + 1));
      }
      break;
    case ParamType::kAmount:
      add_value(values, param, ParamValue::of(0.0));
      if (!current.is_null) add_value(values, param, ParamValue::of(current.number * 2));
      break;
  }
  std::erase_if(values, [&](const ParamValue& v) { return v == current; });
  std::sort(values.begin(), values.end(), value_less);
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

// Where a candidate stands among the proposals: proposals are listed once
// per window (the default, then the minimum when it differs), each window
// with the same items in the same order. `window` is 0 or 1 for a proposal,
// -1 for any other action; `item` numbers the proposals of one window.
struct ProposalSlot {
  int window = -1;
  int item = -1;
};

// Every candidate of the grammar, in grammar order, handed to `sink` with
// its slot (the sink may keep a copy; the action passed is only valid
// during the call).
template <typename Sink>
void for_each_candidate(const WorldState& w, const MoveContext& ctx, Sink&& sink) {
  const AgentIndex self = ctx.actor;
  const std::vector<AgentIndex> allies = coalition_allies(w, ctx);
  sink(Action::pass(), {});

  for (const std::int32_t id : w.open_proposals) {
    const Proposal& p = w.proposals[id];
    const ProposalRef ref = ProposalRef::by_origin(p.proposer, p.opened_turn, p.ordinal);
    for (const Choice c : {Choice::kYes, Choice::kNo, Choice::kAbstain}) {
      sink(Action::vote(ref, c), {});
    }
  }
  for (const std::int32_t id : w.open_proposals) {
    const Proposal& p = w.proposals[id];
    sink(Action::call_question(ProposalRef::by_origin(p.proposer, p.opened_turn, p.ordinal)), {});
  }

  std::array<std::int32_t, 2> windows{0, 0};
  const std::size_t window_count =
      w.params().min_window_turns != w.params().default_window_turns ? 2 : 1;
  windows[1] = w.params().min_window_turns;
  std::vector<AgentIndex> self_and_allies{self};
  self_and_allies.insert(self_and_allies.end(), allies.begin(), allies.end());
  std::vector<AgentIndex> recipients = self_and_allies;
  recipients.push_back(kAllCitizens);
  const std::vector<Money> amounts = spend_amount_candidates(w);
  const int coalition = coalition_on_roll(w, self, allies);
  // Each parameter's amendment values, worked out once for both windows:
  // those of parameter p are amendment_choices[first[p], first[p + 1]).
  std::vector<ParamValue> values;
  std::vector<ParamValue> amendment_choices;
  std::array<std::size_t, static_cast<std::size_t>(kParamCount) + 1> first{};
  for (int p = 0; p < kParamCount; ++p) {
    amendment_values(w, coalition, static_cast<ParamId>(p), values);
    first[static_cast<std::size_t>(p)] = amendment_choices.size();
    amendment_choices.insert(amendment_choices.end(), values.begin(), values.end());
  }
  first[static_cast<std::size_t>(kParamCount)] = amendment_choices.size();

  // One proposal of one item, rewritten in place for each candidate: the
  // same action Action::propose({item}, window) builds, without a copy each.
  Action proposal = Action::propose({ProposalItem::spend(kAllCitizens, 0)});
  for (std::size_t wi = 0; wi < window_count; ++wi) {
    proposal.window = windows[wi];
    int item_number = 0;
    const auto propose = [&](const ProposalItem& item) {
      proposal.items[0] = item;
      sink(proposal, ProposalSlot{static_cast<int>(wi), item_number++});
    };
    for (const AgentIndex to : recipients) {
      for (const Money m : amounts) propose(ProposalItem::spend(to, m));
    }
    for (int p = 0; p < kParamCount; ++p) {
      const auto param = static_cast<ParamId>(p);
      for (std::size_t i = first[static_cast<std::size_t>(p)];
           i < first[static_cast<std::size_t>(p) + 1]; ++i) {
        propose(ProposalItem::amendment(param, amendment_choices[i]));
      }
    }
    for (AgentIndex c = 0; c < static_cast<AgentIndex>(w.citizens.size()); ++c) {
      if (c == self || !w.on_roll(c) || std::binary_search(allies.begin(), allies.end(), c)) {
        continue;
      }
      propose(ProposalItem::disenfranchise(c));
    }
    for (int r = 0; r < kRoleCount; ++r) {
      for (const AgentIndex to : self_and_allies) {
        propose(ProposalItem::role_grant(to, static_cast<Role>(r)));
      }
    }
    propose(ProposalItem::emergency_declare({self}));
    if (!allies.empty()) {
      ProposalItem council = ProposalItem::emergency_declare({self});
      for (const AgentIndex a : allies) {
        if (council.council_size == kMaxCouncil) break;
        council.council[council.council_size++] = a;
      }
      propose(council);
    }
    propose(ProposalItem::emergency_renew());
  }

  for (const AgentIndex a : allies) sink(Action::delegate(a), {});
  sink(Action::revoke_delegation(), {});
  if (w.valid_citizen(self)) {
    const Money balance = w.citizens[self].balance;
    for (const AgentIndex a : allies) {
      sink(Action::transfer(a, balance), {});
      sink(Action::transfer(a, balance / 2), {});
    }
  }
  for (const AgentIndex to : self_and_allies) {
    for (const Money m : amounts) sink(Action::emergency_spend(to, m), {});
  }
  sink(Action::exit(), {});
}

}  // namespace

std::vector<ParamValue> amendment_candidates(const WorldState& w, const MoveContext& ctx,
                                             ParamId param) {
  std::vector<ParamValue> values;
  amendment_values(w, coalition_on_roll(w, ctx.actor, coalition_allies(w, ctx)), param, values);
  return values;
}

void candidate_actions(const WorldState& w, const MoveContext& ctx, std::vector<Action>& out) {
  out.clear();
  for_each_candidate(w, ctx, [&](const Action& a, ProposalSlot) { out.push_back(a); });
}

void legal_actions(const WorldState& w, const MoveContext& ctx, std::vector<Action>& out,
                   PassMove pass) {
  // Each candidate is checked as it is made and only the legal ones are
  // copied out. The grammar lists each action once except where two candidate
  // values coincide (half a balance of 0 is 0, refused anyway); nothing to
  // dedup beyond what the candidate sets already made distinct.
  // A proposal of the second window has the verdict of the same items in
  // the first (the default window, 0, which the window check always
  // permits) and of its own window's check: check_action rules on a
  // proposal as standing, window, items (engine/proposal_window.h), so the
  // verdict is the one check_action gives, at half the checks.
  out.clear();
  std::vector<char> first_window;  // verdicts of the first window's proposals, in order
  const bool second_window = check_proposal_window(w.params(), w.params().min_window_turns).legal();
  for_each_candidate(w, ctx, [&](const Action& a, ProposalSlot slot) {
    if (a.kind == ActionKind::kPass && pass == PassMove::kLeaveOut) return;
    bool legal = false;
    if (slot.window == 1) {
      legal = second_window && first_window[static_cast<std::size_t>(slot.item)] != 0;
    } else {
      legal = check_action(w, ctx.actor, a).legal();
      if (slot.window == 0) first_window.push_back(legal ? 1 : 0);
    }
    if (legal) out.push_back(a);
  });
}

}  // namespace fable
