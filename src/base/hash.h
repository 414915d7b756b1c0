// Stable 64-bit hashing for content hashes, state digests and fingerprints.
//
// These hashes appear in artifacts and must not change between runs, builds or
// machines, so they never use std::hash. Hasher is FNV-1a over bytes with a
// final avalanche (SplitMix64 finaliser); integers are fed as 8 little-endian
// bytes and strings are length-prefixed so that field boundaries count.
// Not cryptographic: it identifies content, it does not authenticate it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace fable {

class HashRun;

class Hasher {
 public:
  Hasher& bytes(const void* data, std::size_t size);
  Hasher& u64(std::uint64_t v);
  Hasher& i64(std::int64_t v) { return u64(static_cast<std::uint64_t>(v)); }
  Hasher& f64(double v);  // by bit pattern; -0.0 and 0.0 are folded together
  Hasher& str(std::string_view s);
  // The bytes of `run`, in a few operations instead of one per byte: the
  // same state as bytes() over them.
  Hasher& run(const HashRun& run);
  std::uint64_t finish() const;

 private:
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

// The bytes the calls of a Hasher would feed it, recorded (same encoding):
// what a HashRun is made of.
class HashedBytes {
 public:
  HashedBytes& bytes(const void* data, std::size_t size);
  HashedBytes& u64(std::uint64_t v);
  HashedBytes& i64(std::int64_t v) { return u64(static_cast<std::uint64_t>(v)); }
  HashedBytes& f64(double v);
  HashedBytes& str(std::string_view s);
  const std::string& view() const { return bytes_; }

 private:
  std::string bytes_;
};

// A fixed run of bytes that a Hasher takes in one multiply and one table
// read (Hasher::run), for bytes hashed over and over (a kernel's articles
// and parameter paths: Kernel::rehash hashes every amended kernel).
// Why it works: FNV-1a takes a state h over bytes b1..bn to
//   (h - l) * P^n + F(l)  (mod 2^64),
// where l is h's low byte and F(l) the state the bytes leave when started
// from l. An XOR with a byte changes only the low byte, and a multiple of 256
// stays one through the multiplications, so the high part of h only ever
// gets multiplied. A run keeps P^n and F over the 256 low bytes (2 KiB);
// making it costs 256 passes over the bytes.
class HashRun {
 public:
  HashRun();  // no bytes: changes no state
  explicit HashRun(std::string_view bytes);
  std::uint64_t apply(std::uint64_t state) const {
    return (state & ~std::uint64_t{0xff}) * multiplier_ + after_[state & 0xff];
  }

 private:
  std::uint64_t multiplier_ = 1;          // P^n
  std::array<std::uint64_t, 256> after_;  // F(l) for each low byte l
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
