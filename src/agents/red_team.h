// Internal: what the agents share — the honest headline rule, the red team's
// forecast, its memory of refused routes, and how the bloc works together.
//
// The red team (drainer, entrencher, suppressor, timing_attacker,
// emergency_abuser, exit_blocker) plans with the legality
// engine: every candidate action is put to `check_action` before it enters a
// plan, and every proposal is put to `forecast`, which predicts its tally at
// its last turn (window, review suspension, the honest headline rule, allies
// voting yes, delegation weights, quorum, threshold and base, roll snapshot)
// by running the engine's own `tally` on a scratch proposal. Only what is
// forecast to pass is proposed.
//
// Memory. Each red agent remembers the tactic behind each action of its last
// plan. An `action_rejected` of its own (also a passed proposal that failed
// execution) records (tactic, clause) as blocked: a clause of the rules keeps
// the tactic off until the kernel in force changes (content hash); a clause
// of the state (funds, caps, standing, proposal state) keeps it off until
// the next epoch or kernel change. A tactic whose proposals fail their tally
// twice in a row is deprioritised: it is tried again only after a cooldown.
//
// Teamwork through public state only. Red agents share nothing but the world
// and one convention, so that any of them can be replaced by a scripted copy
// (replay) without changing what the others do:
//   * the floor: in each turn one bloc member on the roll may open proposals
//     and spend as council — members on the roll in index order, in turn
//     (turn % count) — so that two members never claim the same funds,
//     targets or offices in one turn; what the floor-holder opened is in the
//     world, open, when the next one plans;
//   * ballots: allies vote yes by id on each other's open proposals;
//   * same-turn moves (quorum ambush; review suspended by an emergency; a
//     one-turn window) need the bloc's weight in the opening turn, before
//     anyone else can see the proposal. Where such moves are possible and the
//     bloc on the roll could reach quorum, members delegate to the leader
//     (the lowest-index member on the roll), who then opens, votes and calls
//     alone, carrying their ballots (delegation capture within the bloc).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "fable/agent.h"
#include "fable/legality.h"
#include "fable/tally.h"

namespace fable::red {

// ---------------------------------------------------------------------------
// The honest headline rule: how an honest citizen votes on items[0..count).
// It reads the first item only. kNone means "does not vote".
Choice honest_choice(const WorldState& w, const ProposalItem* items, int count);

// ---------------------------------------------------------------------------
// Money helpers.

// What a rider's headline gives each citizen on the roll: a visible benefit.
inline constexpr Money kHeadlinePerHead = kMoneyScale / 10;  // 0.1 unit a head

// How much may leave the treasury on top of the spends open proposals
// promise: fable::outflow_room (include/fable/legality.h) with
// pending_outflows(w).

// Sum of spends in open proposals (saturating, as fable::spend_total).
Money pending_outflows(const WorldState& w);

// A small distribution to ALL: kHeadlinePerHead for each citizen on the roll.
ProposalItem headline_spend(const WorldState& w);

// ---------------------------------------------------------------------------
// Tactics.

enum class Tactic : std::uint8_t {
  kNone = 0,
  kSupport,          // ballots for the bloc's proposals
  kStance,           // ballots on others' proposals
  kEmergencySpend,   // drainer: council spending
  kOmnibusDrain,     // drainer: [spend ALL small, spend self large]
  kAmbushDrain,      // drainer: plain self-spend, bloc votes same turn, call
  kDirectDrain,      // drainer: plain self-spend sized under the caps
  kKickback,         // drainer: transfers to honest yes-voters
  kEmergencyRider,   // [spend ALL, emergency_declare{bloc}]
  kRatchet,          // entrencher: [spend ALL, voting.thresholds.amendment -> 0.9]
  kOfficeRider,      // entrencher: [spend ALL, role_grant self ...]
  kWeakenRider,      // entrencher: [spend ALL, amendment loosening a protection]
  kEmergencyRenew,   // entrencher: renew before the sunset
  kExpulsionRider,   // suppressor: [spend ALL, disenfranchise honest ...]
  kAmbushExpulsion,  // suppressor: plain expulsion, bloc votes same turn, call
  kDirectExpulsion,  // suppressor: plain expulsion the bloc can carry
  kQuorumRider,      // timing_attacker: [spend ALL, quorum down to the bloc's share]
  kWindowRider,      // timing_attacker: [spend ALL, early close on / one-turn windows]
  kTimedAmbush,      // timing_attacker: bloc-only proposal decided in its opening turn
  kEmergencyChain,   // emergency_abuser: a fresh declaration once the last one ended
  kSunsetRider,      // emergency_abuser: [spend ALL, sunset or renewal limit lifted]
  kExitExpulsion,    // exit_blocker: [spend ALL, disenfranchise the likeliest leavers]
  kProxy,            // delegation to the leader for same-turn moves; keep last
};
inline constexpr int kTacticCount = static_cast<int>(Tactic::kProxy) + 1;
std::string_view tactic_name(Tactic t);

// ---------------------------------------------------------------------------
// The red agent: shared planning; roles fill in `plan_role`.

class RedAgent : public Agent {
 public:
  RedAgent(std::string id, AgentRole role) : Agent(std::move(id), role) {}

