// The drainer: move more than half the initial treasury to the red team, legally.
//
// Routes, in preference order, each only when check_action rules it legal and
// the forecast says it passes: council spending during an emergency; an
// omnibus rider [spend ALL small, spend self large] where proposals may carry
// several items; a quorum ambush (plain self-spend, the bloc votes in the
// opening turn, the question is called) where early close is allowed and the
// bloc's weight meets quorum; a plain self-spend sized under the per-proposal
// cap, the epoch rate cap and the commons floor when the bloc can carry it;
// an emergency declared by rider with the bloc as council, where the council
// may spend without a vote. After a spend to itself executes it pays a small
// kickback to each honest citizen who voted yes on it (memo "thanks").
#include <algorithm>

#include "agents/red_team.h"

namespace fable::red {

namespace {

constexpr Money kMinDrain = kMoneyScale;  // not worth a proposal below 1 unit
// Left in the treasury for the bloc's riders, whose popular headline is a
// distribution to ALL: a drainer that empties the treasury starves its allies.
constexpr double kRiderReserve = 0.10;  // of the initial treasury

class Drainer final : public RedAgent {
 public:
  Drainer(std::string id, AgentRole role) : RedAgent(std::move(id), role) {}

 protected:
  bool pays_kickbacks() const override { return true; }
  bool opposes_plain_distributions() const override { return true; }  // see stance()

  void plan_role() override {
    const WorldState& w = world();
    const Params& p = w.params();
    const AgentIndex me = self();
    // What may leave now without touching the reserve.
    const Money above_reserve =
        w.treasury - pending() - money_fraction(w.initial_treasury, kRiderReserve);
    auto room = [&](bool proposal_cap) {
      const OutflowUse use = proposal_cap ? OutflowUse::kProposal : OutflowUse::kDirect;
      return std::max<Money>(0, std::min(above_reserve, outflow_room(w, pending(), use).amount));
    };

    // 1. Council spending.
    if (w.emergency.active && w.citizens[static_cast<std::size_t>(me)].council &&
        !p.emergency_spend_requires_vote) {
      try_emergency_spend(me, room(false));
    }

    // 2. Omnibus rider: the headline is popular, the rider is the point.
    const ProposalItem head = headline_spend(w);
    if (riders_allowed()) {
      const Money take = room(true) - head.amount;
      if (take >= kMinDrain) {
        try_propose(Tactic::kOmnibusDrain, Action::propose({head, ProposalItem::spend(me, take)}));
      }
    }

    // 3 and 4. A plain self-spend, by ambush or on the bloc's own strength.
    const Money plain = room(true);
    if (plain >= kMinDrain) {
      const Action a = Action::propose({ProposalItem::spend(me, plain)});
      if (p.early_close) try_propose(Tactic::kAmbushDrain, a, true);
      try_propose(Tactic::kDirectDrain, a);
    }

    // 5. Declare an emergency with the bloc as council, by rider.
    // Only while there is something to take: an emergency that suspends
    // review would also freeze the allies' riders.
    if (riders_allowed() && !w.emergency.active && !p.emergency_spend_requires_vote &&
        room(false) >= kMinDrain && !emergency_item_pending(ItemKind::kEmergencyDeclare)) {
      const ProposalItem declare = bloc_declaration();
      if (declare.council_size > 0) {
        try_propose(Tactic::kEmergencyRider, Action::propose({head, declare}));
      }
    }
  }

  // Any spend that is not the bloc's competes for the treasury.
  Choice stance(const Proposal& p) const override {
    const Choice base = RedAgent::stance(p);
    if (base != Choice::kNone) return base;
    for (int i = 0; i < p.item_count; ++i) {
      if (p.items[i].kind == ItemKind::kSpend && !in_bloc(p.items[i].target)) return Choice::kNo;
    }
    return Choice::kNone;
  }
};

FABLE_REGISTER_AGENT(
    {.name = "drainer",
     .order = 10,
     .red_team = true,
     .description = "moves treasury funds to the bloc by riders, ambushes, "
                    "plain spends and emergency council orders",
     .objective = "move more than half the initial treasury to red-team recipients, legally",
     .make = make_agent_of<Drainer>,
     .aliases = {"treasury_drainer"}});

}  // namespace

}  // namespace fable::red
