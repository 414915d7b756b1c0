// Stable hashing; see src/base/hash.h.
#include "base/hash.h"

#include <cstring>

namespace fable {

namespace {

constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t fnv_bytes(std::uint64_t h, const unsigned char* p, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= kFnvPrime;
  }
  return h;
}

// The 8 little-endian bytes of `v`, as Hasher::u64 feeds them.
std::array<unsigned char, 8> le_bytes(std::uint64_t v) {
  std::array<unsigned char, 8> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<unsigned char>(v >> (8 * i));
  return out;
}

// The bit pattern Hasher::f64 feeds, -0.0 folded into 0.0.
std::uint64_t f64_bits(double v) {
  if (v == 0.0) v = 0.0;
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

}  // namespace

Hasher& Hasher::bytes(const void* data, std::size_t size) {
  h_ = fnv_bytes(h_, static_cast<const unsigned char*>(data), size);
  return *this;
}

Hasher& Hasher::run(const HashRun& run) {
  h_ = run.apply(h_);
  return *this;
}

HashedBytes& HashedBytes::bytes(const void* data, std::size_t size) {
  bytes_.append(static_cast<const char*>(data), size);
  return *this;
}

HashedBytes& HashedBytes::u64(std::uint64_t v) {
  const std::array<unsigned char, 8> b = le_bytes(v);
  return bytes(b.data(), b.size());
}

HashedBytes& HashedBytes::f64(double v) {
  return u64(f64_bits(v));
}

HashedBytes& HashedBytes::str(std::string_view s) {
  u64(s.size());
  return bytes(s.data(), s.size());
}

HashRun::HashRun() {
  for (std::size_t l = 0; l < after_.size(); ++l) after_[l] = l;
}

HashRun::HashRun(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (std::size_t i = 0; i < bytes.size(); ++i) multiplier_ *= kFnvPrime;
  for (std::size_t l = 0; l < after_.size(); ++l) after_[l] = fnv_bytes(l, p, bytes.size());
}

Hasher& Hasher::u64(std::uint64_t v) {
  const std::array<unsigned char, 8> b = le_bytes(v);
  return bytes(b.data(), b.size());
}

Hasher& Hasher::f64(double v) {
  return u64(f64_bits(v));
}

Hasher& Hasher::str(std::string_view s) {
  u64(s.size());
  return bytes(s.data(), s.size());
}

std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t Hasher::finish() const {
  return mix64(h_);
}

std::uint64_t WordHasher::finish() const {
  return mix64(h_);
}

std::string hex64(std::uint64_t v) {
  // By hand rather than through fmt: every finding's fingerprint passes here.
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kDigits[v & 0xf];
  return out;
}

}  // namespace fable
