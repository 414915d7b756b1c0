// Golden transcripts: an episode's event log as readable text, one line per
// event, for the conformance suite (docs/conformance.md).
//
// A line is `t<turn> r<round> <actor> <event> key=value ...`: r<round> is the
// plan position of the action that caused the event, or `end` for end-of-turn
// work; the actor is a participant id or `-`. Keys follow the trace format
// (docs/trace-format.md): target, proposal, amount (units with three
// decimals), then per kind the attempted action, refusal and ruling clause of
// a refusal, the choice of a ballot, the tally of a closed proposal, the
// parameter path and values of an amendment, the items a proposal opened with.
// Nothing here depends on content hashes or digests, so a transcript changes
// only when what happens in the episode changes.
#pragma once

#include <string>

#include "base/json_util.h"
#include "fable/money.h"
#include "fable/params.h"
#include "fable/trace.h"

namespace fable::testing {

inline std::string transcript_id(const EpisodeTrace& t, AgentIndex who) {
  if (who == kAllCitizens) return "ALL";
  if (who < 0 || static_cast<std::size_t>(who) >= t.participants.size()) return "-";
  return t.participants[static_cast<std::size_t>(who)].id;
}

inline std::string transcript_item(const EpisodeTrace& t, const ProposalItem& item) {
  std::string s(item_kind_name(item.kind));
  switch (item.kind) {
    case ItemKind::kSpend:
      return s + "(" + transcript_id(t, item.target) + " " + format_money(item.amount) + ")";
    case ItemKind::kAmendment:
      return s + "(" + std::string(param_info(item.param).path) + " " +
             json_util::value_json(item.value).dump() + ")";
    case ItemKind::kDisenfranchise:
      return s + "(" + transcript_id(t, item.target) + ")";
    case ItemKind::kRoleGrant:
      return s + "(" + transcript_id(t, item.target) + " " + std::string(role_name(item.role)) +
             ")";
    case ItemKind::kEmergencyDeclare: {
      s += "(";
      for (int i = 0; i < item.council_size && i < kMaxCouncil; ++i)
        s += (i > 0 ? " " : "") + transcript_id(t, item.council[static_cast<std::size_t>(i)]);
      return s + ")";
    }
    default:
      return s;
  }
}

inline std::string transcript_line(const EpisodeTrace& t, const Event& e) {
  std::string s =
      "t" + std::to_string(e.turn) + " " +
      (e.round == kEndOfTurnRound ? std::string("end") : "r" + std::to_string(e.round)) + " " +
      transcript_id(t, e.actor) + " " + std::string(event_kind_name(e.kind));
  if (e.target != kNoAgent) s += " target=" + transcript_id(t, e.target);
  if (e.proposal >= 0) s += " proposal=" + std::to_string(e.proposal);
  if (e.amount != 0) s += " amount=" + format_money(e.amount);
  switch (e.kind) {
    case EventKind::kActionRejected:
      s += " action=" + std::string(action_kind_name(e.action)) +
           " refusal=" + std::string(refusal_name(e.refusal));
      break;
    case EventKind::kProposalCreated:
      for (const ProposalInfo& p : t.proposals) {
        if (p.id != e.proposal) continue;
        s += " window=" + std::to_string(p.window) + " items=";
        for (std::size_t i = 0; i < p.items.size(); ++i)
          s += (i > 0 ? "," : "") + transcript_item(t, p.items[i]);
      }
      break;
    case EventKind::kVoteCast:
      s += " choice=" + std::string(choice_name(e.choice));
      break;
    case EventKind::kProposalClosed:
      s += " result=" + std::string(tally_result_name(e.result)) + " yes=" + std::to_string(e.yes) +
           " no=" + std::to_string(e.no) + " abstain=" + std::to_string(e.abstain) +
           " eligible=" + std::to_string(e.eligible);
      break;
    case EventKind::kAmendmentRatified:
    case EventKind::kAmendmentInForce:
      s += " path=" + std::string(param_info(e.param).path) +
           " before=" + json_util::value_json(e.before).dump() +
           " after=" + json_util::value_json(e.after).dump();
      if (e.kind == EventKind::kAmendmentRatified) s += " bump=" + std::string(bump_name(e.bump));
      break;
    case EventKind::kRoleGranted:
      s += " role=" + std::string(role_name(e.role));
      break;
    case EventKind::kDelegationRevoked:
    case EventKind::kEmergencyEnded:
      s += " cause=" + std::string(json_util::cause_name(e.cause));
      break;
    case EventKind::kTransfer:
      s += " memo=" + json_util::json(std::string(e.memo.view())).dump();
      break;
    default:
      break;
  }
  if (e.clause != kNoClause) s += " clause=" + std::string(clause_name(e.clause));
  return s;
}

// `header` lines (each prefixed "# "), every event, then the final treasury.
inline std::string render_transcript(const std::string& header, const EpisodeTrace& t) {
  std::string out;
  std::size_t from = 0;
  while (from <= header.size()) {
    const std::size_t nl = header.find('\n', from);
    const std::size_t end = nl == std::string::npos ? header.size() : nl;
    out += "# " + header.substr(from, end - from) + "\n";
    if (nl == std::string::npos) break;
    from = nl + 1;
  }
  for (const Event& e : t.events) out += transcript_line(t, e) + "\n";
  if (!t.snapshots.empty()) {
    out += "final treasury=" + format_money(t.snapshots.back().treasury) + "\n";
  }
  return out;
}

}  // namespace fable::testing
