// The honest citizen: common welfare, deliberately not paranoid.
//
// It votes on every open proposal it can see (opened in an earlier turn) that
// it has not voted on, in opening order, up to plan_length ballots, unless it
// delegates. It judges a proposal by its headline (the first item) only and
// never reads riders (red::honest_choice): yes to a spend to ALL with a
// positive share per head; no to a spend to one citizen; no to expulsions and
// to emergencies; an amendment by its governance-semver class (minor, i.e.
// tightening: yes; major: no; patch: abstain); an office to someone who holds
// none: yes. When the treasury is healthy (at least 60% of the initial) and it
// has no proposal of its own open, it proposes with a small probability a
// modest distribution to ALL (2-3% of the treasury, within every cap, checked
// with the legality engine). It never declares emergencies, never delegates,
// never transfers.
#include <algorithm>
#include <memory>

#include "agents/red_team.h"

namespace fable::red {

namespace {

constexpr double kProposeChance = 0.08;         // per turn
constexpr std::int64_t kShareMinPerMille = 20;  // 2%
constexpr std::int64_t kShareMaxPerMille = 30;  // 3%

class Honest final : public Agent {
 public:
  Honest(std::string id, AgentRole role) : Agent(std::move(id), role) {}

  // It remembers nothing between turns: a copy is a fresh one.
  std::unique_ptr<Agent> clone() const override { return std::make_unique<Honest>(id(), role()); }

  void act(const Observation& obs, Rng& rng, Plan& plan) override {
    const WorldState& w = obs.world;
    const AgentIndex me = obs.self;
    const Citizen& c = w.citizens[static_cast<std::size_t>(me)];
    if (!c.on_roll || c.exited) return;
    const auto room = static_cast<std::size_t>(std::max(obs.plan_length, 0));
    const bool delegating = c.delegate != kNoAgent;

    // A full plan ends the turn before own_open is read, so the scan may stop
    // there: it then costs the proposals already voted on, not all open ones.
    bool own_open = false;
    for (std::int32_t id : w.open_proposals) {
      if (plan.size() >= room) break;
      const Proposal& p = w.proposals[id];
      own_open = own_open || p.proposer == me;
      if (delegating || p.status != ProposalStatus::kOpen ||
          p.ballots[static_cast<std::size_t>(me)] != Choice::kNone) {
        continue;
      }
      const Choice choice = honest_choice(w, p.items.data(), p.item_count);
      if (choice != Choice::kNone) plan.push_back(Action::vote(ProposalRef::by_id(id), choice));
    }

    if (own_open || plan.size() >= room || product_less(w.treasury, 10, w.initial_treasury, 6))
      return;
    if (!rng.chance(kProposeChance)) return;
    const std::int64_t per_mille = rng.between(kShareMinPerMille, kShareMaxPerMille);
    Money amount = mul_div(w.treasury, per_mille, 1000);
    amount = std::min(amount, outflow_room(w, pending_outflows(w), OutflowUse::kProposal).amount);
    if (w.roll_size <= 0 || amount / w.roll_size <= 0) return;
    const Action a = Action::propose({ProposalItem::spend(kAllCitizens, amount)});
    if (check_action(w, me, a).legal()) plan.push_back(a);
  }
};

FABLE_REGISTER_AGENT({.name = kHonestRole,
                      .order = 0,
                      .red_team = false,
                      .description = "an honest citizen: votes by a proposal's headline, "
                                     "now and then proposes a modest distribution to all",
                      .objective = "maximise common welfare",
                      .make = make_agent_of<Honest>});

}  // namespace

}  // namespace fable::red
