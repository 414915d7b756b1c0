// The action vocabulary of SPEC §2: what an agent may attempt in one turn.
//
// An agent returns a Plan: an ordered list of at most `plan_length` actions
// (an engine setting, the same for every agent). Actions are plain values;
// the legality engine rules on each one and the turn engine applies the legal
// ones. Citizens are addressed by index into the episode's citizen list;
// `kAllCitizens` as a spend recipient means "every citizen on the roll, per
// head". A ballot or a call may address a proposal by id or by reference
// ("the n-th proposal citizen X opened at turn T"), so that scripts survive
// proposal ids shifting under an amended kernel.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fable/money.h"
#include "fable/params.h"

namespace fable {

using AgentIndex = std::int32_t;
inline constexpr AgentIndex kNoAgent = -1;
inline constexpr AgentIndex kAllCitizens = -2;

enum class ActionKind : std::uint8_t {
  kPass = 0,
  kPropose,
  kCastVote,
  kCallQuestion,
  kDelegate,
  kRevokeDelegation,
  kTransfer,
  kEmergencySpend,
  kExit,
  kExecuteProposal,  // not an agent action: the engine executing a passed proposal; keep last
};
inline constexpr int kActionKindCount = static_cast<int>(ActionKind::kExecuteProposal) + 1;
std::string_view action_kind_name(ActionKind k);  // "propose", "cast_vote", ...

enum class ItemKind : std::uint8_t {
  kSpend = 0,
  kAmendment,
  kDisenfranchise,
  kRoleGrant,
  kEmergencyDeclare,
  kEmergencyRenew,  // keep last: kItemKindCount follows it
};
inline constexpr int kItemKindCount = static_cast<int>(ItemKind::kEmergencyRenew) + 1;
std::string_view item_kind_name(ItemKind k);  // "spend", "amendment", ...

enum class Choice : std::uint8_t { kNone = 0, kYes, kNo, kAbstain };
std::string_view choice_name(Choice c);  // "yes", "no", "abstain", "none"

enum class Role : std::uint8_t { kChair = 0, kTreasurer, kAuditor, kClerk, kSteward };
inline constexpr int kRoleCount = static_cast<int>(Role::kSteward) + 1;  // kSteward is last
std::string_view role_name(Role r);

inline constexpr int kMaxItems = 4;       // items in one proposal
inline constexpr int kMaxCouncil = 8;     // members of an emergency council
inline constexpr int kMaxPlanLength = 8;  // upper bound on the plan_length setting
inline constexpr int kMaxWindowTurns = 1000;
inline constexpr std::size_t kMemoBytes = 23;

struct ProposalItem {
  ItemKind kind = ItemKind::kSpend;
  Role role = Role::kChair;                // role_grant
  ParamId param = ParamId::kVotingQuorum;  // amendment
  std::uint8_t council_size = 0;           // emergency_declare
  AgentIndex target = kNoAgent;            // spend recipient, expelled citizen, office holder
  Money amount = 0;                        // spend
  ParamValue value;                        // amendment
  std::array<AgentIndex, kMaxCouncil> council{};  // emergency_declare

  static ProposalItem spend(AgentIndex to, Money amount);
  static ProposalItem amendment(ParamId param, ParamValue value);
  static ProposalItem disenfranchise(AgentIndex target);
  static ProposalItem role_grant(AgentIndex target, Role role);
  static ProposalItem emergency_declare(std::initializer_list<AgentIndex> council);
  static ProposalItem emergency_renew();
};

// Either a proposal id (id >= 0), or the `ordinal`-th proposal that `proposer`
// opened at `opened_turn`.
struct ProposalRef {
  std::int32_t id = -1;
  AgentIndex proposer = kNoAgent;
  std::int32_t opened_turn = -1;
  std::int32_t ordinal = 0;

  static ProposalRef by_id(std::int32_t id) { return {id, kNoAgent, -1, 0}; }
  static ProposalRef by_origin(AgentIndex proposer, std::int32_t turn, std::int32_t ordinal = 0) {
    return {-1, proposer, turn, ordinal};
  }
};

// A short free-text note on a transfer, stored inline (no allocation).
struct Memo {
  std::array<char, kMemoBytes + 1> text{};
  static Memo of(std::string_view s);  // truncated to kMemoBytes
  std::string_view view() const;
};

struct Action {
  ActionKind kind = ActionKind::kPass;
  Choice choice = Choice::kNone;  // cast_vote
  std::uint8_t item_count = 0;    // propose
  std::int32_t window = 0;        // propose: voting window in turns, 0 = kernel default
  AgentIndex target = kNoAgent;   // delegate, transfer, emergency_spend
  Money amount = 0;               // transfer, emergency_spend
  ProposalRef proposal;           // cast_vote, call_question
  std::array<ProposalItem, kMaxItems> items{};  // propose
  Memo memo;                                    // transfer

  static Action pass() { return {}; }
  static Action propose(std::initializer_list<ProposalItem> items, std::int32_t window = 0);
  static Action vote(ProposalRef p, Choice c);
  static Action call_question(ProposalRef p);
  static Action delegate(AgentIndex to);
  static Action revoke_delegation();
  static Action transfer(AgentIndex to, Money amount, std::string_view memo = {});
  static Action emergency_spend(AgentIndex to, Money amount);
  static Action exit();
};

// An agent's plan for one turn. Callers keep and reuse these buffers.
using Plan = std::vector<Action>;

}  // namespace fable
