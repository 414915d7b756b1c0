// Shared planning of the red team; see src/agents/red_team.h.
#include "agents/red_team.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "fable/semver.h"

namespace fable::red {

namespace {

constexpr std::int32_t kForever = std::numeric_limits<std::int32_t>::max();
constexpr int kFailuresBeforeDemotion = 2;      // consecutive failed tallies
constexpr std::int32_t kDemotionCooldown = 10;  // turns before a demoted tactic is retried
constexpr int kKickbackPerMille = 10;           // each honest yes-voter gets 1% of the spend
constexpr int kMaxExtraWindow = 2;              // turns a proposer may add to the default window

bool is_open(const Proposal& p) {
  return p.status == ProposalStatus::kOpen || p.status == ProposalStatus::kCalled;
}

}  // namespace

// ---------------------------------------------------------------------------

Choice honest_choice(const WorldState& w, const ProposalItem* items, int count) {
  if (count <= 0) return Choice::kNone;
  const ProposalItem& head = items[0];
  switch (head.kind) {
    case ItemKind::kSpend:
      if (head.target != kAllCitizens) return Choice::kNo;  // transparent self-dealing
      return w.roll_size > 0 && head.amount / w.roll_size > 0 ? Choice::kYes : Choice::kAbstain;
    case ItemKind::kAmendment:
      switch (classify_change(head.param, get_param(w.params(), head.param), head.value)) {
        case Bump::kMinor:
          return Choice::kYes;
        case Bump::kMajor:
          return Choice::kNo;
        default:
          return Choice::kAbstain;
      }
    case ItemKind::kDisenfranchise:
      return Choice::kNo;
    case ItemKind::kRoleGrant:
      return w.valid_citizen(head.target) && w.citizens[head.target].offices == 0 ? Choice::kYes
                                                                                  : Choice::kNo;
    case ItemKind::kEmergencyDeclare:
    case ItemKind::kEmergencyRenew:
      return Choice::kNo;
  }
  return Choice::kNone;
}

Money pending_outflows(const WorldState& w) {
  Money total = 0;
  for (std::int32_t id : w.open_proposals) {
    const Proposal& p = w.proposals[id];
    if (is_open(p)) total += spend_total(p.items.data(), p.item_count);
  }
  return total;
}

ProposalItem headline_spend(const WorldState& w) {
  return ProposalItem::spend(kAllCitizens,
                             static_cast<Money>(std::max(w.roll_size, 1)) * kHeadlinePerHead);
}

std::string_view tactic_name(Tactic t) {
  static constexpr auto kNames = std::to_array<std::string_view>({
      "none",
      "support",
      "stance",
      "emergency_spend",
      "omnibus_drain",
      "ambush_drain",
      "direct_drain",
      "kickback",
      "emergency_rider",
      "ratchet",
      "office_rider",
      "weaken_rider",
      "emergency_renew",
      "expulsion_rider",
      "ambush_expulsion",
      "direct_expulsion",
      "quorum_rider",
      "window_rider",
      "timed_ambush",
      "emergency_chain",
      "sunset_rider",
      "exit_expulsion",
      "proxy",
  });
  static_assert(kNames.size() == kTacticCount, "one name per tactic");
  return kNames[static_cast<std::size_t>(t)];
}

// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------

void RedAgent::begin_turn(const Observation& obs, Rng& rng) {
  const WorldState& w = obs.world;
  w_ = &w;
  self_ = obs.self;
  rng_ = &rng;
  plan_length_ = std::clamp(obs.plan_length, 1, kMaxPlanLength);
  next_turn_ = w.turn + 1;
  epoch_ = w.epoch;
  if (w.turn <= last_seen_turn_) {  // a new episode: forget the old one
    blocked_.clear();
    fails_.fill(0);
    own_.clear();
    yes_voters_.clear();
    kickbacks_.clear();
    rejections_ = 0;
    last_plan_turn_ = -1;
  }
  last_seen_turn_ = w.turn;
  if (w.kernel.content_hash() != kernel_hash_) {  // new rules: every route is worth a look again
    kernel_hash_ = w.kernel.content_hash();
    blocked_.clear();
    fails_.fill(0);
  }
  std::erase_if(blocked_, [&](const Blocked& b) { return b.until_epoch <= w.epoch; });

  if (obs.team && obs.team->contains(self_)) {
    team_ = obs.team;
  } else {  // playing alone (e.g. driven directly by a test)
    alone_ = TeamView(std::span<const AgentIndex>(&self_, 1), w.citizens.size());
    alone_.refresh(w);
    team_ = &alone_;
  }
  const std::span<const AgentIndex> on_roll = team_->on_roll();
  holder_ =
      on_roll.empty() ? kNoAgent : on_roll[static_cast<std::size_t>(next_turn_) % on_roll.size()];
  leader_ = team_->leader();

  used_.fill(false);
  slot_tactic_.fill(Tactic::kNone);
  proposed_ = false;
  pending_ = 0;
  bloc_.clear();
  if (holds_floor()) {
    pending_ = pending_outflows(w);
    bloc_.push_back(self_);
    for (AgentIndex m : team_->members()) {
      if (m != self_) bloc_.push_back(m);
    }
  }
}

bool RedAgent::place(const Action& a, Tactic t, int min_round, bool from_end) {
  // The free rounds from min_round on: the first, or the last when from_end.
  for (int k = 0; k < plan_length_ - min_round; ++k) {
    if (place_exact(a, t, from_end ? plan_length_ - 1 - k : min_round + k)) return true;
  }
  return false;
}

bool RedAgent::place_exact(const Action& a, Tactic t, int round) {
  if (round >= plan_length_ || used_[round]) return false;
  used_[round] = true;
  slot_[round] = a;
  slot_tactic_[round] = t;
  return true;
}

bool RedAgent::blocked(Tactic t) const {
  return std::any_of(blocked_.begin(), blocked_.end(),
                     [&](const Blocked& b) { return b.tactic == t; });
}

bool RedAgent::demoted(Tactic t) const {
  const int i = static_cast<int>(t);
  return fails_[i] >= kFailuresBeforeDemotion &&
         next_turn_ - last_fail_turn_[i] < kDemotionCooldown;
}

bool RedAgent::usable(Tactic t) const {
  if (blocked(t) || demoted(t)) return false;
  return std::none_of(own_.begin(), own_.end(),
                      [&](const OwnProposal& o) { return o.open && o.tactic == t; });
}

bool RedAgent::given_up(Tactic t) const {
  return blocked(t) || demoted(t);
}

template <typename Pred>
bool RedAgent::any_pending_item(Pred pred) const {
  const WorldState& w = *w_;
  for (std::int32_t id : w.open_proposals) {
    const Proposal& p = w.proposals[id];
    if (!is_open(p)) continue;
    for (int i = 0; i < p.item_count; ++i) {
      if (pred(p.items[i])) return true;
    }
  }
  return false;
}

bool RedAgent::target_pending(AgentIndex target) const {
  return any_pending_item([&](const ProposalItem& it) {
    return it.kind == ItemKind::kDisenfranchise && it.target == target;
  });
}

bool RedAgent::office_pending(Role r) const {
  return any_pending_item(
      [&](const ProposalItem& it) { return it.kind == ItemKind::kRoleGrant && it.role == r; });
}

int RedAgent::pending_offices_of(AgentIndex who) const {
  int n = 0;
  any_pending_item([&](const ProposalItem& it) {
    if (it.kind == ItemKind::kRoleGrant && it.target == who) ++n;
    return false;
  });
  return n;
}

bool RedAgent::amendment_pending(ParamId param) const {
  return any_pending_item(
      [&](const ProposalItem& it) { return it.kind == ItemKind::kAmendment && it.param == param; });
}

bool RedAgent::emergency_item_pending(ItemKind kind) const {
  return any_pending_item([&](const ProposalItem& it) { return it.kind == kind; });
}

bool RedAgent::bloc_proposals_open() const {
  const WorldState& w = *w_;
  for (std::int32_t id : w.open_proposals) {
    if (is_open(w.proposals[id]) && in_bloc(w.proposals[id].proposer)) return true;
  }
  return false;
}

bool RedAgent::bloc_quiet(int turns) const {
  const WorldState& w = *w_;
  for (auto it = w.proposals.rbegin(); it != w.proposals.rend() && it->opened_turn > w.turn - turns;
       ++it) {
    if (in_bloc(it->proposer)) return false;
  }
  return true;
}

ProposalItem RedAgent::bloc_declaration() const {
  ProposalItem declare = ProposalItem::emergency_declare({});
  for (AgentIndex m : bloc()) {
    if (declare.council_size < kMaxCouncil && w_->on_roll(m))
      declare.council[declare.council_size++] = m;
  }
  return declare;
}

bool RedAgent::bloc_on_council() const {
  for (AgentIndex m : w_->emergency.council) {
    if (in_bloc(m)) return true;
  }
  return false;
}

bool RedAgent::renewal_due() const {
  const Params& p = w_->params();
  if (!p.emergency_max_duration_turns) return false;
  const int window = p.emergency_suspends_review ? 1 : p.default_window_turns;
  return *p.emergency_max_duration_turns - w_->emergency.elapsed <= window + 1;
}

bool RedAgent::forecast(const Action& a, bool ambush) const {
  const WorldState& w = *w_;
  const Params& params = w.params();
  const std::size_t n = w.citizens.size();
  const bool review_suspended = w.emergency.active && params.emergency_suspends_review;
  const int window = a.window != 0 ? a.window : params.default_window_turns;
  // Can ballots come on a later turn, by id, once everyone sees the proposal?
  const bool later = !ambush && !review_suspended && window >= 2;

  // Will the honest citizens reach it? They vote in opening order, plan_length
  // ballots a turn, during the window's turns after the opening one.
  bool honest_reach = later;
  if (later) {
    AgentIndex probe = kNoAgent;
    for (std::size_t i = 0; i < n && probe == kNoAgent; ++i) {
      if (w.citizens[i].on_roll && !in_bloc(static_cast<AgentIndex>(i)) &&
          w.citizens[i].delegate == kNoAgent) {
        probe = static_cast<AgentIndex>(i);
      }
    }
    if (probe != kNoAgent) {
      int backlog = 0;
      for (std::int32_t id : w.open_proposals) {
        const Proposal& p = w.proposals[id];
        if (p.status == ProposalStatus::kOpen && p.last_turn > w.turn &&
            p.ballots[static_cast<std::size_t>(probe)] == Choice::kNone) {
          ++backlog;
        }
      }
      backlog = std::max(0, backlog - plan_length_);  // what they vote on this coming turn
      // One ballot of headroom for a proposal an honest citizen may open.
      honest_reach = backlog + 2 <= (window - 1) * plan_length_;
    }
  }

  const Choice honest = honest_choice(w, a.items.data(), a.item_count);
  Proposal& s = scratch_;
  s.proposer = self_;
  s.opened_turn = next_turn_;
  s.last_turn = next_turn_ + (later ? window - 1 : 0);
  s.roll_at_open = w.roll_size;
  s.treasury_at_open = w.treasury;
  s.item_count = a.item_count;
  s.items = a.items;
  s.status = ProposalStatus::kOpen;
  s.ballots.assign(n, Choice::kNone);
  s.voters.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const Citizen& c = w.citizens[i];
    if (!c.on_roll) continue;
    const auto who = static_cast<AgentIndex>(i);
    if (who == self_) {
      if (plan_length_ >= 2 || later) s.ballots[i] = Choice::kYes;
    } else if (in_bloc(who)) {
      if (later) s.ballots[i] = Choice::kYes;  // by id, once they see it
    } else if (honest_reach && c.delegate == kNoAgent) {
      s.ballots[i] = honest;
    }
    if (s.ballots[i] != Choice::kNone) s.voters.push_back(who);
  }
  return tally(w, s).result == TallyResult::kPassed;
}