  void act(const Observation& obs, Rng& rng, Plan& plan) final;
  void observe(const Event& event) final;

  // For tests: tallies of this agent's own refusals and failed tallies.
  int rejections() const { return rejections_; }

 protected:
  // The role's moves for the coming turn: call try_propose / try_emergency_spend
  // in preference order. Ballots, support and kickbacks are handled around it.
  // Only the floor holder can place what plan_role plans, so only the floor
  // holder runs it; the others run off_floor(), which must make the same
  // draws from the agent's random stream that plan_role would have made.
  virtual void plan_role() = 0;
  virtual void off_floor() {}
  // How this role votes on a non-bloc proposal (kNone: skip).
  virtual Choice stance(const Proposal& p) const;
  // Whether stance() is kNo on a plain distribution (only spends to ALL)
  // rather than kNone: such proposals are then worth reading one by one.
  virtual bool opposes_plain_distributions() const { return false; }

  // Whether this role pays kickbacks to honest yes-voters on its spends.
  virtual bool pays_kickbacks() const { return false; }
  // Whether this role decides proposals in one-turn windows where the kernel
  // allows them (voting.min_window_turns 1): its bloc then delegates to the
  // leader as for an ambush (plan_proxy).
  virtual bool uses_one_turn_windows() const { return false; }

  // For clone(): a copy of this agent, of its final class T, with everything
  // it remembers of the episode; it plays on exactly as this one would.
  template <class T>
  std::unique_ptr<Agent> copy_as() const {
    auto copy = std::make_unique<T>(static_cast<const T&>(*this));
    RedAgent& base = *copy;
    base.team_ = team_ == &alone_ ? &base.alone_ : team_;  // its own lone view
    return copy;
  }

  // --- Planning context, valid during plan_role() -------------------------
  const WorldState& world() const { return *w_; }
  AgentIndex self() const { return self_; }
  Rng& rng() { return *rng_; }
  int plan_length() const { return plan_length_; }
  std::span<const AgentIndex> bloc() const { return bloc_; }  // self first, then allies
  std::size_t bloc_size() const { return team_->size(); }     // valid in off_floor() too
  bool in_bloc(AgentIndex i) const { return team_->contains(i); }
  bool riders_allowed() const { return !world().params().single_subject; }
  // Tactic usable now: not blocked, not demoted, no own proposal of it open.
  bool usable(Tactic t) const;
  // Blocked by a refusal or demoted after failed tallies.
  bool given_up(Tactic t) const;

  // Spends promised by open proposals and by this plan.
  Money pending() const { return pending_; }  // floor holder only
  // Items already in open proposals.
  bool target_pending(AgentIndex i) const;
  bool office_pending(Role r) const;
  int pending_offices_of(AgentIndex who) const;
  bool amendment_pending(ParamId param) const;
  bool emergency_item_pending(ItemKind kind) const;
  bool bloc_proposals_open() const;
  // No bloc member opened a proposal in the last `turns` turns.
  bool bloc_quiet(int turns) const;

