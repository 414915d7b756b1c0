// Internal: JSON helpers shared by traces, records and scripts.
//
// Participants are written by id ("ALL" for every citizen on the roll),
// enums by their stable names, money as integer milli-units. Readers throw
// std::runtime_error with a short reason; callers turn it into a Status that
// names the file.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "fable/action.h"
#include "fable/event.h"
#include "fable/params.h"

namespace fable::json_util {

using nlohmann::json;

// Look an enum value up by the name its *_name function gives.
template <typename E, typename NameFn>
E enum_from(const json& j, int count, NameFn name_of, std::string_view what) {
  const std::string s = j.get<std::string>();
  for (int i = 0; i < count; ++i) {
    if (name_of(static_cast<E>(i)) == s) return static_cast<E>(i);
  }
  throw std::runtime_error(fmt::format("unknown {} '{}'", what, s));
}

std::string_view cause_name(EndCause c);
json value_json(const ParamValue& v);
ParamValue value_from(const json& j);

// Participant references by id.
struct Ids {
  const std::vector<std::string>& ids;
  json ref(AgentIndex i) const;
  AgentIndex index(const json& j) const;
};

json item_json(const ProposalItem& it, const Ids& ids);
ProposalItem item_from(const json& j, const Ids& ids);

// An agent action as a script step would write it (without turn and round).
json action_json(const Action& a, const Ids& ids);
Action action_from(const json& j, const Ids& ids);

}  // namespace fable::json_util
