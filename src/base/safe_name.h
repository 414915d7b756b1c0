// Internal: the one rule for names that become file names.
//
// A matchup name (`run --name`, a config's `matchups:` names, `--matchups`),
// a record id (EXP-NNN) or anything else a command turns into a file name
// must be a safe name, so that nothing a user, a config or a record says can
// point a write outside its output folder (issue 12, docs/tournament-format.md
// "Names that become file names"):
//   - 1..kMaxSafeNameBytes bytes;
//   - only ASCII letters, digits, '_', '-' and '.' (so no separator '/' or
//     '\\', no space, no control character, no byte of a multi-byte UTF-8
//     sequence);
//   - the first byte is a letter or a digit (no hidden file, no "." or "..",
//     nothing an option parser would read as a flag);
//   - no ".." anywhere.
// `printable` renders any text for an error message: bytes outside printable
// ASCII become \xNN, so a hostile name cannot forge terminal output.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "fable/status.h"

namespace fable {

inline constexpr std::size_t kMaxSafeNameBytes = 64;

// Ok when `name` follows the rule above; otherwise Status::Invalid
// "<what> '<name, printable>': <which part of the rule it breaks>".
Status check_safe_name(std::string_view name, std::string_view what);

// `text` with every byte outside 0x20..0x7E (and the backslash) written as
// \xNN; at most `max_bytes` of the input are shown, then "...".
std::string printable(std::string_view text, std::size_t max_bytes = 80);

}  // namespace fable
