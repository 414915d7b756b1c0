// Hunt checkpoints (HuntConfig::checkpoint and resume_from, docs/resume.md,
// "Hunts"): a hunt continued from the state it had after any generation
// returns the result of a hunt never stopped, byte for byte (hunt.json, the
// records, the coverage, every count), with 1 and 2 threads and every
// strategy; the states do not depend on the threads; a state that is
// truncated, padded or of another hunt is refused.
#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fable/coverage.h"
#include "fable/hunt.h"
#include "fable/record.h"
#include "support/kernels.h"

namespace fable {
namespace {

const Kernel& v01() {
  return testing::shipped_kernel("kernel-v0.1.yaml");
}

HuntConfig small_config(HuntStrategy strategy, int threads) {
  HuntConfig c;
  c.roster = *parse_roster("honest:5,attacker:4");
  c.budget = 260;
  c.seed = 5;
  c.threads = threads;
  c.turns = 16;
  c.batch = 24;
  c.beam_width = 4;
  c.beam_branching = 6;
  c.strategy = strategy;
  c.coverage = true;
  return c;
}

// Everything a hunt returns, as text: hunt.json, every record, the
// coverage and the counts hunt.json leaves out.
std::string everything(const HuntConfig& cfg, const HuntResult& r) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < r.records.size(); ++i) ids.push_back("EXP-" + std::to_string(i + 1));
  std::string text = hunt_json(cfg, r, ids);
  for (const ExploitRecord& rec : r.records) text += record_to_json(rec);
  if (r.coverage) text += coverage_json(*r.coverage);
  text += "resumed executions " + std::to_string(r.resumed_executions);
  return text;
}

// "" when `a` == `b`, else where they first differ (a short excerpt of each).
std::string first_difference(const std::string& a, const std::string& b) {
  if (a == b) return "";
  std::size_t at = 0;
  while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
  const std::size_t from = at < 60 ? 0 : at - 60;
  return "at byte " + std::to_string(at) + ": ..." + a.substr(from, 120) + "... against ..." +
         b.substr(from, 120) + "...";
}

// A hunt of `cfg` with a checkpoint after every generation: its result and
// every state handed out.
struct Checkpointed {
  HuntResult result;
  std::vector<HuntCheckpointState> states;
};

Checkpointed run_with_checkpoints(HuntConfig cfg) {
  Checkpointed out;
  cfg.checkpoint_every = 1;
  cfg.checkpoint = [&out](const HuntCheckpointState& s) {
    out.states.push_back(s);
    return Status::Ok();
  };
  Result<HuntResult> r = run_hunt(v01(), cfg);
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (r.ok()) out.result = std::move(*r);
  return out;
}

// What to resume from after checkpoint `k`: its state and the corpus of
// checkpoints 0..k.
std::shared_ptr<const HuntResumeState> at(const std::vector<HuntCheckpointState>& states,
                                          std::size_t k) {
  auto r = std::make_shared<HuntResumeState>();
  for (std::size_t i = 0; i <= k; ++i)
    r->corpus.insert(r->corpus.end(), states[i].corpus_added.begin(), states[i].corpus_added.end());
  r->state = states[k].state;
  return r;
}

Result<HuntResult> resume_from(HuntConfig cfg, std::shared_ptr<const HuntResumeState> from) {
  cfg.resume_from = std::move(from);
  return run_hunt(v01(), cfg);
}

class HuntResume : public ::testing::TestWithParam<HuntStrategy> {};

