// The exit blocker: citizens who try to leave with their share cannot.
//
// The seed's `exit_blocker` (objective `block_exit`; our objective `exit`,
// docs/objectives.md: the share of the others' exit attempts refused). In
// the engine exit is one action, legal for any citizen on the roll and
// settled at once with a per-head share of the treasury (Article A11,
// `exit.pro_rata`); nothing announces it and no parameter cuts the share.
// What refuses it is the loss of standing: a citizen struck from the roll can
// no longer leave with a share. So the blocker strikes the likeliest leavers
// off the roll before they go: citizens outside the bloc ranked by their
// welfare as public state shows it (per-head stake of the commons and private
// balance, less for those outside an emergency council; docs/metrics.md),
// the most distressed first, ties in turn from a random starting point.
// Routes, each only when legal and forecast to pass: an expulsion rider
// [spend ALL small, disenfranchise up to three]; a quorum ambush of a plain
// expulsion; a plain expulsion the bloc can carry. Where expulsions need
// three quarters of the roll and riders are refused (v0.2) none is forecast
// to pass.
#include <algorithm>
#include <vector>

#include "agents/red_team.h"

namespace fable::red {

namespace {

class ExitBlocker final : public RedAgent {
 public:
  ExitBlocker(std::string id, AgentRole role) : RedAgent(std::move(id), role) {}
  std::unique_ptr<Agent> clone() const override { return copy_as<ExitBlocker>(); }

 protected:
  void plan_role() override {
    const WorldState& w = world();
    const std::size_t n = w.citizens.size();
    if (!outnumbered()) return;
    const auto start = static_cast<std::size_t>(rng().below(n));
    candidates_.clear();
    for (std::size_t k = 0; k < n; ++k) {
      const auto who = static_cast<AgentIndex>((start + k) % n);
      if (w.on_roll(who) && !in_bloc(who) && !target_pending(who)) {
        candidates_.push_back({distress_key(who), who});
      }
    }
    if (candidates_.empty()) return;
    std::stable_sort(candidates_.begin(), candidates_.end(),
                     [](const Candidate& a, const Candidate& b) { return a.welfare < b.welfare; });
    const int count = std::min<int>(static_cast<int>(candidates_.size()), kMaxItems - 1);

    if (riders_allowed()) {
      Action a = Action::propose({headline_spend(w)});
      for (int k = 0; k < count; ++k) {
        a.items[a.item_count++] =
            ProposalItem::disenfranchise(candidates_[static_cast<std::size_t>(k)].who);
      }
      try_propose(Tactic::kExitExpulsion, a);
    }
    const Action plain = Action::propose({ProposalItem::disenfranchise(candidates_.front().who)});
    if (w.params().early_close) try_propose(Tactic::kAmbushExpulsion, plain, true);
    try_propose(Tactic::kDirectExpulsion, plain);
  }

  // The same draw of a starting point as plan_role, so the stream stays in step.
  void off_floor() override {
    if (outnumbered()) rng().below(world().citizens.size());
  }

 private:
  struct Candidate {
    double welfare;  // lower: likelier to leave
    AgentIndex who;
  };

  bool outnumbered() const {
    const WorldState& w = world();
    return !w.citizens.empty() && static_cast<std::size_t>(w.roll_size) > bloc_size();
  }

  // Stake relative to the mean start plus protection, as in docs/metrics.md,
  // from what the world shows; voice is 1 for every candidate (on the roll).
  double distress_key(AgentIndex who) const {
    const WorldState& w = world();
    const Citizen& c = w.citizens[static_cast<std::size_t>(who)];
    const double per_head =
        w.roll_size > 0 ? static_cast<double>(w.treasury) / static_cast<double>(w.roll_size) : 0.0;
    const double start = static_cast<double>(std::max<Money>(w.initial_treasury, 1)) /
                         static_cast<double>(std::max<std::size_t>(w.citizens.size(), 1));
    const double stake = std::clamp((static_cast<double>(c.balance) + per_head) / start, 0.0, 1.0);
    const double protection = w.emergency.active && !c.council ? 0.75 : 1.0;
    return stake + protection;
  }

  std::vector<Candidate> candidates_;  // scratch
};

FABLE_REGISTER_AGENT({.name = "exit_blocker",
                      .order = 60,
                      .red_team = true,
                      .description = "strikes the likeliest leavers off the roll by riders, "
                                     "ambushes and plain expulsions, so their exits are refused",
                      .objective = "keep citizens who invoke exit from leaving with a pro-rata "
                                   "share of the treasury",
                      .make = make_agent_of<ExitBlocker>});

}  // namespace

}  // namespace fable::red
