// Internal: the text rule every reader applies to every text field.
//
// Text read from a kernel, record, config or trace is printed in messages,
// tables, JSON and generated files, so it must be valid UTF-8 (no overlong
// forms, no surrogates, nothing past U+10FFFF) and hold no control characters
// (C0, DEL, C1). Line breaks (\n) and tabs are allowed only in multi-line
// fields (TextKind::kMultiLine: article titles and text, summaries); names
// and ids are single-line. docs/limits.md lists the lengths.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fable::text {

enum class TextKind {
  kName,       // a single line: names, ids, versions, hashes
  kMultiLine,  // free text: \n and \t allowed
};

// What is wrong with `s` as text of `kind` at most `max_bytes` long, e.g.
// "invalid UTF-8 at byte 3", "control character U+0007 at byte 5", "is 300
// bytes long; at most 200"; nullopt when it is acceptable.
std::optional<std::string> problem(std::string_view s, TextKind kind, std::size_t max_bytes);

// Offset of the first byte of `s` that does not start a valid, shortest-form
// UTF-8 sequence (the rule of `problem`, without its control-character and
// length checks), or nullopt when all of `s` is UTF-8. For whole documents,
// whose comments are carried verbatim into traces and records.
std::optional<std::size_t> first_invalid_utf8(std::string_view s);

}  // namespace fable::text
