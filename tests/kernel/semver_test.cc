// Governance semver: parsing, rendering and classification of changes.
#include "fable/semver.h"

#include <gtest/gtest.h>

namespace fable {
namespace {

TEST(SemverTest, ParsesStrictTriples) {
  const auto v = Version::parse("1.22.333");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->major, 1);
  EXPECT_EQ(v->minor, 22);
  EXPECT_EQ(v->patch, 333);
  EXPECT_EQ(v->to_string(), "1.22.333");
  EXPECT_EQ(Version::parse("0.0.0")->to_string(), "0.0.0");
}

TEST(SemverTest, RejectsEverythingElse) {
  for (const char* bad :
       {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "-1.2.3", "+1.2.3", "1.2.3-rc1",
        "1.2.3 ", " 1.2.3", "v1.2.3", "1..3", "a.b.c", "1.2.", ".1.2", "9999999999.0.0"}) {
    EXPECT_FALSE(Version::parse(bad).has_value()) << "'" << bad << "'";
  }
}

TEST(SemverTest, Ordering) {
  EXPECT_LT(*Version::parse("0.1.9"), *Version::parse("0.2.0"));
  EXPECT_LT(*Version::parse("0.9.9"), *Version::parse("1.0.0"));
  EXPECT_EQ(*Version::parse("2.3.4"), (Version{2, 3, 4}));
}

TEST(SemverTest, BumpNames) {
  EXPECT_EQ(bump_name(Bump::kNone), "none");
  EXPECT_EQ(bump_name(Bump::kPatch), "patch");
  EXPECT_EQ(bump_name(Bump::kMinor), "minor");
  EXPECT_EQ(bump_name(Bump::kMajor), "major");
}

TEST(SemverTest, BumpVersionResetsLowerParts) {
  const Version v{1, 2, 3};
  EXPECT_EQ(bump_version(v, Bump::kNone).to_string(), "1.2.3");
  EXPECT_EQ(bump_version(v, Bump::kPatch).to_string(), "1.2.4");
  EXPECT_EQ(bump_version(v, Bump::kMinor).to_string(), "1.3.0");
  EXPECT_EQ(bump_version(v, Bump::kMajor).to_string(), "2.0.0");
}

const ParamValue kNull = ParamValue::null();
ParamValue num(double v) {
  return ParamValue::of(v);
}

TEST(SemverTest, HigherIsStricter) {
  EXPECT_EQ(classify_change(ParamId::kVotingQuorum, num(0.5), num(0.6)), Bump::kMinor);
  EXPECT_EQ(classify_change(ParamId::kVotingQuorum, num(0.5), num(0.4)), Bump::kMajor);
  EXPECT_EQ(classify_change(ParamId::kVotingQuorum, num(0.5), num(0.5)), Bump::kNone);
  EXPECT_EQ(classify_change(ParamId::kAmendmentDelay, num(0), num(2)), Bump::kMinor);
  EXPECT_EQ(classify_change(ParamId::kMinWindowTurns, num(2), num(1)), Bump::kMajor);
}

TEST(SemverTest, LowerCapsTreatNullAsNoLimit) {
  EXPECT_EQ(classify_change(ParamId::kDelegationMaxDepth, kNull, num(1)), Bump::kMinor);
  EXPECT_EQ(classify_change(ParamId::kDelegationMaxDepth, num(1), kNull), Bump::kMajor);
  EXPECT_EQ(classify_change(ParamId::kDelegationMaxDepth, num(1), num(3)), Bump::kMajor);
  EXPECT_EQ(classify_change(ParamId::kDelegationMaxDepth, num(3), num(1)), Bump::kMinor);
  EXPECT_EQ(classify_change(ParamId::kSpendPerProposalCap, kNull, num(0.2)), Bump::kMinor);
  EXPECT_EQ(classify_change(ParamId::kSpendPerProposalCap, kNull, num(1.0)), Bump::kMinor);
  EXPECT_EQ(classify_change(ParamId::kOfficesMaxPerCitizen, kNull, kNull), Bump::kNone);
}

TEST(SemverTest, NullableFloorTreatsNullAsZero) {
  EXPECT_EQ(classify_change(ParamId::kSpendCommonsFloor, kNull, num(0.5)), Bump::kMinor);
  EXPECT_EQ(classify_change(ParamId::kSpendCommonsFloor, num(0.5), kNull), Bump::kMajor);
  EXPECT_EQ(classify_change(ParamId::kSpendCommonsFloor, num(0.5), num(0.3)), Bump::kMajor);
  // Written differently, equally strict: a patch, not a tightening.
  EXPECT_EQ(classify_change(ParamId::kSpendCommonsFloor, kNull, num(0.0)), Bump::kPatch);
}

TEST(SemverTest, BooleansAndBase) {
  EXPECT_EQ(classify_change(ParamId::kRollSnapshotAtOpen, num(0), num(1)), Bump::kMinor);
  EXPECT_EQ(classify_change(ParamId::kRollSnapshotAtOpen, num(1), num(0)), Bump::kMajor);
  EXPECT_EQ(classify_change(ParamId::kEarlyClose, num(1), num(0)), Bump::kMinor);
  EXPECT_EQ(classify_change(ParamId::kEarlyClose, num(0), num(1)), Bump::kMajor);
  EXPECT_EQ(classify_change(ParamId::kEmergencySuspendsReview, num(0), num(1)), Bump::kMajor);
  EXPECT_EQ(classify_change(ParamId::kVotingThresholdBase, num(0), num(1)), Bump::kMinor);
  EXPECT_EQ(classify_change(ParamId::kVotingThresholdBase, num(1), num(0)), Bump::kMajor);
}

TEST(SemverTest, NeutralParamsArePatches) {
  EXPECT_EQ(classify_change(ParamId::kEpochTurns, num(10), num(12)), Bump::kPatch);
  EXPECT_EQ(classify_change(ParamId::kEpochTurns, num(10), num(5)), Bump::kPatch);
  EXPECT_EQ(classify_change(ParamId::kEpochTurns, num(10), num(10)), Bump::kNone);
  EXPECT_EQ(classify_change(ParamId::kTreasuryIncomePerEpoch, num(0), num(25)), Bump::kPatch);
}

}  // namespace
}  // namespace fable
