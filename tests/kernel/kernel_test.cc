// Kernel documents: the bundled kernels, lookup, amendment, content hash, articles.
#include "fable/kernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fable/params.h"
#include "fable/random.h"
#include "kernel/kernel_internal.h"
#include "support/kernels.h"

namespace fable {
namespace {

// The shared loader (tests/support/kernels.h) under this file's short name.
constexpr auto load = ::fable::testing::load_test_kernel;

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ParamValue num(double v) {
  return ParamValue::of(v);
}

TEST(KernelTest, V01MatchesSpecTable) {
  const Kernel k = load("kernels/kernel-v0.1.yaml");
  EXPECT_EQ(k.name(), "Commons Charter");
  EXPECT_EQ(k.version().to_string(), "0.1.0");
  EXPECT_FALSE(k.document().supersedes.has_value());
  const Params& p = k.params();
  EXPECT_FALSE(p.roll_snapshot_at_open);
  EXPECT_EQ(p.quorum, 0.5);
  EXPECT_EQ(p.threshold_base, ThresholdBase::kCast);
  EXPECT_EQ(p.threshold(ThresholdKind::kSpend), 0.5);
  EXPECT_EQ(p.threshold(ThresholdKind::kAmendment), 0.667);
  EXPECT_EQ(p.threshold(ThresholdKind::kDisenfranchise), 0.5);
  EXPECT_EQ(p.threshold(ThresholdKind::kRoleGrant), 0.5);
  EXPECT_EQ(p.threshold(ThresholdKind::kEmergency), 0.5);
  EXPECT_EQ(p.default_window_turns, 2);
  EXPECT_EQ(p.min_window_turns, 1);
  EXPECT_TRUE(p.early_close);
  EXPECT_FALSE(p.delegation_max_depth.has_value());
  EXPECT_FALSE(p.delegation_max_weight_frac.has_value());
  EXPECT_FALSE(p.delegation_epoch_expiry);
  EXPECT_FALSE(p.single_subject);
  EXPECT_FALSE(p.spend_per_proposal_cap.has_value());
  EXPECT_FALSE(p.spend_epoch_rate_cap.has_value());
  EXPECT_FALSE(p.spend_commons_floor.has_value());
  EXPECT_FALSE(p.emergency_max_duration_turns.has_value());
  EXPECT_FALSE(p.emergency_max_renewals.has_value());
  EXPECT_EQ(p.emergency_renewal_threshold, 0.5);
  EXPECT_TRUE(p.emergency_suspends_review);
  EXPECT_FALSE(p.emergency_spend_requires_vote);
  EXPECT_EQ(p.amendment_delay_turns, 0);
  EXPECT_FALSE(p.offices_max_per_citizen.has_value());
  EXPECT_EQ(p.epoch_turns, 10);
  EXPECT_EQ(p.treasury_income_per_epoch, 0);
}

TEST(KernelTest, V02MatchesSpecTable) {
  const Kernel k = load("kernels/kernel-v0.2.yaml");
  EXPECT_EQ(k.name(), "Commons Charter");
  EXPECT_EQ(k.version().to_string(), "0.2.0");
  EXPECT_EQ(k.document().supersedes, "0.1.0");
  const Params& p = k.params();
  EXPECT_TRUE(p.roll_snapshot_at_open);
  EXPECT_EQ(p.quorum, 0.5);
  EXPECT_EQ(p.threshold_base, ThresholdBase::kRoll);
  EXPECT_EQ(p.threshold(ThresholdKind::kSpend), 0.5);
  EXPECT_EQ(p.threshold(ThresholdKind::kAmendment), 0.667);
  EXPECT_EQ(p.threshold(ThresholdKind::kDisenfranchise), 0.75);
  EXPECT_EQ(p.threshold(ThresholdKind::kRoleGrant), 0.6);
  EXPECT_EQ(p.threshold(ThresholdKind::kEmergency), 0.667);
  EXPECT_EQ(p.default_window_turns, 3);
  EXPECT_EQ(p.min_window_turns, 2);
  EXPECT_FALSE(p.early_close);
  EXPECT_EQ(p.delegation_max_depth, 1);
  EXPECT_EQ(p.delegation_max_weight_frac, 0.05);
  EXPECT_TRUE(p.delegation_epoch_expiry);
  EXPECT_TRUE(p.single_subject);
  EXPECT_EQ(p.spend_per_proposal_cap, 0.20);
  EXPECT_EQ(p.spend_epoch_rate_cap, 0.33);
  EXPECT_EQ(p.spend_commons_floor, 0.5);
  EXPECT_EQ(p.emergency_max_duration_turns, 6);
  EXPECT_EQ(p.emergency_max_renewals, 1);
  EXPECT_EQ(p.emergency_renewal_threshold, 0.75);
  EXPECT_FALSE(p.emergency_suspends_review);
  EXPECT_TRUE(p.emergency_spend_requires_vote);
  EXPECT_EQ(p.amendment_delay_turns, 2);
  EXPECT_EQ(p.offices_max_per_citizen, 1);
  EXPECT_EQ(p.epoch_turns, 10);
  EXPECT_EQ(p.treasury_income_per_epoch, 0);
}

TEST(KernelTest, BundledKernelsHaveArticlesInvariantAndChangelog) {
  for (const char* file : {"kernels/kernel-v0.1.yaml", "kernels/kernel-v0.2.yaml"}) {
    SCOPED_TRACE(file);
    const Kernel k = load(file);
    const KernelDocument& d = k.document();
    EXPECT_EQ(d.schema, "fable-kernel/1");
    EXPECT_GE(d.articles.size(), 10u);
    EXPECT_LE(d.articles.size(), 14u);
    for (const auto& a : d.articles) {
      EXPECT_GE(a.text.size(), 150u) << a.id << " deserves a real paragraph";
      EXPECT_FALSE(a.title.empty());
    }
    ASSERT_EQ(d.invariants.size(), 1u);
    EXPECT_EQ(d.invariants[0].name, "empathy_floor");
    EXPECT_EQ(d.invariants[0].metric, "empathy_floor");
    EXPECT_EQ(d.invariants[0].min, 0.2);
    EXPECT_FALSE(d.invariants[0].max.has_value());
    ASSERT_FALSE(d.changelog.empty());
    EXPECT_EQ(d.changelog[0].version, "0.1.0");
    EXPECT_EQ(d.changelog[0].summary, "initial");
  }
  const Kernel v2 = load("kernels/kernel-v0.2.yaml");
  std::set<std::string> closed;
  for (const auto& e : v2.document().changelog) {
    for (const auto& id : e.closes) {
      EXPECT_EQ(e.version, "0.2.0") << id;
      closed.insert(id);
    }
  }
  EXPECT_EQ(closed, (std::set<std::string>{"EXP-001", "EXP-002", "EXP-003", "EXP-004", "EXP-005",
                                           "EXP-006"}));
}

TEST(KernelTest, MixedKernelClaimsV01ButCarriesItsOwnParams) {
  const Kernel v1 = load("kernels/kernel-v0.1.yaml");
  const Kernel mixed = load("tests/data/kernel-mixed.yaml");
  EXPECT_EQ(mixed.name(), v1.name());
  EXPECT_EQ(mixed.version(), v1.version());
  EXPECT_NE(mixed.content_hash(), v1.content_hash());
  const Params& p = mixed.params();
  EXPECT_EQ(p.delegation_max_depth, 1);
  EXPECT_EQ(p.delegation_max_weight_frac, 0.05);
  EXPECT_TRUE(p.single_subject);
  EXPECT_EQ(p.amendment_delay_turns, 2);
  EXPECT_EQ(p.treasury_income_per_epoch, 25 * kMoneyScale);
  // Everything else is v0.1.
  std::set<ParamId> changed{ParamId::kDelegationMaxDepth, ParamId::kDelegationMaxWeightFrac,
                            ParamId::kSingleSubject, ParamId::kAmendmentDelay,
                            ParamId::kTreasuryIncomePerEpoch};
  for (const auto& info : all_params()) {
    if (changed.count(info.id) != 0) continue;
    EXPECT_EQ(get_param(p, info.id), get_param(v1.params(), info.id)) << info.path;
  }
}

TEST(KernelTest, OmittedParamsTakeDocumentedDefaults) {
  const Kernel k = load("tests/data/kernel-minimal.yaml");
  const Params d = default_params();
  for (const auto& info : all_params()) {
    EXPECT_EQ(get_param(k.params(), info.id), get_param(d, info.id)) << info.path;
    EXPECT_EQ(get_param(k.params(), info.id), info.default_value) << info.path;
  }
}

TEST(KernelTest, LookupAcceptsBothPathForms) {
  const Kernel k = load("kernels/kernel-v0.2.yaml");
  auto a = k.lookup("voting.quorum");
  auto b = k.lookup("params.voting.quorum");
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(*a, num(0.5));
  EXPECT_EQ(*b, num(0.5));
  EXPECT_EQ(*k.lookup("delegation.max_depth"), num(1));
  EXPECT_EQ(*k.lookup("voting.threshold_base"), num(1));  // roll
  EXPECT_EQ(*load("kernels/kernel-v0.1.yaml").lookup("spend.commons_floor"), ParamValue::null());
}

TEST(KernelTest, LookupOfUnknownPathIsNotFound) {
  const Kernel k = load("kernels/kernel-v0.1.yaml");
  for (const char* bad : {"voting.quorom", "params.voting", "", "params.", "voting"}) {
    const auto r = k.lookup(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << bad;
    EXPECT_NE(r.status().message().find("unknown parameter"), std::string::npos)
        << r.status().message();
  }
  EXPECT_NE(k.lookup("voting.quorom").status().message().find("did you mean 'voting.quorum'"),
            std::string::npos);
}

TEST(KernelTest, AmendReturnsNewKernelAndLeavesOldUnchanged) {
  const Kernel v1 = load("kernels/kernel-v0.1.yaml");
  const std::uint64_t old_hash = v1.content_hash();
  auto amended = v1.amend("delegation.max_depth", num(1));
  ASSERT_TRUE(amended.ok()) << amended.status().message();
  EXPECT_EQ(amended->params().delegation_max_depth, 1);
  EXPECT_EQ(amended->version().to_string(), "0.2.0");  // tightening: minor
  EXPECT_NE(amended->content_hash(), old_hash);
  EXPECT_EQ(&amended->document(), &v1.document());  // text is shared, not copied
  // The original is untouched.
  EXPECT_FALSE(v1.params().delegation_max_depth.has_value());
  EXPECT_EQ(v1.version().to_string(), "0.1.0");
  EXPECT_EQ(v1.content_hash(), old_hash);
  EXPECT_EQ(v1.document().version.to_string(), "0.1.0");
}

TEST(KernelTest, AmendBumpsByGovernanceSemver) {
  const Kernel v2 = load("kernels/kernel-v0.2.yaml");
  auto weaker = v2.amend("params.voting.early_close", num(1));
  ASSERT_TRUE(weaker.ok());
  EXPECT_EQ(weaker->version().to_string(), "1.0.0");
  auto stricter = v2.amend(ParamId::kVotingQuorum, num(0.6));
  ASSERT_TRUE(stricter.ok());
  EXPECT_EQ(stricter->version().to_string(), "0.3.0");
  auto neutral = v2.amend("epoch.turns", num(12));
  ASSERT_TRUE(neutral.ok());
  EXPECT_EQ(neutral->version().to_string(), "0.2.1");
  EXPECT_EQ(neutral->params().epoch_turns, 12);
  auto same = v2.amend("voting.quorum", num(0.5));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->version().to_string(), "0.2.0");
  EXPECT_EQ(same->content_hash(), v2.content_hash());
  auto lift_cap = v2.amend("spend.per_proposal_cap", ParamValue::null());
  ASSERT_TRUE(lift_cap.ok());
  EXPECT_EQ(lift_cap->version().to_string(), "1.0.0");
  EXPECT_FALSE(lift_cap->params().spend_per_proposal_cap.has_value());
  // Chained amendments keep counting from the amended version.
  auto twice = stricter->amend("voting.thresholds.spend", num(0.6));
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->version().to_string(), "0.4.0");
}

TEST(KernelTest, AmendRefusesBadValues) {
  const Kernel v1 = load("kernels/kernel-v0.1.yaml");
  auto r = v1.amend("voting.quorum", num(1.7));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("voting.quorum"), std::string::npos);
  EXPECT_NE(r.status().message().find("out of range"), std::string::npos);
  r = v1.amend("voting.quorum", ParamValue::null());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("may not be null"), std::string::npos);
  r = v1.amend("voting.default_window_turns", num(2.5));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("whole number"), std::string::npos);
  r = v1.amend("voting.min_window_turns", num(3));  // default is 2
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("exceeds voting.default_window_turns"), std::string::npos)
      << r.status().message();
  r = v1.amend("voting.quorom", num(0.5));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST(KernelTest, ParseParamValueFollowsTheParameterType) {
  EXPECT_EQ(*parse_param_value(ParamId::kVotingQuorum, "0.5"), num(0.5));
  EXPECT_EQ(*parse_param_value(ParamId::kEarlyClose, "true"), num(1));
  EXPECT_EQ(*parse_param_value(ParamId::kEarlyClose, "false"), num(0));
  EXPECT_EQ(*parse_param_value(ParamId::kDelegationMaxDepth, "null"), ParamValue::null());
  EXPECT_EQ(*parse_param_value(ParamId::kDelegationMaxDepth, "3"), num(3));
  EXPECT_EQ(*parse_param_value(ParamId::kVotingThresholdBase, "roll"), num(1));
  EXPECT_EQ(*parse_param_value(ParamId::kVotingThresholdBase, "cast"), num(0));
  EXPECT_EQ(*parse_param_value(ParamId::kTreasuryIncomePerEpoch, "12.5"), num(12.5));
  struct Bad {
    ParamId id;
    const char* text;
    const char* expect;
  };
  for (const Bad& b : {Bad{ParamId::kEarlyClose, "yes", "expected true or false"},
                       Bad{ParamId::kVotingThresholdBase, "majority", "expected cast or roll"},
                       Bad{ParamId::kVotingQuorum, "abc", "expected a number"},
                       Bad{ParamId::kVotingQuorum, "1.5", "out of range"},
                       Bad{ParamId::kVotingQuorum, "null", "may not be null"},
                       Bad{ParamId::kVotingQuorum, ".inf", "expected a number"},
                       Bad{ParamId::kVotingQuorum, "", "expected a number"},
                       Bad{ParamId::kEpochTurns, "2.5", "whole number"},
                       Bad{ParamId::kEpochTurns, "0", "out of range"}}) {
    const auto r = parse_param_value(b.id, b.text);
    ASSERT_FALSE(r.ok()) << b.text;
    EXPECT_NE(r.status().message().find(b.expect), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find(param_info(b.id).path), std::string::npos);
  }
}

