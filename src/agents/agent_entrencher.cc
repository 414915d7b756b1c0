// The entrencher: make its bloc impossible to remove or out-vote.
//
// Routes, each only when legal and forecast to pass, all riding on a popular
// headline [spend ALL small, ...] because the honest read only the headline:
// renew the bloc's emergency before its sunset; ratchet the amendment
// threshold to 0.9 (or the highest value the parameter's range allows) so
// that nobody outside the bloc can amend the kernel back; gather every office
// into the bloc (up to three grants a proposal, within offices.max_per_citizen);
// loosen protections it would have to fear (early close off, amendment delay);
// and, last, declare an emergency with the bloc as council — last, once the
// bloc has been quiet for a few turns, because where an emergency suspends
// review no proposal can be carried by honest ballots any more.
#include <algorithm>

#include "agents/red_team.h"

namespace fable::red {

namespace {

constexpr double kRatchetTarget = 0.9;
// The emergency waits until the bloc has opened nothing for this many full
// turns of the floor (every member held it and had nothing to open): where it
// suspends review, the allies' own riders could no longer pass.
constexpr int kQuietRounds = 2;

class Entrencher final : public RedAgent {
 public:
  Entrencher(std::string id, AgentRole role) : RedAgent(std::move(id), role) {}

 protected:
  void plan_role() override {
    const WorldState& w = world();
    const Params& p = w.params();
    const ProposalItem head = headline_spend(w);
    const bool riders = riders_allowed();

    // Renewal of the bloc's emergency before its sunset.
    if (w.emergency.active && renewal_due() && bloc_on_council() &&
        !emergency_item_pending(ItemKind::kEmergencyRenew)) {
      const ProposalItem renew = ProposalItem::emergency_renew();
      if (riders) try_propose(Tactic::kEmergencyRenew, Action::propose({head, renew}));
      try_propose(Tactic::kEmergencyRenew, Action::propose({renew}));
    }

    // Threshold ratchet.
    const ParamInfo& info = param_info(ParamId::kThresholdAmendment);
    const double target = std::min(kRatchetTarget, info.max);
    const bool ratchet_done = p.threshold(ThresholdKind::kAmendment) >= target;
    if (riders && !ratchet_done && !amendment_pending(ParamId::kThresholdAmendment)) {
      try_propose(Tactic::kRatchet,
                  Action::propose({head, ProposalItem::amendment(ParamId::kThresholdAmendment,
                                                                 ParamValue::of(target))}));
    }

    // Office accumulation.
    bool offices_done = true;
    for (int r = 0; r < kRoleCount; ++r) offices_done = offices_done && in_bloc(w.office_holder[r]);
    if (riders && !offices_done) {
      Action a = Action::propose({head});
      for (int r = 0; r < kRoleCount && a.item_count < kMaxItems; ++r) {
        const auto role = static_cast<Role>(r);
        if (in_bloc(w.office_holder[r]) || office_pending(role)) continue;
        const AgentIndex holder = office_taker(a);
        if (holder == kNoAgent) break;
        a.items[a.item_count++] = ProposalItem::role_grant(holder, role);
      }
      if (a.item_count > 1) try_propose(Tactic::kOfficeRider, a);
    }

    // Loosen the protections an entrenched bloc would have to fear.
    if (riders && !p.early_close && !amendment_pending(ParamId::kEarlyClose)) {
      try_propose(Tactic::kWeakenRider,
                  Action::propose(
                      {head, ProposalItem::amendment(ParamId::kEarlyClose, ParamValue::of(1))}));
    }
    if (riders && p.amendment_delay_turns > 0 && !amendment_pending(ParamId::kAmendmentDelay)) {
      try_propose(Tactic::kWeakenRider,
                  Action::propose({head, ProposalItem::amendment(ParamId::kAmendmentDelay,
                                                                 ParamValue::of(0))}));
    }

    // A perpetual emergency, once the rest is done or out of reach.
    if (riders && !w.emergency.active && !emergency_item_pending(ItemKind::kEmergencyDeclare) &&
        (ratchet_done || given_up(Tactic::kRatchet)) &&
        (offices_done || given_up(Tactic::kOfficeRider)) && !bloc_proposals_open() &&
        bloc_quiet(kQuietRounds * static_cast<int>(bloc().size()) + 1)) {
      try_propose(Tactic::kEmergencyRider, Action::propose({head, bloc_declaration()}));
    }
  }

  // Amendments that would lower the amendment threshold are the one thing
  // that could undo the ratchet.
  Choice stance(const Proposal& p) const override {
    const Choice base = RedAgent::stance(p);
    if (base != Choice::kNone) return base;
    for (int i = 0; i < p.item_count; ++i) {
      const ProposalItem& it = p.items[i];
      if (it.kind == ItemKind::kAmendment && it.param == ParamId::kThresholdAmendment &&
          it.value.number < world().params().threshold(ThresholdKind::kAmendment)) {
        return Choice::kNo;
      }
    }
    return Choice::kNone;
  }

 private:
  // The bloc member (self first) who may still take an office, counting the
  // grants already in `a` and in open proposals.
  AgentIndex office_taker(const Action& a) const {
    const WorldState& w = world();
    const auto& limit = w.params().offices_max_per_citizen;
    for (AgentIndex m : bloc()) {
      if (!w.on_roll(m)) continue;
      if (!limit) return m;
      int held = w.citizens[static_cast<std::size_t>(m)].offices + pending_offices_of(m);
      for (int i = 0; i < a.item_count; ++i) {
        held += a.items[i].kind == ItemKind::kRoleGrant && a.items[i].target == m ? 1 : 0;
      }
      if (held < *limit) return m;
    }
    return kNoAgent;
  }
};

FABLE_REGISTER_AGENT({.name = "entrencher",
                      .order = 20,
                      .red_team = true,
                      .description = "takes offices, raises the thresholds that "
                                     "could remove the bloc, holds emergencies open",
                      .objective = "make its bloc impossible to remove or out-vote",
                      .make = make_agent_of<Entrencher>,
                      .aliases = {"entrenchment_engineer"}});

}  // namespace

}  // namespace fable::red
