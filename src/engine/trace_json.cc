// Trace <-> JSON (docs/trace-format.md). Keys are sorted (nlohmann::json's
// default object is ordered by key) and numbers are integers or shortest
// round-trip doubles, so the same trace always gives the same bytes.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/hash.h"
#include "base/json_util.h"
#include "fable/trace.h"

namespace fable {

namespace {

using namespace json_util;

json event_json(const Event& e, const Ids& ids) {
  json j{{"turn", e.turn}, {"kind", event_kind_name(e.kind)}};
  if (e.round != kEndOfTurnRound) j["round"] = e.round;
  if (e.actor != kNoAgent) j["actor"] = ids.ref(e.actor);
  if (e.target != kNoAgent) j["target"] = ids.ref(e.target);
  if (e.proposal >= 0) j["proposal"] = e.proposal;
  if (e.amount != 0) j["amount_milli"] = e.amount;
  if (e.clause != kNoClause) j["clause"] = clause_name(e.clause);
  switch (e.kind) {
    case EventKind::kActionRejected:
      j["action"] = action_kind_name(e.action);
      j["refusal"] = refusal_name(e.refusal);
      break;
    case EventKind::kVoteCast:
      j["choice"] = choice_name(e.choice);
      break;
    case EventKind::kProposalClosed:
      j["result"] = tally_result_name(e.result);
      j["yes"] = e.yes;
      j["no"] = e.no;
      j["abstain"] = e.abstain;
      j["eligible"] = e.eligible;
      break;
    case EventKind::kAmendmentRatified:
    case EventKind::kAmendmentInForce:
      j["path"] = param_info(e.param).path;
      j["before"] = value_json(e.before);
      j["after"] = value_json(e.after);
      if (e.kind == EventKind::kAmendmentRatified) j["bump"] = bump_name(e.bump);
      break;
    case EventKind::kRoleGranted:
      j["role"] = role_name(e.role);
      break;
    case EventKind::kDelegationRevoked:
    case EventKind::kEmergencyEnded:
      j["cause"] = cause_name(e.cause);
      break;
    case EventKind::kTransfer:
      j["memo"] = std::string(e.memo.view());
      break;
    default:
      break;
  }
  return j;
}

Event event_from(const json& j, const Ids& ids) {
  Event e;
  e.turn = j.at("turn").get<std::int32_t>();
  e.kind = enum_from<EventKind>(j.at("kind"), kEventKindCount, event_kind_name, "event kind");
  e.round = j.contains("round") ? j.at("round").get<std::uint8_t>() : kEndOfTurnRound;
  if (j.contains("actor")) e.actor = ids.index(j.at("actor"));
  if (j.contains("target")) e.target = ids.index(j.at("target"));
  if (j.contains("proposal")) e.proposal = j.at("proposal").get<std::int32_t>();
  if (j.contains("amount_milli")) e.amount = j.at("amount_milli").get<Money>();
  if (j.contains("clause")) {
    const auto c = find_clause(j.at("clause").get<std::string>());
    if (!c) throw std::runtime_error("unknown clause " + j.at("clause").get<std::string>());
    e.clause = *c;
  }
  switch (e.kind) {
    case EventKind::kActionRejected: {
      e.action =
          enum_from<ActionKind>(j.at("action"), kActionKindCount, action_kind_name, "action");
      const auto r = find_refusal(j.at("refusal").get<std::string>());
      if (!r) throw std::runtime_error("unknown refusal " + j.at("refusal").get<std::string>());
      e.refusal = *r;
      break;
    }
    case EventKind::kVoteCast:
      e.choice = enum_from<Choice>(j.at("choice"), 4, choice_name, "choice");
      break;
    case EventKind::kProposalClosed:
      e.result = enum_from<TallyResult>(j.at("result"), 5, tally_result_name, "tally result");
      e.yes = j.at("yes").get<std::int32_t>();
      e.no = j.at("no").get<std::int32_t>();
      e.abstain = j.at("abstain").get<std::int32_t>();
      e.eligible = j.at("eligible").get<std::int32_t>();
      break;
    case EventKind::kAmendmentRatified:
    case EventKind::kAmendmentInForce: {
      const auto id = find_param(j.at("path").get<std::string>());
      if (!id) throw std::runtime_error("unknown parameter " + j.at("path").get<std::string>());
      e.param = *id;
      e.before = value_from(j.at("before"));
      e.after = value_from(j.at("after"));
      if (e.kind == EventKind::kAmendmentRatified)
        e.bump = enum_from<Bump>(j.at("bump"), 4, bump_name, "bump");
      break;
    }
    case EventKind::kRoleGranted:
      e.role = enum_from<Role>(j.at("role"), kRoleCount, role_name, "office");
      break;
    case EventKind::kDelegationRevoked:
    case EventKind::kEmergencyEnded:
      e.cause = enum_from<EndCause>(j.at("cause"), 5, cause_name, "cause");
      break;
    case EventKind::kTransfer:
      e.memo = Memo::of(j.at("memo").get<std::string>());
      break;
    default:
      break;
  }
  return e;
}

json snapshot_json(const TurnSnapshot& s) {
  json citizens = json::array();
  for (const CitizenSnapshot& c : s.citizens) {
    citizens.push_back(json{{"balance_milli", c.balance},
                            {"welfare", c.welfare},
                            {"weight", c.weight},
                            {"offices", c.offices},
                            {"on_roll", c.on_roll},
                            {"exited", c.exited},
                            {"council", c.council}});
  }
  return json{{"turn", s.turn},
              {"epoch", s.epoch},
              {"treasury_milli", s.treasury},
              {"roll_size", s.roll_size},
              {"emergency_active", s.emergency_active},
              {"citizens", citizens}};
}

TurnSnapshot snapshot_from(const json& j) {
  TurnSnapshot s;
  s.turn = j.at("turn").get<std::int32_t>();
  s.epoch = j.at("epoch").get<std::int32_t>();
  s.treasury = j.at("treasury_milli").get<Money>();
  s.roll_size = j.at("roll_size").get<std::int32_t>();
  s.emergency_active = j.at("emergency_active").get<bool>();
  for (const json& c : j.at("citizens")) {
    CitizenSnapshot cs;
    cs.balance = c.at("balance_milli").get<Money>();
    cs.welfare = c.at("welfare").get<double>();
    cs.weight = c.at("weight").get<std::int32_t>();
    cs.offices = c.at("offices").get<std::uint8_t>();
    cs.on_roll = c.at("on_roll").get<bool>();
    cs.exited = c.at("exited").get<bool>();
    cs.council = c.at("council").get<bool>();
    s.citizens.push_back(cs);
  }
  return s;
}

std::vector<std::string> participant_ids(const EpisodeTrace& t) {
  std::vector<std::string> out;
  out.reserve(t.participants.size());
  for (const ParticipantInfo& p : t.participants) out.push_back(p.id);
  return out;
}

}  // namespace

std::string trace_to_json(const EpisodeTrace& t) {
  const std::vector<std::string> names = participant_ids(t);
  const Ids ids{names};
  json participants = json::array();
  for (const ParticipantInfo& p : t.participants) {
    participants.push_back(
        json{{"id", p.id}, {"role", agent_role_name(p.role)}, {"objective", p.objective}});
  }
  json proposals = json::array();
  for (const ProposalInfo& p : t.proposals) {
    json items = json::array();
    for (const ProposalItem& it : p.items) items.push_back(item_json(it, ids));
    proposals.push_back(json{{"id", p.id},
                             {"proposer", ids.ref(p.proposer)},
                             {"opened_turn", p.opened_turn},
                             {"ordinal", p.ordinal},
                             {"last_turn", p.last_turn},
                             {"window", p.window},
                             {"items", items}});
  }
  json events = json::array();
  for (const Event& e : t.events) events.push_back(event_json(e, ids));
  json snapshots = json::array();
  for (const TurnSnapshot& s : t.snapshots) snapshots.push_back(snapshot_json(s));
  json digests = json::array();
  for (std::uint64_t d : t.digests) digests.push_back(hex64(d));
  json kernel = nullptr;
  if (t.kernel) {
    kernel = json{{"name", t.kernel->name()},
                  {"version", t.kernel->version().to_string()},
                  {"content_hash", hex64(t.kernel->content_hash())},
                  {"text", t.kernel->document().text}};
  }
  const json doc{{"schema", kTraceSchema},
                 {"matchup", t.matchup},
                 {"seed", t.seed},
                 {"engine_version", t.engine_version},
                 {"settings", json{{"plan_length", t.settings.plan_length},
                                   {"initial_balance_milli", t.settings.initial_balance}}},
                 {"initial_treasury_milli", t.initial_treasury},
                 {"kernel", kernel},
                 {"participants", participants},
                 {"proposals", proposals},
                 {"events", events},
                 {"snapshots", snapshots},
                 {"digests", digests}};
  return doc.dump(1) + "\n";
}

Result<EpisodeTrace> trace_from_json(std::string_view text, std::string_view source) {
  try {
    const json doc = json::parse(text);
    const std::string schema = doc.at("schema").get<std::string>();
    if (schema == "fable-trace/1") {
      return Status::Invalid(
          fmt::format("{}: schema: fable-trace/1 holds digests of an older form that no longer "
                      "match a re-run; record the "
                      "episode again ({})",
                      source, kTraceSchema));
    }
    if (schema != kTraceSchema) {
      return Status::Invalid(fmt::format("{}: schema: expected '{}'", source, kTraceSchema));
    }
    EpisodeTrace t;
    t.matchup = doc.at("matchup").get<std::string>();
    t.seed = doc.at("seed").get<std::uint64_t>();
    t.engine_version = doc.at("engine_version").get<std::string>();
    t.settings.plan_length = doc.at("settings").at("plan_length").get<int>();
    t.settings.initial_balance = doc.at("settings").at("initial_balance_milli").get<Money>();
    t.initial_treasury = doc.at("initial_treasury_milli").get<Money>();
    for (const json& p : doc.at("participants")) {
      const std::string role = p.at("role").get<std::string>();
      const auto r = find_agent_role(role);
      if (!r) {
        return Status::Invalid(fmt::format("{}: participants: unknown role '{}' (registered: {})",
                                           source, role, roster_role_names()));
      }
      t.participants.push_back(
          {p.at("id").get<std::string>(), *r, p.at("objective").get<std::string>()});
    }
    const std::vector<std::string> names = participant_ids(t);
    const Ids ids{names};
    const json& kernel = doc.at("kernel");
    if (!kernel.is_null()) {
      Result<Kernel> k = Kernel::parse(kernel.at("text").get<std::string>(),
                                       fmt::format("{} (embedded kernel)", source));
      if (!k.ok()) return k.status();
      if (hex64(k->content_hash()) != kernel.at("content_hash").get<std::string>()) {
        return Status::Invalid(
            fmt::format("{}: kernel.content_hash does not match the embedded text", source));
      }
      t.kernel = std::move(k).value();
    }
    for (const json& p : doc.at("proposals")) {
      ProposalInfo info;
      info.id = p.at("id").get<std::int32_t>();
      info.proposer = ids.index(p.at("proposer"));
      info.opened_turn = p.at("opened_turn").get<std::int32_t>();
      info.ordinal = p.at("ordinal").get<std::int32_t>();
      info.last_turn = p.at("last_turn").get<std::int32_t>();
      info.window = p.at("window").get<std::int32_t>();
      for (const json& it : p.at("items")) info.items.push_back(item_from(it, ids));
      t.proposals.push_back(std::move(info));
    }
    for (const json& e : doc.at("events")) t.events.push_back(event_from(e, ids));
    for (const json& s : doc.at("snapshots")) t.snapshots.push_back(snapshot_from(s));
    for (const json& d : doc.at("digests")) {
      t.digests.push_back(std::stoull(d.get<std::string>(), nullptr, 16));
    }
    return t;
  } catch (const std::exception& e) {
    return Status::Invalid(fmt::format("{}: not a valid trace: {}", source, e.what()));
  }
}

}  // namespace fable
