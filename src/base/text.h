// Internal: the text rule every reader applies to every text field.
//
// Text read from a kernel, record, config or trace is printed in messages,
// tables, JSON and generated files, so it must be valid UTF-8 (no overlong
// forms, no surrogates, nothing past U+10FFFF) and hold no control characters
// (C0, DEL, C1). Line breaks (\n) and tabs are allowed only in multi-line
// fields (TextKind::kMultiLine: article titles and text, summaries), and
// carriage returns too in whole documents (TextKind::kDocument: a kernel's
// text, which traces and records carry verbatim); names and ids are
// single-line. docs/limits.md lists the lengths.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fable::text {

enum class TextKind {
  kName,       // a single line: names, ids, versions, hashes
  kMultiLine,  // free text: \n and \t allowed
  kDocument,   // a whole document (a kernel's YAML text, comments included):
               // \n, \t and \r allowed, as YAML allows (YAML 1.2, c-printable)
};

// What is wrong with `s` as text of `kind` at most `max_bytes` long, e.g.
// "invalid UTF-8 at byte 3", "control character U+0007 at byte 5", "is 300
// bytes long; at most 200"; nullopt when it is acceptable.
std::optional<std::string> problem(std::string_view s, TextKind kind, std::size_t max_bytes);

// The same check, with the byte offset of the first fault (max_bytes when
// `s` is too long), for callers that turn it into a line and column.
struct TextProblem {
  std::size_t offset = 0;
  std::string what;
};
std::optional<TextProblem> find_problem(std::string_view s, TextKind kind, std::size_t max_bytes);

// Whether `s` is valid UTF-8 (the rule above without the control-character
// and length checks): for strings a program wrote itself and reads back from
// a file that may have been edited (checkpoints), before they reach JSON.
bool valid_utf8(std::string_view s);

}  // namespace fable::text