TEST_P(HuntResume, ContinuesFromAnyGenerationWithTheSameResult) {
  const HuntStrategy strategy = GetParam();
  const HuntConfig one = small_config(strategy, 1);
  const Result<HuntResult> whole = run_hunt(v01(), one);
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  const std::string expected = everything(one, *whole);

  // Checkpoints change nothing, and their states do not depend on the threads.
  const Checkpointed a = run_with_checkpoints(one);
  const Checkpointed b = run_with_checkpoints(small_config(strategy, 2));
  EXPECT_EQ(first_difference(everything(one, a.result), expected), "");
  EXPECT_EQ(first_difference(everything(one, b.result), expected), "");
  ASSERT_GE(a.states.size(), 4u) << "too few generations to test";
  ASSERT_EQ(a.states.size(), b.states.size());
  for (std::size_t i = 0; i < a.states.size(); ++i) {
    EXPECT_TRUE(a.states[i].state == b.states[i].state) << "state " << i;
    EXPECT_TRUE(a.states[i].corpus_added == b.states[i].corpus_added) << "state " << i;
    EXPECT_EQ(a.states[i].corpus_entries, b.states[i].corpus_entries);
    if (i > 0) {
      EXPECT_GE(a.states[i].corpus_entries, a.states[i - 1].corpus_entries);
    }
    EXPECT_EQ(a.states[i].executions, b.states[i].executions);
    EXPECT_EQ(a.states[i].generations, i)
        << "one state when the hunt starts, then one a generation";
  }
  EXPECT_EQ(a.states.front().executions, 0u);
  EXPECT_EQ(a.states.back().executions, one.budget);

  // Continued from the start, two middle generations and the end, on 1 and 2
  // threads: the same bytes as the hunt never stopped.
  const std::size_t n = a.states.size();
  for (const std::size_t k : {std::size_t{0}, std::size_t{1}, n / 2, n - 1}) {
    for (const int threads : {1, 2}) {
      const HuntConfig cfg = small_config(strategy, threads);
      const Result<HuntResult> resumed = resume_from(cfg, at(a.states, k));
      ASSERT_TRUE(resumed.ok()) << resumed.status().message();
      EXPECT_EQ(first_difference(everything(one, *resumed), expected), "")
          << "continued after generation " << k << " on " << threads << " thread(s)";
    }
  }

  // A resumed hunt hands out the states the stopped one would have.
  HuntConfig again = one;
  again.resume_from = at(a.states, n / 2);
  std::vector<HuntCheckpointState> later;
  again.checkpoint_every = 1;
  again.checkpoint = [&later](const HuntCheckpointState& s) {
    later.push_back(s);
    return Status::Ok();
  };
  ASSERT_TRUE(run_hunt(v01(), again).ok());
  ASSERT_EQ(later.size(), n - 1 - n / 2);
  for (std::size_t i = 0; i < later.size(); ++i)
    EXPECT_TRUE(later[i].state == a.states[n / 2 + 1 + i].state &&
                later[i].corpus_added == a.states[n / 2 + 1 + i].corpus_added)
        << "state " << n / 2 + 1 + i;
}

INSTANTIATE_TEST_SUITE_P(Strategies, HuntResume,
                         ::testing::Values(HuntStrategy::kEvolve, HuntStrategy::kBeam,
                                           HuntStrategy::kBoth),
                         [](const ::testing::TestParamInfo<HuntStrategy>& p) {
                           return std::string(hunt_strategy_name(p.param));
                         });

TEST(HuntCheckpoint, CheckpointsFollowTheInterval) {
  HuntConfig cfg = small_config(HuntStrategy::kEvolve, 1);  // 11 generations of 24 (the last 20)
  std::vector<std::uint64_t> at;
  cfg.checkpoint_every = 4;
  cfg.checkpoint = [&at](const HuntCheckpointState& s) {
    at.push_back(s.generations);
    return Status::Ok();
  };
  ASSERT_TRUE(run_hunt(v01(), cfg).ok());
  EXPECT_EQ(at, (std::vector<std::uint64_t>{0, 4, 8, 11}));
  // Its error ends the hunt with it.
  cfg.checkpoint = [](const HuntCheckpointState& s) {
    return s.generations == 4 ? Status::Io("disk full") : Status::Ok();
  };
  const Result<HuntResult> failed = run_hunt(v01(), cfg);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "disk full");
  cfg.checkpoint_every = 0;
  EXPECT_NE(check_hunt_config(cfg).message().find("checkpoint every"), std::string::npos);
}

