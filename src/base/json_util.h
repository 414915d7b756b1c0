// Internal: JSON helpers shared by traces, records and scripts.
//
// Participants are written by id ("ALL" for every citizen on the roll),
// enums by their stable names, money as integer milli-units. Readers are
// strict (base/json_read.h): unknown keys, wrong types and out-of-range values
// throw json_read::ReadError naming the field path; callers turn it into a
// Status that names the file.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/id_table.h"
#include "base/json_read.h"
#include "base/text.h"
#include "fable/action.h"
#include "fable/event.h"
#include "fable/limits.h"
#include "fable/params.h"

namespace fable::json_util {

using nlohmann::json;

// An enum value at `path`, looked up by the name its *_name function gives.
template <typename E, typename NameFn>
E enum_from(const json& j, std::string_view path, int count, NameFn name_of,
            std::string_view what) {
  const std::string s = json_read::string(j, path, text::TextKind::kName, limits::kMaxNameBytes);
  std::string known;
  for (int i = 0; i < count; ++i) {
    if (name_of(static_cast<E>(i)) == s) return static_cast<E>(i);
    known += (i ? ", " : "") + std::string(name_of(static_cast<E>(i)));
  }
  json_read::fail(path, fmt::format("unknown {} '{}' (expected one of: {})", what,
                                    json_read::printable(s), known));
}

std::string_view cause_name(EndCause c);
json value_json(const ParamValue& v);
// A parameter value: a number or null.
ParamValue value_from(const json& j, std::string_view path);

// Participant references by id.
struct Ids {
  const std::vector<std::string>& ids;
  json ref(AgentIndex i) const;
  // The participant `j` names: an id of the roster or "ALL". A number (an
  // agent index as attempted) is accepted only when `numbers` is true
  // (traces); records name participants by id only. O(log n) once the
  // first call has sorted the ids (a roster may hold 100,000 and a record
  // or trace names them once per perpetrator, step or event): an Ids is a
  // short-lived local and is not shared between threads.
  AgentIndex index(const json& j, std::string_view path, bool numbers = false) const;

  // The ids in a sorted table (built by index()).
  mutable std::optional<IdTable> table = {};
};

json item_json(const ProposalItem& it, const Ids& ids);
// `attempted`: an item of a refused proposal in a trace, read as attempted
// (participants may be numbers, amounts any 64-bit integer).
ProposalItem item_from(const json& j, const Ids& ids, std::string_view path,
                       bool attempted = false);

// An agent action as a script step would write it (without turn and round).
json action_json(const Action& a, const Ids& ids);
// Reads the action's keys from `o`; the caller reads its own keys and calls o.done().
Action action_from(json_read::Obj& o, const Ids& ids);
// Whether a record's script can hold `a`: written by action_json and read
// back by action_from (participants by id, as records name them), it gives
// the same JSON. A refused action can carry what no record holds: a propose
// without items, a participant index outside the roster, a negative amount,
// a memo that is not a name. Such a step is left out of a record's script.
bool recordable(const Action& a, const Ids& ids);

}  // namespace fable::json_util
