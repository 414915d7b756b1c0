// Rendering of fixed-point amounts.
#include "fable/money.h"

#include <string>

namespace fable {

std::string format_money(Money m) {
  const bool negative = m < 0;
  // Work in unsigned to render INT64_MIN safely.
  const std::uint64_t mag =
      negative ? 0 - static_cast<std::uint64_t>(m) : static_cast<std::uint64_t>(m);
  const std::uint64_t scale = static_cast<std::uint64_t>(kMoneyScale);
  // "[-]units.mmm", put together by hand (findings render many amounts).
  static_assert(kMoneyScale == 1000, "three decimals");
  const std::uint64_t milli = mag % scale;
  std::string out = negative ? "-" : "";
  out += std::to_string(mag / scale);
  out += '.';
  out += static_cast<char>('0' + milli / 100);
  out += static_cast<char>('0' + milli / 10 % 10);
  out += static_cast<char>('0' + milli % 10);
  return out;
}

}  // namespace fable
