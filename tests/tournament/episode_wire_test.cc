// The messages of a distributed tournament (src/tournament/episode_wire.h):
// chunks and end messages round-trip exactly, real episodes included, and a
// malformed message is one Status::Internal, never a crash.
#include "tournament/episode_wire.h"

#include <gtest/gtest.h>

#include <bit>

#include "fable/engine.h"
#include "fable/episode.h"
#include "fable/tournament.h"
#include "support/kernels.h"
#include "tournament/dedup.h"

namespace fable {
namespace {

ExploitFinding sample_finding() {
  ExploitFinding f;
  f.name = "salami_slicing";
  f.category = Category::kProcedure;
  f.severity = 4;
  f.turn = 17;
  f.actors = {"a-1", "drainer-0"};
  f.summary = "a summary with \"quotes\" and\nnewlines";
  f.kernel_clauses = {"art-3", "spend.epoch_rate_cap"};
  f.proposed_guard = "spend.epoch_rate_cap: null -> 0.33";
  f.evidence = {{"k1", "v1"}, {"k2", ""}};
  f.fingerprint = "0123456789abcdef";
  return f;
}

DedupScripts sample_scripts() {
  DedupScripts s;
  s.perpetrators = {"drainer-0"};
  Action propose =
      Action::propose({ProposalItem::spend(2, 1500),
                       ProposalItem::amendment(ParamId::kVotingQuorum, ParamValue::null())},
                      3);
  Action transfer;
  transfer.kind = ActionKind::kTransfer;
  transfer.target = 4;
  transfer.amount = -12;
  transfer.memo = Memo::of("memo text");
  s.scripts["drainer-0"] = {{1, 0, propose}, {2, 2, transfer}, {5, 1, Action::pass()}};
  s.scripts["nobody"] = {};
  return s;
}

ChunkMessage sample_chunk() {
  ChunkMessage chunk;
  chunk.first_job = 1234;
  ShippedEpisode e;
  e.seed = 99;
  e.score.governance_score = 0.1 + 0.2;
  e.score.empathy_floor_trough = -0.0;
  e.score.minority_participation = 1.0 / 3.0;
  e.score.objectives.value[2] = 0.75;
  e.score.capture.suppress = true;
  e.score.capture.timing = true;
  e.score.invariant_breaches = {"treasury_non_negative"};
  e.findings = {sample_finding(), sample_finding()};
  e.findings[1].severity = 2;
  e.scripts = {sample_scripts(), std::nullopt};
  chunk.episodes.push_back(e);
  chunk.episodes.push_back(ShippedEpisode{});  // no findings at all
  return chunk;
}

TEST(EpisodeWire, ChunkRoundTripsExactly) {
  const ChunkMessage chunk = sample_chunk();
  const Bytes bytes = encode_chunk(chunk);
  const Result<WireMessage> m = decode_message(bytes, 1);
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_TRUE(m->chunk);
  EXPECT_FALSE(m->end);
  const ChunkMessage& got = *m->chunk;
  EXPECT_EQ(got.first_job, 1234u);
  ASSERT_EQ(got.episodes.size(), 2u);
  const ShippedEpisode& e = got.episodes[0];
  EXPECT_EQ(e.seed, 99u);
  EXPECT_EQ(std::bit_cast<std::uint64_t>(e.score.governance_score),
            std::bit_cast<std::uint64_t>(0.1 + 0.2));
  EXPECT_TRUE(std::signbit(e.score.empathy_floor_trough));
  EXPECT_EQ(e.score.minority_participation, 1.0 / 3.0);
  EXPECT_EQ(e.score.objectives.value[2], 0.75);
  EXPECT_TRUE(e.score.capture.suppress);
  EXPECT_TRUE(e.score.capture.timing);
  EXPECT_FALSE(e.score.capture.drain);
  EXPECT_EQ(e.score.invariant_breaches, std::vector<std::string>{"treasury_non_negative"});
  ASSERT_EQ(e.findings.size(), 2u);
  const ExploitFinding& f = e.findings[0];
  const ExploitFinding want = sample_finding();
  EXPECT_EQ(f.name, want.name);
  EXPECT_EQ(f.category, want.category);
  EXPECT_EQ(f.severity, 4);
  EXPECT_EQ(f.turn, 17);
  EXPECT_EQ(f.actors, want.actors);
  EXPECT_EQ(f.summary, want.summary);
  EXPECT_EQ(f.kernel_clauses, want.kernel_clauses);
  EXPECT_EQ(f.proposed_guard, want.proposed_guard);
  EXPECT_EQ(f.evidence, want.evidence);
  EXPECT_EQ(f.fingerprint, want.fingerprint);
  EXPECT_EQ(e.findings[1].severity, 2);
  ASSERT_EQ(e.scripts.size(), 2u);
  ASSERT_TRUE(e.scripts[0]);
  EXPECT_FALSE(e.scripts[1]);
  EXPECT_EQ(e.scripts[0]->perpetrators, std::vector<std::string>{"drainer-0"});
  const auto& steps = e.scripts[0]->scripts.at("drainer-0");
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].turn, 1);
  EXPECT_EQ(steps[0].action.kind, ActionKind::kPropose);
  EXPECT_EQ(steps[0].action.item_count, 2);
  EXPECT_EQ(steps[0].action.window, 3);
  EXPECT_EQ(steps[0].action.items[0].amount, 1500);
  EXPECT_EQ(steps[0].action.items[1].param, ParamId::kVotingQuorum);
  EXPECT_TRUE(steps[0].action.items[1].value.is_null);
  EXPECT_EQ(steps[1].round, 2);
  EXPECT_EQ(steps[1].action.amount, -12);
  EXPECT_EQ(steps[1].action.memo.view(), "memo text");
  EXPECT_TRUE(e.scripts[0]->scripts.at("nobody").empty());
  EXPECT_TRUE(got.episodes[1].findings.empty());
  // Encoding what was decoded gives the same bytes: nothing was lost.
  EXPECT_EQ(encode_chunk(got), bytes);
}

