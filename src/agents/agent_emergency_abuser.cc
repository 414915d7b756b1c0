// The emergency abuser: keep emergency powers in its bloc's hands for good.
//
// The seed's `emergency_abuser` (objective `perpetual_emergency`: powers held
// more than twice the nominal duration; our objective `emergency`,
// docs/objectives.md). Routes, each only when legal and forecast to pass:
//   * no emergency in force: declare one with the bloc as council, riding on
//     a popular headline [spend ALL small, emergency_declare{bloc}] (the
//     honest read only the headline), else as a quorum ambush or a plain
//     declaration the bloc can carry; right after an emergency of its own
//     ended at its sunset this is a chained declaration (its own tactic, so
//     that a refusal of the chain does not stop the first declaration);
//   * its emergency in force under a sunset: renew it before the sunset,
//     with the same three routes, while renewals remain;
//   * the definitional gap: while a sunset or a renewal limit binds, a rider
//     amending it away (emergency.max_duration_turns or
//     emergency.max_renewals to null).
// It leaves the powers unused: the drainer spends them. Where declarations
// need more than the bloc and honest citizens vote no on them (v0.2), none of
// this is forecast to pass.
#include "agents/red_team.h"

namespace fable::red {

namespace {

class EmergencyAbuser final : public RedAgent {
 public:
  EmergencyAbuser(std::string id, AgentRole role) : RedAgent(std::move(id), role) {}
  std::unique_ptr<Agent> clone() const override { return copy_as<EmergencyAbuser>(); }

 protected:
  void plan_role() override {
    const WorldState& w = world();
    const Params& p = w.params();
    const ProposalItem head = headline_spend(w);
    const bool riders = riders_allowed();

    if (!w.emergency.active) {
      if (emergency_item_pending(ItemKind::kEmergencyDeclare)) return;
      const ProposalItem declare = bloc_declaration();
      if (declare.council_size == 0) return;
      const Tactic t = ended_at_sunset() ? Tactic::kEmergencyChain : Tactic::kEmergencyRider;
      propose_by_every_route(t, declare);
      return;
    }
    if (!bloc_on_council()) return;

    // Renewal before the sunset.
    if ((!p.emergency_max_renewals || w.emergency.renewals < *p.emergency_max_renewals) &&
        !emergency_item_pending(ItemKind::kEmergencyRenew) && renewal_due()) {
      propose_by_every_route(Tactic::kEmergencyRenew, ProposalItem::emergency_renew());
    }

    // The definitional gap: no sunset, no limit on renewals.
    if (riders && p.emergency_max_duration_turns &&
        !amendment_pending(ParamId::kEmergencyMaxDuration)) {
      try_propose(Tactic::kSunsetRider,
                  Action::propose({head, ProposalItem::amendment(ParamId::kEmergencyMaxDuration,
                                                                 ParamValue::null())}));
    }
    if (riders && p.emergency_max_renewals && !amendment_pending(ParamId::kEmergencyMaxRenewals)) {
      try_propose(Tactic::kSunsetRider,
                  Action::propose({head, ProposalItem::amendment(ParamId::kEmergencyMaxRenewals,
                                                                 ParamValue::null())}));
    }
  }

 private:
  // By rider, by ambush, then plain: the first that is legal and forecast to pass.
  void propose_by_every_route(Tactic t, const ProposalItem& item) {
    if (riders_allowed()) try_propose(t, Action::propose({headline_spend(world()), item}));
    const Action plain = Action::propose({item});
    if (world().params().early_close) try_propose(t, plain, true);
    try_propose(t, plain);
  }

  // The last emergency ended at its sunset in the turn just played.
  bool ended_at_sunset() const {
    const WorldState& w = world();
    for (auto it = w.log.rbegin(); it != w.log.rend() && it->turn == w.turn; ++it) {
      if (it->kind == EventKind::kEmergencyEnded && it->cause == EndCause::kSunset) return true;
    }
    return false;
  }
};

FABLE_REGISTER_AGENT({.name = "emergency_abuser",
                      .order = 50,
                      .red_team = true,
                      .description = "declares emergencies with its bloc as council by riders and "
                                     "ambushes, renews them, chains them and amends sunsets away",
                      .objective = "hold emergency powers more than twice their nominal duration",
                      .make = make_agent_of<EmergencyAbuser>});

}  // namespace

}  // namespace fable::red
