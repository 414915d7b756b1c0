// Clause coverage (fable/coverage.h): exact counters on a hand-built episode,
// order-independent merging, and the fable-coverage/1 file.
#include "fable/coverage.h"

#include <gtest/gtest.h>

#include <string>

#include "support/engine_test_support.h"

namespace fable {
namespace {

using namespace fable::testing;  // NOLINT(google-build-using-namespace)

Event event(EventKind kind, std::int32_t turn, AgentIndex actor, std::int32_t proposal = -1) {
  Event e;
  e.kind = kind;
  e.turn = turn;
  e.actor = actor;
  e.proposal = proposal;
  return e;
}

Event closed(std::int32_t turn, std::int32_t proposal, std::int32_t yes, std::int32_t no,
             std::int32_t eligible) {
  Event e = event(EventKind::kProposalClosed, turn, 0, proposal);
  e.yes = yes;
  e.no = no;
  e.eligible = eligible;
  e.result = TallyResult::kPassed;
  return e;
}

ProposalInfo proposal(std::int32_t id, std::vector<ProposalItem> items) {
  ProposalInfo p;
  p.id = id;
  p.proposer = 0;
  p.items = std::move(items);
  return p;
}

// On kernel v0.2 (quorum 0.5 of the roll, spend threshold 0.5 of the roll,
// amendment threshold 0.667, per-proposal cap 0.2):
//   turn 1: a spend over the cap is refused; a spend of 100 to all is
//           proposed, gets one ballot, and passes 5 yes of 10 -- one ballot
//           from the quorum and from the threshold -- and is executed;
//   turn 2: an amendment raising the quorum to 0.6 passes 9 to 1 (far from
//           every bar), is ratified and comes into force;
//   turn 3: a spend passes 6 yes of 10: one ballot from the new quorum (0.6),
//           two from the spend threshold.
EpisodeTrace hand_built_episode() {
  EpisodeTrace t;
  t.kernel = v02();
  t.proposals = {proposal(0, {ProposalItem::spend(kAllCitizens, U(100))}),
                 proposal(1, {ProposalItem::amendment(ParamId::kVotingQuorum, V(0.6))}),
                 proposal(2, {ProposalItem::spend(kAllCitizens, U(50))})};
  Event refused = event(EventKind::kActionRejected, 1, 0);
  refused.action = ActionKind::kPropose;
  refused.refusal = Refusal::kExceedsProposalCap;
  refused.clause = clause_of(ParamId::kSpendPerProposalCap);
  Event in_force = event(EventKind::kAmendmentInForce, 2, 0, 1);
  in_force.param = ParamId::kVotingQuorum;
  in_force.before = V(0.5);
  in_force.after = V(0.6);
  t.events = {refused,
              event(EventKind::kProposalCreated, 1, 0, 0),
              event(EventKind::kVoteCast, 1, 0, 0),
              closed(1, 0, 5, 0, 10),
              event(EventKind::kSpendExecuted, 1, 0, 0),
              event(EventKind::kProposalCreated, 2, 0, 1),
              closed(2, 1, 9, 1, 10),
              event(EventKind::kAmendmentRatified, 2, 0, 1),
              in_force,
              closed(3, 2, 6, 0, 10)};
  return t;
}

ClauseCounters counters(std::uint64_t permitted, std::uint64_t refused, std::uint64_t near,
                        std::uint64_t tallies, std::uint64_t amended) {
  ClauseCounters c;
  c[CoverageCounter::kPermitted] = permitted;
  c[CoverageCounter::kRefused] = refused;
  c[CoverageCounter::kNearMargin] = near;
  c[CoverageCounter::kTallies] = tallies;
  c[CoverageCounter::kAmended] = amended;
  return c;
}

void expect_counters(const ClauseCoverage& cov, ClauseId c, const ClauseCounters& want) {
  for (int k = 0; k < kCoverageCounterCount; ++k) {
    const auto counter = static_cast<CoverageCounter>(k);
    EXPECT_EQ(cov.at(c)[counter], want[counter])
        << clause_name(c) << " " << coverage_counter_name(counter);
  }
}

TEST(ClauseCoverage, AHandBuiltEpisodeGivesExactCounters) {
  ClauseCoverage cov;
  cov.add_episode(hand_built_episode());
  EXPECT_EQ(cov.episodes(), 1U);
  // Refused once; consulted by the accepted proposal and its execution.
  expect_counters(cov, clause_of(ParamId::kSpendPerProposalCap), counters(2, 1, 0, 0, 0));
  // Every tally; one ballot from it at turn 1 (0.5) and at turn 3 (0.6 in force);
  // amended once; consulted by the amendment of it (proposal and execution).
  expect_counters(cov, clause_of(ParamId::kVotingQuorum), counters(2, 0, 2, 3, 1));
  expect_counters(cov, clause_of(ParamId::kThresholdSpend), counters(0, 0, 1, 2, 0));
  expect_counters(cov, clause_of(ParamId::kThresholdAmendment), counters(0, 0, 0, 1, 0));
  expect_counters(cov, clause_of(StructuralClause::kVotingMajority), counters(0, 0, 0, 3, 0));
  expect_counters(cov, clause_of(ParamId::kVotingThresholdBase), counters(0, 0, 0, 3, 0));
  expect_counters(cov, clause_of(ParamId::kRollSnapshotAtOpen), counters(0, 0, 0, 3, 0));
  // The amendment's proposal and execution consult the ceiling.
  expect_counters(cov, clause_of(ParamId::kVotingThresholdCeiling), counters(2, 0, 0, 0, 0));
  // Two proposals and a ballot need standing; one ballot each.
  expect_counters(cov, clause_of(StructuralClause::kStandingRoll), counters(3, 0, 0, 0, 0));
  expect_counters(cov, clause_of(StructuralClause::kVotingOneBallot), counters(1, 0, 0, 0, 0));
  EXPECT_FALSE(cov.at(clause_of(ParamId::kEmergencyMaxRenewals)).exercised());
  EXPECT_TRUE(cov.at(clause_of(ParamId::kVotingQuorum)).exercised());
}

TEST(ClauseCoverage, ClausesTheEngineAppliesOnItsOwnCountAsApplied) {
  const auto applied = [](const ClauseCoverage& cov, ParamId p) {
    return cov.at(clause_of(p))[CoverageCounter::kApplied];
  };
  ClauseCoverage hand;
  hand.add_episode(hand_built_episode());
  // Two proposals opened with window 0 (the default set their window); one
  // amendment ratified (the delay decided when it took effect).
  EXPECT_EQ(applied(hand, ParamId::kDefaultWindowTurns), 2U);
  EXPECT_EQ(applied(hand, ParamId::kAmendmentDelay), 1U);
  EXPECT_EQ(applied(hand, ParamId::kEpochTurns), 0U);  // three turns, epochs of ten

  // On v0.1 (review suspended under an emergency), 25 turns (epochs of ten:
  // boundaries at the end of turns 10 and 20);
  // an emergency declared at turn 3; a proposal opened under it with window 0
  // (review suspended: the default did not set its window), one opened with
  // window 4; the emergency ends by sunset at turn 6; a delegation expires at
  // the boundary of turn 10; a proposal opened after the emergency with window 0.
  EpisodeTrace t;
  t.kernel = v01();
  t.snapshots.resize(26);
  t.proposals = {proposal(0, {ProposalItem::spend(kAllCitizens, U(10))}),
                 proposal(1, {ProposalItem::spend(kAllCitizens, U(10))}),
                 proposal(2, {ProposalItem::spend(kAllCitizens, U(10))})};
  t.proposals[1].window = 4;
  Event declared = event(EventKind::kEmergencyDeclared, 3, 0);
  Event sunset = event(EventKind::kEmergencyEnded, 6, 0);
  sunset.cause = EndCause::kSunset;
  Event expiry = event(EventKind::kDelegationRevoked, 10, 1);
  expiry.cause = EndCause::kEpochExpiry;
  Event open0 = event(EventKind::kProposalCreated, 4, 0, 0);
  open0.round = 0;
  Event open1 = event(EventKind::kProposalCreated, 5, 0, 1);
  open1.round = 0;
  Event open2 = event(EventKind::kProposalCreated, 12, 0, 2);
  open2.round = 0;
  t.events = {declared, open0, open1, sunset, expiry, open2};
  ClauseCoverage cov;
  cov.add_episode(t);
  EXPECT_EQ(applied(cov, ParamId::kEmergencySuspendsReview), 2U);
  EXPECT_EQ(applied(cov, ParamId::kDefaultWindowTurns), 1U);
  EXPECT_EQ(applied(cov, ParamId::kEmergencyMaxDuration), 1U);
  EXPECT_EQ(applied(cov, ParamId::kDelegationEpochExpiry), 1U);
  EXPECT_EQ(applied(cov, ParamId::kEpochTurns), 2U);
  EXPECT_EQ(applied(cov, ParamId::kTreasuryIncomePerEpoch), 2U);
  EXPECT_TRUE(cov.at(clause_of(ParamId::kEpochTurns)).exercised());

  // On v0.2 review is not suspended: the default set the first proposal's window too.
  t.kernel = v02();
  ClauseCoverage open_review;
  open_review.add_episode(t);
  EXPECT_EQ(applied(open_review, ParamId::kEmergencySuspendsReview), 2U);
  EXPECT_EQ(applied(open_review, ParamId::kDefaultWindowTurns), 2U);
}

TEST(ClauseCoverage, WithTheOldQuorumTheLastTallyIsNotNearItsMargin) {
  // Without the amendment in force, 6 of 10 is two ballots from a 0.5 quorum.
  EpisodeTrace t = hand_built_episode();
  t.events.erase(t.events.begin() + 8);
  ClauseCoverage cov;
  cov.add_episode(t);
  expect_counters(cov, clause_of(ParamId::kVotingQuorum), counters(2, 0, 1, 3, 0));
}

TEST(ClauseCoverage, MergingIsOrderIndependent) {
  EpisodeTrace a = hand_built_episode();
  EpisodeTrace b = hand_built_episode();
  b.events.resize(4);  // the refusal and the first tally only
  ClauseCoverage ca;
  ca.add_episode(a);
  ClauseCoverage cb;
  cb.add_episode(b);
  ClauseCoverage ab = ca;
  ab.merge(cb);
  ClauseCoverage ba = cb;
  ba.merge(ca);
  EXPECT_EQ(ab, ba);
  ClauseCoverage sequential;
  sequential.add_episode(b);
  sequential.add_episode(a);
  EXPECT_EQ(ab, sequential);
  EXPECT_EQ(ab.episodes(), 2U);
  EXPECT_EQ(ab.at(clause_of(ParamId::kSpendPerProposalCap))[CoverageCounter::kRefused], 2U);
  EXPECT_FALSE(ab == ca);
}

TEST(ClauseCoverage, AMalformedTraceIsSkippedNotACrash) {
  EpisodeTrace t;
  Event e = closed(1, 7, 1, 0, 2);  // no proposal 7
  Event bad = event(EventKind::kActionRejected, 1, 0);
  bad.clause = kNoClause;
  t.events = {e, bad, event(EventKind::kProposalCreated, 1, 0, -3)};
  ClauseCoverage cov;
  cov.add_episode(t);
  EXPECT_EQ(cov.at(clause_of(ParamId::kVotingQuorum))[CoverageCounter::kTallies], 1U);
}

TEST(CoverageFile, RoundTripsAndNamesTheArticles) {
  ClauseCoverage cov;
  cov.add_episode(hand_built_episode());
  CoverageReport r = coverage_report(cov, v02());
  r.settings = {{"command", "tournament"}, {"seeds", "0..7"}};
  ASSERT_EQ(r.clauses.size(), static_cast<std::size_t>(kClauseCount));
  const CoverageEntry& cap = r.clauses[clause_of(ParamId::kSpendPerProposalCap)];
  EXPECT_EQ(cap.clause, "spend.per_proposal_cap");
  EXPECT_EQ(cap.article, "A7");
  EXPECT_EQ(cap.article_title, "The treasury and spending");
  EXPECT_FALSE(cap.structural);
  EXPECT_TRUE(r.clauses[clause_of(StructuralClause::kStandingRoll)].structural);
  const std::string text = coverage_json(r);
  EXPECT_NE(text.find("\"schema\": \"fable-coverage/1\""), std::string::npos);
  const Result<CoverageReport> back = parse_coverage_json(text, "c.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(coverage_json(*back), text);
}

TEST(CoverageFile, TheTableListsTheLeastStressedFirst) {
  ClauseCoverage cov;
  cov.add_episode(hand_built_episode());
  const std::string table = render_coverage_table(coverage_report(cov, v02()));
  const auto never = table.find("emergency.max_renewals");
  const auto unstressed = table.find("standing.roll");
  const auto refused = table.find("spend.per_proposal_cap");
  const auto near = table.find("voting.quorum ");
  ASSERT_NE(near, std::string::npos);
  EXPECT_LT(never, unstressed);
  EXPECT_LT(unstressed, refused);
  EXPECT_LT(refused, near);
  EXPECT_NE(table.find(" of 41 clauses never exercised"), std::string::npos);
}

TEST(CoverageFile, BadFilesGetOneClearError) {
  ClauseCoverage cov;
  const std::string good = coverage_json(coverage_report(cov, v02()));
  const auto error_of = [](const std::string& text) {
    const Result<CoverageReport> r = parse_coverage_json(text, "c.json");
    return r.ok() ? std::string("ok") : r.status().message();
  };
  EXPECT_NE(error_of("{").find("c.json:"), std::string::npos);
  std::string other = good;
  other.replace(other.find("fable-coverage/1"), 16, "fable-coverage/9");
  EXPECT_NE(error_of(other).find("schema"), std::string::npos);
  std::string unknown = good;
  unknown.replace(unknown.find("\"spend.per_proposal_cap\""), 24, "\"spend.per_proposal_cop\"");
  EXPECT_NE(error_of(unknown).find("unknown clause"), std::string::npos);
  std::string twice = good;
  twice.replace(twice.find("\"spend.epoch_rate_cap\""), 22, "\"spend.per_proposal_cap\"");
  EXPECT_NE(error_of(twice).find("listed twice"), std::string::npos);
  std::string disagree = good;
  disagree.replace(disagree.find("\"exercised\": false"), 18, "\"exercised\": true ");
  EXPECT_NE(error_of(disagree).find("disagrees"), std::string::npos);
  std::string negative = good;
  negative.replace(negative.find("\"refused\": 0"), 12, "\"refused\": -1");
  EXPECT_NE(error_of(negative).find("refused"), std::string::npos);
}

TEST(CoverageFile, IncompleteOrInconsistentMapsAreRefused) {
  ClauseCoverage cov;
  cov.add_episode(EpisodeTrace{});
  CoverageReport report = coverage_report(cov, v02());
  ASSERT_EQ(parse_coverage_json(coverage_json(report), "c.json").ok(), true);
  const auto error_of = [](const CoverageReport& r) {
    const Result<CoverageReport> read = parse_coverage_json(coverage_json(r), "c.json");
    return read.ok() ? std::string("ok") : read.status().message();
  };
  CoverageReport missing = report;
  missing.clauses.erase(missing.clauses.begin() + 3);
  EXPECT_NE(error_of(missing).find("clause 'voting.thresholds.spend' is missing"),
            std::string::npos)
      << error_of(missing);
  CoverageReport none = report;
  none.clauses.clear();
  EXPECT_NE(error_of(none).find("is missing"), std::string::npos);
  CoverageReport near = report;
  near.clauses[1].counters[CoverageCounter::kNearMargin] = 2;
  near.clauses[1].counters[CoverageCounter::kTallies] = 1;
  EXPECT_NE(error_of(near).find("clauses[1].near_margin': exceeds 'tallies'"), std::string::npos)
      << error_of(near);
  near.clauses[1].counters[CoverageCounter::kTallies] = 2;
  EXPECT_EQ(error_of(near), "ok");
  CoverageReport hash = report;
  hash.kernel_hash = "zz";
  EXPECT_NE(error_of(hash).find("kernel.hash"), std::string::npos);
  hash.kernel_hash = "00000000000000G0";
  EXPECT_NE(error_of(hash).find("kernel.hash"), std::string::npos);
  // The second entry under an article already seen gets another title.
  CoverageReport title = report;
  std::size_t second = 0;
  for (std::size_t i = 1; i < title.clauses.size() && second == 0; ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (title.clauses[j].article == title.clauses[i].article) second = i;
    }
  }
  ASSERT_NE(second, 0U);
  title.clauses[second].article_title = "Another title";
  EXPECT_NE(error_of(title).find("has another title"), std::string::npos) << error_of(title);
  CoverageReport engine_default = report;
  engine_default.clauses[1].article = std::string(kEngineDefault);
  EXPECT_NE(error_of(engine_default).find("must be empty"), std::string::npos);
  CoverageReport no_episodes = near;
  no_episodes.episodes = 0;
  EXPECT_NE(error_of(no_episodes).find("exercised in 0 episodes"), std::string::npos);
}

}  // namespace
}  // namespace fable
