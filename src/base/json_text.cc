// The streaming JSON text writer; see src/base/json_text.h.
#include "base/json_text.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace fable {

namespace {

// Length of the valid UTF-8 sequence that starts at text[i], or 0 when the
// bytes there are not one (RFC 3629: no overlong forms, no surrogates, at
// most U+10FFFF), the same bytes nlohmann's decoder rejects.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto at = [&](std::size_t k) -> unsigned {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u;
  };
  const auto tail = [&](std::size_t k) { return (at(k) & 0xC0u) == 0x80u; };
  const unsigned b = at(0);
  if (b >= 0xC2 && b <= 0xDF) return tail(1) ? 2 : 0;
  if (b >= 0xE0 && b <= 0xEF) {
    const unsigned lo = b == 0xE0 ? 0xA0 : 0x80;
    const unsigned hi = b == 0xED ? 0x9F : 0xBF;
    return at(1) >= lo && at(1) <= hi && tail(2) ? 3 : 0;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    const unsigned lo = b == 0xF0 ? 0x90 : 0x80;
    const unsigned hi = b == 0xF4 ? 0x8F : 0xBF;
    return at(1) >= lo && at(1) <= hi && tail(2) && tail(3) ? 4 : 0;
  }
  return 0;
}

// Whether any of the eight bytes at `p` is below 0x20, '"', '\\' or 0x80 and
// above (a byte to escape or the start of a multi-byte sequence), by the
// usual word-at-a-time tests: a byte b < n sets the high bit of
// (b - n) & ~b, and a byte equal to k is a zero byte of the word XOR k.
bool needs_look(const char* p) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  std::uint64_t w = 0;
  std::memcpy(&w, p, sizeof w);
  const auto below = [](std::uint64_t x, std::uint64_t n) { return (x - kOnes * n) & ~x & kHigh; };
  const std::uint64_t quote = w ^ (kOnes * 0x22);
  const std::uint64_t backslash = w ^ (kOnes * 0x5C);
  return ((w & kHigh) | below(w, 0x20) | below(quote, 1) | below(backslash, 1)) != 0;
}

// The escape of a byte below 0x20, '"' or '\\' (nlohmann's choices).
void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
      return;
  }
}

}  // namespace

void JsonTextWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (frames_.empty()) return;
  Frame& f = frames_.back();
  if (f.members > 0) out_->push_back(',');
  out_->push_back('\n');
  out_->append(2 * frames_.size(), ' ');
  f.members += 1;
}

void JsonTextWriter::begin_object() {
  before_value();
  out_->push_back('{');
  frames_.push_back(Frame{true, 0});
}

void JsonTextWriter::begin_array() {
  before_value();
  out_->push_back('[');
  frames_.push_back(Frame{false, 0});
}

void JsonTextWriter::close(char bracket) {
  const bool empty = frames_.back().members == 0;
  frames_.pop_back();
  if (!empty) {
    out_->push_back('\n');
    out_->append(2 * frames_.size(), ' ');
  }
  out_->push_back(bracket);
}

void JsonTextWriter::end_object() {
  close('}');
}
void JsonTextWriter::end_array() {
  close(']');
}

void JsonTextWriter::key(std::string_view name) {
  value(name);
  out_->append(": ");
  after_key_ = true;
}

void JsonTextWriter::value(std::string_view text) {
  before_value();
  std::string& out = *out_;
  out.push_back('"');
  std::size_t plain = 0;  // start of the run of bytes copied as they are
  for (std::size_t i = 0; i < text.size();) {
    // Eight bytes at a time while none needs a look (most text is plain ASCII).
    if (i + 8 <= text.size() && !needs_look(text.data() + i)) {
      i += 8;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      i += 1;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t n = utf8_length(text, i);
      if (n == 0) {
        throw std::invalid_argument(
            fmt::format("invalid UTF-8 byte at index {}: 0x{:02X}", i, static_cast<unsigned>(c)));
      }
      i += n;
      continue;
    }
    out.append(text.substr(plain, i - plain));
    append_escape(out, c);
    i += 1;
    plain = i;
  }
  out.append(text.substr(plain));
  out.push_back('"');
}

void JsonTextWriter::value(double number) {
  before_value();
  if (!std::isfinite(number)) {
    out_->append("null");
    return;
  }
  std::array<char, 64> buffer{};
  char* end = ::nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), number);
  out_->append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

void JsonTextWriter::value(std::int64_t number) {
  before_value();
  fmt::format_to(std::back_inserter(*out_), "{}", number);
}

void JsonTextWriter::value(std::uint64_t number) {
  before_value();
  fmt::format_to(std::back_inserter(*out_), "{}", number);
}

void JsonTextWriter::value(bool flag) {
  before_value();
  out_->append(flag ? "true" : "false");
}

}  // namespace fable