bool RedAgent::try_propose(Tactic t, const Action& a, bool ambush) {
  const WorldState& w = *w_;
  if (proposed_ || !holds_floor() || !usable(t) || used_[0]) return false;
  if (ambush && (plan_length_ < 3 || used_[1] || used_[2] || !w.params().early_close)) return false;
  const bool review_suspended = w.emergency.active && w.params().emergency_suspends_review;
  const int window = a.window != 0 ? a.window : w.params().default_window_turns;
  if ((ambush || review_suspended || window < 2) && !leads()) return false;
  if (!check_action(w, self_, a).legal()) return false;
  // Spends still open come first.
  const Money spends = spend_total(a.items.data(), a.item_count);
  if (spends > 0 && spends > outflow_room(w, pending_, OutflowUse::kProposal).amount) return false;

  Action chosen = a;
  if (!forecast(chosen, ambush)) {
    // Honest ballots may need more time than the default window gives; only
    // worth it when the honest would vote for it.
    if (ambush || review_suspended || a.window != 0 ||
        honest_choice(w, a.items.data(), a.item_count) != Choice::kYes) {
      return false;
    }
    bool found = false;
    for (int extra = 1; extra <= kMaxExtraWindow && !found; ++extra) {
      chosen.window = std::min(w.params().default_window_turns + extra, kMaxWindowTurns);
      found = chosen.window >= w.params().min_window_turns && forecast(chosen, false);
    }
    if (!found) return false;
  }
  open_now(t, chosen, ambush);
  pending_ += spends;
  return true;
}

