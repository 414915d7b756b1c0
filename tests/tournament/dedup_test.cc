// Fingerprint dedup: the most severe instance is kept (the first on ties),
// every occurrence is counted, and records are ordered by (-severity,
// category name, detector name, first seen) and numbered from the first id.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/byte_io.h"
#include "fable/limits.h"
#include "support/roles.h"
#include "tournament/dedup.h"

namespace fable {
namespace {

ExploitFinding finding(const std::string& fingerprint, int severity,
                       Category category = Category::kDrain, const std::string& name = "d") {
  ExploitFinding f;
  f.name = name;
  f.category = category;
  f.severity = severity;
  f.fingerprint = fingerprint;
  f.summary = name + " sev" + std::to_string(severity);
  return f;
}

EpisodeResult episode(std::uint64_t seed, std::vector<ExploitFinding> findings) {
  EpisodeResult ep;
  ep.seed = seed;
  ep.findings = std::move(findings);
  return ep;
}

Roster roster(const std::string& text) {
  Result<Roster> r = parse_roster(text);
  EXPECT_TRUE(r.ok());
  return *r;
}

TEST(FingerprintDedup, KeepsTheMostSevereInstanceAndCountsEveryOccurrence) {
  FingerprintDedup dedup;
  dedup.add(episode(1, {finding("a", 2)}), "m1", roster("honest:4"));
  dedup.add(episode(2, {finding("a", 4)}), "m2", roster("honest:5,drainer:2"));
  dedup.add(episode(3, {finding("a", 3), finding("a", 1)}), "m3", roster("honest:4"));
  ASSERT_EQ(dedup.size(), 1u);
  const DedupEntry& e = *dedup.ordered().at(0);
  EXPECT_EQ(e.finding.severity, 4);
  EXPECT_EQ(e.seed, 2u);
  EXPECT_EQ(e.matchup, "m2");
  EXPECT_EQ(e.roster.to_string(), "honest:5,drainer:2");
  EXPECT_EQ(e.occurrences, 4);
}

TEST(FingerprintDedup, OnATieTheFirstInstanceSeenStays) {
  FingerprintDedup dedup;
  dedup.add(episode(7, {finding("a", 3)}), "first", roster("honest:4"));
  dedup.add(episode(8, {finding("a", 3)}), "second", roster("honest:4"));
  dedup.add(episode(9, {finding("a", 2)}), "third", roster("honest:4"));
  const DedupEntry& e = *dedup.ordered().at(0);
  EXPECT_EQ(e.seed, 7u);
  EXPECT_EQ(e.matchup, "first");
  EXPECT_EQ(e.occurrences, 3);
}

TEST(FingerprintDedup, OrdersBySeverityCategoryNameNameAndFirstSeen) {
  FingerprintDedup dedup;
  dedup.add(episode(0,
                    {
                        finding("x", 2, Category::kDrain, "b"),
                        finding("e", 2, Category::kEntrench, "a"),
                        finding("y", 5, Category::kProcedure, "a"),
                        finding("z", 2, Category::kDrain, "a"),
                        finding("w", 2, Category::kDrain, "a"),
                        finding("v", 2, Category::kEmpathy, "a"),
                    }),
            "m", roster("honest:4"));
  std::vector<std::string> order;
  for (const DedupEntry* e : dedup.ordered()) order.push_back(e->finding.fingerprint);
  // Severity 5 first; then by category *name* (drain < empathy < entrench,
  // not the enum's order), detector name, and first seen (z before w).
  EXPECT_EQ(order, (std::vector<std::string>{"y", "z", "w", "x", "v", "e"}));
}

TEST(FingerprintDedup, AMoreSevereLaterInstanceKeepsItsFingerprintsFirstSeenPlace) {
  FingerprintDedup dedup;
  dedup.add(episode(0, {finding("a", 1)}), "m", roster("honest:4"));
  dedup.add(episode(1, {finding("b", 3)}), "m", roster("honest:4"));
  dedup.add(episode(2, {finding("a", 3)}), "m", roster("honest:4"));
  const auto ordered = dedup.ordered();
  ASSERT_EQ(ordered.size(), 2u);
  EXPECT_EQ(ordered[0]->finding.fingerprint, "a");  // seen first, though replaced later
  EXPECT_EQ(ordered[0]->seed, 2u);
  EXPECT_EQ(ordered[1]->finding.fingerprint, "b");
}

TEST(FingerprintDedup, RecordsAreNumberedFromTheFirstIdAndCarryTheRun) {
  FingerprintDedup dedup;
  dedup.add(episode(4, {finding("a", 2), finding("b", 5)}), "m", roster("honest:5,drainer:2"));
  Reproduction run;
  run.n_turns = 33;
  run.kernel_name = "k";
  run.kernel_version = "0.1.0";
  run.kernel_hash = "0123456789abcdef";
  run.engine_version = "engine-x";
  const std::vector<ExploitRecord> records = dedup.records(7, run);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].exploit_id, "EXP-007");
  EXPECT_EQ(records[0].fingerprint, "b");
  EXPECT_EQ(records[1].exploit_id, "EXP-008");
  EXPECT_EQ(records[1].fingerprint, "a");
  for (const ExploitRecord& r : records) {
    EXPECT_EQ(r.occurrences, 1);
    EXPECT_EQ(r.first_seed, 4u);
    EXPECT_EQ(r.reproduction.seed, 4u);
    EXPECT_EQ(r.reproduction.matchup, "m");
    EXPECT_EQ(r.reproduction.roster.to_string(), "honest:5,drainer:2");
    EXPECT_EQ(r.reproduction.n_turns, 33);
    EXPECT_EQ(r.reproduction.kernel_hash, "0123456789abcdef");
    EXPECT_EQ(r.reproduction.engine_version, "engine-x");
  }
}

