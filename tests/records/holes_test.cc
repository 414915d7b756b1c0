// The six canonical holes: each reproduces on v0.1 and is stopped on v0.2 by
// the clauses SPEC §7 says close it; a third kernel that claims v0.1's name and
// version but carries different parameters proves only parameters decide.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fable/holes.h"
#include "fable/kernel.h"
#include "fable/replay.h"
#include "support/kernels.h"

namespace fable {
namespace {

// The shared loader (tests/support/kernels.h) under this file's short name.
constexpr auto load = ::fable::testing::load_test_kernel;

const HoleScenario& hole(const std::string& id) {
  for (const HoleScenario& h : canonical_holes()) {
    if (h.id == id) return h;
  }
  throw std::runtime_error("no hole " + id);
}

std::string stops_of(const HoleOutcome& o) {
  std::string s;
  for (const HoleStop& stop : o.stops) s += stop.clause + " (" + stop.article + "); ";
  return s;
}

struct Expectation {
  std::string id;
  std::vector<std::string> v02_stops;  // clauses that must bite on v0.2
  bool blocked_on_mixed;
  std::vector<std::string> mixed_stops;  // clauses that must bite on the mixed kernel
};

const std::vector<Expectation> kExpectations{
    {"EXP-001", {"spend.epoch_rate_cap"}, false, {}},
    {"EXP-002", {"voting.thresholds.disenfranchise"}, false, {}},
    {"EXP-003", {"emergency.spend_requires_vote", "voting.thresholds.emergency"}, false, {}},
    {"EXP-004",
     {"delegation.max_weight_frac", "voting.early_close", "voting.thresholds.spend"},
     true,
     {"delegation.max_weight_frac", "voting.quorum"}},
    {"EXP-005", {"voting.early_close", "voting.majority"}, false, {}},
    {"EXP-006",
     {"proposals.single_subject", "voting.thresholds.amendment"},
     true,
     {"proposals.single_subject"}},
};

class CanonicalHole : public ::testing::TestWithParam<Expectation> {};

TEST_P(CanonicalHole, ReproducesOnV01) {
  const HoleOutcome o = play_hole(hole(GetParam().id), load("kernels/kernel-v0.1.yaml"));
  EXPECT_TRUE(o.succeeded) << o.measure << " | " << stops_of(o);
}

TEST_P(CanonicalHole, BlockedOnV02ByTheClosingClauses) {
  const Kernel v02 = load("kernels/kernel-v0.2.yaml");
  const HoleOutcome o = play_hole(hole(GetParam().id), v02);
  EXPECT_FALSE(o.succeeded) << o.measure;
  for (const std::string& clause : GetParam().v02_stops) {
    EXPECT_TRUE(o.stopped_by(clause)) << "expected " << clause << ", got " << stops_of(o);
  }
  for (const HoleStop& stop : o.stops) {
    EXPECT_FALSE(stop.article.empty()) << stop.clause << " names no article";
    EXPECT_EQ(stop.article, std::string(v02.article_for(*find_clause(stop.clause))));
  }
}

TEST_P(CanonicalHole, MixedKernelFollowsItsParametersNotItsVersion) {
  const Kernel mixed = load("tests/data/kernel-mixed.yaml");
  const Kernel v01 = load("kernels/kernel-v0.1.yaml");
  ASSERT_EQ(mixed.version(), v01.version());
  ASSERT_EQ(mixed.name(), v01.name());
  const HoleOutcome o = play_hole(hole(GetParam().id), mixed);
  EXPECT_EQ(o.succeeded, !GetParam().blocked_on_mixed) << o.measure << " | " << stops_of(o);
  for (const std::string& clause : GetParam().mixed_stops) {
    EXPECT_TRUE(o.stopped_by(clause)) << "expected " << clause << ", got " << stops_of(o);
  }
}

TEST_P(CanonicalHole, VerdictDoesNotDependOnAgentOrder) {
  const Kernel v01 = load("kernels/kernel-v0.1.yaml");
  const Kernel v02 = load("kernels/kernel-v0.2.yaml");
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    EXPECT_TRUE(play_hole(hole(GetParam().id), v01, seed).succeeded) << "seed " << seed;
    EXPECT_FALSE(play_hole(hole(GetParam().id), v02, seed).succeeded) << "seed " << seed;
  }
}

TEST_P(CanonicalHole, SameSeedSameDigest) {
  const Kernel v01 = load("kernels/kernel-v0.1.yaml");
  const HoleOutcome a = play_hole(hole(GetParam().id), v01, 7);
  const HoleOutcome b = play_hole(hole(GetParam().id), v01, 7);
  EXPECT_EQ(a.final_digest, b.final_digest);
  EXPECT_EQ(a.measure, b.measure);
}

INSTANTIATE_TEST_SUITE_P(Holes, CanonicalHole, ::testing::ValuesIn(kExpectations),
                         [](const auto& param_info_) {
                           std::string name = param_info_.param.id;
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

TEST(CanonicalHoles, AllSixAreListed) {
  ASSERT_EQ(canonical_holes().size(), 6u);
  for (const HoleScenario& h : canonical_holes()) {
    EXPECT_EQ(h.treasury, 1000 * kMoneyScale);
    EXPECT_EQ(h.attackers + h.defenders, 20);
  }
}

TEST(CanonicalHoles, PrimaryDetectorFiresOnV01Only) {
  const Kernel v01 = load("kernels/kernel-v0.1.yaml");
  const Kernel v02 = load("kernels/kernel-v0.2.yaml");
  for (const HoleScenario& h : canonical_holes()) {
    auto fired = [&](const HoleOutcome& o) {
      return std::any_of(o.findings.begin(), o.findings.end(),
                         [&](const ExploitFinding& f) { return f.name == h.primary_detector; });
    };
    EXPECT_TRUE(fired(play_hole(h, v01))) << h.id;
    EXPECT_FALSE(fired(play_hole(h, v02))) << h.id;
  }
}

TEST(CanonicalHoles, CanonicalRecordReproducesOnV01AndIsBlockedOnV02) {
  const Kernel v01 = load("kernels/kernel-v0.1.yaml");
  const Kernel v02 = load("kernels/kernel-v0.2.yaml");
  const DetectorSuite suite = default_suite();
  for (const HoleScenario& h : canonical_holes()) {
    Result<ExploitRecord> rec = canonical_record(h, v01);
    ASSERT_TRUE(rec.ok()) << rec.status().message();
    EXPECT_EQ(replay_record(*rec, v01, suite).verdict, Verdict::kReproduces) << h.id;
    const ReplayResult blocked = replay_record(*rec, v02, suite);
    EXPECT_EQ(blocked.verdict, Verdict::kBlocked) << h.id << ": " << blocked.reason;
    EXPECT_FALSE(blocked.stops.empty()) << h.id;
  }
}

}  // namespace
}  // namespace fable