// A complete small kernel, written two ways that differ only in form.
std::string governs_list(const char* sep) {
  std::string s;
  for (int c = 0; c < kClauseCount; ++c) {
    if (c > 0) s += sep;
    s += clause_name(static_cast<ClauseId>(c));
  }
  return s;
}

std::string block_form(double quorum, const std::string& text) {
  return "schema: fable-kernel/1\n"
         "name: Hash Test\n"
         "version: 1.2.3\n"
         "articles:\n"
         "  - id: A1\n"
         "    title: Everything\n"
         "    text: " +
         text +
         "\n"
         "    governs:\n      - " +
         governs_list("\n      - ") +
         "\n"
         "params:\n"
         "  voting:\n"
         "    quorum: " +
         std::to_string(quorum) +
         "\n"
         "    thresholds:\n"
         "      spend: 0.5\n"
         "invariants:\n"
         "  - name: floor\n"
         "    metric: empathy_floor\n"
         "    min: 0.2\n";
}

TEST(KernelTest, ContentHashIgnoresFormattingCommentsAndKeyOrder) {
  const std::string flow =
      "# the same kernel, in flow style with keys reordered\n"
      "invariants: [{min: 2e-1, metric: empathy_floor, name: floor}]\n"
      "params: {voting: {thresholds: {spend: 0.50}, quorum: 0.5}}   # comment\n"
      "articles: [{governs: [" +
      governs_list(", ") +
      "], text: 'All of it.', title: \"Everything\","
      " id: A1}]\n"
      "version: '1.2.3'\n"
      "name: \"Hash Test\"\n"
      "schema: fable-kernel/1\n";
  auto a = Kernel::parse(block_form(0.5, "All of it."), "block");
  auto b = Kernel::parse(flow, "flow");
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(a->content_hash(), b->content_hash());
  // Writing a default explicitly or leaving it out is the same content.
  auto c = Kernel::parse(block_form(0.5, "All of it.") + "changelog: []\n", "c");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(a->content_hash(), c->content_hash());
}

