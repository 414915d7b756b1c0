// The binary message encoding; see src/base/byte_io.h.
#include "base/byte_io.h"

#include <algorithm>
#include <array>
#include <bit>

#include "base/text.h"

namespace fable {

// Little-endian whatever the host's order: the bytes are laid out in a
// buffer, then appended at once (one growth check, not one per byte).
void ByteWriter::u32(std::uint32_t v) {
  std::array<std::byte, 4> b;
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::byte>(v >> (8 * i));
  raw(b);
}

void ByteWriter::u64(std::uint64_t v) {
  std::array<std::byte, 8> b;
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::byte>(v >> (8 * i));
  raw(b);
}

void ByteWriter::f64(double v) {
  u64(std::bit_cast<std::uint64_t>(v));
}

void ByteWriter::str(std::string_view s) {
  u64(s.size());
  const auto* p = reinterpret_cast<const std::byte*>(s.data());
  out_.insert(out_.end(), p, p + s.size());
}

bool ByteReader::take(std::size_t n) {
  if (failed_ || in_.size() - pos_ < n) {
    failed_ = true;
    return false;
  }
  return true;
}

std::uint8_t ByteReader::u8() {
  if (!take(1)) return 0;
  return static_cast<std::uint8_t>(in_[pos_++]);
}

bool ByteReader::boolean() {
  const std::uint8_t b = u8();
  if (b > 1) fail();
  return b == 1;
}

std::uint32_t ByteReader::u32() {
  if (!take(4)) return 0;
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(in_[pos_++]) << (8 * i);
  return v;
}

std::uint64_t ByteReader::u64() {
  if (!take(8)) return 0;
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(in_[pos_++]) << (8 * i);
  return v;
}

double ByteReader::f64() {
  return std::bit_cast<double>(u64());
}

std::string ByteReader::str() {
  const std::uint64_t n = u64();
  if (!take(n)) return {};
  std::string s(reinterpret_cast<const char*>(in_.data() + pos_), n);
  pos_ += n;
  return s;
}

std::string ByteReader::text() {
  std::string s = str();
  if (!text::valid_utf8(s)) {
    failed_ = true;
    return {};
  }
  return s;
}

std::size_t ByteReader::count(std::size_t min_item_bytes) {
  const std::uint64_t n = u64();
  if (failed_) return 0;
  const std::size_t room = (in_.size() - pos_) / std::max<std::size_t>(min_item_bytes, 1);
  if (n > room) {
    failed_ = true;
    return 0;
  }
  return n;
}

void ByteReader::raw(std::span<std::byte> out) {
  if (!take(out.size())) return;
  std::copy_n(in_.begin() + static_cast<std::ptrdiff_t>(pos_), out.size(), out.begin());
  pos_ += out.size();
}

}  // namespace fable
