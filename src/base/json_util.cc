// JSON helpers shared by traces, records and scripts; see json_util.h.
#include "base/json_util.h"

#include <algorithm>
#include <limits>

namespace fable::json_util {

std::string_view cause_name(EndCause c) {
  switch (c) {
    case EndCause::kNone:
      return "none";
    case EndCause::kRevoked:
      return "revoked";
    case EndCause::kEpochExpiry:
      return "epoch_expiry";
    case EndCause::kSunset:
      return "sunset";
    case EndCause::kLostStanding:
      return "lost_standing";
  }
  return "?";
}

json value_json(const ParamValue& v) {
  return v.is_null ? json(nullptr) : json(v.number);
}

ParamValue value_from(const json& j, std::string_view path) {
  if (j.is_null()) return ParamValue::null();
  return ParamValue::of(json_read::number(j, path));
}

json Ids::ref(AgentIndex i) const {
  if (i == kAllCitizens) return "ALL";
  if (i >= 0 && static_cast<std::size_t>(i) < ids.size()) return ids[static_cast<std::size_t>(i)];
  return i;  // an out-of-range index, as attempted, stays a number
}

AgentIndex Ids::index(const json& j, std::string_view path, bool numbers) const {
  if (numbers && j.is_number()) {
    // An index as attempted (traces): any 32-bit value.
    return static_cast<AgentIndex>(json_read::integer(
        j, path, std::numeric_limits<AgentIndex>::min(), std::numeric_limits<AgentIndex>::max()));
  }
  if (!j.is_string()) {
    json_read::fail(path, "expected a participant id (a string), got " + json_read::describe(j));
  }
  const std::string& s = j.get_ref<const std::string&>();
  if (s == "ALL") return kAllCitizens;
  // A repeated id resolves to its first index, as the scan this replaced did.
  if (!table || table->size() != ids.size()) table.emplace(ids);
  if (const std::optional<std::size_t> at = table->find(s)) return static_cast<AgentIndex>(*at);
  json_read::fail(path, fmt::format("unknown participant '{}'", json_read::printable(s)));
}

json item_json(const ProposalItem& it, const Ids& ids) {
  json j{{"kind", item_kind_name(it.kind)}};
  switch (it.kind) {
    case ItemKind::kSpend:
      j["to"] = ids.ref(it.target);
      j["amount_milli"] = it.amount;
      break;
    case ItemKind::kAmendment:
      j["path"] = param_info(it.param).path;
      j["value"] = value_json(it.value);
      break;
    case ItemKind::kDisenfranchise:
      j["target"] = ids.ref(it.target);
      break;
    case ItemKind::kRoleGrant:
      j["target"] = ids.ref(it.target);
      j["role"] = role_name(it.role);
      break;
    case ItemKind::kEmergencyDeclare: {
      json council = json::array();
      // A refused item may claim more members than a council holds: only those are kept.
      const int n = std::min<int>(it.council_size, kMaxCouncil);
      for (int i = 0; i < n; ++i) council.push_back(ids.ref(it.council[i]));
      j["council"] = council;
      break;
    }
    case ItemKind::kEmergencyRenew:
      break;
  }
  return j;
}

namespace {

// Amounts in scripts and traces: what the world can hold (money.h).
Money amount_from(json_read::Obj& o, std::string_view key) {
  return o.integer(key, 0, kMaxWorldMoney);
}

}  // namespace

ProposalItem item_from(const json& j, const Ids& ids, std::string_view path, bool attempted) {
  json_read::Obj o(j, std::string(path));
  ProposalItem it;
  it.kind = enum_from<ItemKind>(o.at("kind"), o.path_of("kind"), 6, item_kind_name, "item kind");
  switch (it.kind) {
    case ItemKind::kSpend:
      it.target = ids.index(o.at("to"), o.path_of("to"), attempted);
      it.amount = attempted ? o.integer("amount_milli", std::numeric_limits<Money>::min(),
                                        std::numeric_limits<Money>::max())
                            : amount_from(o, "amount_milli");
      break;
    case ItemKind::kAmendment: {
      const std::string param = o.name("path");
      const auto id = find_param(param);
      if (!id) {
        json_read::fail(o.path_of("path"),
                        fmt::format("unknown parameter '{}'", json_read::printable(param)));
      }
      it.param = *id;
      it.value = value_from(o.at("value"), o.path_of("value"));
      break;
    }
    case ItemKind::kDisenfranchise:
      it.target = ids.index(o.at("target"), o.path_of("target"), attempted);
      break;
    case ItemKind::kRoleGrant:
      it.target = ids.index(o.at("target"), o.path_of("target"), attempted);
      it.role = enum_from<Role>(o.at("role"), o.path_of("role"), kRoleCount, role_name, "office");
      break;
    case ItemKind::kEmergencyDeclare: {
      const json& council = o.array("council", static_cast<std::size_t>(kMaxCouncil));
      it.council_size = static_cast<std::uint8_t>(council.size());
      for (std::size_t i = 0; i < council.size(); ++i) {
        it.council[i] =
            ids.index(council[i], json_read::element_path(o.path_of("council"), i), attempted);
      }
      break;
    }
    case ItemKind::kEmergencyRenew:
      break;
  }
  o.done();
  return it;
}

namespace {

json ref_json(const ProposalRef& r, const Ids& ids) {
  if (r.id >= 0 && r.proposer == kNoAgent) return json{{"id", r.id}};
  return json{{"proposer", ids.ref(r.proposer)}, {"turn", r.opened_turn}, {"ordinal", r.ordinal}};
}

ProposalRef ref_from(const json& j, const Ids& ids, std::string_view path) {
  json_read::Obj o(j, std::string(path));
  ProposalRef r;
  if (o.has("proposer")) {
    // -1 (no proposer): a reference that resolved to nothing when it was recorded.
    const json& who = o.at("proposer");
    const AgentIndex proposer = who.is_number()
                                    ? static_cast<AgentIndex>(json_read::integer(
                                          who, o.path_of("proposer"), kNoAgent, kNoAgent))
                                    : ids.index(who, o.path_of("proposer"));
    const auto turn = static_cast<std::int32_t>(o.integer("turn", -1, limits::kMaxTurns));
    const auto ordinal =
        o.has("ordinal")
            ? static_cast<std::int32_t>(o.integer("ordinal", 0, limits::kMaxScriptSteps))
            : 0;
    r = ProposalRef::by_origin(proposer, turn, ordinal);
  } else {
    r = ProposalRef::by_id(
        static_cast<std::int32_t>(o.integer("id", 0, std::numeric_limits<std::int32_t>::max())));
  }
  o.done();
  return r;
}

}  // namespace

json action_json(const Action& a, const Ids& ids) {
  json j{{"type", action_kind_name(a.kind)}};
  switch (a.kind) {
    case ActionKind::kPropose: {
      json items = json::array();
      for (int i = 0; i < a.item_count; ++i) items.push_back(item_json(a.items[i], ids));
      j["items"] = items;
      j["window"] = a.window;
      break;
    }
    case ActionKind::kCastVote:
      j["proposal_ref"] = ref_json(a.proposal, ids);
      j["choice"] = choice_name(a.choice);
      break;
    case ActionKind::kCallQuestion:
      j["proposal_ref"] = ref_json(a.proposal, ids);
      break;
    case ActionKind::kDelegate:
      j["to"] = ids.ref(a.target);
      break;
    case ActionKind::kTransfer:
      j["to"] = ids.ref(a.target);
      j["amount_milli"] = a.amount;
      j["memo"] = std::string(a.memo.view());
      break;
    case ActionKind::kEmergencySpend:
      j["to"] = ids.ref(a.target);
      j["amount_milli"] = a.amount;
      break;
    default:
      break;
  }
  return j;
}

Action action_from(json_read::Obj& o, const Ids& ids) {
  Action a;
  a.kind = enum_from<ActionKind>(o.at("type"), o.path_of("type"), kActionKindCount,
                                 action_kind_name, "action type");
  switch (a.kind) {
    case ActionKind::kPropose: {
      const json& items = o.array("items", static_cast<std::size_t>(kMaxItems));
      if (items.empty()) json_read::fail(o.path_of("items"), "propose needs 1 to 4 items");
      a.item_count = static_cast<std::uint8_t>(items.size());
      for (std::size_t i = 0; i < items.size(); ++i) {
        a.items[i] = item_from(items[i], ids, json_read::element_path(o.path_of("items"), i));
      }
      a.window = o.has("window")
                     ? static_cast<std::int32_t>(o.integer("window", 0, limits::kMaxTurns))
                     : 0;
      break;
    }
    case ActionKind::kCastVote:
      a.proposal = ref_from(o.at("proposal_ref"), ids, o.path_of("proposal_ref"));
      a.choice = enum_from<Choice>(o.at("choice"), o.path_of("choice"), 4, choice_name, "choice");
      break;
    case ActionKind::kCallQuestion:
      a.proposal = ref_from(o.at("proposal_ref"), ids, o.path_of("proposal_ref"));
      break;
    case ActionKind::kDelegate:
      a.target = ids.index(o.at("to"), o.path_of("to"));
      break;
    case ActionKind::kTransfer: {
      a.target = ids.index(o.at("to"), o.path_of("to"));
      a.amount = amount_from(o, "amount_milli");
      if (o.has("memo")) {
        const std::string memo =
            json_read::string(o.at("memo"), o.path_of("memo"), text::TextKind::kName, kMemoBytes);
        a.memo = Memo::of(memo);
      }
      break;
    }
    case ActionKind::kEmergencySpend:
      a.target = ids.index(o.at("to"), o.path_of("to"));
      a.amount = amount_from(o, "amount_milli");
      break;
    case ActionKind::kExecuteProposal:
      json_read::fail(o.path_of("type"), "execute_proposal is not an agent action");
    default:
      break;
  }
  return a;
}

bool recordable(const Action& a, const Ids& ids) {
  const json written = action_json(a, ids);
  try {
    json_read::Obj o(written, "step");
    return action_json(action_from(o, ids), ids) == written;
  } catch (const json_read::ReadError&) {
    return false;
  }
}

}  // namespace fable::json_util
