// Internal: the scalar syntax of kernel documents, shared by the loader,
// parse_param_value and the command line, plus "did you mean" suggestions.
//
// Numbers are plain decimal literals (`0.5`, `-3`, `1e3`); `.inf`, `.nan`,
// hex and octal are refused. Booleans are exactly `true` / `false`; null is
// `null` or `~` (yaml-cpp reports those, and empty values, as null nodes).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fable::kernel_scalar {

std::optional<double> parse_number(std::string_view s);
// Whole numbers only: an optional '-' then digits.
std::optional<double> parse_whole(std::string_view s);
std::optional<bool> parse_bool(std::string_view s);
bool is_null_word(std::string_view s);

// The candidate closest to `word` by edit distance, if close enough to be a
// plausible typo; empty otherwise.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace fable::kernel_scalar
