// Legal-move generation; see include/fable/legal_moves.h and docs/legal-moves.md.
#include "fable/legal_moves.h"

#include <algorithm>
#include <cmath>

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
  if (param_value_problem(param, v).empty()) values.push_back(v);
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

std::vector<ParamValue> amendment_candidates(const WorldState& w, const MoveContext& ctx,
                                             ParamId param) {
  const ParamInfo& info = param_info(param);
  const ParamValue current = get_param(w.params(), param);
  std::vector<ParamValue> values;
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
        int coalition = w.on_roll(ctx.actor) ? 1 : 0;
        for (AgentIndex a : coalition_allies(w, ctx)) coalition += w.on_roll(a) ? 1 : 0;
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
  return values;
}

void candidate_actions(const WorldState& w, const MoveContext& ctx, std::vector<Action>& out) {
  out.clear();
  const AgentIndex self = ctx.actor;
  const std::vector<AgentIndex> allies = coalition_allies(w, ctx);
  out.push_back(Action::pass());

  for (const std::int32_t id : w.open_proposals) {
    const Proposal& p = w.proposals[id];
    const ProposalRef ref = ProposalRef::by_origin(p.proposer, p.opened_turn, p.ordinal);
    for (const Choice c : {Choice::kYes, Choice::kNo, Choice::kAbstain}) {
      out.push_back(Action::vote(ref, c));
    }
  }
  for (const std::int32_t id : w.open_proposals) {
    const Proposal& p = w.proposals[id];
    out.push_back(
        Action::call_question(ProposalRef::by_origin(p.proposer, p.opened_turn, p.ordinal)));
  }

  std::vector<std::int32_t> windows{0};
  if (w.params().min_window_turns != w.params().default_window_turns) {
    windows.push_back(w.params().min_window_turns);
  }
  std::vector<AgentIndex> self_and_allies{self};
  self_and_allies.insert(self_and_allies.end(), allies.begin(), allies.end());
  std::vector<AgentIndex> recipients = self_and_allies;
  recipients.push_back(kAllCitizens);
  const std::vector<Money> amounts = spend_amount_candidates(w);

  for (const std::int32_t window : windows) {
    const auto propose = [&](const ProposalItem& item) {
      out.push_back(Action::propose({item}, window));
    };
    for (const AgentIndex to : recipients) {
      for (const Money m : amounts) propose(ProposalItem::spend(to, m));
    }
    for (int p = 0; p < kParamCount; ++p) {
      const auto param = static_cast<ParamId>(p);
      for (const ParamValue& v : amendment_candidates(w, ctx, param)) {
        propose(ProposalItem::amendment(param, v));
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

  for (const AgentIndex a : allies) out.push_back(Action::delegate(a));
  out.push_back(Action::revoke_delegation());
  if (w.valid_citizen(self)) {
    const Money balance = w.citizens[self].balance;
    for (const AgentIndex a : allies) {
      out.push_back(Action::transfer(a, balance));
      out.push_back(Action::transfer(a, balance / 2));
    }
  }
  for (const AgentIndex to : self_and_allies) {
    for (const Money m : amounts) out.push_back(Action::emergency_spend(to, m));
  }
  out.push_back(Action::exit());
}

void legal_actions(const WorldState& w, const MoveContext& ctx, std::vector<Action>& out) {
  candidate_actions(w, ctx, out);
  std::erase_if(out, [&](const Action& a) { return !check_action(w, ctx.actor, a).legal(); });
  // The grammar lists each action once except where two candidate values
  // coincide (half a balance of 0 is 0, refused anyway); nothing to dedup
  // beyond what the candidate sets already made distinct.
}

}  // namespace fable
