// diff_kernels and governance semver between whole documents.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "fable/kernel.h"
#include "support/kernels.h"

namespace fable {
namespace {

// The shared loader (tests/support/kernels.h) under this file's short name.
constexpr auto load = ::fable::testing::load_test_kernel;

std::set<std::string> changed_paths(const KernelDiff& d) {
  std::set<std::string> s;
  for (const auto& c : d.params) s.emplace(param_info(c.id).path);
  return s;
}

// The rows of SPEC §1 whose v0.1 and v0.2 columns differ, written out by hand.
const std::set<std::string> kSpecDifferences{
    "roll.snapshot_at_open",
    "voting.threshold_base",
    "voting.thresholds.disenfranchise",
    "voting.thresholds.role_grant",
    "voting.thresholds.emergency",
    "voting.default_window_turns",
    "voting.min_window_turns",
    "voting.early_close",
    "delegation.max_depth",
    "delegation.max_weight_frac",
    "delegation.epoch_expiry",
    "proposals.single_subject",
    "spend.per_proposal_cap",
    "spend.epoch_rate_cap",
    "spend.commons_floor",
    "emergency.max_duration_turns",
    "emergency.max_renewals",
    "emergency.renewal_threshold",
    "emergency.suspends_review",
    "emergency.spend_requires_vote",
    "amendment.takes_effect_delay_turns",
    "offices.max_per_citizen",
};

TEST(KernelDiffTest, V01ToV02TightensExactlyTheSpecRows) {
  const KernelDiff d =
      diff_kernels(load("kernels/kernel-v0.1.yaml"), load("kernels/kernel-v0.2.yaml"));
  EXPECT_EQ(d.overall, Bump::kMinor);
  EXPECT_EQ(changed_paths(d), kSpecDifferences);
  for (const auto& c : d.params) {
    EXPECT_EQ(c.bump, Bump::kMinor) << param_info(c.id).path;
  }
  // Parameter-table order.
  for (std::size_t i = 1; i < d.params.size(); ++i) {
    EXPECT_LT(static_cast<int>(d.params[i - 1].id), static_cast<int>(d.params[i].id));
  }
  EXPECT_FALSE(d.text_changes.empty());  // the articles were rewritten for v0.2
}

TEST(KernelDiffTest, V02ToV01WeakensEverything) {
  const KernelDiff d =
      diff_kernels(load("kernels/kernel-v0.2.yaml"), load("kernels/kernel-v0.1.yaml"));
  EXPECT_EQ(d.overall, Bump::kMajor);
  EXPECT_EQ(changed_paths(d), kSpecDifferences);
  for (const auto& c : d.params) EXPECT_EQ(c.bump, Bump::kMajor) << param_info(c.id).path;
}

TEST(KernelDiffTest, OneWeakeningMakesTheWholeDiffMajor) {
  const Kernel v2 = load("kernels/kernel-v0.2.yaml");
  auto k = v2.amend("voting.quorum", ParamValue::of(0.6));
  ASSERT_TRUE(k.ok());
  auto weaker = k->amend("delegation.max_weight_frac", ParamValue::of(0.2));
  ASSERT_TRUE(weaker.ok());
  const KernelDiff d = diff_kernels(v2, *weaker);
  ASSERT_EQ(d.params.size(), 2u);
  EXPECT_EQ(d.params[0].id, ParamId::kVotingQuorum);
  EXPECT_EQ(d.params[0].bump, Bump::kMinor);
  EXPECT_EQ(d.params[1].id, ParamId::kDelegationMaxWeightFrac);
  EXPECT_EQ(d.params[1].bump, Bump::kMajor);
  EXPECT_EQ(d.params[1].before, ParamValue::of(0.05));
  EXPECT_EQ(d.params[1].after, ParamValue::of(0.2));
  EXPECT_EQ(d.overall, Bump::kMajor);
  EXPECT_TRUE(d.text_changes.empty());
}

TEST(KernelDiffTest, EpochLengthIsAPatch) {
  const Kernel v1 = load("kernels/kernel-v0.1.yaml");
  auto k = v1.amend("epoch.turns", ParamValue::of(12));
  ASSERT_TRUE(k.ok());
  const KernelDiff d = diff_kernels(v1, *k);
  ASSERT_EQ(d.params.size(), 1u);
  EXPECT_EQ(d.params[0].id, ParamId::kEpochTurns);
  EXPECT_EQ(d.params[0].bump, Bump::kPatch);
  EXPECT_EQ(d.overall, Bump::kPatch);
}

TEST(KernelDiffTest, IdenticalKernelsDoNotDiffer) {
  const KernelDiff d =
      diff_kernels(load("kernels/kernel-v0.1.yaml"), load("kernels/kernel-v0.1.yaml"));
  EXPECT_TRUE(d.params.empty());
  EXPECT_TRUE(d.text_changes.empty());
  EXPECT_EQ(d.overall, Bump::kNone);
}

TEST(KernelDiffTest, MixedKernelDiffersFromV01ByItsParamsOnly) {
  const KernelDiff d =
      diff_kernels(load("kernels/kernel-v0.1.yaml"), load("tests/data/kernel-mixed.yaml"));
  EXPECT_EQ(changed_paths(d),
            (std::set<std::string>{"delegation.max_depth", "delegation.max_weight_frac",
                                   "proposals.single_subject", "amendment.takes_effect_delay_turns",
                                   "treasury.income_per_epoch"}));
  for (const auto& c : d.params) {
    EXPECT_EQ(c.bump, c.id == ParamId::kTreasuryIncomePerEpoch ? Bump::kPatch : Bump::kMinor);
  }
  EXPECT_TRUE(d.text_changes.empty());
  EXPECT_EQ(d.overall, Bump::kMinor);
}

TEST(KernelDiffTest, TextChangesArePatches) {
  const Kernel a = load("tests/data/kernel-minimal.yaml");
  std::string governs;
  for (int c = 0; c < kClauseCount; ++c) {
    governs += (c ? ", " : "") + std::string(clause_name(static_cast<ClauseId>(c)));
  }
  const std::string text =
      "schema: fable-kernel/1\nname: Renamed Charter\nversion: 1.0.0\n"
      "articles:\n"
      "  - {id: A1, title: Voting, text: 'Reworded.', governs: [" +
      governs +
      "]}\n"
      "  - {id: A3, title: New, text: 'Added.', governs: []}\n"
      "params: {voting: {quorum: 0.5, threshold_base: cast, early_close: true,\n"
      "  default_window_turns: 2, min_window_turns: 1}, epoch: {turns: 10}}\n"
      "invariants: [{name: empathy_floor, metric: empathy_floor, min: 0.1, article: A1}]\n";
  auto b = Kernel::parse(text, "b");
  ASSERT_TRUE(b.ok()) << b.status().message();
  const KernelDiff d = diff_kernels(a, *b);
  EXPECT_TRUE(d.params.empty());
  EXPECT_EQ(d.overall, Bump::kPatch);
  const std::set<std::string> got(d.text_changes.begin(), d.text_changes.end());
  EXPECT_EQ(got, (std::set<std::string>{"name: 'Minimal Charter' -> 'Renamed Charter'",
                                        "article A1 reworded", "article A2 removed",
                                        "article A3 added", "invariant empathy_floor changed"}));
}

}  // namespace
}  // namespace fable
