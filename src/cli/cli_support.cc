// See cli_support.h.
#include "cli_support.h"

#include <algorithm>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "commands.h"

namespace fable::cli {

int report(const Status& s) {
  fmt::print(std::cerr, "error: {}\n", s.message());
  if (s.code() == StatusCode::kInternal) return kExitInternal;
  return s.code() == StatusCode::kIoError ? kExitIo : kExitBadInput;
}

std::string parse_error_line(const CLI::Error& e) {
  std::string what = e.what();
  while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
  for (std::size_t at = what.find('\n'); at != std::string::npos; at = what.find('\n', at))
    what.replace(at, 1, "; ");
  return "error: " + what + " (see --help)\n";
}

CLI::Validator non_negative() {
  return CLI::Validator(
      [](const std::string& value) -> std::string {
        const std::size_t first = value.find_first_not_of(" \t");
        if (first != std::string::npos && value[first] == '-') {
          return "expected a number 0 or more, got " + value;
        }
        return "";
      },
      "NONNEGATIVE");
}

std::vector<std::string_view> split_commas(std::string_view text) {
  std::vector<std::string_view> pieces;
  for (std::size_t pos = 0;;) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    pieces.push_back(text.substr(pos, comma - pos));
    if (comma == text.size()) return pieces;
    pos = comma + 1;
  }
}

}  // namespace fable::cli