TEST(KernelTest, ContentHashChangesWithContent) {
  auto base = Kernel::parse(block_form(0.5, "All of it."), "a");
  auto other_param = Kernel::parse(block_form(0.6, "All of it."), "b");
  auto other_text = Kernel::parse(block_form(0.5, "All of it!"), "c");
  ASSERT_TRUE(base.ok() && other_param.ok() && other_text.ok());
  EXPECT_NE(base->content_hash(), other_param->content_hash());
  EXPECT_NE(base->content_hash(), other_text->content_hash());
  EXPECT_NE(load("kernels/kernel-v0.1.yaml").content_hash(),
            load("kernels/kernel-v0.2.yaml").content_hash());
  // Stable across loads.
  EXPECT_EQ(load("kernels/kernel-v0.2.yaml").content_hash(),
            load("kernels/kernel-v0.2.yaml").content_hash());
}

// Kernel::rehash keeps hashes per thread (a cache for the hunt's thousands of
// amendments), and makes them with runs of the bytes an amendment cannot
// change (HashRun): after long random chains of amendments, more distinct
// kernels than the cache has room for, every kernel's hash must still be what
// the content hash computes from scratch, byte by byte (the runs are made
// once a document has been hashed 512 times in a thread: here, some 1,200
// distinct kernels of each document). v0.3 has a `supersedes`; both have
// invariants.
TEST(KernelTest, AmendedKernelsHashAsComputedFromScratch) {
  const Kernel starts[] = {load("kernels/kernel-v0.1.yaml"), load("kernels/kernel-v0.3.yaml")};
  ASSERT_TRUE(starts[1].document().supersedes.has_value());
  ASSERT_FALSE(starts[0].document().invariants.empty());
  Rng rng(7);
  int checked = 0;
  for (int chain = 0; chain < 120; ++chain) {
    // One document's chains after the other's: two documents whose
    // addresses share a slot of the per-thread run cache would reset each
    // other's count, and runs would never be made.
    Kernel k = starts[chain / 60];
    for (int step = 0; step < 40; ++step) {
      const ParamInfo& info = all_params()[static_cast<std::size_t>(rng.below(kParamCount))];
      ParamValue v = ParamValue::of(info.min + (std::min(info.max, info.min + 10.0) - info.min) *
                                                   static_cast<double>(rng.below(1000)) / 999.0);
      if (info.type != ParamType::kFraction) v.number = std::floor(v.number);
      if (info.type == ParamType::kBool || info.type == ParamType::kEnum) {
        v.number = static_cast<double>(rng.below(2));
      }
      if (!param_value_fits(info, v)) continue;
      Result<Kernel> next = k.amend(info.id, v);
      if (!next.ok()) continue;  // a cross-field refusal
      k = *next;
      std::vector<ParamValue> values;
      for (const ParamInfo& p : all_params()) values.push_back(get_param(k.params(), p.id));
      ASSERT_EQ(k.content_hash(),
                kernel_internal::content_hash(k.document(), k.version(), all_params(), values))
          << "chain " << chain << " step " << step << " version " << k.version().to_string();
      ++checked;
    }
  }
  EXPECT_GT(checked, 3000);  // more than the cache's 1024 slots, and runs made for both
}

