// The world: everything the turn engine reads and changes during an episode.
//
// WorldState is plain data: the turn and epoch, the treasury and its epoch
// ledger, every citizen (balance, standing on the roll, delegation, offices),
// every proposal ever opened, the emergency, amendments waiting for their
// delay, the kernel currently in force and the append-only event log. Only
// the turn engine mutates it, and only through legal transitions; agents get
// a const reference. Invariants (checked by the property tests): money is
// conserved, no balance is negative, `roll_size` equals the number of
// citizens on the roll, `open_proposals` lists exactly the open ones in
// opening order, each open proposal's `voters` lists exactly the citizens
// with a ballot in it, and `delegating` exactly the citizens with a delegate.
// The last two let a tally cost the ballots cast and the delegations, not
// the population.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "fable/action.h"
#include "fable/event.h"
#include "fable/kernel.h"
#include "fable/money.h"

namespace fable {

struct Citizen {
  std::string id;
  Money balance = 0;
  AgentIndex delegate = kNoAgent;  // whom this citizen delegates to
  std::int32_t delegators = 0;     // how many citizens delegate directly to this one
  std::uint8_t offices = 0;        // number of offices held
  bool on_roll = true;
  bool exited = false;
  bool council = false;  // member of the active emergency council
};

enum class ProposalStatus : std::uint8_t {
  kOpen = 0,
  kCalled,           // question called: no more ballots, tallied this turn
  kPassed,           // passed and executed
  kRejected,         // failed its tally
  kFailedExecution,  // passed, but an item could not be carried out
};
std::string_view proposal_status_name(ProposalStatus s);

struct Proposal {
  std::int32_t id = 0;
  AgentIndex proposer = kNoAgent;
  std::int32_t opened_turn = 0;
  std::int32_t ordinal = 0;       // n-th proposal of this proposer in its opening turn
  std::int32_t last_turn = 0;     // last turn that accepts ballots; tallied at its end
  std::int32_t window = 0;        // window the proposer asked for; 0 = the kernel default
  std::int32_t roll_at_open = 0;  // roll size when opened (the snapshot denominator)
  Money treasury_at_open = 0;
  std::uint8_t item_count = 0;
  ProposalStatus status = ProposalStatus::kOpen;
  std::array<ProposalItem, kMaxItems> items{};
  std::vector<Choice> ballots;     // by citizen; released when the proposal closes
  std::vector<AgentIndex> voters;  // who has a ballot in `ballots`, in casting order
  std::int32_t yes = 0, no = 0, abstain = 0, eligible = 0;  // filled at tally
};

struct Emergency {
  bool active = false;
  std::int32_t declared_turn = -1;
  std::int32_t elapsed = 0;  // turns since declaration or last renewal
  std::int32_t renewals = 0;
  std::vector<AgentIndex> council;
};

struct PendingAmendment {
  ParamId param;
  ParamValue value;
  std::int32_t effective_turn;
  std::int32_t proposal;
};

// Everything of the world except the lists that only grow (the proposals,
// the event log and the refused proposals' contents, in WorldState). Split
// out so that a world can become a copy of another that shares the start of
// those lists by copying this part and only the rest of the lists
// (WorldState::assign_after).
struct WorldCore {
  explicit WorldCore(Kernel k) : kernel(std::move(k)) {}

  std::int32_t turn = 0;
  std::uint8_t round = kEndOfTurnRound;  // round being applied, or end-of-turn work
  std::int32_t epoch = 0;
  Money initial_treasury = 0;
  Money treasury = 0;
  Money epoch_start_treasury = 0;
  Money spent_this_epoch = 0;  // treasury outflows (spends, emergency spends) this epoch
  Money exited_total = 0;      // what left with exiting citizens
  Money income_total = 0;      // treasury income received so far
  Money initial_balances = 0;  // sum of private balances at reset
  std::int32_t roll_size = 0;
  std::vector<Citizen> citizens;
  std::vector<std::int32_t> open_proposals;  // ids, in opening order (so ascending)
  std::array<AgentIndex, kRoleCount> office_holder{kNoAgent, kNoAgent, kNoAgent, kNoAgent,
                                                   kNoAgent};
  Emergency emergency;
  std::vector<PendingAmendment> pending_amendments;
  std::vector<AgentIndex> delegating;  // citizens with a delegate, ascending
  Kernel kernel;                       // in force now
  // Every ballot ever cast, folded in as it is cast (an order-free sum of
  // mix64(proposal, voter, choice)), so the per-turn digest covers ballots
  // without reading every open proposal's ballot box.
  std::uint64_t ballot_digest = 0;

  const Params& params() const { return kernel.params(); }
  bool valid_citizen(AgentIndex i) const {
    return i >= 0 && static_cast<std::size_t>(i) < citizens.size();
  }
  bool on_roll(AgentIndex i) const { return valid_citizen(i) && citizens[i].on_roll; }
  // All money in the system: must always equal the initial money plus income.
  Money money_in_system() const;
};

struct WorldState : WorldCore {
  explicit WorldState(Kernel k) : WorldCore(std::move(k)) {}

  // Every proposal opened, index == id. Only grows; a proposal changes while
  // open and never again once closed (tallied, executed or not), so the
  // proposals below the first open one (closed_prefix()) are final.
  std::vector<Proposal> proposals;
  std::vector<Event> log;  // append-only
  // Contents of every refused `propose`, in refusal order (Event::attempt);
  // append-only.
  std::vector<RefusedProposal> refused_proposals;

  // Proposal id a reference resolves to, or -1.
  std::int32_t resolve(const ProposalRef& ref) const;

  // How many proposals from id 0 are closed (and so final): the first open
  // proposal's id, or all of them when none is open.
  std::size_t closed_prefix() const {
    return open_proposals.empty() ? proposals.size()
                                  : static_cast<std::size_t>(open_proposals.front());
  }

  // The lengths of the parts of a world that a later state of it holds
  // unchanged: the log, the refused proposals and the closed prefix of the
  // proposals (closed_prefix()).
  struct Kept {
    std::size_t log = 0;
    std::size_t refused_proposals = 0;
    std::size_t closed_proposals = 0;
  };

  // Becomes `other`, as `*this = other` would, keeping the first `kept.log`
  // log entries, `kept.refused_proposals` refused proposals and
  // `kept.closed_proposals` proposals as they are and copying the rest
  // (when `other` is an earlier state of this world, the lists are cut
  // back). Costs the WorldCore copy plus the entries copied. REQUIRES: both
  // worlds descend from one state where these were the log's and the refused
  // proposals' lengths and closed_prefix() (so those entries are equal in
  // both).
  void assign_after(const WorldState& other, const Kept& kept);
};

}  // namespace fable
