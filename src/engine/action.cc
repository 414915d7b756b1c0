// Action constructors and names.
#include "fable/action.h"

#include <algorithm>
#include <cassert>

namespace fable {

std::string_view action_kind_name(ActionKind k) {
  switch (k) {
    case ActionKind::kPass:
      return "pass";
    case ActionKind::kPropose:
      return "propose";
    case ActionKind::kCastVote:
      return "cast_vote";
    case ActionKind::kCallQuestion:
      return "call_question";
    case ActionKind::kDelegate:
      return "delegate";
    case ActionKind::kRevokeDelegation:
      return "revoke_delegation";
    case ActionKind::kTransfer:
      return "transfer";
    case ActionKind::kEmergencySpend:
      return "emergency_spend";
    case ActionKind::kExit:
      return "exit";
    case ActionKind::kExecuteProposal:
      return "execute_proposal";
  }
  return "?";
}

std::string_view item_kind_name(ItemKind k) {
  switch (k) {
    case ItemKind::kSpend:
      return "spend";
    case ItemKind::kAmendment:
      return "amendment";
    case ItemKind::kDisenfranchise:
      return "disenfranchise";
    case ItemKind::kRoleGrant:
      return "role_grant";
    case ItemKind::kEmergencyDeclare:
      return "emergency_declare";
    case ItemKind::kEmergencyRenew:
      return "emergency_renew";
  }
  return "?";
}

std::string_view choice_name(Choice c) {
  switch (c) {
    case Choice::kNone:
      return "none";
    case Choice::kYes:
      return "yes";
    case Choice::kNo:
      return "no";
    case Choice::kAbstain:
      return "abstain";
  }
  return "?";
}

std::string_view role_name(Role r) {
  switch (r) {
    case Role::kChair:
      return "chair";
    case Role::kTreasurer:
      return "treasurer";
    case Role::kAuditor:
      return "auditor";
    case Role::kClerk:
      return "clerk";
    case Role::kSteward:
      return "steward";
  }
  return "?";
}

ProposalItem ProposalItem::spend(AgentIndex to, Money amount) {
  ProposalItem i;
  i.kind = ItemKind::kSpend;
  i.target = to;
  i.amount = amount;
  return i;
}

ProposalItem ProposalItem::amendment(ParamId param, ParamValue value) {
  ProposalItem i;
  i.kind = ItemKind::kAmendment;
  i.param = param;
  i.value = value;
  return i;
}

ProposalItem ProposalItem::disenfranchise(AgentIndex target) {
  ProposalItem i;
  i.kind = ItemKind::kDisenfranchise;
  i.target = target;
  return i;
}

ProposalItem ProposalItem::role_grant(AgentIndex target, Role role) {
  ProposalItem i;
  i.kind = ItemKind::kRoleGrant;
  i.target = target;
  i.role = role;
  return i;
}

ProposalItem ProposalItem::emergency_declare(std::initializer_list<AgentIndex> council) {
  assert(council.size() <= static_cast<std::size_t>(kMaxCouncil));
  ProposalItem i;
  i.kind = ItemKind::kEmergencyDeclare;
  i.council_size = static_cast<std::uint8_t>(council.size());
  std::copy(council.begin(), council.end(), i.council.begin());
  return i;
}

ProposalItem ProposalItem::emergency_renew() {
  ProposalItem i;
  i.kind = ItemKind::kEmergencyRenew;
  return i;
}

Memo Memo::of(std::string_view s) {
  Memo m;
  const std::size_t n = std::min(s.size(), kMemoBytes);
  std::copy_n(s.data(), n, m.text.begin());
  return m;
}

std::string_view Memo::view() const {
  return std::string_view(text.data());
}

Action Action::propose(std::initializer_list<ProposalItem> items, std::int32_t window) {
  assert(items.size() <= static_cast<std::size_t>(kMaxItems));
  Action a;
  a.kind = ActionKind::kPropose;
  a.window = window;
  a.item_count = static_cast<std::uint8_t>(items.size());
  std::copy(items.begin(), items.end(), a.items.begin());
  return a;
}

Action Action::vote(ProposalRef p, Choice c) {
  Action a;
  a.kind = ActionKind::kCastVote;
  a.proposal = p;
  a.choice = c;
  return a;
}

Action Action::call_question(ProposalRef p) {
  Action a;
  a.kind = ActionKind::kCallQuestion;
  a.proposal = p;
  return a;
}

Action Action::delegate(AgentIndex to) {
  Action a;
  a.kind = ActionKind::kDelegate;
  a.target = to;
  return a;
}

Action Action::revoke_delegation() {
  Action a;
  a.kind = ActionKind::kRevokeDelegation;
  return a;
}

Action Action::transfer(AgentIndex to, Money amount, std::string_view memo) {
  Action a;
  a.kind = ActionKind::kTransfer;
  a.target = to;
  a.amount = amount;
  a.memo = Memo::of(memo);
  return a;
}

Action Action::emergency_spend(AgentIndex to, Money amount) {
  Action a;
  a.kind = ActionKind::kEmergencySpend;
  a.target = to;
  a.amount = amount;
  return a;
}

Action Action::exit() {
  Action a;
  a.kind = ActionKind::kExit;
  return a;
}

}  // namespace fable