void RedAgent::open_now(Tactic t, const Action& a, bool ambush) {
  const ProposalRef ref = ProposalRef::by_origin(self_, next_turn_, 0);
  place_exact(a, t, 0);
  if (ambush) {
    place_exact(Action::vote(ref, Choice::kYes), t, 1);
    place_exact(Action::call_question(ref), t, 2);
  } else if (plan_length_ >= 2) {
    place(Action::vote(ref, Choice::kYes), t, 1, false);
  }
  proposed_ = true;
}

void RedAgent::plan_proxy() {
  const WorldState& w = *w_;
  const Params& p = w.params();
  const Citizen& me = w.citizens[static_cast<std::size_t>(self_)];
  if (leads()) {  // the leader carries the weight: it delegates to nobody
    if (me.delegate != kNoAgent) {
      const Action a = Action::revoke_delegation();
      if (check_action(w, self_, a).legal()) place(a, Tactic::kProxy, 0, true);
    }
    return;
  }
  // Worth it when the bloc can meet quorum alone but is no majority (an
  // ambush is its way to pass anything), or when review is suspended (only
  // opening-turn ballots count), and there is someone outside the bloc.
  const auto bloc_n = static_cast<double>(team_->on_roll().size());
  const auto roll = static_cast<double>(w.roll_size);
  const bool review_suspended = w.emergency.active && p.emergency_suspends_review;
  const bool ambush = p.early_close && 2.0 * bloc_n <= roll;
  const bool one_turn = uses_one_turn_windows() && p.min_window_turns <= 1 && 2.0 * bloc_n <= roll;
  if (!(ambush || review_suspended || one_turn) || bloc_n < p.quorum * roll || bloc_n >= roll ||
      me.delegate == leader_ || !usable(Tactic::kProxy)) {
    return;
  }
  // Within the weight cap, members in index order: nobody is refused because
  // an ally delegated first in the same turn.
  if (p.delegation_max_weight_frac) {
    const auto cap = static_cast<std::size_t>(
        std::ceil(*p.delegation_max_weight_frac * static_cast<double>(w.roll_size)));
    const auto ahead = static_cast<std::size_t>(team_->undelegated_ahead_of(self_));
    const auto held =
        static_cast<std::size_t>(w.citizens[static_cast<std::size_t>(leader_)].delegators);
    if (held + ahead >= cap) return;
  }
  const Action a = Action::delegate(leader_);
  if (check_action(w, self_, a).legal()) place(a, Tactic::kProxy, 0, true);
}

