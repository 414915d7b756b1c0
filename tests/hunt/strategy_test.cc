// The hunt's strategies: the lookahead (beam) finds known holes on its own,
// every strategy gives the same output at any thread count, prefix reuse
// changes nothing but the speed, and a time limit is reported.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "fable/hunt.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "support/kernels.h"

namespace fable {
namespace {

const Kernel& v01() {
  return testing::shipped_kernel("kernel-v0.1.yaml");
}
const Kernel& v02() {
  return testing::shipped_kernel("kernel-v0.2.yaml");
}

std::vector<std::string> ids_for(const HuntResult& r) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < r.records.size(); ++i) ids.push_back("EXP-" + std::to_string(i + 1));
  return ids;
}

std::set<std::string> names(const HuntResult& r) {
  std::set<std::string> out;
  for (const ExploitRecord& rec : r.records) out.insert(rec.name);
  return out;
}

// Every record replays as `reproduces` on `kernel`, through its JSON.
void expect_records_reproduce(const HuntResult& r, const Kernel& kernel) {
  for (const ExploitRecord& rec : r.records) {
    const Result<ExploitRecord> back = record_from_json(record_to_json(rec), "hunt-record");
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(replay_record(*back, kernel, default_suite()).verdict, Verdict::kReproduces)
        << rec.name;
  }
}

std::string output_of(const HuntConfig& c, const HuntResult& r) {
  std::string out = hunt_json(c, r, ids_for(r));
  for (const ExploitRecord& rec : r.records) out += record_to_json(rec);
  return out;
}

HuntConfig small(HuntStrategy s, int threads) {
  HuntConfig c;
  c.roster = *parse_roster("honest:5,attacker:4");
  c.strategy = s;
  c.budget = 160;
  c.seed = 3;
  c.threads = threads;
  c.turns = 14;
  c.batch = 32;
  c.beam_width = 4;
  c.beam_branching = 6;
  return c;
}

TEST(HuntBeam, FindsTheV02ThresholdLock) {
  HuntConfig c;
  c.roster = *parse_roster("honest:8,attacker:2");
  c.strategy = HuntStrategy::kBeam;
  c.objective = Objective::kEntrench;
  c.budget = 256;
  c.seed = 1;
  c.threads = 2;
  c.turns = 30;
  const Result<HuntResult> r = run_hunt(v02(), c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const ObjectiveBest& best = r->best[static_cast<int>(Objective::kEntrench)];
  EXPECT_TRUE(best.captured) << "entrench reached " << best.value;
  EXPECT_TRUE(names(*r).count("threshold_lock")) << "records: " << r->records.size();
  expect_records_reproduce(*r, v02());
}

TEST(HuntBeam, FindsQuorumAmbushAndOmnibusRiderOnV01) {
  HuntConfig c;
  c.roster = *parse_roster("honest:9,attacker:11");
  c.strategy = HuntStrategy::kBeam;
  c.budget = 512;
  c.seed = 1;
  c.threads = 2;
  c.turns = 30;
  const Result<HuntResult> r = run_hunt(v01(), c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const std::set<std::string> found = names(*r);
  EXPECT_TRUE(found.count("quorum_ambush"));
  EXPECT_TRUE(found.count("omnibus_rider"));
  expect_records_reproduce(*r, v01());
}

TEST(HuntStrategies, SameOutputAtOneAndTwoThreads) {
  for (HuntStrategy s : {HuntStrategy::kEvolve, HuntStrategy::kBeam, HuntStrategy::kBoth}) {
    const HuntConfig one = small(s, 1);
    const Result<HuntResult> a = run_hunt(v01(), one);
    const Result<HuntResult> b = run_hunt(v01(), small(s, 2));
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(output_of(one, *a), output_of(one, *b)) << hunt_strategy_name(s);
    EXPECT_EQ(a->executions, one.budget) << hunt_strategy_name(s);
    EXPECT_FALSE(a->records.empty()) << hunt_strategy_name(s);
  }
}

TEST(HuntStrategies, TheStrategiesSearchDifferently) {
  const Result<HuntResult> e = run_hunt(v01(), small(HuntStrategy::kEvolve, 1));
  const Result<HuntResult> b = run_hunt(v01(), small(HuntStrategy::kBeam, 1));
  ASSERT_TRUE(e.ok() && b.ok());
  EXPECT_NE(output_of(small(HuntStrategy::kEvolve, 1), *e),
            output_of(small(HuntStrategy::kEvolve, 1), *b));
}

TEST(HuntStrategies, PrefixReuseChangesNothingButTheSpeed) {
  for (HuntStrategy s : {HuntStrategy::kEvolve, HuntStrategy::kBoth}) {
    HuntConfig on = small(s, 2);
    on.budget = 400;
    on.turns = 20;
    HuntConfig off = on;
    off.reuse_prefixes = false;
    const Result<HuntResult> a = run_hunt(v01(), on);
    const Result<HuntResult> b = run_hunt(v01(), off);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(output_of(on, *a), output_of(on, *b)) << hunt_strategy_name(s);
    EXPECT_GT(a->resumed_executions, 0u) << "reuse was exercised";
    EXPECT_EQ(b->resumed_executions, 0u);
  }
}

TEST(HuntStrategies, ATimeLimitIsReportedAsNotReproducible) {
  HuntConfig c = small(HuntStrategy::kEvolve, 1);
  const Result<HuntResult> plain = run_hunt(v01(), c);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(hunt_json(c, *plain, {}).find("reproducible"), std::string::npos);
  c.budget = kMaxHuntBudget;
  c.time_limit_seconds = 1e-6;
  const Result<HuntResult> r = run_hunt(v01(), c);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->stopped_by_time);
  EXPECT_EQ(r->executions, static_cast<std::uint64_t>(c.batch)) << "one generation, then it stops";
  const std::string j = hunt_json(c, *r, ids_for(*r));
  EXPECT_NE(j.find("\"reproducible\": false"), std::string::npos) << j;
  EXPECT_NE(j.find("\"time_limit_seconds\""), std::string::npos);
}

TEST(HuntStrategies, BadStrategySettingsAreRefused) {
  HuntConfig c = small(HuntStrategy::kBeam, 1);
  c.beam_width = 0;
  EXPECT_NE(check_hunt_config(c).message().find("beam width"), std::string::npos);
  c = small(HuntStrategy::kBeam, 1);
  c.beam_branching = kMaxBeamBranching + 1;
  EXPECT_NE(check_hunt_config(c).message().find("beam branching"), std::string::npos);
  c = small(HuntStrategy::kBeam, 1);
  c.time_limit_seconds = 0;
  EXPECT_NE(check_hunt_config(c).message().find("time limit"), std::string::npos);
  EXPECT_EQ(find_hunt_strategy("beam"), HuntStrategy::kBeam);
  EXPECT_FALSE(find_hunt_strategy("mcts").has_value());
}

}  // namespace
}  // namespace fable
