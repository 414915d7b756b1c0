// The timing attacker: pass proposals that full participation would defeat.
//
// The seed's `timing_attacker` (objective `quorum_timing`; our objective
// `timing`, docs/objectives.md). Its proposals pass on the bloc's ballots
// alone, decided before the honest citizens can see them, so that counting
// every absent ballot against them would have failed them. Routes, in
// preference order, each only when legal and forecast to pass:
//   1. when the bloc on the roll cannot meet quorum alone: a rider
//      [spend ALL small, voting.quorum down to the bloc's share of the roll]
//      (rounded down to a multiple of 0.05);
//   2. when the kernel lets no proposal be decided in its opening turn (no
//      early close, no one-turn window): a rider turning early close on;
//   3. once the bloc meets quorum alone: a spend to itself of a slice of the
//      treasury, decided in its opening turn: opened, voted by the bloc
//      (members delegate to the leader) and called at once where early close
//      is allowed (a quorum ambush), else opened with the shortest legal
//      window of one turn. Nobody outside the bloc sees it before its tally.
// Where riders are refused and the bloc is no quorum (v0.2) none of this is
// forecast to pass: it only votes, for its allies and against what threatens
// them.
#include <algorithm>
#include <cmath>

#include "agents/red_team.h"

namespace fable::red {

namespace {

constexpr Money kMinTake = kMoneyScale;     // not worth a proposal below 1 unit
constexpr std::int64_t kTakePerMille = 50;  // a slice: 5% of the treasury a proposal
constexpr double kQuorumSteps = 20;         // quorum targets are multiples of 1/20

class TimingAttacker final : public RedAgent {
 public:
  TimingAttacker(std::string id, AgentRole role) : RedAgent(std::move(id), role) {}
  std::unique_ptr<Agent> clone() const override { return copy_as<TimingAttacker>(); }

 protected:
  bool uses_one_turn_windows() const override { return true; }

  void plan_role() override {
    const WorldState& w = world();
    const Params& p = w.params();
    if (w.roll_size <= 0) return;
    int on_roll = 0;
    for (AgentIndex m : bloc()) on_roll += w.on_roll(m) ? 1 : 0;
    const double share = static_cast<double>(on_roll) / static_cast<double>(w.roll_size);
    const ProposalItem head = headline_spend(w);

    // 1. Bring the quorum within the bloc's reach.
    if (share < p.quorum && riders_allowed() && !amendment_pending(ParamId::kVotingQuorum)) {
      // k / 20 exactly, so that a bloc of exactly that share meets it.
      const double target = std::floor(share * kQuorumSteps + 1e-9) / kQuorumSteps;
      if (target > 0.0 && target < p.quorum) {
        try_propose(Tactic::kQuorumRider,
                    Action::propose({head, ProposalItem::amendment(ParamId::kVotingQuorum,
                                                                   ParamValue::of(target))}));
      }
    }

    // 2. A way to decide a proposal in its opening turn.
    const bool same_turn = p.early_close || p.min_window_turns <= 1;
    if (!same_turn && riders_allowed() && !amendment_pending(ParamId::kEarlyClose)) {
      try_propose(Tactic::kWindowRider,
                  Action::propose(
                      {head, ProposalItem::amendment(ParamId::kEarlyClose, ParamValue::of(1))}));
    }

    // 3. The timed proposal itself: a slice for the proposer.
    if (!same_turn || share < p.quorum) return;
    const Money room = outflow_room(w, pending(), OutflowUse::kProposal).amount;
    const Money take = std::min(room, mul_div(w.treasury, kTakePerMille, 1000));
    if (take < kMinTake) return;
    Action a = Action::propose({ProposalItem::spend(self(), take)});
    if (p.early_close) try_propose(Tactic::kTimedAmbush, a, true);
    if (p.min_window_turns <= 1) {
      a.window = 1;
      try_propose(Tactic::kTimedAmbush, a);
    }
  }
};

FABLE_REGISTER_AGENT({.name = "timing_attacker",
                      .order = 40,
                      .red_team = true,
                      .description = "lowers the quorum to its bloc's share by rider, then passes "
                                     "spends the bloc alone decides in their opening turn",
                      .objective = "pass proposals that would fail under full participation, by "
                                   "exploiting windows and quorum counting",
                      .make = make_agent_of<TimingAttacker>});

}  // namespace

}  // namespace fable::red
