// Helpers every subcommand of the binary shares: turning a failed Status into
// its one `error:` line and documented exit code, and splitting the
// comma-separated lists that flags such as --only and --seeds take. Kept to
// the command line; the library reports through Status and never prints.
#pragma once

#include <string_view>
#include <vector>

#include "fable/status.h"

namespace fable::cli {

// Prints "error: <message>" on stderr; returns kExitIo for an I/O failure,
// kExitInternal for an internal failure (Status::Internal) and kExitBadInput
// for everything else.
int report(const Status& s);

// "a,b,,c" -> {"a", "b", "", "c"}; "" -> {""}. Pieces view into `text`.
std::vector<std::string_view> split_commas(std::string_view text);

}  // namespace fable::cli
