// The clause table: names, meanings and which clauses are state clauses.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "fable/params.h"

namespace fable {
namespace {

TEST(ClauseTable, StateClausesAreTheseExactly) {
  // A refusal citing one of these depends on the world, not on a rule: the red
  // team retries a tactic blocked by one next epoch (src/agents/red_team.cc).
  const std::set<std::string> expected{
      "funds.sufficient",       "spend.epoch_rate_cap",    "spend.commons_floor",
      "spend.per_proposal_cap", "standing.roll",           "proposals.open",
      "voting.one_ballot",      "voting.quorum",           "emergency.state",
      "emergency.council",      "offices.max_per_citizen", "proposals.well_formed",
      "transfers.private",      "delegation.basic",        "delegation.max_weight_frac"};
  std::set<std::string> state;
  for (int c = 0; c < kClauseCount; ++c) {
    const auto id = static_cast<ClauseId>(c);
    if (is_state_clause(id)) state.emplace(clause_name(id));
  }
  EXPECT_EQ(state, expected);
  EXPECT_FALSE(is_state_clause(kNoClause));
}

TEST(ClauseTable, CountsFollowTheEnums) {
  EXPECT_EQ(all_params().size(), static_cast<std::size_t>(kParamCount));
  EXPECT_EQ(clause_name(clause_of(StructuralClause::kTransfersPrivate)), "transfers.private");
  EXPECT_EQ(clause_of(StructuralClause::kTransfersPrivate), kClauseCount - 1);
  EXPECT_EQ(threshold_kind_name(static_cast<ThresholdKind>(kThresholdKindCount - 1)), "emergency");
}

TEST(ClauseTable, VotingBarsAreTheseExactly) {
  // The vigilant citizen watches the quorum and voting.thresholds.* only
  // (docs/population.md); the voting bars add the emergency renewal threshold.
  std::set<std::string> quorum_or_threshold;
  std::set<std::string> bars;
  for (const ParamInfo& info : all_params()) {
    if (is_quorum_or_threshold(info.id)) quorum_or_threshold.emplace(info.path);
    if (is_voting_bar(info.id)) bars.emplace(info.path);
  }
  const std::set<std::string> expected{"voting.quorum",
                                       "voting.thresholds.amendment",
                                       "voting.thresholds.disenfranchise",
                                       "voting.thresholds.emergency",
                                       "voting.thresholds.private_spend",
                                       "voting.thresholds.role_grant",
                                       "voting.thresholds.spend"};
  EXPECT_EQ(quorum_or_threshold, expected);
  std::set<std::string> expected_bars = expected;
  expected_bars.emplace("emergency.renewal_threshold");
  EXPECT_EQ(bars, expected_bars);
}

}  // namespace
}  // namespace fable
