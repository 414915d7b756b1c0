// The text rule; see text.h.
#include "base/text.h"

#include <fmt/format.h>

#include <utility>

namespace fable::text {

namespace {

// Length of the UTF-8 sequence starting at s[i] and its code point, or 0 when
// the bytes there are not a valid, shortest-form sequence.
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  std::size_t len = 0;
  char32_t min = 0;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1Fu, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0Fu, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

std::optional<TextProblem> find_problem(std::string_view s, TextKind kind, std::size_t max_bytes) {
  if (s.size() > max_bytes) {
    return TextProblem{max_bytes, fmt::format("is {} bytes long; at most {}", s.size(), max_bytes)};
  }
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t len = decode(s, i, cp);
    if (len == 0) return TextProblem{i, fmt::format("invalid UTF-8 at byte {}", i)};
    const bool allowed_space = (kind != TextKind::kName && (cp == U'\n' || cp == U'\t')) ||
                               (kind == TextKind::kDocument && cp == U'\r');
    if ((cp < 0x20 && !allowed_space) || (cp >= 0x7F && cp <= 0x9F)) {
      return TextProblem{
          i, fmt::format("control character U+{:04X} at byte {}{}", static_cast<unsigned>(cp), i,
                         kind == TextKind::kName && (cp == U'\n' || cp == U'\t')
                             ? " (a name is a single line)"
                             : "")};
    }
    i += len;
  }
  return std::nullopt;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t len = decode(s, i, cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::optional<std::string> problem(std::string_view s, TextKind kind, std::size_t max_bytes) {
  auto found = find_problem(s, kind, max_bytes);
  if (!found) return std::nullopt;
  return std::move(found->what);
}

}  // namespace fable::text
