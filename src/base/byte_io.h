// Internal: a plain binary encoding for messages between ranks of one run
// (include/fable/distributed.h), never for files.
//
// Integers are written as little-endian fixed-width bytes, doubles by their
// bit pattern (so a value crosses bit for bit, -0.0 and NaN payloads
// included), strings and byte runs as a u64 length then the bytes. The
// reader never reads past its input: a read that would sets a failure flag
// and gives 0 (or ""), so a caller decodes a whole message and checks
// `ok()` and `at_end()` once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fable {

class ByteWriter {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<std::byte>(v)); }
  void boolean(bool v) { u8(v ? 1 : 0); }
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void f64(double v);
  void str(std::string_view s);
  void raw(std::span<const std::byte> bytes) {
    // resize + memcpy rather than insert: g++ 12 at -O3 warns, wrongly, that
    // inserting into the empty vector overflows it (-Wstringop-overflow).
    if (bytes.empty()) return;
    const std::size_t at = out_.size();
    out_.resize(at + bytes.size());
    std::memcpy(out_.data() + at, bytes.data(), bytes.size());
  }

  std::vector<std::byte> take() { return std::move(out_); }

 private:
  std::vector<std::byte> out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::byte> in) : in_(in) {}

  std::uint8_t u8();
  bool boolean();  // a byte other than 0 or 1 is a failure
  std::uint32_t u32();
  std::uint64_t u64();
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  double f64();
  std::string str();
  // A string that must be valid UTF-8 (text::valid_utf8), as every name, id
  // and finding text the program writes is: anything else is a failure (and
  // gives ""), so that an edited file cannot put bytes into the JSON
  // written from it that the JSON writer refuses.
  std::string text();
  // A count of items that follow, each at least `min_item_bytes` long: a
  // count the rest of the input cannot hold is a failure (and gives 0), so
  // a corrupt count never makes a caller reserve memory it cannot fill.
  std::size_t count(std::size_t min_item_bytes = 1);
  // Reads `out.size()` raw bytes.
  void raw(std::span<std::byte> out);

  // Marks the input as malformed (a value out of its range).
  void fail() { failed_ = true; }
  bool ok() const { return !failed_; }
  bool at_end() const { return pos_ == in_.size(); }
  // Bytes not read yet.
  std::size_t remaining() const { return in_.size() - pos_; }

 private:
  bool take(std::size_t n);  // whether n more bytes are there; fails if not

  std::span<const std::byte> in_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace fable
