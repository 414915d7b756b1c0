// See cli_support.h.
#include "cli_support.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string_view>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "commands.h"
#include "progress_line.h"

namespace fable::cli {

int report(const Status& s) {
  fmt::print(std::cerr, "error: {}\n", s.message());
  if (s.code() == StatusCode::kInternal) return kExitInternal;
  return s.code() == StatusCode::kIoError ? kExitIo : kExitBadInput;
}

namespace {

// The app with words left over, from the root down the subcommands parsed (the
// order in which CLI11 refuses them), or the deepest subcommand parsed.
const CLI::App& app_with_words_left(const CLI::App& root) {
  const CLI::App* app = &root;
  while (app->remaining(false).empty() && !app->get_subcommands().empty())
    app = app->get_subcommands().front();
  return *app;
}

// "a, b, c": the names of app's subcommands, in the order they were registered.
std::string subcommand_names(const CLI::App& app) {
  std::string names;
  for (const CLI::App* sub :
       app.get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); })) {
    if (!names.empty()) names += ", ";
    names += sub->get_name();
  }
  return names;
}

// "unknown command 'x' (commands: ...)" when an app that needs a subcommand
// got a word that is none of its subcommands; "" otherwise.
std::string unknown_word_message(const CLI::App& root, const CLI::Error& e) {
  if (dynamic_cast<const CLI::RequiredError*>(&e) == nullptr) return "";
  const CLI::App& app = app_with_words_left(root);
  if (app.get_require_subcommand_min() == 0 || !app.get_subcommands().empty()) return "";
  const std::vector<std::string> left = app.remaining(false);
  const auto word = std::find_if(left.begin(), left.end(),
                                 [](const std::string& w) { return w.rfind('-', 0) != 0; });
  if (word == left.end()) return "";
  if (&app == &root) {
    return fmt::format("unknown command '{}' (commands: {})", *word, subcommand_names(app));
  }
  return fmt::format("{}: unknown {} '{}' (one of: {})", app.get_name(),
                     app.get_name() == "list" ? "topic" : "subcommand", *word,
                     subcommand_names(app));
}

std::string shown(std::string_view value);  // below

// CLI11's message, with unexpected arguments in the order they were typed,
// and a value the flag's type cannot hold (CLI11: "Could not convert: --max-turns
// = 99999999999999999999"; check_number_flags has made it plain decimal
// digits, so only its size is wrong) said in the words of the other bad numbers.
std::string parser_message(const CLI::App& root, const CLI::Error& e) {
  if (dynamic_cast<const CLI::ConversionError*>(&e) != nullptr) {
    constexpr std::string_view kPrefix = "Could not convert: ";
    const std::string_view what = e.what();
    const std::size_t eq = what.find(" = ");
    if (what.rfind(kPrefix, 0) == 0 && eq != std::string_view::npos) {
      const std::string_view flag = what.substr(kPrefix.size(), eq - kPrefix.size());
      const std::string_view value = what.substr(eq + 3);
      if (!value.empty() && value.find_first_not_of("-0123456789") == std::string_view::npos) {
        return fmt::format("{}: expected a number within the flag's range, got {}", flag,
                           shown(value));
      }
    }
  }
  const std::vector<std::string> left = app_with_words_left(root).remaining(false);
  if (dynamic_cast<const CLI::ExtrasError*>(&e) == nullptr || left.empty()) return e.what();
  std::string words;
  for (const std::string& w : left) words += (words.empty() ? "" : " ") + w;
  return fmt::format("The following argument{} not expected: {}",
                     left.size() > 1 ? "s were" : " was", words);
}

}  // namespace

std::string parse_error_line(const CLI::App& root, const CLI::Error& e) {
  // The list of commands stands for the pointer to --help.
  if (std::string unknown = unknown_word_message(root, e); !unknown.empty())
    return "error: " + unknown + "\n";
  std::string what = parser_message(root, e);
  while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
  for (std::size_t at = what.find('\n'); at != std::string::npos; at = what.find('\n', at))
    what.replace(at, 1, "; ");
  return "error: " + what + " (see --help)\n";
}

CLI::Validator non_negative(std::string expected) {
  return CLI::Validator(
      [expected = std::move(expected)](const std::string& value) -> std::string {
        const std::size_t first = value.find_first_not_of(" \t");
        if (first != std::string::npos && value[first] == '-') {
          return "expected " + expected + ", got " + value;
        }
        return "";
      },
      "NONNEGATIVE");
}