TEST(EpisodeWire, RealEpisodesRoundTripExactly) {
  const Kernel v01 = ::fable::testing::load_test_kernel("kernels/kernel-v0.1.yaml");
  const DetectorSuite suite = default_suite();
  const MatchupSpec m = *find_default_matchup("mixed-capture");
  Population agents = m.build_agents();
  ChunkMessage chunk;
  std::size_t findings = 0;
  for (std::uint64_t seed = 0; seed < 3; ++seed) {
    EpisodeResult ep = run_episode(v01, agents, seed, EpisodeOptions{}, suite);
    ShippedEpisode s;
    s.seed = ep.seed;
    s.score = ep.score;
    s.findings = ep.findings;
    for (const ExploitFinding& f : ep.findings) s.scripts.emplace_back(dedup_scripts(ep.trace, f));
    findings += ep.findings.size();
    chunk.episodes.push_back(std::move(s));
  }
  ASSERT_GT(findings, 0u) << "the sample must carry findings and scripts";
  const Bytes bytes = encode_chunk(chunk);
  const Result<WireMessage> m2 = decode_message(bytes, 2);
  ASSERT_TRUE(m2.ok()) << m2.status().message();
  EXPECT_EQ(encode_chunk(*m2->chunk), bytes);
  // The scripts rebuild the same records as the dedup of the whole episodes.
  FingerprintDedup whole, shipped;
  for (std::uint64_t seed = 0; seed < 3; ++seed) {
    Population fresh = m.build_agents();
    EpisodeResult ep = run_episode(v01, fresh, seed, EpisodeOptions{}, suite);
    whole.add(ep, m.name, m.roster);
  }
  for (const ShippedEpisode& s : m2->chunk->episodes) {
    ASSERT_TRUE(shipped.add_shipped(s.seed, s.findings, s.scripts, m.name, m.roster).ok());
  }
  const std::vector<ExploitRecord> a = whole.records(1, Reproduction{});
  const std::vector<ExploitRecord> b = shipped.records(1, Reproduction{});
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(record_to_json(a[i]), record_to_json(b[i])) << i;
  }
}

TEST(EpisodeWire, EndMessageRoundTripsStatusAndCoverage) {
  std::array<ClauseCounters, kClauseCount> counters{};
  counters[0][CoverageCounter::kRefused] = 5;
  counters[kClauseCount - 1][CoverageCounter::kApplied] = 1ULL << 40;
  const ClauseCoverage coverage = ClauseCoverage::of_counts(counters, 77);
  const Bytes bytes = encode_end(EndMessage{Status::Io("disk full"), coverage});
  const Result<WireMessage> m = decode_message(bytes, 3);
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(m->end);
  EXPECT_EQ(m->end->status.code(), StatusCode::kIoError);
  EXPECT_EQ(m->end->status.message(), "disk full");
  ASSERT_TRUE(m->end->coverage);
  EXPECT_EQ(*m->end->coverage, coverage);

  const Result<WireMessage> ok = decode_message(encode_end(EndMessage{}), 3);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->end->status.ok());
  EXPECT_FALSE(ok->end->coverage);
}

TEST(EpisodeWire, MalformedMessagesAreOneInternalError) {
  const Bytes good = encode_chunk(sample_chunk());
  // Every truncation, an extra byte, an unknown kind, an out-of-range enum.
  for (std::size_t n = 0; n < good.size(); n += 7) {
    const Result<WireMessage> m = decode_message(std::span(good).first(n), 2);
    ASSERT_FALSE(m.ok()) << n;
    EXPECT_EQ(m.status().code(), StatusCode::kInternal);
    EXPECT_EQ(m.status().message(), "a malformed message came from rank 2");
  }
  Bytes longer = good;
  longer.push_back(std::byte{0});
  EXPECT_FALSE(decode_message(longer, 2).ok());
  Bytes unknown = good;
  unknown[0] = std::byte{9};
  EXPECT_FALSE(decode_message(unknown, 2).ok());
  ChunkMessage bad_category = sample_chunk();
  bad_category.episodes[0].findings[0].category = static_cast<Category>(kCategoryCount);
  EXPECT_FALSE(decode_message(encode_chunk(bad_category), 2).ok());
}

}  // namespace
}  // namespace fable
