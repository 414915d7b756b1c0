// The binary message encoding (src/base/byte_io.h): values cross bit for
// bit, and a short or corrupt input fails without reading past its end.
#include "base/byte_io.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>

namespace fable {
namespace {

TEST(ByteIo, EveryValueRoundTripsExactly) {
  ByteWriter w;
  w.u8(0xfe);
  w.boolean(true);
  w.u32(0xdeadbeef);
  w.u64(0x0123456789abcdefULL);
  w.i32(-7);
  w.i64(std::numeric_limits<std::int64_t>::min());
  w.f64(-0.0);
  w.f64(0.1 + 0.2);
  w.f64(std::numeric_limits<double>::quiet_NaN());
  w.str("");
  w.str(std::string("a\0b", 3));
  const std::vector<std::byte> bytes = w.take();

  ByteReader r(bytes);
  EXPECT_EQ(r.u8(), 0xfe);
  EXPECT_TRUE(r.boolean());
  EXPECT_EQ(r.u32(), 0xdeadbeefu);
  EXPECT_EQ(r.u64(), 0x0123456789abcdefULL);
  EXPECT_EQ(r.i32(), -7);
  EXPECT_EQ(r.i64(), std::numeric_limits<std::int64_t>::min());
  const double negative_zero = r.f64();
  EXPECT_TRUE(std::signbit(negative_zero));
  EXPECT_EQ(std::bit_cast<std::uint64_t>(r.f64()), std::bit_cast<std::uint64_t>(0.1 + 0.2));
  EXPECT_TRUE(std::isnan(r.f64()));
  EXPECT_EQ(r.str(), "");
  EXPECT_EQ(r.str(), std::string("a\0b", 3));
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.at_end());
}

TEST(ByteIo, LittleEndianOnTheWire) {
  ByteWriter w;
  w.u32(0x04030201);
  w.u64(0x0c0b0a0908070605ULL);
  w.u8(0x0d);
  const std::vector<std::byte> bytes = w.take();
  ASSERT_EQ(bytes.size(), 13u);
  for (std::size_t i = 0; i < 13; ++i) EXPECT_EQ(bytes[i], static_cast<std::byte>(i + 1));
}

TEST(ByteIo, ShortInputFailsAndGivesZero) {
  ByteWriter w;
  w.u32(5);
  const std::vector<std::byte> bytes = w.take();
  ByteReader r(bytes);
  EXPECT_EQ(r.u64(), 0u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.u8(), 0u);  // stays failed
  EXPECT_FALSE(r.ok());
}

TEST(ByteIo, StringLongerThanTheInputFails) {
  ByteWriter w;
  w.u64(1000);  // a length with no bytes behind it
  const std::vector<std::byte> bytes = w.take();
  ByteReader r(bytes);
  EXPECT_EQ(r.str(), "");
  EXPECT_FALSE(r.ok());
}

TEST(ByteIo, CountTheRestCannotHoldFails) {
  ByteWriter w;
  w.u64(std::numeric_limits<std::uint64_t>::max());
  w.u64(1);
  const std::vector<std::byte> bytes = w.take();
  ByteReader r(bytes);
  EXPECT_EQ(r.count(8), 0u);
  EXPECT_FALSE(r.ok());

  ByteWriter fits;
  fits.u64(2);
  fits.u32(1);
  fits.u32(2);
  const std::vector<std::byte> ok_bytes = fits.take();
  ByteReader r2(ok_bytes);
  EXPECT_EQ(r2.count(4), 2u);
  EXPECT_TRUE(r2.ok());
}

TEST(ByteIo, BooleanOtherThanZeroOrOneFails) {
  ByteWriter w;
  w.u8(2);
  const std::vector<std::byte> bytes = w.take();
  ByteReader r(bytes);
  r.boolean();
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace fable
