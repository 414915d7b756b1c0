// Traces: snapshots record the world, and JSON round-trips byte for byte.
#include <gtest/gtest.h>

#include "fable/holes.h"
#include "fable/metrics.h"
#include "fable/trace.h"
#include "support/kernels.h"
#include "support/roles.h"

namespace fable {
namespace {

using testing::role_named;

// The shared loader (tests/support/kernels.h) under this file's short name.
constexpr auto load = ::fable::testing::load_test_kernel;

EpisodeTrace hole_trace(const std::string& id, const std::string& kernel) {
  for (const HoleScenario& h : canonical_holes()) {
    if (h.id == id) return play_hole(h, load(kernel)).trace;
  }
  return {};
}

TEST(Trace, RecordsOneSnapshotPerTurnPlusReset) {
  const EpisodeTrace t = hole_trace("EXP-001", "kernels/kernel-v0.1.yaml");
  ASSERT_EQ(t.turns(), 12);
  EXPECT_EQ(t.snapshots.size(), t.digests.size());
  EXPECT_EQ(t.snapshots[0].treasury, 1000 * kMoneyScale);
  EXPECT_LE(t.snapshots.back().treasury, 200 * kMoneyScale);
  EXPECT_EQ(t.participants.size(), 20u);
  EXPECT_EQ(t.participants[0].id, "honest-01");
  EXPECT_EQ(t.participants[0].role, role_named("honest"));
  EXPECT_EQ(t.participants[9].id, "drainer-01");
  EXPECT_EQ(t.participants[9].role, role_named("drainer"));  // scripted, but plays a drainer
  EXPECT_GE(t.proposals.size(), 8u);
  EXPECT_EQ(t.red_team().size(), 11u);
}

TEST(Trace, SnapshotWeightsFollowDelegation) {
  const EpisodeTrace t = hole_trace("EXP-004", "kernels/kernel-v0.1.yaml");
  const TurnSnapshot& after_delegation = t.snapshots[1];
  EXPECT_EQ(t.participants[8].id, "drainer-01");
  EXPECT_EQ(after_delegation.citizens[8].weight, 12);  // drainer-01 carries the cascade
  EXPECT_EQ(after_delegation.citizens[9].weight, 0);   // drainer-02 delegated
  EXPECT_EQ(after_delegation.citizens[0].weight, 1);   // honest-01 did not
}

TEST(Trace, JsonRoundTripIsByteIdentical) {
  for (const char* id : {"EXP-001", "EXP-003", "EXP-004", "EXP-006"}) {
    const EpisodeTrace t = hole_trace(id, "kernels/kernel-v0.1.yaml");
    const std::string first = trace_to_json(t);
    Result<EpisodeTrace> back = trace_from_json(first, "memory");
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(trace_to_json(*back), first) << id;
    EXPECT_EQ(back->events.size(), t.events.size());
    EXPECT_EQ(back->digests, t.digests);
    ASSERT_TRUE(back->kernel.has_value());
    EXPECT_EQ(back->kernel->content_hash(), t.kernel->content_hash());
    EXPECT_EQ(score_episode(*back).governance_score, score_episode(t).governance_score);
  }
}

TEST(Trace, BadJsonIsOneClearError) {
  const std::string good = trace_to_json(hole_trace("EXP-005", "kernels/kernel-v0.2.yaml"));
  EXPECT_NE(trace_from_json(good.substr(0, good.size() / 2), "cut.json")
                .status()
                .message()
                .find("cut.json"),
            std::string::npos);
  std::string bad_kind = good;
  bad_kind.replace(bad_kind.find("\"vote_cast\""), 11, "\"vote_kast\"");
  EXPECT_NE(
      trace_from_json(bad_kind, "t.json").status().message().find("unknown event kind 'vote_kast'"),
      std::string::npos);
  std::string bad_schema = good;
  bad_schema.replace(bad_schema.find("fable-trace/3"), 13, "fable-trace/1");
  EXPECT_NE(trace_from_json(bad_schema, "t.json")
                .status()
                .message()
                .find("fable-trace/1 holds digests of an older form"),
            std::string::npos);
}

// Strict trace reading: unknown and duplicate keys, wrong types, negative
// and out-of-range values each give one error naming the field.
TEST(Trace, StrictReaderNamesTheField) {
  const std::string good = trace_to_json(hole_trace("EXP-005", "kernels/kernel-v0.2.yaml"));
  auto error_of = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    const Result<EpisodeTrace> t = trace_from_json(s, "t.json");
    return t.ok() ? std::string("accepted") : t.status().message();
  };
  EXPECT_NE(error_of("\"matchup\":", "\"matchp\": 1,\n \"matchup\":")
                .find("t.json: not a valid trace: field 'matchp': unknown key"),
            std::string::npos);
  EXPECT_NE(error_of("\"seed\":", "\"seed\": 1,\n \"seed\":")
                .find("field '(top level)': duplicate key 'seed'"),
            std::string::npos);
  EXPECT_NE(
      error_of("\"seed\": ", "\"seed\": -1").find("field 'seed': expected an unsigned integer"),
      std::string::npos);
  EXPECT_NE(error_of("\"treasury_milli\": ", "\"treasury_milli\": 0.5, \"x\": ")
                .find("field 'snapshots[0].treasury_milli': expected an integer"),
            std::string::npos);
  EXPECT_NE(error_of("\"initial_treasury_milli\": ", "\"initial_treasury_milli\": 99999999999")
                .find("field 'initial_treasury_milli': expected an integer 0..1000000000000000"),
            std::string::npos);
  EXPECT_NE(error_of("\"role\": \"honest\"", "\"role\": 3")
                .find("field 'participants[0].role': expected a string, got the integer 3"),
            std::string::npos);
  EXPECT_NE(error_of("\"id\": \"honest-01\"", "\"id\": \"honest\\u001b-01\"")
                .find("field 'participants[0].id': text control character U+001B"),
            std::string::npos);
}

}  // namespace
}  // namespace fable
