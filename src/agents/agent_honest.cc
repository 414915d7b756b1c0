// The honest citizen: common welfare, deliberately not paranoid.
//
// Under the naive population model (fable/population.h) it votes on every
// open proposal it can see (opened in an earlier turn) that it has not voted
// on, in opening order, up to plan_length ballots, unless it delegates. It
// judges a proposal by its headline (the first item) only and never reads
// riders (red::honest_choice): yes to a spend to ALL with a positive share
// per head; no to a spend to one citizen; no to expulsions and to
// emergencies; an amendment by its governance-semver class (minor, i.e.
// tightening: yes; major: no; patch: abstain); an office to someone who holds
// none: yes. When the treasury is healthy (at least 60% of the initial) and it
// has no proposal of its own open, it proposes with a small probability a
// modest distribution to ALL (2-3% of the treasury, within every cap, checked
// with the legality engine). It never declares emergencies, never transfers.
//
// Other population models make it a person (docs/population.md): it may sit
// a turn out, notice a proposal late, skip a vote, read every item (and judge
// by the worst), watch amendments (vigilance), delegate to an honest peer, or
// leave when its welfare falls below a bound. Its traits for the episode are
// drawn from its own stream at its first turn; a draw is made only for a
// chance strictly between 0 and 1 or a latency range wider than one value, so
// the naive model draws exactly what the citizen drew before the model.
#include <algorithm>
#include <memory>
#include <typeinfo>

#include "agents/red_team.h"
#include "base/hash.h"
#include "fable/metrics.h"
#include "fable/semver.h"

