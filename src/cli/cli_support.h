// Helpers every subcommand of the binary shares: turning a failed Status into
// its one `error:` line and documented exit code, and splitting the
// comma-separated lists that flags such as --only and --seeds take. Kept to
// the command line; the library reports through Status and never prints.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "fable/minimize.h"
#include "fable/status.h"

namespace fable::cli {

// Prints "error: <message>" on stderr; returns kExitIo for an I/O failure,
// kExitInternal for an internal failure (Status::Internal) and kExitBadInput
// for everything else.
int report(const Status& s);

// The one line for a flag CLI11 refuses (an unknown flag, a flag given twice,
// a missing value, a value it cannot convert, a failed check): "error: WHAT
// (see --help)\n", the shape of every other error line; a message of several
// lines is joined into one with "; ". `root` is the app that parsed, used to
// name what the user typed: an unknown command word ("error: unknown command
// 'x' (commands: kernel, ...)\n", "error: list: unknown topic 'x' (one of:
// agents, detectors)\n") instead of "A subcommand is required", and the
// unexpected arguments in the order they were typed (CLI11 lists them reversed).
std::string parse_error_line(const CLI::App& root, const CLI::Error& e);

// The refusal of an integer flag outside lo..hi, naming the flag as typed:
// "--threads 0: must be 1..256".
template <typename T>
Status check_flag_range(std::string_view flag, T value, T lo, T hi) {
  if (value >= lo && value <= hi) return Status::Ok();
  return Status::Invalid(fmt::format("{} {}: must be {}..{}", flag, value, lo, hi));
}

// A check for flags read into unsigned integers: refuses a value that starts
// with '-' ("--seed -1"), which the conversion would otherwise wrap to
// 2^64-1. CLI11 reports the refusal as bad input (exit 2): "expected
// EXPECTED, got VALUE", EXPECTED saying what the flag takes (a range where the
// flag's own check refuses 0 too, so that both refusals say the same).
CLI::Validator non_negative(std::string expected = "a number 0 or more");

// Adds to every number flag of `app` and its subcommands (type INT, UINT or
// FLOAT) a check that refuses an empty value ("--seed ''"), which CLI11 would
// read as 0: "expected a number, got nothing". A whole-number flag (INT,
// UINT) takes decimal digits only, with an optional sign and spaces or tabs
// around, and its value is rewritten to plain decimal before CLI11 converts
// it (CLI11 reads "010" as 8 and "0x10" as 16): anything else is "expected a
// whole number in decimal digits, got V"; for UINT, a negative one is
// "expected a number 0 or more, got V" and one above 2^64-1 (CLI11 reads it
// as 2^64-1) "expected a number from 0 to 18446744073709551615, got V". V
// shows control characters as \xNN, at most 64 characters. All are bad
// input (exit 2). Call once every command is registered.
void check_number_flags(CLI::App& app);

// "a,b,,c" -> {"a", "b", "", "c"}; "" -> {""}. Pieces view into `text`.
std::vector<std::string_view> split_commas(std::string_view text);

// --no-minimize (into `off`) and --minimize-budget N (into `budget`), which
// exclude each other, on every command that writes records.
void add_minimize_flags(CLI::App* cmd, bool& off, int& budget);

// The minimiser's progress line on stderr (progress_line.h; tournament, run,
// sweep, hunt): "minimize: 3/12 records (25.0%)  2.5/s  ETA 0:04  replays
// 1,234 (budget 2,000 per record)".
MinimizeProgressFn minimize_line(int budget);

// Adds --quiet (into `quiet`): no progress line, errors still print.
void add_quiet_flag(CLI::App* cmd, bool& quiet);

}  // namespace fable::cli
