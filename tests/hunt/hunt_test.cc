// The hunt: deterministic for any thread count, its records replay, its
// genome edits keep proposal references valid, and bad configs are refused.
#include "fable/hunt.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "fable/coverage.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "hunt/executor.h"
#include "hunt/genome.h"
#include "support/kernels.h"

namespace fable {
namespace {

const Kernel& v01() {
  return testing::shipped_kernel("kernel-v0.1.yaml");
}

HuntConfig small_config(int threads) {
  HuntConfig c;
  c.roster = *parse_roster("honest:5,attacker:4");
  c.budget = 300;
  c.seed = 3;
  c.threads = threads;
  c.turns = 16;
  c.batch = 32;
  return c;
}

std::vector<std::string> ids_for(const HuntResult& r) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < r.records.size(); ++i) ids.push_back("EXP-" + std::to_string(i + 1));
  return ids;
}

TEST(Hunt, SameInputsSameOutputWithAnyThreadCount) {
  const HuntConfig one = small_config(1);
  const Result<HuntResult> a = run_hunt(v01(), one);
  const Result<HuntResult> b = run_hunt(v01(), small_config(2));
  const Result<HuntResult> c = run_hunt(v01(), small_config(3));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  const std::string ja = hunt_json(one, *a, ids_for(*a));
  EXPECT_EQ(ja, hunt_json(one, *b, ids_for(*b)));
  EXPECT_EQ(ja, hunt_json(one, *c, ids_for(*c)));
  ASSERT_EQ(a->records.size(), b->records.size());
  for (std::size_t i = 0; i < a->records.size(); ++i) {
    EXPECT_EQ(record_to_json(a->records[i]), record_to_json(b->records[i]));
  }
  EXPECT_EQ(a->executions, 300u);
  // Another seed searches elsewhere.
  HuntConfig other = one;
  other.seed = 4;
  const Result<HuntResult> d = run_hunt(v01(), other);
  ASSERT_TRUE(d.ok());
  EXPECT_NE(ja, hunt_json(one, *d, ids_for(*d)));
}

TEST(Hunt, FindsACaptureOnV01AndItsRecordsReplay) {
  HuntConfig c = small_config(2);
  c.roster = *parse_roster("honest:9,attacker:11");
  c.budget = 1000;
  const Result<HuntResult> r = run_hunt(v01(), c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->records.empty());
  bool captured = false;
  for (const ObjectiveBest& b : r->best) captured = captured || b.captured;
  EXPECT_TRUE(captured) << "a majority coalition captures v0.1 within 1000 executions";
  std::set<std::string> fingerprints;
  for (const ExploitRecord& rec : r->records) {
    EXPECT_TRUE(fingerprints.insert(rec.fingerprint).second) << "one record per fingerprint";
    EXPECT_EQ(rec.reproduction.matchup, "hunt");
    EXPECT_EQ(rec.reproduction.roster.to_string(), "honest:9,attacker:11");
    ASSERT_FALSE(rec.reproduction.perpetrators.empty());
    for (const std::string& p : rec.reproduction.perpetrators) {
      EXPECT_EQ(p.rfind("attacker-", 0), 0u) << p;
    }
    // Through JSON, as a user would replay the file.
    const Result<ExploitRecord> back = record_from_json(record_to_json(rec), "hunt-record");
    ASSERT_TRUE(back.ok()) << back.status().message();
    const ReplayResult replay = replay_record(*back, v01(), default_suite());
    EXPECT_EQ(replay.verdict, Verdict::kReproduces) << rec.name;
  }
}

TEST(Hunt, CoverageCountsEveryCompleteEpisode) {
  // Evolution: every execution, a resumed one counted whole with its prefix,
  // so the map is the same with prefix reuse on and off.
  HuntConfig c = small_config(1);
  c.strategy = HuntStrategy::kEvolve;
  c.coverage = true;
  const Result<HuntResult> reused = run_hunt(v01(), c);
  ASSERT_TRUE(reused.ok()) << reused.status().message();
  ASSERT_TRUE(reused->coverage.has_value());
  EXPECT_GT(reused->resumed_executions, 0U);
  EXPECT_EQ(reused->coverage->episodes, reused->executions);
  c.reuse_prefixes = false;
  const Result<HuntResult> fresh = run_hunt(v01(), c);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(coverage_json(*fresh->coverage), coverage_json(*reused->coverage));
  // Beam passes hand back fewer complete playouts than the executions they cost.
  c.strategy = HuntStrategy::kBoth;
  const Result<HuntResult> both = run_hunt(v01(), c);
  ASSERT_TRUE(both.ok());
  EXPECT_GT(both->coverage->episodes, 0U);
  EXPECT_LT(both->coverage->episodes, both->executions);
}

