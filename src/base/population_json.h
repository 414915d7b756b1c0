// Internal: the population model as JSON, one form for records and traces
// (docs/record-format.md, docs/trace-format.md): every field of
// fable::PopulationModel under its own name, read strictly.
#pragma once

#include "base/json_read.h"
#include "base/json_util.h"
#include "fable/population.h"

namespace fable {

// {"preset": ..., "turnout_turn": ..., ...}: every field.
json_util::json population_json(const PopulationModel& m);

// Every field required, no other key, each in its range (check_population);
// throws json_read::ReadError naming the field otherwise.
PopulationModel population_from(json_read::Obj o);

}  // namespace fable
