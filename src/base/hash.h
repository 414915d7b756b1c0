// Stable 64-bit hashing for content hashes, state digests and fingerprints.
//
// These hashes appear in artifacts and must not change between runs, builds or
// machines, so they never use std::hash. Hasher is FNV-1a over bytes with a
// final avalanche (SplitMix64 finaliser); integers are fed as 8 little-endian
// bytes and strings are length-prefixed so that field boundaries count.
// Not cryptographic: it identifies content, it does not authenticate it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fable {

class Hasher {
 public:
  Hasher& bytes(const void* data, std::size_t size);
  Hasher& u64(std::uint64_t v);
  Hasher& i64(std::int64_t v) { return u64(static_cast<std::uint64_t>(v)); }
  Hasher& f64(double v);  // by bit pattern; -0.0 and 0.0 are folded together
  Hasher& str(std::string_view s);
  std::uint64_t finish() const;

 private:
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

inline std::uint64_t hash_string(std::string_view s) {
  return Hasher{}.str(s).finish();
}

// A word-at-a-time stream hash for the per-turn state digest, which hashes
// every citizen every turn and must stay cheap: one multiply per 64-bit word
// instead of eight. Stable like Hasher, but a different function: fingerprints
// and content hashes stay on Hasher, whose values are pinned.
class WordHasher {
 public:
  WordHasher& add(std::uint64_t v) {
    h_ = (h_ ^ v) * 0x9e3779b97f4a7c15ULL;
    h_ ^= h_ >> 29;
    return *this;
  }
  WordHasher& add_signed(std::int64_t v) { return add(static_cast<std::uint64_t>(v)); }
  std::uint64_t finish() const;

 private:
  std::uint64_t h_ = 0x243f6a8885a308d3ULL;
};

// SplitMix64's finaliser: a bijective avalanche of one word.
std::uint64_t mix64(std::uint64_t z);

// 16 lowercase hex digits.
std::string hex64(std::uint64_t v);

}  // namespace fable