TEST(HuntCheckpoint, NoCheckpointWithATimeLimit) {
  HuntConfig cfg = small_config(HuntStrategy::kBoth, 1);
  cfg.time_limit_seconds = 1000.0;
  int calls = 0;
  cfg.checkpoint = [&calls](const HuntCheckpointState&) {
    ++calls;
    return Status::Ok();
  };
  ASSERT_TRUE(run_hunt(v01(), cfg).ok());
  EXPECT_EQ(calls, 0);
}

TEST(HuntCheckpoint, RefusesWhatIsNotAStateOfThisHunt) {
  const HuntConfig cfg = small_config(HuntStrategy::kBoth, 1);
  const Checkpointed a = run_with_checkpoints(cfg);
  ASSERT_GE(a.states.size(), 3u);
  const std::shared_ptr<const HuntResumeState> good = at(a.states, 2);
  ASSERT_TRUE(resume_from(cfg, good).ok());
  const auto changed = [&](const std::function<void(HuntResumeState&)>& change) {
    auto s = std::make_shared<HuntResumeState>(*good);
    change(*s);
    return std::shared_ptr<const HuntResumeState>(std::move(s));
  };
  // A state or a corpus cut short or longer, or empty.
  const std::vector<std::function<void(HuntResumeState&)>> bad{
      [](HuntResumeState& s) { s.state.pop_back(); },
      [](HuntResumeState& s) { s.state.push_back(std::byte{0}); },
      [](HuntResumeState& s) { s.corpus.pop_back(); },
      [](HuntResumeState& s) { s.corpus.push_back(std::byte{0}); },
      [](HuntResumeState& s) { s.state.clear(); },
      [](HuntResumeState& s) { s.corpus.clear(); },
  };
  // The message names the part at fault (its origin when given: the CLI
  // gives the files' paths).
  const std::vector<bool> corpus_at_fault{false, false, true, true, false, true};
  for (std::size_t i = 0; i < bad.size(); ++i) {
    const Result<HuntResult> r = resume_from(cfg, changed(bad[i]));
    ASSERT_FALSE(r.ok()) << "change " << i;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().message();
    EXPECT_EQ(r.status().message(),
              corpus_at_fault[i] ? "hunt: the corpus of the checkpoint to resume from is malformed"
                                 : "hunt: the checkpoint to resume from is malformed")
        << "change " << i;
    const Result<HuntResult> named = resume_from(cfg, changed([&](HuntResumeState& s) {
                                                   bad[i](s);
                                                   s.corpus_origin = "D/corpus.bin";
                                                   s.state_origin = "D/checkpoint.bin";
                                                 }));
    ASSERT_FALSE(named.ok());
    EXPECT_EQ(named.status().message(),
              corpus_at_fault[i]
                  ? "D/corpus.bin: malformed hunt corpus (the entries its checkpoint counts on)"
                  : "D/checkpoint.bin: malformed hunt checkpoint")
        << "change " << i;
  }

  // Another seed, budget, coverage or kernel: another hunt.
  for (int change = 0; change < 4; ++change) {
    HuntConfig other = cfg;
    if (change == 0) other.seed += 1;
    if (change == 1) other.budget += 1;
    if (change == 2) other.coverage = false;
    other.resume_from = good;
    const Result<HuntResult> r = change == 3
                                     ? run_hunt(testing::shipped_kernel("kernel-v0.2.yaml"), other)
                                     : run_hunt(v01(), other);
    ASSERT_FALSE(r.ok()) << "change " << change;
    EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().message();
    EXPECT_NE(r.status().message().find("another hunt"), std::string::npos);
  }

  // Not with a time limit.
  HuntConfig timed = cfg;
  timed.time_limit_seconds = 5.0;
  timed.resume_from = good;
  const Result<HuntResult> r = run_hunt(v01(), timed);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("time limit"), std::string::npos);
}

}  // namespace
}  // namespace fable
