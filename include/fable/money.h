// Money: exact fixed-point amounts for the treasury and private balances.
//
// Funds must be conserved exactly (treasury + balances + exited shares =
// initial + income) and every run must be bit-for-bit reproducible, so amounts
// are whole numbers of milli-units in a signed 64-bit integer, never floats.
// Documents and the command line speak in units with up to three decimals
// (`1000`, `12.5`); `money_from_units` and `format_money` convert at the edge.
// Fractions of an amount (caps, floors) are floored toward zero.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

namespace fable {

using Money = std::int64_t;

inline constexpr Money kMoneyScale = 1000;  // milli-units per unit

// Largest amount a document may name: 10^12 units keeps every sum far from overflow.
inline constexpr double kMaxMoneyUnits = 1e12;

// REQUIRES: 0 <= |units| <= kMaxMoneyUnits
inline Money money_from_units(double units) {
  return static_cast<Money>(std::llround(units * static_cast<double>(kMoneyScale)));
}

inline double money_to_units(Money m) {
  return static_cast<double>(m) / static_cast<double>(kMoneyScale);
}

// floor(fraction * amount), for caps and floors; fraction in [0, 1].
inline Money money_fraction(Money amount, double fraction) {
  return static_cast<Money>(std::floor(static_cast<double>(amount) * fraction));
}

// Fixed three-decimal rendering, e.g. "1000.000", "-0.500".
std::string format_money(Money m);

}  // namespace fable