  // Emergencies held by the bloc (drainer, entrencher, emergency_abuser).
  // A declaration with the bloc as council: the members on the roll, self
  // first, at most kMaxCouncil; council_size 0 when none is on the roll.
  ProposalItem bloc_declaration() const;
  // A bloc member sits on the council of the emergency (if any).
  bool bloc_on_council() const;
  // The emergency in force has a sunset (emergency.max_duration_turns) no
  // further off than a renewal proposed now needs to be decided: its window
  // (one turn while the emergency suspends review, else
  // voting.default_window_turns) plus one turn. False without a sunset.
  bool renewal_due() const;

  // This agent holds the floor this coming turn / leads same-turn moves.
  bool holds_floor() const { return self_ == holder_; }
  bool leads() const { return self_ == leader_; }

  // Propose `a` in round 0 (own ballot by reference in round 1) if this agent
  // holds the floor, it is legal and forecast to pass. A proposal decided in
  // its opening turn (`ambush`, review suspended, one-turn window) is for the
  // leader only; an ambush is called in round 2.
  bool try_propose(Tactic t, const Action& a, bool ambush = false);
  // Council spending, if this agent holds the floor and it is legal.
  bool try_emergency_spend(AgentIndex to, Money amount);
  bool proposed() const { return proposed_; }

  // Forecast of the tally of `a` opened this coming turn. `ambush`: only
  // ballots cast in the opening turn count.
  bool forecast(const Action& a, bool ambush) const;

 private:
  struct OwnProposal {
    std::int32_t id;
    Tactic tactic;
    bool open;
  };
  struct Blocked {
    Tactic tactic;
    ClauseId clause;
    std::int32_t until_epoch;  // INT32_MAX: until the kernel changes
  };
  struct Kickback {
    AgentIndex to;
    Money amount;
  };

  void begin_turn(const Observation& obs, Rng& rng);
  bool place(const Action& a, Tactic t, int min_round, bool from_end);
  bool place_exact(const Action& a, Tactic t, int round);
  bool blocked(Tactic t) const;
  bool demoted(Tactic t) const;
  template <typename Pred>
  bool any_pending_item(Pred pred) const;
  void plan_ballots(int pass);
  void plan_kickbacks();
  void record_block(Tactic t, ClauseId clause);
  OwnProposal* own(std::int32_t id);
  void open_now(Tactic t, const Action& a, bool ambush);
  // Delegation to the leader where same-turn moves need the bloc's weight.
  void plan_proxy();

  // Context of the current act().
  const WorldState* w_ = nullptr;
  AgentIndex self_ = kNoAgent;
  Rng* rng_ = nullptr;
  int plan_length_ = 1;
  std::int32_t next_turn_ = 0;
  std::int32_t epoch_ = 0;
  bool proposed_ = false;
  Money pending_ = 0;

  // Team: the episode's shared view, or one of this agent alone.
  const TeamView* team_ = nullptr;
  TeamView alone_;
  std::vector<AgentIndex> bloc_;  // built for the floor holder only
  AgentIndex holder_ = kNoAgent;
  AgentIndex leader_ = kNoAgent;

  // The plan being built.
  std::array<Action, kMaxPlanLength> slot_{};
  std::array<Tactic, kMaxPlanLength> slot_tactic_{};
  std::array<bool, kMaxPlanLength> used_{};
  // Tactic of each round of the last plan submitted (to read refusals).
  std::array<Tactic, kMaxPlanLength> last_tactic_{};
  std::int32_t last_plan_turn_ = -1;

  // Memory.
  std::uint64_t kernel_hash_ = 0;
  std::int32_t last_seen_turn_ = -1;
  std::vector<Blocked> blocked_;
  std::array<int, kTacticCount> fails_{};
  std::array<std::int32_t, kTacticCount> last_fail_turn_{};
  std::vector<OwnProposal> own_;
  std::vector<std::pair<std::int32_t, AgentIndex>> yes_voters_;  // (own proposal, honest voter)
  std::vector<Kickback> kickbacks_;
  int rejections_ = 0;

  // Scratch for forecasts.
  mutable Proposal scratch_;
};

}  // namespace fable::red