TEST(Hunt, TheEmptyScriptPlaysTheEnvironmentAlone) {
  HuntConfig c = small_config(1);
  c.budget = 1;
  const Result<HuntResult> r = run_hunt(v01(), c);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->executions, 1u);
  EXPECT_EQ(r->corpus_size, 2u);  // the empty script and the first child
}

TEST(Hunt, RefusesConfigsItCannotRun) {
  HuntConfig c = small_config(1);
  c.roster = *parse_roster("honest:5,drainer:2");
  EXPECT_NE(check_hunt_config(c).message().find("attacker"), std::string::npos);
  c = small_config(1);
  c.budget = 0;
  EXPECT_NE(check_hunt_config(c).message().find("budget"), std::string::npos);
  c = small_config(0);
  EXPECT_NE(check_hunt_config(c).message().find("threads"), std::string::npos);
  c = small_config(1);
  c.turns = 0;
  EXPECT_NE(check_hunt_config(c).message().find("turns"), std::string::npos);
  EXPECT_FALSE(run_hunt(v01(), c).ok());
}

TEST(HuntExecutor, PlayingTheMovesPlayedGivesTheSameEpisode) {
  hunt::ExecutionSetup setup{v01(), *parse_roster("honest:5,attacker:4"), 9, EpisodeOptions{}};
  setup.options.turns = 20;
  hunt::Executor ex(setup);
  hunt::Mutation m;
  for (int t = 1; t <= 20; t += 2) m.insertions.push_back({t, t % 4});
  const hunt::Execution first = ex.run(hunt::Genome{}, m, 77);
  ASSERT_FALSE(first.genome.moves.empty());
  const hunt::Execution again = ex.run(first.genome, hunt::Mutation{}, 1);
  ASSERT_EQ(again.genome.moves.size(), first.genome.moves.size());
  for (std::size_t i = 0; i < first.genome.moves.size(); ++i) {
    EXPECT_EQ(again.genome.moves[i].turn, first.genome.moves[i].turn);
    EXPECT_EQ(again.genome.moves[i].round, first.genome.moves[i].round);
    EXPECT_EQ(again.genome.moves[i].attacker, first.genome.moves[i].attacker);
    EXPECT_EQ(again.genome.moves[i].action.kind, first.genome.moves[i].action.kind);
  }
  EXPECT_EQ(again.features, first.features);
  for (const ObjectiveInfo& info : all_objectives()) {
    EXPECT_EQ(again.scores[info.id], first.scores[info.id]) << info.name;
  }
}

TEST(HuntGenome, DeletingAProposalDeletesItsBallotsAndShiftsLaterOrdinals) {
  const std::vector<AgentIndex> citizens{5, 6};  // attacker 0 is citizen 5, attacker 1 citizen 6
  hunt::Genome g;
  const Action first = Action::propose({ProposalItem::spend(5, 1000)});
  const Action second = Action::propose({ProposalItem::spend(6, 1000)});
  g.moves = {
      {3, 0, 0, first},
      {3, 1, 0, second},
      {3, 1, 1, Action::vote(ProposalRef::by_origin(5, 3, 0), Choice::kYes)},
      {3, 2, 1, Action::vote(ProposalRef::by_origin(5, 3, 1), Choice::kYes)},
      {4, 0, 1, Action::call_question(ProposalRef::by_origin(5, 3, 1))},
      {4, 1, 1, Action::vote(ProposalRef::by_origin(6, 3, 0), Choice::kNo)},
  };
  hunt::delete_move(g, 0, citizens);
  ASSERT_EQ(g.moves.size(), 4u);  // the proposal and its ballot are gone
  EXPECT_EQ(g.moves[0].action.kind, ActionKind::kPropose);
  EXPECT_EQ(g.moves[1].action.proposal.ordinal, 0);  // the second proposal is now the first
  EXPECT_EQ(g.moves[2].action.proposal.ordinal, 0);
  EXPECT_EQ(g.moves[3].action.proposal.proposer, 6);  // another proposer's reference is untouched
  EXPECT_EQ(g.moves[3].action.proposal.ordinal, 0);
}

TEST(HuntGenome, SpliceTakesTheHeadBeforeTheTurnAndTheTailFromIt) {
  hunt::Genome a, b;
  a.moves = {{1, 0, 0, Action::exit()}, {5, 0, 0, Action::exit()}};
  b.moves = {{2, 0, 1, Action::exit()}, {6, 0, 1, Action::exit()}};
  const hunt::Genome s = hunt::splice(a, b, 4);
  ASSERT_EQ(s.moves.size(), 2u);
  EXPECT_EQ(s.moves[0].turn, 1);
  EXPECT_EQ(s.moves[1].turn, 6);
}

}  // namespace
}  // namespace fable