namespace fable::red {

namespace {

constexpr double kProposeChance = 0.08;         // per turn
constexpr std::int64_t kShareMinPerMille = 20;  // 2%
constexpr std::int64_t kShareMaxPerMille = 30;  // 3%

const PopulationModel kNaive{};

// How bad a choice is for the proposal: no, then abstain, then yes.
int badness(Choice c) {
  switch (c) {
    case Choice::kNo:
      return 3;
    case Choice::kAbstain:
      return 2;
    case Choice::kYes:
      return 1;
    case Choice::kNone:
      break;
  }
  return 0;
}

// What a vigilant citizen refuses: a threshold or quorum raised past `bound`,
// or a change that loosens a protection (a major bump).
bool alarms(const WorldState& w, const ProposalItem& item, double bound) {
  if (item.kind != ItemKind::kAmendment) return false;
  const ParamValue before = get_param(w.params(), item.param);
  if (classify_change(item.param, before, item.value) == Bump::kMajor) return true;
  if (!is_quorum_or_threshold(item.param) || item.value.is_null) return false;
  const double was = before.is_null ? 0.0 : before.number;
  return item.value.number > bound && item.value.number > was;
}

// A uniform number in [0, 1) for one (citizen, proposal, purpose): the
// citizen's salt (drawn from its own stream) hashed with where the proposal
// came from, so the decision is made once and survives proposal ids shifting.
double proposal_draw(std::uint64_t salt, const Proposal& p, std::uint64_t purpose) {
  const std::uint64_t h =
      Hasher{}.u64(salt).u64(purpose).i64(p.proposer).i64(p.opened_turn).i64(p.ordinal).finish();
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

class Honest final : public Agent {
 public:
  Honest(std::string id, AgentRole role) : Agent(std::move(id), role) {}

  // What it remembers is its traits for the episode: a copy carries them.
  std::unique_ptr<Agent> clone() const override {
    auto copy = std::make_unique<Honest>(id(), role());
    copy->last_seen_turn_ = last_seen_turn_;
    copy->traits_ = traits_;
    return copy;
  }
  bool assign_from(const Agent& other) override {
    if (typeid(other) != typeid(Honest) || other.id() != id() || !(other.role() == role())) {
      return false;
    }
    const auto& o = static_cast<const Honest&>(other);
    last_seen_turn_ = o.last_seen_turn_;
    traits_ = o.traits_;
    return true;
  }

  void act(const Observation& obs, Rng& rng, Plan& plan) override {
    const WorldState& w = obs.world;
    const AgentIndex me = obs.self;
    const Citizen& c = w.citizens[static_cast<std::size_t>(me)];
    const PopulationModel& m = obs.population ? *obs.population : kNaive;
    if (w.turn <= last_seen_turn_) traits_ = Traits{};  // a new episode
    last_seen_turn_ = w.turn;
    if (c.exited) return;
    const auto room = static_cast<std::size_t>(std::max(obs.plan_length, 0));
    if (!c.on_roll) {
      // Struck off the roll: a distressed citizen still tries, once, to leave
      // with its share; the engine refuses it (exit needs standing, Article
      // A11), which is the harm `capture.exit` and exit_obstruction measure.
      if (m.exit_below > 0.0 && room > 0 && !traits_.tried_exit_off_roll &&
          citizen_welfare(w, me) < m.exit_below) {
        traits_.tried_exit_off_roll = true;
        plan.push_back(Action::exit());
      }
      return;
    }
    if (!traits_.drawn) draw_traits(m, obs, rng);

    if (m.exit_below > 0.0 && room > 0 && citizen_welfare(w, me) < m.exit_below) {
      plan.push_back(Action::exit());
      return;
    }
    if (m.turnout_turn < 1.0 && !rng.chance(m.turnout_turn)) return;

    bool delegating = c.delegate != kNoAgent;
    if (!delegating && traits_.peer != kNoAgent && room > 0 && w.on_roll(traits_.peer)) {
      const Action a = Action::delegate(traits_.peer);
      if (check_action(w, me, a).legal()) {
        plan.push_back(a);
        delegating = true;
      }
    }

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
      if (w.turn + 1 - p.opened_turn <= traits_.latency) continue;  // not noticed yet
      if (m.turnout_proposal < 1.0 &&
          proposal_draw(traits_.salt, p, kVotePurpose) >= m.turnout_proposal) {
        continue;
      }
      const Choice choice = judge(w, p, m);
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

 private:
  static constexpr std::uint64_t kVotePurpose = 1;
  static constexpr std::uint64_t kReadPurpose = 2;

  struct Traits {
    bool drawn = false;
    bool vigilant = false;
    AgentIndex peer = kNoAgent;        // whom it delegates to; kNoAgent: nobody
    std::int32_t latency = 0;          // turns
    std::uint64_t salt = 0;            // per-proposal decisions
    bool tried_exit_off_roll = false;  // tried to leave once struck off the roll
  };

  // Order of the draws (docs/population.md): delegation, peer, vigilance,
  // latency, salt; each only when it is a real chance.
  void draw_traits(const PopulationModel& m, const Observation& obs, Rng& rng) {
    traits_.drawn = true;
    if (rng.chance(m.delegation)) {
      std::vector<AgentIndex> peers;
      for (AgentIndex i : obs.honest) {
        if (i != obs.self) peers.push_back(i);
      }
      if (!peers.empty()) {
        traits_.peer = peers.size() == 1 ? peers[0] : peers[rng.below(peers.size())];
      }
    }
    traits_.vigilant = rng.chance(m.vigilance);
    traits_.latency = m.latency_min < m.latency_max
                          ? static_cast<std::int32_t>(rng.between(m.latency_min, m.latency_max))
                          : m.latency_min;
    const bool fractional_vote = m.turnout_proposal > 0.0 && m.turnout_proposal < 1.0;
    const bool fractional_read = m.attention > 0.0 && m.attention < 1.0;
    if (fractional_vote || fractional_read) traits_.salt = rng.next_u64();
  }

  // The ballot on `p`: by the headline, or by the worst item for a reader;
  // no when a vigilant citizen finds an alarming amendment anywhere in it.
  Choice judge(const WorldState& w, const Proposal& p, const PopulationModel& m) const {
    if (traits_.vigilant) {
      for (int k = 0; k < p.item_count; ++k) {
        if (alarms(w, p.items[static_cast<std::size_t>(k)], m.vigilance_bound)) return Choice::kNo;
      }
    }
    const bool reads =
        m.attention >= 1.0 ||
        (m.attention > 0.0 && proposal_draw(traits_.salt, p, kReadPurpose) < m.attention);
    if (!reads) return honest_choice(w, p.items.data(), p.item_count);
    Choice worst = Choice::kNone;
    for (int k = 0; k < p.item_count; ++k) {
      const Choice c = honest_choice(w, &p.items[static_cast<std::size_t>(k)], 1);
      if (badness(c) > badness(worst)) worst = c;
    }
    return worst;
  }

  std::int32_t last_seen_turn_ = -1;
  Traits traits_;
};

FABLE_REGISTER_AGENT({.name = kHonestRole,
                      .order = 0,
                      .red_team = false,
                      .description = "an honest citizen: votes as its population model says "
                                     "(naive: by a proposal's headline), now and then proposes "
                                     "a modest distribution to all",
                      .objective = "maximise common welfare",
                      .make = make_agent_of<Honest>});

}  // namespace

}  // namespace fable::red
