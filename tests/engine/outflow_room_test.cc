// outflow_room: the room the legality engine reports is exactly where its own
// rulings flip from legal to refused, and the binding clause is the one cited.
#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "fable/legality.h"
#include "support/engine_test_support.h"

namespace fable::testing {
namespace {

ParamValue opt(std::optional<double> v) {
  return v ? V(*v) : Null();
}

Action spend_to_all(Money amount) {
  return Action::propose({ProposalItem::spend(kAllCitizens, amount)});
}

// A grid of spending rules and treasury states, each world a variant of a
// five-citizen v0.1 episode.
std::vector<WorldState> worlds() {
  std::vector<WorldState> out;
  const std::optional<double> caps[] = {std::nullopt, 0.1, 0.25, 0.6};
  const std::optional<double> rates[] = {std::nullopt, 0.2, 0.5};
  const std::optional<double> floors[] = {std::nullopt, 0.3, 0.8};
  const Money treasuries[] = {U(1000), U(400), 12'345, 0};
  const Money spent[] = {0, U(150)};
  for (const auto& cap : caps) {
    for (const auto& rate : rates) {
      for (const auto& floor : floors) {
        Sim sim(amended(v01(), {{"spend.per_proposal_cap", opt(cap)},
                                {"spend.epoch_rate_cap", opt(rate)},
                                {"spend.commons_floor", opt(floor)}}),
                5);
        for (Money treasury : treasuries) {
          for (Money s : spent) {
            WorldState w = sim.w();
            w.treasury = treasury;
            w.epoch_start_treasury = U(900);
            w.spent_this_epoch = s;
            out.push_back(w);
          }
        }
      }
    }
  }
  return out;
}

std::string describe_world(const WorldState& w) {
  const Params& p = w.params();
  return "cap " +
         format_param_value(ParamId::kSpendPerProposalCap,
                            get_param(p, ParamId::kSpendPerProposalCap)) +
         ", rate " +
         format_param_value(ParamId::kSpendEpochRateCap,
                            get_param(p, ParamId::kSpendEpochRateCap)) +
         ", floor " +
         format_param_value(ParamId::kSpendCommonsFloor,
                            get_param(p, ParamId::kSpendCommonsFloor)) +
         ", treasury " + std::to_string(w.treasury) + ", spent " +
         std::to_string(w.spent_this_epoch);
}

TEST(OutflowRoom, ProposalRoomIsWhereCheckActionFlips) {
  int binding_seen[kClauseCount] = {};
  for (const WorldState& w : worlds()) {
    SCOPED_TRACE(describe_world(w));
    const OutflowRoom room = outflow_room(w, 0, OutflowUse::kProposal);
    ASSERT_GE(room.amount, 0);
    if (room.amount > 0) {
      EXPECT_TRUE(check_action(w, 0, spend_to_all(room.amount)).legal());
    }
    const Ruling over = check_action(w, 0, spend_to_all(room.amount + 1));
    ASSERT_FALSE(over.legal());
    EXPECT_EQ(clause_name(over.clause), clause_name(room.binding));
    ++binding_seen[room.binding];
  }
  // The grid reaches every limit as the binding one.
  EXPECT_GT(binding_seen[clause_of(ParamId::kSpendPerProposalCap)], 0);
  EXPECT_GT(binding_seen[clause_of(StructuralClause::kFundsSufficient)], 0);
  EXPECT_GT(binding_seen[clause_of(ParamId::kSpendEpochRateCap)], 0);
  EXPECT_GT(binding_seen[clause_of(ParamId::kSpendCommonsFloor)], 0);
}

TEST(OutflowRoom, DirectRoomIsWhereCheckOutflowFlips) {
  for (const WorldState& w : worlds()) {
    SCOPED_TRACE(describe_world(w));
    const OutflowRoom room = outflow_room(w, 0, OutflowUse::kDirect);
    // Room 0 may mean the world is already past a limit (a treasury below the
    // floor): then even nothing is refused; otherwise the room itself passes.
    if (room.amount > 0) {
      EXPECT_TRUE(check_outflow(w, room.amount).legal());
    }
    const Ruling over = check_outflow(w, room.amount + 1);
    ASSERT_FALSE(over.legal());
    EXPECT_EQ(clause_name(over.clause), clause_name(room.binding));
    // The per-proposal cap only ever narrows the room.
    EXPECT_LE(outflow_room(w, 0, OutflowUse::kProposal).amount, room.amount);
  }
}

TEST(OutflowRoom, PendingCountsAsAlreadySpent) {
  for (const WorldState& w : worlds()) {
    for (Money pending : {Money{1}, U(50), U(120)}) {
      if (pending > w.treasury) continue;
      SCOPED_TRACE(describe_world(w) + ", pending " + std::to_string(pending));
      WorldState after = w;
      after.treasury -= pending;
      after.spent_this_epoch += pending;
      const OutflowRoom with_pending = outflow_room(w, pending, OutflowUse::kDirect);
      const OutflowRoom spent_first = outflow_room(after, 0, OutflowUse::kDirect);
      EXPECT_EQ(with_pending.amount, spent_first.amount);
      EXPECT_EQ(with_pending.binding, spent_first.binding);
    }
  }
}

TEST(OutflowRoom, SpendTotalSaturatesInsteadOfWrapping) {
  const Money big = std::numeric_limits<Money>::max() - 5;
  const ProposalItem items[] = {ProposalItem::spend(kAllCitizens, big),
                                ProposalItem::spend(kAllCitizens, 10),
                                ProposalItem::amendment(ParamId::kVotingQuorum, V(0.6))};
  EXPECT_EQ(spend_total(items, 3), std::numeric_limits<Money>::max());
  EXPECT_EQ(spend_total(items + 1, 2), 10);
  EXPECT_EQ(spend_total(items + 2, 1), 0);
}

}  // namespace
}  // namespace fable::testing
