// Fingerprints (docs/detectors.md): a hash of (detector name, category, the
// sorted distinct roles of the actors, the sorted kernel clauses) and nothing
// else. The six canonical fingerprints are pinned here, so an accidental change
// to fingerprinting or to a detector's clause mapping fails this test; they
// must not depend on seeds or amounts, and none may appear on kernel v0.2.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "fable/detector.h"
#include "fable/holes.h"
#include "fable/kernel.h"
#include "support/kernels.h"
#include "support/roles.h"

namespace fable {
namespace {

using testing::role_named;
const Kernel& v01() {
  return testing::shipped_kernel("kernel-v0.1.yaml");
}
const Kernel& v02() {
  return testing::shipped_kernel("kernel-v0.2.yaml");
}

const HoleScenario& hole(const std::string& id) {
  for (const HoleScenario& h : canonical_holes()) {
    if (h.id == id) return h;
  }
  throw std::runtime_error("no hole " + id);
}

struct Canonical {
  std::string hole;
  std::string detector;
  std::string fingerprint;
};

// The table in docs/detectors.md.
const std::vector<Canonical> kCanonical{
    {"EXP-001", "salami_slicing", "1213d294996bb3bf"},
    {"EXP-002", "electorate_shrinking", "32df959f2b2dfbd5"},
    {"EXP-003", "emergency_abuse", "8c6a7e877847f8aa"},
    {"EXP-004", "delegation_concentration", "f4f0d131e27eb94d"},
    {"EXP-005", "quorum_ambush", "b8dbfb036dbb8e3f"},
    {"EXP-006", "omnibus_rider", "18fc542e9554a183"},
};

std::vector<std::string> fingerprints_of(const std::vector<ExploitFinding>& fs,
                                         const std::string& name) {
  std::vector<std::string> out;
  for (const ExploitFinding& f : fs) {
    if (f.name == name) out.push_back(f.fingerprint);
  }
  return out;
}

TEST(Fingerprint, CanonicalHolesOnV01) {
  for (const Canonical& c : kCanonical) {
    const HoleOutcome o = play_hole(hole(c.hole), v01());
    EXPECT_EQ(fingerprints_of(default_suite().run(o.trace), c.detector),
              std::vector<std::string>{c.fingerprint})
        << c.hole;
  }
}

TEST(Fingerprint, CanonicalFingerprintsAreDistinct) {
  std::set<std::string> seen;
  for (const Canonical& c : kCanonical) EXPECT_TRUE(seen.insert(c.fingerprint).second) << c.hole;
}

TEST(Fingerprint, NoCanonicalFingerprintOnV02) {
  std::set<std::string> canonical;
  for (const Canonical& c : kCanonical) canonical.insert(c.fingerprint);
  for (const HoleScenario& h : canonical_holes()) {
    const HoleOutcome o = play_hole(h, v02());
    for (const ExploitFinding& f : default_suite().run(o.trace)) {
      EXPECT_EQ(canonical.count(f.fingerprint), 0u) << h.id << ": " << f.name << " " << f.summary;
    }
  }
}

TEST(Fingerprint, IndependentOfSeedAndTreasury) {
  for (const Canonical& c : kCanonical) {
    for (const std::uint64_t seed : {1ULL, 7ULL, 123456789ULL}) {
      for (const Money treasury : {Money{1000 * kMoneyScale}, Money{1200 * kMoneyScale}}) {
        HoleScenario sc = hole(c.hole);
        sc.treasury = treasury;
        const HoleOutcome o = play_hole(sc, v01(), seed);
        EXPECT_EQ(o.trace.seed, seed);
        EXPECT_EQ(fingerprints_of(default_suite().run(o.trace), c.detector),
                  std::vector<std::string>{c.fingerprint})
            << c.hole << " seed " << seed << " treasury " << format_money(treasury);
      }
    }
  }
}

TEST(Fingerprint, ChangesWithTheActorsRoles) {
  HoleOutcome o = play_hole(hole("EXP-001"), v01());
  for (ParticipantInfo& p : o.trace.participants) {
    if (p.role == role_named("drainer")) p.role = role_named("entrencher");
  }
  const std::vector<std::string> fps =
      fingerprints_of(default_suite().run(o.trace), "salami_slicing");
  ASSERT_EQ(fps.size(), 1u);
  EXPECT_NE(fps[0], "1213d294996bb3bf");
  EXPECT_EQ(fps[0], finding_fingerprint("salami_slicing", Category::kDrain, {"entrencher"},
                                        {"A7", "spend.commons_floor", "spend.epoch_rate_cap",
                                         "spend.per_proposal_cap"}));
}

TEST(Fingerprint, DefinitionAndNormalisation) {
  const std::vector<std::string> clauses{"A7", "spend.commons_floor", "spend.epoch_rate_cap",
                                         "spend.per_proposal_cap"};
  const std::string base =
      finding_fingerprint("salami_slicing", Category::kDrain, {"drainer"}, clauses);
  EXPECT_EQ(base, "1213d294996bb3bf");
  // Roles and clauses are sorted and deduplicated: order and repeats do not count.
  EXPECT_EQ(finding_fingerprint("salami_slicing", Category::kDrain, {"drainer", "drainer"},
                                {"spend.per_proposal_cap", "A7", "spend.epoch_rate_cap",
                                 "spend.commons_floor", "A7"}),
            base);
  // Any other role set, clause set, name or category changes it.
  EXPECT_NE(finding_fingerprint("salami_slicing", Category::kDrain, {"drainer", "honest"}, clauses),
            base);
  EXPECT_NE(finding_fingerprint("salami_slicing", Category::kDrain, {"drainer"},
                                {"A7", "spend.commons_floor", "spend.epoch_rate_cap"}),
            base);
  EXPECT_NE(finding_fingerprint("salami_slicing", Category::kProcedure, {"drainer"}, clauses),
            base);
  EXPECT_NE(finding_fingerprint("self_dealing", Category::kDrain, {"drainer"}, clauses), base);
  // Field boundaries count: moving a character between fields changes it.
  EXPECT_NE(finding_fingerprint("a", Category::kDrain, {"bc"}, {}),
            finding_fingerprint("a", Category::kDrain, {"b", "c"}, {}));
}

TEST(Fingerprint, SealUsesRolesNotIds) {
  const HoleOutcome o = play_hole(hole("EXP-005"), v01());
  ExploitFinding a;
  a.name = "quorum_ambush";
  a.category = Category::kProcedure;
  a.kernel_clauses = {"voting.quorum", "A3"};
  a.actors = {"drainer-01"};
  ExploitFinding b = a;
  b.actors = {"drainer-07", "drainer-02", "drainer-07"};
  a.seal(o.trace);
  b.seal(o.trace);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  // The ids resolve to their role in the trace (not to "unknown").
  EXPECT_EQ(a.fingerprint, finding_fingerprint("quorum_ambush", Category::kProcedure, {"drainer"},
                                               {"A3", "voting.quorum"}));
  EXPECT_EQ(b.actors, (std::vector<std::string>{"drainer-02", "drainer-07"}));
  EXPECT_EQ(a.kernel_clauses, (std::vector<std::string>{"A3", "voting.quorum"}));
  ExploitFinding c = a;
  c.actors = {"honest-01"};
  c.seal(o.trace);
  EXPECT_NE(c.fingerprint, a.fingerprint);
  EXPECT_EQ(c.fingerprint, finding_fingerprint("quorum_ambush", Category::kProcedure, {"honest"},
                                               {"A3", "voting.quorum"}));
}

}  // namespace
}  // namespace fable