// A refused action can carry what no record holds (a propose without items, a
// transfer to an index outside the roster, a negative amount). Such steps are
// left out of the record's script, so every record written reads back.
TEST(FingerprintDedup, LeavesOutRefusedStepsARecordCannotHold) {
  EpisodeResult ep = episode(5, {finding("a", 3)});
  ep.findings[0].actors = {"drainer-01"};
  ep.trace.participants = {{"honest-01", fable::testing::role_named("honest"), ""},
                           {"drainer-01", fable::testing::role_named("drainer"), ""}};
  ep.trace.refused_proposals.push_back(RefusedProposal{});  // no items
  auto refused = [](ActionKind kind) {
    Event e;
    e.turn = 1;
    e.round = 0;
    e.kind = EventKind::kActionRejected;
    e.action = kind;
    e.refusal = Refusal::kBadAmount;
    e.actor = 1;
    return e;
  };
  Event no_items = refused(ActionKind::kPropose);
  no_items.refusal = Refusal::kNoItems;
  no_items.attempt = 0;
  Event outside = refused(ActionKind::kTransfer);
  outside.round = 1;
  outside.target = 99;
  outside.amount = 5;
  Event negative = refused(ActionKind::kTransfer);
  negative.round = 2;
  negative.target = 0;
  negative.amount = -5;
  Event fine = refused(ActionKind::kTransfer);
  fine.round = 3;
  fine.target = 0;
  fine.amount = 7;
  ep.trace.events = {no_items, outside, negative, fine};
  FingerprintDedup dedup;
  dedup.add(ep, "m", roster("honest:1,drainer:1"));
  const DedupEntry& e = *dedup.ordered().at(0);
  ASSERT_EQ(e.scripts.count("drainer-01"), 1u);
  const std::vector<ScriptStep>& script = e.scripts.at("drainer-01");
  ASSERT_EQ(script.size(), 1u);
  EXPECT_EQ(script[0].round, 3);
  EXPECT_EQ(script[0].action.kind, ActionKind::kTransfer);
  EXPECT_EQ(script[0].action.amount, 7);
}

// Counts stop at kMaxOccurrences, what a record holds, instead of
// overflowing an int (a signed overflow: undefined behaviour) on a run long
// enough, or on an edited checkpoint's count (session 30's tester: INT_MAX
// read back, then a record of -2147483389 occurrences).
TEST(FingerprintDedup, OccurrencesStopAtWhatARecordHolds) {
  FingerprintDedup dedup;
  dedup.add(episode(1, {finding("a", 2)}), "m1", roster("honest:4"));
  DedupEntry many = *dedup.ordered().at(0);
  many.occurrences = limits::kMaxOccurrences - 1;
  dedup.merge(many);
  EXPECT_EQ(dedup.ordered().at(0)->occurrences, limits::kMaxOccurrences);
  dedup.add(episode(2, {finding("a", 1), finding("a", 3)}), "m1", roster("honest:4"));
  EXPECT_EQ(dedup.ordered().at(0)->occurrences, limits::kMaxOccurrences);
  EXPECT_EQ(dedup.records(1, Reproduction{}).at(0).occurrences, limits::kMaxOccurrences);
}

// A saved dedup is read back from a checkpoint, which a person may have
// edited and given a recomputed checksum: text that is not UTF-8 (the JSON
// writer refuses it) and a role that is not registered (a population could
// not be made from it) fail the reader, as a malformed state (exit 2), never
// later as an internal failure (found by session 29's tester).
TEST(FingerprintDedup, ReadingBackRefusesTextThatIsNotUtf8AndUnknownRoles) {
  const auto saved_and_read = [](const FingerprintDedup& d) {
    ByteWriter w;
    d.save(w);
    const std::vector<std::byte> bytes = w.take();
    ByteReader r(bytes);
    FingerprintDedup back;
    back.load(r);
    return r.ok() && r.at_end() && back.size() == d.size();
  };
  FingerprintDedup good;
  good.add(episode(1, {finding("a", 2)}), "m1", roster("honest:4,drainer:1"));
  EXPECT_TRUE(saved_and_read(good));

  FingerprintDedup bad_text;
  ExploitFinding f = finding("a", 2);
  f.summary = "caf\xc3 au lait";  // a lead byte without its continuation
  bad_text.add(episode(1, {f}), "m1", roster("honest:4"));
  EXPECT_FALSE(saved_and_read(bad_text));

  FingerprintDedup bad_matchup;
  bad_matchup.add(episode(1, {finding("a", 2)}), "m\xff", roster("honest:4"));
  EXPECT_FALSE(saved_and_read(bad_matchup));

  FingerprintDedup bad_role;
  bad_role.add(episode(1, {finding("a", 2)}), "m1", Roster{{{"no_such_role", 3}}});
  EXPECT_FALSE(saved_and_read(bad_role));

  FingerprintDedup bad_count;
  bad_count.add(episode(1, {finding("a", 2)}), "m1", Roster{{{"honest", -5}}});
  EXPECT_FALSE(saved_and_read(bad_count));
}

}  // namespace
}  // namespace fable
