// Internal: the pieces of kernel loading shared between src/kernel*.cc.
//
// Validation, clause coverage and the content hash take the parameter table
// as an argument (`Kernel` always passes all_params()), so that a test can run
// them on a copy of the table with a parameter added and prove that shipped
// kernels keep their hashes and validity (tests/kernel/param_table_evolution_test.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fable/kernel.h"
#include "fable/params.h"
#include "fable/status.h"
#include "kernel/kernel_yaml.h"

namespace fable::kernel_internal {

// A validated document and its parameters (defaults filled in).
struct Loaded {
  KernelDocument doc;  // articles' `governs` are clause ids of the table validated against
  Params params;       // typed values of the real parameters of that table
  std::vector<ParamValue> values;  // every parameter of the table, in table order
  std::vector<bool> written;       // the document gives the parameter a value
};

// Validate the tree of one document against schema fable-kernel/1 and the
// given parameter table. The first problem found is returned as
// `source:line:col: path: what is wrong`.
Result<Loaded> validate(const kernel_yaml::Node& root, std::string_view source,
                        ParamTable table = all_params());

// Clause names under a table: ids below table.size() are its parameters (by
// position), the next kStructuralClauseCount the structural clauses.
int clause_count(ParamTable table);
std::string_view clause_name(ParamTable table, ClauseId c);
std::optional<ClauseId> find_clause(ParamTable table, std::string_view name);

// Must some article govern clause `c`? Every structural clause and every
// revision-1 parameter: yes. A parameter introduced later (since > 1): only
// when the document writes it or its value differs from its default.
bool needs_article(ParamTable table, ClauseId c, std::span<const ParamValue> values,
                   const std::vector<bool>& written);

// The content hash of a document with version `version` and parameter values
// `values` (one per table entry, table order); see docs/kernel-format.md,
// "Content hash". Revision-1 parameters are hashed as path, null flag and
// value, always; a later parameter likewise but only when its value differs
// from its default, so a defaulted new parameter changes no hash.
std::uint64_t content_hash(const KernelDocument& doc, const Version& version, ParamTable table,
                           std::span<const ParamValue> values);

// Why a set of parameters is inconsistent as a whole (empty when it is not),
// e.g. a minimum voting window longer than the default one.
std::string cross_field_problem(const Params& p);

// param_value_problem() without its leading "path" / "path:" (for messages
// that name the path already).
std::string value_problem_text(const ParamInfo& info, const ParamValue& v);

}  // namespace fable::kernel_internal
