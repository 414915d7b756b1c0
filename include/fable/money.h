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
#include <optional>
#include <string>

namespace fable {

using Money = std::int64_t;

inline constexpr Money kMoneyScale = 1000;  // milli-units per unit

// Largest amount a document may name: 10^12 units keeps every sum far from overflow.
inline constexpr double kMaxMoneyUnits = 1e12;

// The same bound in milli-units: the largest treasury, income, balance or
// amount a record, config, trace, script or kernel may name (docs/limits.md).
inline constexpr Money kMaxMoney = 1'000'000'000'000'000;  // 10^15 milli = 10^12 units

// The most money the world of one episode may hold in all (initial treasury,
// balances and income paid): the engine stops paying income beyond it, so any
// sum of two amounts of the world fits in a signed 64-bit integer.
inline constexpr Money kMaxWorldMoney = Money{1} << 62;

// a + b, or nullopt when the sum does not fit in a Money.
inline std::optional<Money> checked_add(Money a, Money b) {
  Money out = 0;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// a * b, or nullopt when the product does not fit in a Money.
inline std::optional<Money> checked_mul(Money a, Money b) {
  Money out = 0;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// 128-bit intermediate for products of two amounts (GCC and Clang).
__extension__ using WideMoney = __int128;

// floor(a * num / den) computed in 128 bits, so the product cannot overflow;
// the quotient must fit (true whenever 0 <= num <= den). REQUIRES: den > 0.
inline Money mul_div(Money a, Money num, Money den) {
  return static_cast<Money>(static_cast<WideMoney>(a) * num / den);
}

// a * x < b * y without overflow (products in 128 bits).
inline bool product_less(Money a, Money x, Money b, Money y) {
  return static_cast<WideMoney>(a) * x < static_cast<WideMoney>(b) * y;
}

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
