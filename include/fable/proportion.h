// Binomial proportions: a rate of successes over trials with its 95 % Wilson
// score interval, as the leaderboard reports capture rates.
//
// Source: E. B. Wilson, "Probable inference, the law of succession, and
// statistical inference", J. Amer. Statist. Assoc. 22 (1927) 209-212; the
// formula as in R. G. Newcombe, "Two-sided confidence intervals for the single
// proportion: comparison of seven methods", Statistics in Medicine 17 (1998)
// 857-872 (method 3), and A. Agresti and B. A. Coull, Amer. Statist. 52 (1998)
// 119-126. With p = x / n and z the standard normal quantile,
//
//   centre     = (p + z^2 / (2n)) / (1 + z^2 / n)
//   half-width = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / (4 n^2))
//
// and the interval is centre -/+ half-width. Unlike p -/+ z sqrt(p(1-p)/n)
// (the Wald interval) it is never empty at 0 or n successes and stays inside
// [0, 1]: 0 of n gives [0, z^2 / (n + z^2)], n of n gives [n / (n + z^2), 1].
// docs/leaderboard-format.md.
#pragma once

#include <cstdint>

namespace fable {

// The two-sided 95 % standard normal quantile, Φ^-1(0.975), to 7 digits.
inline constexpr double kZ95 = 1.959964;

struct WilsonInterval {
  double lower = 0.0;  // in [0, 1]
  double upper = 1.0;  // in [lower, 1]
};

// The Wilson score interval of `successes` out of `trials` at quantile `z`
// (kZ95 for 95 %). 0 successes give a lower bound of exactly 0, `trials`
// successes an upper bound of exactly 1; rounding never takes a bound outside
// [0, 1]. No trials give [0, 1] (no information). REQUIRES: 0 <= successes <=
// trials, z > 0; otherwise the result is [0, 1].
WilsonInterval wilson_interval(std::int64_t successes, std::int64_t trials, double z = kZ95);

// A rate with its interval: what the leaderboard keeps per objective.
struct Proportion {
  std::int64_t successes = 0;
  std::int64_t trials = 0;
  double rate = 0.0;  // successes / trials, 0 without trials
  WilsonInterval interval;

  // successes / trials with the Wilson interval at kZ95.
  static Proportion of(std::int64_t successes, std::int64_t trials);
};

}  // namespace fable
