// The Wilson score interval; see include/fable/proportion.h for the formula
// and its sources.
#include "fable/proportion.h"

#include <algorithm>
#include <cmath>

namespace fable {

WilsonInterval wilson_interval(std::int64_t successes, std::int64_t trials, double z) {
  if (trials <= 0 || successes < 0 || successes > trials || !(z > 0.0)) return {};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denominator = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / denominator;
  const double half = z / denominator * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  WilsonInterval w;
  w.lower = successes == 0 ? 0.0 : std::clamp(centre - half, 0.0, 1.0);
  w.upper = successes == trials ? 1.0 : std::clamp(centre + half, 0.0, 1.0);
  return w;
}

Proportion Proportion::of(std::int64_t successes, std::int64_t trials) {
  Proportion out;
  out.successes = successes;
  out.trials = trials;
  out.rate = trials > 0 ? static_cast<double>(successes) / static_cast<double>(trials) : 0.0;
  out.interval = wilson_interval(successes, trials);
  return out;
}

}  // namespace fable
