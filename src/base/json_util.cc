// JSON helpers shared by traces, records and scripts; see json_util.h.
#include "base/json_util.h"

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

ParamValue value_from(const json& j) {
  return j.is_null() ? ParamValue::null() : ParamValue::of(j.get<double>());
}

json Ids::ref(AgentIndex i) const {
  if (i == kAllCitizens) return "ALL";
  if (i >= 0 && static_cast<std::size_t>(i) < ids.size()) return ids[static_cast<std::size_t>(i)];
  return i;  // an out-of-range index, as attempted, stays a number
}

AgentIndex Ids::index(const json& j) const {
  if (j.is_number_integer()) return j.get<AgentIndex>();
  const std::string s = j.get<std::string>();
  if (s == "ALL") return kAllCitizens;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] == s) return static_cast<AgentIndex>(i);
  }
  throw std::runtime_error(fmt::format("unknown participant '{}'", s));
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
      for (int i = 0; i < it.council_size; ++i) council.push_back(ids.ref(it.council[i]));
      j["council"] = council;
      break;
    }
    case ItemKind::kEmergencyRenew:
      break;
  }
  return j;
}

ProposalItem item_from(const json& j, const Ids& ids) {
  ProposalItem it;
  it.kind = enum_from<ItemKind>(j.at("kind"), 6, item_kind_name, "item kind");
  switch (it.kind) {
    case ItemKind::kSpend:
      it.target = ids.index(j.at("to"));
      it.amount = j.at("amount_milli").get<Money>();
      break;
    case ItemKind::kAmendment: {
      const std::string path = j.at("path").get<std::string>();
      const auto id = find_param(path);
      if (!id) throw std::runtime_error("unknown parameter " + path);
      it.param = *id;
      it.value = value_from(j.at("value"));
      break;
    }
    case ItemKind::kDisenfranchise:
      it.target = ids.index(j.at("target"));
      break;
    case ItemKind::kRoleGrant:
      it.target = ids.index(j.at("target"));
      it.role = enum_from<Role>(j.at("role"), kRoleCount, role_name, "office");
      break;
    case ItemKind::kEmergencyDeclare: {
      const json& council = j.at("council");
      if (!council.is_array() || council.size() > static_cast<std::size_t>(kMaxCouncil)) {
        throw std::runtime_error("council must be a list of at most 8 ids");
      }
      it.council_size = static_cast<std::uint8_t>(council.size());
      for (std::size_t i = 0; i < council.size(); ++i) it.council[i] = ids.index(council[i]);
      break;
    }
    case ItemKind::kEmergencyRenew:
      break;
  }
  return it;
}

namespace {

json ref_json(const ProposalRef& r, const Ids& ids) {
  if (r.id >= 0 && r.proposer == kNoAgent) return json{{"id", r.id}};
  return json{{"proposer", ids.ref(r.proposer)}, {"turn", r.opened_turn}, {"ordinal", r.ordinal}};
}

ProposalRef ref_from(const json& j, const Ids& ids) {
  if (j.contains("proposer")) {
    return ProposalRef::by_origin(ids.index(j.at("proposer")), j.at("turn").get<std::int32_t>(),
                                  j.value("ordinal", 0));
  }
  return ProposalRef::by_id(j.at("id").get<std::int32_t>());
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

Action action_from(const json& j, const Ids& ids) {
  Action a;
  a.kind = enum_from<ActionKind>(j.at("type"), kActionKindCount, action_kind_name, "action type");
  switch (a.kind) {
    case ActionKind::kPropose: {
      const json& items = j.at("items");
      if (!items.is_array() || items.empty() ||
          items.size() > static_cast<std::size_t>(kMaxItems)) {
        throw std::runtime_error("propose needs 1 to 4 items");
      }
      a.item_count = static_cast<std::uint8_t>(items.size());
      for (std::size_t i = 0; i < items.size(); ++i) a.items[i] = item_from(items[i], ids);
      a.window = j.value("window", 0);
      break;
    }
    case ActionKind::kCastVote:
      a.proposal = ref_from(j.at("proposal_ref"), ids);
      a.choice = enum_from<Choice>(j.at("choice"), 4, choice_name, "choice");
      break;
    case ActionKind::kCallQuestion:
      a.proposal = ref_from(j.at("proposal_ref"), ids);
      break;
    case ActionKind::kDelegate:
      a.target = ids.index(j.at("to"));
      break;
    case ActionKind::kTransfer:
      a.target = ids.index(j.at("to"));
      a.amount = j.at("amount_milli").get<Money>();
      a.memo = Memo::of(j.value("memo", std::string()));
      break;
    case ActionKind::kEmergencySpend:
      a.target = ids.index(j.at("to"));
      a.amount = j.at("amount_milli").get<Money>();
      break;
    case ActionKind::kExecuteProposal:
      throw std::runtime_error("execute_proposal is not an agent action");
    default:
      break;
  }
  return a;
}

}  // namespace fable::json_util
