// HashRun and HashedBytes (src/base/hash.h): a run applied to any state gives
// the state Hasher::bytes gives over the same bytes, and HashedBytes records
// exactly the bytes the Hasher calls feed. Content hashes in artifacts rest on
// both (Kernel::hash_content hashes amended kernels with runs).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/hash.h"
#include "fable/random.h"

namespace fable {
namespace {

// A state as a Hasher that has taken `prefix` has it (Hasher has no setter).
Hasher after(std::string_view prefix) {
  Hasher h;
  h.bytes(prefix.data(), prefix.size());
  return h;
}

TEST(HashRun, GivesTheStateOfTheBytesFromEveryState) {
  Rng rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    std::string bytes(rng.below(300), '\0');
    for (char& c : bytes) c = static_cast<char>(rng.below(256));
    const HashRun run(bytes);
    // States that differ in every low byte, and in the high bits.
    for (int s = 0; s < 40; ++s) {
      std::string prefix(rng.below(12), '\0');
      for (char& c : prefix) c = static_cast<char>(rng.below(256));
      Hasher by_run = after(prefix);
      Hasher by_bytes = after(prefix);
      by_run.run(run);
      by_bytes.bytes(bytes.data(), bytes.size());
      ASSERT_EQ(by_run.finish(), by_bytes.finish())
          << "trial " << trial << ", " << bytes.size() << " bytes";
    }
  }
}

TEST(HashRun, NoBytesChangeNothingAndRunsCompose) {
  const Hasher start = after("kernel");
  Hasher none = start;
  none.run(HashRun());
  EXPECT_EQ(none.finish(), start.finish());
  Hasher empty = start;
  empty.run(HashRun(""));
  EXPECT_EQ(empty.finish(), start.finish());

  Hasher two = start;
  two.run(HashRun("voting.")).run(HashRun("quorum"));
  Hasher one = start;
  one.run(HashRun("voting.quorum"));
  EXPECT_EQ(two.finish(), one.finish());
  Hasher other = start;
  other.run(HashRun("voting.quorun"));
  EXPECT_NE(other.finish(), one.finish());
}

TEST(HashedBytes, RecordsWhatTheHasherCallsFeed) {
  HashedBytes recorded;
  recorded.str("voting.thresholds.amendment").u64(1).i64(-3).f64(0.667).f64(-0.0).str("");
  Hasher direct;
  direct.str("voting.thresholds.amendment").u64(1).i64(-3).f64(0.667).f64(-0.0).str("");
  Hasher replayed;
  replayed.bytes(recorded.view().data(), recorded.view().size());
  EXPECT_EQ(replayed.finish(), direct.finish());
  // 8 + 27 bytes of string, four 8-byte words, an empty string's length.
  EXPECT_EQ(recorded.view().size(), 8u + 27u + 4u * 8u + 8u);
  // -0.0 is fed as 0.0.
  HashedBytes zero;
  zero.f64(0.0);
  HashedBytes negative_zero;
  negative_zero.f64(-0.0);
  EXPECT_EQ(zero.view(), negative_zero.view());
}

}  // namespace
}  // namespace fable
