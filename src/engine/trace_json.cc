// Trace <-> JSON (docs/trace-format.md). Keys are sorted (nlohmann::json's
// default object is ordered by key) and numbers are integers or shortest
// round-trip doubles, so the same trace always gives the same bytes.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

#include "base/hash.h"
#include "base/json_read.h"
#include "base/json_util.h"
#include "base/population_json.h"
#include "base/settings_json.h"
#include "fable/limits.h"
#include "fable/trace.h"

namespace fable {

namespace {

using namespace json_util;

// The contents of a refused propose, as attempted (items and window).
void refused_proposal_json(json& j, const RefusedProposal& p, const Ids& ids) {
  json items = json::array();
  // A refused propose may claim more items than a proposal holds: only those are kept.
  const int n = std::min<int>(p.item_count, kMaxItems);
  for (int i = 0; i < n; ++i) items.push_back(item_json(p.items[i], ids));
  j["items"] = items;
  j["window"] = p.window;
}

json event_json(const Event& e, const EpisodeTrace& t, const Ids& ids) {
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
      if (!t.refusal_payloads) break;
      if (e.action == ActionKind::kCastVote) j["choice"] = choice_name(e.choice);
      if (e.action == ActionKind::kTransfer) j["memo"] = std::string(e.memo.view());
      if (e.action == ActionKind::kPropose && e.attempt >= 0 &&
          static_cast<std::size_t>(e.attempt) < t.refused_proposals.size()) {
        refused_proposal_json(j, t.refused_proposals[static_cast<std::size_t>(e.attempt)], ids);
      }
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

using json_read::Obj;

std::int32_t int32(Obj& o, std::string_view key, std::int64_t lo, std::int64_t hi) {
  return static_cast<std::int32_t>(o.integer(key, lo, hi));
}

constexpr std::int64_t kMaxInt32 = std::numeric_limits<std::int32_t>::max();

// Reads one event; a refused propose's contents (fable-trace/3) go to
// t.refused_proposals.
Event event_from(const json& j, const Ids& ids, const std::string& path, EpisodeTrace& t) {
  Obj o(j, path);
  Event e;
  e.turn = int32(o, "turn", 0, limits::kMaxTurns);
  e.kind = enum_from<EventKind>(o.at("kind"), o.path_of("kind"), kEventKindCount, event_kind_name,
                                "event kind");
  e.round = o.has("round") ? static_cast<std::uint8_t>(o.integer("round", 0, kMaxPlanLength - 1))
                           : kEndOfTurnRound;
  if (o.has("actor")) e.actor = ids.index(o.at("actor"), o.path_of("actor"), true);
  if (o.has("target")) e.target = ids.index(o.at("target"), o.path_of("target"), true);
  if (o.has("proposal")) e.proposal = int32(o, "proposal", 0, kMaxInt32);
  if (o.has("amount_milli")) {
    // A refused action's amount is as attempted: any 64-bit integer.
    const bool attempted = e.kind == EventKind::kActionRejected;
    e.amount =
        o.integer("amount_milli", attempted ? std::numeric_limits<Money>::min() : -kMaxWorldMoney,
                  attempted ? std::numeric_limits<Money>::max() : kMaxWorldMoney);
  }
  if (o.has("clause")) {
    const std::string name = o.name("clause");
    const auto c = find_clause(name);
    if (!c) {
      json_read::fail(o.path_of("clause"),
                      fmt::format("unknown clause '{}'", json_read::printable(name)));
    }
    e.clause = *c;
  }
  switch (e.kind) {
    case EventKind::kActionRejected: {
      e.action = enum_from<ActionKind>(o.at("action"), o.path_of("action"), kActionKindCount,
                                       action_kind_name, "action");
      const std::string refusal = o.name("refusal");
      const auto r = find_refusal(refusal);
      if (!r) {
        json_read::fail(o.path_of("refusal"),
                        fmt::format("unknown refusal '{}'", json_read::printable(refusal)));
      }
      e.refusal = *r;
      if (!t.refusal_payloads) break;  // fable-trace/2: no payload keys
      if (e.action == ActionKind::kCastVote) {
        e.choice = enum_from<Choice>(o.at("choice"), o.path_of("choice"), 4, choice_name, "choice");
      }
      if (e.action == ActionKind::kTransfer) {
        e.memo = Memo::of(
            json_read::string(o.at("memo"), o.path_of("memo"), text::TextKind::kName, kMemoBytes));
      }
      if (e.action == ActionKind::kPropose) {
        RefusedProposal p;
        const json& items = o.array("items", static_cast<std::size_t>(kMaxItems));
        p.item_count = static_cast<std::uint8_t>(items.size());
        for (std::size_t k = 0; k < items.size(); ++k) {
          p.items[k] =
              item_from(items[k], ids, json_read::element_path(o.path_of("items"), k), true);
        }
        p.window = static_cast<std::int32_t>(
            o.integer("window", std::numeric_limits<std::int32_t>::min(), kMaxInt32));
        e.attempt = static_cast<std::int32_t>(t.refused_proposals.size());
        t.refused_proposals.push_back(p);
      }
      break;
    }
    case EventKind::kVoteCast:
      e.choice = enum_from<Choice>(o.at("choice"), o.path_of("choice"), 4, choice_name, "choice");
      break;
    case EventKind::kProposalClosed:
      e.result = enum_from<TallyResult>(o.at("result"), o.path_of("result"), 5, tally_result_name,
                                        "tally result");
      e.yes = int32(o, "yes", 0, kMaxInt32);
      e.no = int32(o, "no", 0, kMaxInt32);
      e.abstain = int32(o, "abstain", 0, kMaxInt32);
      e.eligible = int32(o, "eligible", 0, kMaxInt32);
      break;
    case EventKind::kAmendmentRatified:
    case EventKind::kAmendmentInForce: {
      const std::string param = o.name("path");
      const auto id = find_param(param);
      if (!id) {
        json_read::fail(o.path_of("path"),
                        fmt::format("unknown parameter '{}'", json_read::printable(param)));
      }
      e.param = *id;
      e.before = value_from(o.at("before"), o.path_of("before"));
      e.after = value_from(o.at("after"), o.path_of("after"));
      if (e.kind == EventKind::kAmendmentRatified)
        e.bump = enum_from<Bump>(o.at("bump"), o.path_of("bump"), 4, bump_name, "bump");
      break;
    }
    case EventKind::kRoleGranted:
      e.role = enum_from<Role>(o.at("role"), o.path_of("role"), kRoleCount, role_name, "office");
      break;
    case EventKind::kDelegationRevoked:
    case EventKind::kEmergencyEnded:
      e.cause = enum_from<EndCause>(o.at("cause"), o.path_of("cause"), 5, cause_name, "cause");
      break;
    case EventKind::kTransfer:
      e.memo = Memo::of(
          json_read::string(o.at("memo"), o.path_of("memo"), text::TextKind::kName, kMemoBytes));
      break;
    default:
      break;
  }
  o.done();
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

TurnSnapshot snapshot_from(const json& j, const std::string& path) {
  Obj o(j, path);
  TurnSnapshot s;
  s.turn = int32(o, "turn", 0, limits::kMaxTurns);
  s.epoch = int32(o, "epoch", 0, limits::kMaxTurns);
  s.treasury = o.integer("treasury_milli", 0, kMaxWorldMoney);
  s.roll_size = int32(o, "roll_size", 0, limits::kMaxCitizens);
  s.emergency_active = o.boolean("emergency_active");
  const json& citizens = o.array("citizens", static_cast<std::size_t>(limits::kMaxCitizens));
  for (std::size_t i = 0; i < citizens.size(); ++i) {
    Obj c(citizens[i], json_read::element_path(o.path_of("citizens"), i));
    CitizenSnapshot cs;
    cs.balance = c.integer("balance_milli", 0, kMaxWorldMoney);
    cs.welfare = c.number("welfare");
    cs.weight = int32(c, "weight", 0, limits::kMaxCitizens);
    cs.offices = static_cast<std::uint8_t>(c.integer("offices", 0, 255));
    cs.on_roll = c.boolean("on_roll");
    cs.exited = c.boolean("exited");
    cs.council = c.boolean("council");
    c.done();
    s.citizens.push_back(cs);
  }
  o.done();
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
  for (const Event& e : t.events) events.push_back(event_json(e, t, ids));
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
  json doc{{"schema", t.refusal_payloads ? kTraceSchema : kTraceSchemaNoPayload},
           {"matchup", t.matchup},
           {"seed", t.seed},
           {"engine_version", t.engine_version},
           {"settings", settings_json(t.settings)},
           {"initial_treasury_milli", t.initial_treasury},
           {"kernel", kernel},
           {"participants", participants},
           {"proposals", proposals},
           {"events", events},
           {"snapshots", snapshots},
           {"digests", digests}};
  if (!t.population.naive()) doc["population"] = population_json(t.population);
  return doc.dump(1) + "\n";
}

Result<EpisodeTrace> trace_from_json(std::string_view text, std::string_view source) {
  if (text.size() > limits::kMaxTraceBytes) {
    return Status::Invalid(
        fmt::format("{}: a trace may be at most {} bytes", source, limits::kMaxTraceBytes));
  }
  try {
    const json doc = json_read::parse_strict(text);
    Obj top(doc, "");
    const std::string schema = top.name("schema");
    if (schema == "fable-trace/1") {
      return Status::Invalid(
          fmt::format("{}: schema: fable-trace/1 holds digests of an older form that no longer "
                      "match a re-run; record the "
                      "episode again ({})",
                      source, kTraceSchema));
    }
    if (schema != kTraceSchema && schema != kTraceSchemaNoPayload) {
      return Status::Invalid(
          fmt::format("{}: schema: expected '{}' (or '{}', whose refused "
                      "actions carry no payload)",
                      source, kTraceSchema, kTraceSchemaNoPayload));
    }
    EpisodeTrace t;
    t.refusal_payloads = schema == kTraceSchema;
    t.matchup = top.name("matchup");
    t.seed = top.unsigned_integer("seed");
    t.engine_version = top.name("engine_version");
    t.settings = settings_from(top.object("settings"));
    if (top.has("population")) t.population = population_from(top.object("population"));
    t.initial_treasury = top.integer("initial_treasury_milli", 0, limits::kMaxAmountMilli);
    const json& participants =
        top.array("participants", static_cast<std::size_t>(limits::kMaxCitizens));
    for (std::size_t i = 0; i < participants.size(); ++i) {
      Obj p(participants[i], json_read::element_path("participants", i));
      const std::string role = p.name("role");
      const auto r = find_agent_role(role);
      if (!r) {
        json_read::fail(p.path_of("role"),
                        fmt::format("unknown role '{}' (registered: {})",
                                    json_read::printable(role), roster_role_names()));
      }
      t.participants.push_back({p.name("id"), *r, p.text("objective")});
      p.done();
    }
    const std::vector<std::string> names = participant_ids(t);
    const Ids ids{names};
    const json& kernel = top.at("kernel");
    if (!kernel.is_null()) {
      Obj k(kernel, "kernel");
      (void)k.name("name");
      (void)k.name("version");
      const std::string hash = k.name("content_hash");
      Result<Kernel> loaded = Kernel::parse(k.document("text", kMaxKernelBytes),
                                            fmt::format("{} (embedded kernel)", source));
      if (!loaded.ok()) return loaded.status();
      if (hex64(loaded->content_hash()) != hash) {
        return Status::Invalid(
            fmt::format("{}: kernel.content_hash does not match the embedded text", source));
      }
      k.done();
      t.kernel = std::move(loaded).value();
    }
    const json& proposals = top.array("proposals", std::numeric_limits<std::size_t>::max());
    for (std::size_t i = 0; i < proposals.size(); ++i) {
      Obj p(proposals[i], json_read::element_path("proposals", i));
      ProposalInfo info;
      info.id = int32(p, "id", 0, kMaxInt32);
      info.proposer = ids.index(p.at("proposer"), p.path_of("proposer"), true);
      info.opened_turn = int32(p, "opened_turn", 0, limits::kMaxTurns);
      info.ordinal = int32(p, "ordinal", 0, kMaxInt32);
      info.last_turn = int32(p, "last_turn", 0, kMaxInt32);
      info.window = int32(p, "window", 0, kMaxInt32);
      const json& items = p.array("items", static_cast<std::size_t>(kMaxItems));
      for (std::size_t k = 0; k < items.size(); ++k) {
        info.items.push_back(
            item_from(items[k], ids, json_read::element_path(p.path_of("items"), k)));
      }
      p.done();
      t.proposals.push_back(std::move(info));
    }
    const json& events = top.array("events", std::numeric_limits<std::size_t>::max());
    for (std::size_t i = 0; i < events.size(); ++i) {
      t.events.push_back(event_from(events[i], ids, json_read::element_path("events", i), t));
    }
    const json& snapshots = top.array("snapshots", static_cast<std::size_t>(limits::kMaxTurns) + 1);
    for (std::size_t i = 0; i < snapshots.size(); ++i) {
      t.snapshots.push_back(snapshot_from(snapshots[i], json_read::element_path("snapshots", i)));
    }
    const json& digests = top.array("digests", static_cast<std::size_t>(limits::kMaxTurns) + 1);
    for (std::size_t i = 0; i < digests.size(); ++i) {
      const std::string path = json_read::element_path("digests", i);
      const std::string d = json_read::string(digests[i], path, text::TextKind::kName, 16);
      if (d.size() != 16 || d.find_first_not_of("0123456789abcdef") != std::string::npos) {
        json_read::fail(path, "expected 16 lowercase hex digits");
      }
      t.digests.push_back(std::stoull(d, nullptr, 16));
    }
    top.done();
    return t;
  } catch (const json_read::ReadError& e) {
    if (e.line > 0) {
      return Status::Invalid(
          fmt::format("{}:{}:{}: not a valid trace: {}", source, e.line, e.column, e.what()));
    }
    return Status::Invalid(fmt::format("{}: not a valid trace: {}", source, e.what()));
  } catch (const std::exception& e) {
    return Status::Invalid(fmt::format("{}: not a valid trace: {}", source, e.what()));
  }
}

}  // namespace fable
