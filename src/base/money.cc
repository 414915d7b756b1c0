// Rendering of fixed-point amounts.
#include "fable/money.h"

#include <fmt/format.h>

namespace fable {

std::string format_money(Money m) {
  const bool negative = m < 0;
  // Work in unsigned to render INT64_MIN safely.
  const std::uint64_t mag =
      negative ? 0 - static_cast<std::uint64_t>(m) : static_cast<std::uint64_t>(m);
  const std::uint64_t scale = static_cast<std::uint64_t>(kMoneyScale);
  return fmt::format("{}{}.{:03d}", negative ? "-" : "", mag / scale, mag % scale);
}

}  // namespace fable