bool RedAgent::try_emergency_spend(AgentIndex to, Money amount) {
  if (amount <= 0 || !holds_floor() || !usable(Tactic::kEmergencySpend)) return false;
  const Action a = Action::emergency_spend(to, amount);
  if (!check_action(*w_, self_, a).legal()) return false;
  if (!place(a, Tactic::kEmergencySpend, 0, true)) return false;
  pending_ += amount;
  return true;
}

void RedAgent::plan_ballots(int pass) {
  const WorldState& w = *w_;
  // Proposals open for ballots, in opening order: the bloc's (passes 0 and
  // 1), or everyone else's that this role may vote on (pass 2; a plain
  // distribution gets a ballot only from a role that opposes them).
  const std::span<const std::int32_t> ids =
      pass < 2
          ? team_->open_own()
          : (opposes_plain_distributions() ? team_->open_others() : team_->open_others_notable());
  for (std::int32_t id : ids) {
    const Proposal& p = w.proposals[id];
    if (p.ballots[static_cast<std::size_t>(self_)] != Choice::kNone) continue;
    const bool ours = pass < 2;
    if (pass == 0 && p.last_turn != next_turn_) continue;
    if (pass == 1 && p.last_turn == next_turn_) continue;
    const Choice c = ours ? Choice::kYes : stance(p);
    if (c == Choice::kNone) continue;
    const Action a = Action::vote(ProposalRef::by_id(id), c);
    if (!check_action(w, self_, a).legal()) continue;
    if (!place(a, ours ? Tactic::kSupport : Tactic::kStance, 0, true)) return;
  }
}

void RedAgent::plan_kickbacks() {
  std::size_t done = 0;
  for (; done < kickbacks_.size(); ++done) {
    const Action a = Action::transfer(kickbacks_[done].to, kickbacks_[done].amount, "thanks");
    if (!check_action(*w_, self_, a).legal()) continue;  // cannot pay it: drop it
    if (usable(Tactic::kKickback) && !place(a, Tactic::kKickback, 0, true)) break;
  }
  kickbacks_.erase(kickbacks_.begin(), kickbacks_.begin() + static_cast<std::ptrdiff_t>(done));
}

