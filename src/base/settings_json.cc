// The engine settings as JSON; see settings_json.h.
#include "base/settings_json.h"

#include "fable/limits.h"

namespace fable {

json_util::json settings_json(const EngineSettings& s) {
  json_util::json out{{"plan_length", s.plan_length}, {"initial_balance_milli", s.initial_balance}};
  if (s.income_per_turn != 0) out["income_per_turn_milli"] = s.income_per_turn;
  if (s.citizen_stipend != 0) out["citizen_stipend_milli"] = s.citizen_stipend;
  return out;
}

EngineSettings settings_from(json_read::Obj o) {
  EngineSettings s;
  s.plan_length = static_cast<int>(o.integer("plan_length", 1, kMaxPlanLength));
  s.initial_balance = o.integer("initial_balance_milli", 0, limits::kMaxAmountMilli);
  if (o.has("income_per_turn_milli"))
    s.income_per_turn = o.integer("income_per_turn_milli", 0, limits::kMaxAmountMilli);
  if (o.has("citizen_stipend_milli"))
    s.citizen_stipend = o.integer("citizen_stipend_milli", 0, limits::kMaxAmountMilli);
  o.done();
  return s;
}

}  // namespace fable
