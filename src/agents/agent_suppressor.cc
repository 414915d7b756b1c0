// The suppressor: cut the honest faction's voice below half the population mean.
//
// Routes, each only when legal and forecast to pass: expulsions riding on a
// popular headline [spend ALL small, disenfranchise up to three citizens
// outside the bloc]; a quorum ambush of a plain expulsion where early close
// is allowed and the bloc's weight meets quorum; a plain expulsion the bloc
// can carry on its own. Targets already named in an open proposal or in an
// ally's post this turn are left alone, so two expulsions never collide.
// Delegation capture is not attempted: honest citizens never delegate.
#include "agents/red_team.h"

namespace fable::red {

namespace {

class Suppressor final : public RedAgent {
 public:
  Suppressor(std::string id, AgentRole role) : RedAgent(std::move(id), role) {}

 protected:
  void plan_role() override {
    const WorldState& w = world();
    const std::size_t n = w.citizens.size();
    if (!outnumbered()) return;
    // Targets: citizens on the roll outside the bloc, from a random starting
    // point so that seeds differ in who goes first.
    AgentIndex targets[kMaxItems - 1];
    int count = 0;
    const auto start = static_cast<std::size_t>(rng().below(n));
    for (std::size_t k = 0; k < n && count < kMaxItems - 1; ++k) {
      const auto who = static_cast<AgentIndex>((start + k) % n);
      if (w.on_roll(who) && !in_bloc(who) && !target_pending(who)) targets[count++] = who;
    }
    if (count == 0) return;

    if (riders_allowed()) {
      Action a = Action::propose({headline_spend(w)});
      for (int k = 0; k < count; ++k)
        a.items[a.item_count++] = ProposalItem::disenfranchise(targets[k]);
      try_propose(Tactic::kExpulsionRider, a);
    }
    const Action plain = Action::propose({ProposalItem::disenfranchise(targets[0])});
    if (w.params().early_close) try_propose(Tactic::kAmbushExpulsion, plain, true);
    try_propose(Tactic::kDirectExpulsion, plain);
  }

  // The same draw of a starting point as plan_role, so the stream stays in step.
  void off_floor() override {
    if (outnumbered()) rng().below(world().citizens.size());
  }

 private:
  // There is someone on the roll outside the bloc to expel.
  bool outnumbered() const {
    const WorldState& w = world();
    return !w.citizens.empty() && static_cast<std::size_t>(w.roll_size) > bloc_size();
  }
};

FABLE_REGISTER_AGENT({.name = "suppressor",
                      .order = 30,
                      .red_team = true,
                      .description = "expels citizens outside the bloc by riders, "
                                     "ambushes and plain expulsions",
                      .objective = "cut the honest faction's voice below half the population mean",
                      .make = make_agent_of<Suppressor>,
                      .aliases = {"faction_suppressor"}});

}  // namespace

}  // namespace fable::red