namespace {

// `value` for an error line: control characters as \xNN (a newline would
// break the one-line error), at most 64 characters.
std::string shown(std::string_view value) {
  constexpr std::size_t kMost = 64;
  std::string out;
  for (const char c : value.substr(0, kMost)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  if (value.size() > kMost) out += "...";
  return out;
}

// A whole-number flag's value, checked and rewritten to plain decimal before
// CLI11 converts it (see check_number_flags in cli_support.h).
std::string check_whole_number(std::string& value, bool is_unsigned) {
  const std::size_t first = value.find_first_not_of(" \t");
  if (first == std::string::npos) return "expected a number, got nothing";
  const std::size_t last = value.find_last_not_of(" \t");
  std::string_view digits(value.data() + first, last - first + 1);
  bool negative = false;
  if (digits.front() == '+' || digits.front() == '-') {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return fmt::format("expected a whole number in decimal digits, got {}", shown(value));
  }
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  if (is_unsigned && !negative) {
    // (A negative one is left to the flag's own checks, which name its
    // range, and to the last check check_number_flags adds.)
    std::uint64_t v = 0;
    const std::from_chars_result r =
        std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (r.ec == std::errc::result_out_of_range) {
      return fmt::format("expected a number from 0 to {}, got {}", UINT64_MAX, shown(value));
    }
  }
  value = std::string(negative && digits != "0" ? "-" : "") + std::string(digits);
  return "";
}

}  // namespace

void check_number_flags(CLI::App& app) {
  for (CLI::Option* opt : app.get_options()) {
    const std::string type = opt->get_type_name();
    const bool is_unsigned = type.rfind("UINT", 0) == 0;
    const bool whole = is_unsigned || type.rfind("INT", 0) == 0;
    if (!whole && type.rfind("FLOAT", 0) != 0) continue;
    if (!whole) {
      // CLI11 reads "" as 0 for a number: a flag given nothing is refused.
      opt->check(CLI::Validator(
          [](const std::string& value) -> std::string {
            return value.find_first_not_of(" \t") == std::string::npos
                       ? "expected a number, got nothing"
                       : "";
          },
          ""));
      continue;
    }
    // CLI11 reads a whole number with strtoull/strtoll in base 0: "" as 0,
    // "010" as 8, "0x10" as 16, an unsigned one past 2^64-1 (or "\n-1") as
    // 2^64-1. Each ran with a number other than the one typed.
    // A transform (it may rewrite the value), run before the flag's checks.
    opt->transform(CLI::Validator(
        [is_unsigned](std::string& value) { return check_whole_number(value, is_unsigned); }, ""));
    if (is_unsigned) {
      // After the flag's checks: an unsigned flag without non_negative()
      // would read "-1" as 2^64-1.
      opt->check(CLI::Validator(
          [](const std::string& value) -> std::string {
            return !value.empty() && value.front() == '-'
                       ? fmt::format("expected a number 0 or more, got {}", value)
                       : "";
          },
          ""));
    }
  }
  for (CLI::App* sub : app.get_subcommands({})) check_number_flags(*sub);
}

void add_minimize_flags(CLI::App* cmd, bool& off, int& budget) {
  CLI::Option* no =
      cmd->add_flag("--no-minimize", off,
                    "Write records as found, without minimising them (fable-selfplay minimize)");
  cmd->add_option("--minimize-budget", budget,
                  "Most replays spent minimising each record (a record out of budget is written "
                  "reproducing but maybe not 1-minimal). Each replay plays the record's episode "
                  "again, so with a large roster minimising can take longer than the run: lower "
                  "this or give --no-minimize")
      ->capture_default_str()
      ->excludes(no);  // a budget for no minimisation is a contradiction
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

MinimizeProgressFn minimize_line(int budget) {
  const std::shared_ptr<ProgressLine> line = ProgressLine::for_stderr("minimize", "records", false);
  return [line, budget](std::size_t done, std::size_t total, std::uint64_t replays) {
    line->update(done, total,
                 fmt::format("replays {} (budget {} per record)", group_thousands(replays),
                             group_thousands(static_cast<std::uint64_t>(budget))));
  };
}

void add_quiet_flag(CLI::App* cmd, bool& quiet) {
  cmd->add_flag("--quiet", quiet,
                "No progress line on stderr (errors still print; stdout is the same)");
}

}  // namespace fable::cli
