// The safe-name rule; see base/safe_name.h.
#include "base/safe_name.h"

#include <fmt/format.h>

namespace fable {

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_name_byte(char c) {
  return is_alnum(c) || c == '_' || c == '-' || c == '.';
}

}  // namespace

std::string printable(std::string_view text, std::size_t max_bytes) {
  std::string out;
  const std::size_t shown = std::min(text.size(), max_bytes);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte > 0x7E || byte == '\\') {
      out += fmt::format("\\x{:02X}", byte);
    } else {
      out += text[i];
    }
  }
  if (shown < text.size()) out += "...";
  return out;
}

Status check_safe_name(std::string_view name, std::string_view what) {
  const auto refuse = [&](std::string_view why) {
    return Status::Invalid(fmt::format("{} '{}': {}", what, printable(name), why));
  };
  if (name.empty()) return refuse("must not be empty");
  if (name.size() > kMaxSafeNameBytes) {
    return refuse(
        fmt::format("is {} bytes; a name may have at most {}", name.size(), kMaxSafeNameBytes));
  }
  for (const char c : name) {
    if (!is_name_byte(c)) {
      return refuse(
          "may hold only ASCII letters, digits, '_', '-' and '.' (it becomes a file name)");
    }
  }
  if (!is_alnum(name.front())) return refuse("must start with a letter or a digit");
  if (name.find("..") != std::string_view::npos) return refuse("must not contain '..'");
  return Status::Ok();
}

}  // namespace fable