Choice RedAgent::stance(const Proposal& p) const {
  for (int i = 0; i < p.item_count; ++i) {
    const ProposalItem& it = p.items[i];
    switch (it.kind) {
      case ItemKind::kDisenfranchise:
        if (in_bloc(it.target)) return Choice::kNo;
        break;
      case ItemKind::kRoleGrant:
        if (!in_bloc(it.target)) return Choice::kNo;
        break;
      case ItemKind::kEmergencyDeclare: {
        bool ours = false;
        for (int k = 0; k < it.council_size; ++k) ours = ours || in_bloc(it.council[k]);
        if (!ours) return Choice::kNo;
        break;
      }
      default:
        break;
    }
  }
  return Choice::kNone;
}

void RedAgent::act(const Observation& obs, Rng& rng, Plan& plan) {
  begin_turn(obs, rng);
  const Citizen& me = obs.world.citizens[static_cast<std::size_t>(self_)];
  if (!me.exited) {
    if (me.on_roll) {
      plan_ballots(0);  // the bloc's proposals that close this coming turn
      if (holds_floor()) {
        plan_role();
      } else {
        off_floor();
      }
      plan_ballots(1);  // the bloc's other proposals
      plan_proxy();
      plan_ballots(2);  // everyone else's, by the role's stance
    }
    plan_kickbacks();
  }
  int last = -1;
  for (int r = 0; r < plan_length_; ++r) {
    if (used_[r]) last = r;
  }
  last_tactic_.fill(Tactic::kNone);
  for (int r = 0; r <= last; ++r) {
    plan.push_back(used_[r] ? slot_[r] : Action::pass());
    last_tactic_[r] = used_[r] ? slot_tactic_[r] : Tactic::kNone;
  }
  last_plan_turn_ = next_turn_;
}

RedAgent::OwnProposal* RedAgent::own(std::int32_t id) {
  for (OwnProposal& o : own_) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

void RedAgent::record_block(Tactic t, ClauseId clause) {
  if (t == Tactic::kNone) return;
  // A refusal citing a state clause (the clause table says which; or no
  // clause at all) may not repeat next epoch, so it blocks a tactic only
  // until then; any other stands until the kernel changes.
  const std::int32_t until = clause == kNoClause || is_state_clause(clause) ? epoch_ + 1 : kForever;
  for (Blocked& b : blocked_) {
    if (b.tactic == t && b.clause == clause) {
      b.until_epoch = std::max(b.until_epoch, until);
      return;
    }
  }
  blocked_.push_back({t, clause, until});
}

void RedAgent::observe(const Event& e) {
  auto tactic_at = [&](const Event& ev) {
    return ev.turn == last_plan_turn_ && ev.round < kMaxPlanLength ? last_tactic_[ev.round]
                                                                   : Tactic::kNone;
  };
  {
    switch (e.kind) {
      case EventKind::kProposalCreated:
        if (e.actor == self_) own_.push_back({e.proposal, tactic_at(e), true});
        break;
      case EventKind::kVoteCast:
        if (e.choice == Choice::kYes && !in_bloc(e.actor) && pays_kickbacks()) {
          const OwnProposal* o = own(e.proposal);
          if (o && o->open) yes_voters_.emplace_back(e.proposal, e.actor);
        }
        break;
      case EventKind::kProposalClosed: {
        if (e.actor != self_) break;
        OwnProposal* o = own(e.proposal);
        if (!o) break;
        o->open = false;
        const auto t = static_cast<std::size_t>(o->tactic);
        if (e.result == TallyResult::kPassed) {
          fails_[t] = 0;
        } else {
          ++fails_[t];
          last_fail_turn_[t] = e.turn;
          std::erase_if(yes_voters_, [&](const auto& v) { return v.first == e.proposal; });
        }
        break;
      }
      case EventKind::kSpendExecuted: {
        if (!pays_kickbacks() || !in_bloc(e.target) || !own(e.proposal)) break;
        for (const auto& [proposal, voter] : yes_voters_) {
          if (proposal != e.proposal) continue;
          const Money amount = e.amount * kKickbackPerMille / 1000;
          if (amount > 0) kickbacks_.push_back({voter, amount});
        }
        std::erase_if(yes_voters_, [&](const auto& v) { return v.first == e.proposal; });
        break;
      }
      case EventKind::kActionRejected: {
        if (e.actor != self_) break;
        ++rejections_;
        Tactic t = Tactic::kNone;
        if (e.action == ActionKind::kExecuteProposal) {
          const OwnProposal* o = own(e.proposal);
          if (o) t = o->tactic;
          std::erase_if(yes_voters_, [&](const auto& v) { return v.first == e.proposal; });
        } else {
          t = tactic_at(e);
        }
        record_block(t, e.clause);
        break;
      }
      default:
        break;
    }
  }
}

}  // namespace fable::red
