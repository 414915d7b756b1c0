// Internal: the pieces of kernel loading shared between src/kernel*.cc.
#pragma once

#include <string>
#include <string_view>

#include "fable/kernel.h"
#include "fable/params.h"
#include "fable/status.h"
#include "kernel/kernel_yaml.h"

namespace fable::kernel_internal {

// A validated document and its parameters (defaults filled in).
struct Loaded {
  KernelDocument doc;
  Params params;
};

// Validate the tree of one document against schema fable-kernel/1. The first
// problem found is returned as `source:line:col: path: what is wrong`.
Result<Loaded> validate(const kernel_yaml::Node& root, std::string_view source);

// Why a set of parameters is inconsistent as a whole (empty when it is not),
// e.g. a minimum voting window longer than the default one.
std::string cross_field_problem(const Params& p);

// param_value_problem() without its leading "path" / "path:" (for messages
// that name the path already).
std::string value_problem_text(ParamId id, const ParamValue& v);

}  // namespace fable::kernel_internal