// param_value_fits is param_value_problem(...).empty() without the message.
TEST(KernelTest, ParamValueFitsAgreesWithTheProblemText) {
  const double probes[] = {-1e9, -2, -1, -0.5, 0, 0.05, 0.5, 0.667, 1, 1.5, 2, 3, 7, 100, 1e12};
  for (const ParamInfo& info : all_params()) {
    std::vector<ParamValue> values{
        ParamValue::null(),           ParamValue::of(info.min),
        ParamValue::of(info.max),     ParamValue::of(info.default_value.number),
        ParamValue::of(std::nan("")), ParamValue::of(std::numeric_limits<double>::infinity())};
    for (double x : probes) values.push_back(ParamValue::of(x));
    for (const ParamValue& v : values) {
      EXPECT_EQ(param_value_fits(info, v), param_value_problem(info, v).empty())
          << info.path << " = " << (v.is_null ? std::string("null") : std::to_string(v.number));
    }
  }
}

TEST(KernelTest, ArticleForNamesTheGoverningArticle) {
  for (const char* file :
       {"kernels/kernel-v0.1.yaml", "kernels/kernel-v0.2.yaml", "kernels/kernel-v0.3.yaml"}) {
    SCOPED_TRACE(file);
    const Kernel k = load(file);
    EXPECT_EQ(k.article_for(clause_of(ParamId::kVotingQuorum)), "A3");
    EXPECT_EQ(k.article_for(clause_of(ParamId::kSpendCommonsFloor)), "A7");
    EXPECT_EQ(k.article_for(clause_of(ParamId::kDelegationMaxDepth)), "A6");
    EXPECT_EQ(k.article_for(clause_of(StructuralClause::kStandingRoll)), "A1");
    EXPECT_EQ(k.article_for(clause_of(StructuralClause::kEmergencyCouncil)), "A8");
    // Every clause has one, but a parameter of a later table revision that
    // the document leaves at its default (docs/kernel-format.md, "Articles").
    for (int c = 0; c < kClauseCount; ++c) {
      const auto id = k.article_for(static_cast<ClauseId>(c));
      const bool later_default = c < kParamCount && param_info(static_cast<ParamId>(c)).since > 1 &&
                                 get_param(k.params(), static_cast<ParamId>(c)) ==
                                     param_info(static_cast<ParamId>(c)).default_value;
      EXPECT_EQ(id.empty(), later_default) << clause_name(static_cast<ClauseId>(c));
    }
    EXPECT_EQ(k.article_for(kNoClause), "");
  }
}

