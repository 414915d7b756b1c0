// Internal: the engine settings as JSON, one form for records and traces
// (docs/record-format.md, docs/trace-format.md): plan_length,
// initial_balance_milli, and the economy's keys (income_per_turn_milli,
// citizen_stipend_milli) only when set.
#pragma once

#include "base/json_read.h"
#include "base/json_util.h"
#include "fable/engine.h"

namespace fable {

// {"plan_length": ..., "initial_balance_milli": ...}, plus each economy key
// whose value is not 0, so that a document without an economy is written
// exactly as before the economy existed.
json_util::json settings_json(const EngineSettings& s);

// plan_length (1..kMaxPlanLength) and initial_balance_milli required; the
// economy's keys optional (absent = 0: documents from before it read
// unchanged); money in milli-units, 0..limits::kMaxAmountMilli; no other key.
// Throws json_read::ReadError naming the field otherwise.
EngineSettings settings_from(json_read::Obj o);

}  // namespace fable
