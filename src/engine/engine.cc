// The turn engine; the order of a turn is documented in docs/turn-engine.md.
#include "fable/engine.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <numeric>

#include "base/hash.h"
#include "base/shared_prefix.h"
#include "engine/transitions.h"
#include "fable/legality.h"

namespace fable {

namespace {

constexpr std::size_t kLogReserve = 256;      // events
constexpr std::size_t kProposalReserve = 32;  // proposals

}  // namespace

Rng agent_rng(std::uint64_t seed, std::string_view agent_id) {
  return Rng(derive_seed(seed, std::string("agent/").append(agent_id)));
}

Environment::Environment(Kernel kernel, std::vector<std::string> citizen_ids,
                         Money initial_treasury, std::uint64_t seed, EngineSettings settings)
    : initial_kernel_(kernel),
      ids_(std::move(citizen_ids)),
      initial_treasury_(initial_treasury),
      seed_(seed),
      settings_(settings),
      world_(std::move(kernel)),
      order_rng_(0) {
  assert(settings_.plan_length >= 1 && settings_.plan_length <= kMaxPlanLength);
  reset();
}

const WorldState& Environment::reset() {
  world_ = WorldState(initial_kernel_);
  world_.initial_treasury = initial_treasury_;
  world_.treasury = initial_treasury_;
  world_.epoch_start_treasury = initial_treasury_;
  world_.citizens.resize(ids_.size());
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    world_.citizens[i].id = ids_[i];
    world_.citizens[i].balance = settings_.initial_balance;
  }
  world_.initial_balances = settings_.initial_balance * static_cast<Money>(ids_.size());
  world_.roll_size = static_cast<std::int32_t>(ids_.size());
  // Room for a typical episode's log and proposals up front, instead of
  // growing (and copying) them by doubling turn after turn.
  world_.log.reserve(kLogReserve);
  world_.proposals.reserve(kProposalReserve);
  order_rng_ = Rng(derive_seed(seed_, "engine/order"));
  order_.resize(ids_.size());
  digests_.clear();
  digests_.push_back(state_digest(world_));
  return world_;
}

const WorldState& Environment::step(std::span<const Plan> plans) {
  assert(plans.size() == world_.citizens.size());
  WorldState& w = world_;
  ++w.turn;
  std::iota(order_.begin(), order_.end(), 0);
  order_rng_.shuffle(std::span<AgentIndex>(order_));

  // Rounds run up to the longest plan (at most kMaxPlanLength): past it a
  // round would be empty.
  std::size_t longest = 0;
  for (const Plan& plan : plans) longest = std::max(longest, plan.size());
  const int rounds = static_cast<int>(std::min<std::size_t>(longest, kMaxPlanLength));
  for (int round = 0; round < rounds; ++round) {
    for (AgentIndex agent : order_) {
      const Plan& plan = plans[static_cast<std::size_t>(agent)];
      if (static_cast<std::size_t>(round) >= plan.size()) continue;
      w.round = static_cast<std::uint8_t>(round);
      const Action& action = plan[static_cast<std::size_t>(round)];
      if (round >= settings_.plan_length) {
        detail::log_refused_action(w, agent, action,
                                   Ruling::refuse(Refusal::kPlanTooLong, kNoClause), -1);
        continue;
      }
      const Ruling ruling = check_action(w, agent, action);
      if (ruling.legal()) {
        detail::apply_action(w, agent, action);
      } else {
        detail::log_refused_action(w, agent, action, ruling, w.resolve(action.proposal));
      }
    }
  }
  // Plans longer than kMaxPlanLength: the tail is refused, not dropped silently.
  if (longest > static_cast<std::size_t>(kMaxPlanLength)) {
    w.round = kMaxPlanLength;
    for (AgentIndex agent : order_) {
      const Plan& plan = plans[static_cast<std::size_t>(agent)];
      for (std::size_t i = kMaxPlanLength; i < plan.size(); ++i) {
        detail::log_refused_action(w, agent, plan[i],
                                   Ruling::refuse(Refusal::kPlanTooLong, kNoClause), -1);
      }
    }
  }

  w.round = kEndOfTurnRound;
  detail::pay_economy(w, settings_.income_per_turn, settings_.citizen_stipend);
  detail::end_of_turn(w, passed_);
  digests_.push_back(state_digest(w));
  return w;
}

Ruling Environment::check(AgentIndex actor, const Action& action) const {
  return check_action(world_, actor, action);
}

void Environment::assign_after(const Environment& other, const WorldState::Kept& kept,
                               std::size_t digests_kept) {
  // The rest (kernel at reset, ids, treasury, seed, settings) is fixed at
  // construction: equal in both.
  assert(seed_ == other.seed_ && ids_.size() == other.ids_.size());
  world_.assign_after(other.world_, kept);
  order_rng_ = other.order_rng_;
  order_ = other.order_;
  passed_ = other.passed_;
  assign_after_shared(digests_, other.digests_, digests_kept);
}

std::uint64_t state_digest(const WorldState& w) {
  WordHasher h;
  h.add_signed(w.turn)
      .add_signed(w.epoch)
      .add_signed(w.treasury)
      .add_signed(w.epoch_start_treasury);
  h.add_signed(w.spent_this_epoch).add_signed(w.exited_total).add_signed(w.income_total);
  h.add_signed(w.roll_size).add(w.kernel.content_hash());
  for (const Citizen& c : w.citizens) {
    const std::uint64_t flags =
        (c.on_roll ? 1u : 0u) | (c.exited ? 2u : 0u) | (c.council ? 4u : 0u);
    h.add_signed(c.balance);
    h.add((static_cast<std::uint64_t>(static_cast<std::uint32_t>(c.delegate)) << 32) |
          (static_cast<std::uint64_t>(c.offices) << 8) | flags);
  }
  for (AgentIndex holder : w.office_holder) h.add_signed(holder);
  h.add(w.proposals.size());
  for (std::int32_t id : w.open_proposals) {
    const Proposal& p = w.proposals[id];
    h.add((static_cast<std::uint64_t>(static_cast<std::uint32_t>(id)) << 32) |
          (static_cast<std::uint64_t>(p.status) << 8) | p.item_count);
    h.add((static_cast<std::uint64_t>(static_cast<std::uint32_t>(p.proposer)) << 32) |
          static_cast<std::uint32_t>(p.last_turn));
    h.add_signed(p.roll_at_open).add_signed(p.treasury_at_open);
  }
  h.add(w.ballot_digest);
  h.add(w.emergency.active ? 1 : 0)
      .add_signed(w.emergency.elapsed)
      .add_signed(w.emergency.renewals);
  for (AgentIndex m : w.emergency.council) h.add_signed(m);
  for (const PendingAmendment& a : w.pending_amendments) {
    std::uint64_t bits = 0;
    const double number = a.value.number == 0.0 ? 0.0 : a.value.number;  // fold -0.0
    std::memcpy(&bits, &number, sizeof bits);
    h.add(static_cast<std::uint64_t>(a.param)).add(bits).add(a.value.is_null ? 1 : 0);
    h.add_signed(a.effective_turn);
  }
  h.add(w.log.size());
  return h.finish();
}

}  // namespace fable