TEST(KernelTest, ArticleForPicksTheFirstArticleThatGovernsAClause) {
  const std::string text =
      "schema: fable-kernel/1\nname: Two\nversion: 0.0.1\n"
      "articles:\n"
      "  - {id: X, title: First, text: t, governs: [voting.quorum]}\n"
      "  - {id: Y, title: All, text: t, governs: [" +
      governs_list(", ") +
      "]}\n"
      "params: {}\n";
  auto k = Kernel::parse(text, "two");
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(k->article_for(clause_of(ParamId::kVotingQuorum)), "X");
  EXPECT_EQ(k->article_for(clause_of(ParamId::kEpochTurns)), "Y");
}

TEST(KernelTest, DocsNameEveryParameterAndClause) {
  const std::string docs = read_text(testing::source_path("docs/kernel-format.md"));
  ASSERT_FALSE(docs.empty());
  for (int c = 0; c < kClauseCount; ++c) {
    const std::string name(clause_name(static_cast<ClauseId>(c)));
    EXPECT_NE(docs.find("`" + name + "`"), std::string::npos) << name;
  }
  for (auto metric : kInvariantMetrics) {
    EXPECT_NE(docs.find(std::string(metric)), std::string::npos) << metric;
  }
}

}  // namespace
}  // namespace fable
