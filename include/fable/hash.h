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

inline std::uint64_t hash_string(std::string_view s) { return Hasher{}.str(s).finish(); }

// 16 lowercase hex digits.
std::string hex64(std::uint64_t v);

}  // namespace fable
