// Our own seeded generator and distributions.
//
// The standard library's distributions are not specified bit for bit and differ
// between implementations, so a deterministic simulator owns both: Rng is
// xoshiro256** seeded through SplitMix64, and every distribution below is
// defined here (docs/determinism.md gives the algorithms). Streams are
// splittable: `derive_seed(seed, label)` gives an independent seed for a named
// purpose, so each agent draws from its own stream derived from (episode seed,
// agent id) and replacing one agent never changes what the others draw.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

namespace fable {

// One SplitMix64 step: advances `state` and returns a well-mixed output.
std::uint64_t splitmix64(std::uint64_t& state);

// A seed for a named sub-stream of `seed`: stable across runs and platforms.
std::uint64_t derive_seed(std::uint64_t seed, std::string_view label);

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0);

  std::uint64_t next_u64();

  // Uniform integer in [0, bound); bound > 0. Lemire's multiply-shift with rejection.
  std::uint64_t below(std::uint64_t bound);
  // Uniform integer in [lo, hi]; lo <= hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi);
  // Uniform double in [0, 1) from the top 53 bits.
  double unit();
  // True with probability p (p <= 0: never, p >= 1: always).
  bool chance(double p);

  // Fisher–Yates, drawing from `below`.
  template <typename T>
  void shuffle(std::span<T> items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      std::size_t j = static_cast<std::size_t>(below(i));
      std::swap(items[i - 1], items[j]);
    }
  }

 private:
  std::uint64_t s_[4];
};

}  // namespace fable
