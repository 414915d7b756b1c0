// A hunt's islands across ranks (fable/hunt.h, docs/distributed.md), on the
// in-process group: the merged result is the same whatever the threads per
// rank and from run to run; the budget is shared out; islands exchange and
// adopt scripts; every merged record replays; one rank is one hunt; a
// failure on one island stops every island with the same error, no hang;
// the messages refuse malformed bytes.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <set>
#include <thread>

#include "fable/detector.h"
#include "fable/distributed.h"
#include "fable/hunt.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "hunt/island_wire.h"
#include "support/kernels.h"

namespace fable {
namespace {

const Kernel& v01() {
  return testing::shipped_kernel("kernel-v0.1.yaml");
}

HuntConfig island_config(int threads) {
  HuntConfig c;
  c.roster = *parse_roster("honest:5,attacker:4");
  c.budget = 301;  // not a multiple of the ranks: the first islands get one more
  c.seed = 3;
  c.threads = threads;
  c.turns = 16;
  c.batch = 16;
  c.migrate_every = 2;
  c.coverage = true;
  return c;
}

// Runs `cfg` on every rank of an in-process group, each on its own thread;
// `edit(rank, cfg)` may change a rank's copy.
std::vector<Result<HuntResult>> run_islands(
    const HuntConfig& cfg, int ranks,
    const std::function<void(int, HuntConfig&)>& edit = [](int, HuntConfig&) {}) {
  std::vector<std::unique_ptr<Communicator>> group = make_local_group(ranks);
  std::vector<std::optional<Result<HuntResult>>> results(static_cast<std::size_t>(ranks));
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) {
    threads.emplace_back([&, r] {
      HuntConfig mine = cfg;
      mine.communicator = group[static_cast<std::size_t>(r)].get();
      edit(r, mine);
      results[static_cast<std::size_t>(r)] = run_hunt(v01(), mine);
    });
  }
  for (std::thread& t : threads) t.join();
  std::vector<Result<HuntResult>> out;
  for (auto& r : results) out.push_back(std::move(*r));
  return out;
}

std::vector<std::string> ids_for(const HuntResult& r) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < r.records.size(); ++i) ids.push_back("EXP-" + std::to_string(i + 1));
  return ids;
}

// Everything rank 0 writes: hunt.json, every record and the coverage counts.
std::string artifacts(const HuntConfig& cfg, const HuntResult& r) {
  std::string all = hunt_json(cfg, r, ids_for(r));
  for (const ExploitRecord& rec : r.records) all += record_to_json(rec);
  if (r.coverage) {
    for (const CoverageEntry& e : r.coverage->clauses) {
      all += e.clause;
      for (const std::uint64_t n : e.counters.n) all += " " + std::to_string(n);
    }
  }
  return all;
}

TEST(HuntIslands, SameResultWithAnyThreadsPerRankAndFromRunToRun) {
  const HuntConfig one = island_config(1);
  const auto a = run_islands(one, 3);
  const auto b = run_islands(island_config(2), 3);
  const auto c = run_islands(one, 3);
  ASSERT_TRUE(a[0].ok()) << a[0].status().message();
  ASSERT_TRUE(b[0].ok() && c[0].ok());
  const std::string expected = artifacts(one, *a[0]);
  EXPECT_EQ(expected, artifacts(one, *b[0]));
  EXPECT_EQ(expected, artifacts(one, *c[0]));
  EXPECT_NE(expected.find("\"islands\""), std::string::npos);
}

TEST(HuntIslands, TheBudgetIsSharedOutAndTheIslandsAreMerged) {
  HuntConfig cfg = island_config(1);
  cfg.strategy = HuntStrategy::kEvolve;  // every execution a whole episode: coverage counts each
  const auto results = run_islands(cfg, 3);
  for (const auto& r : results) ASSERT_TRUE(r.ok()) << r.status().message();
  const HuntResult& merged = *results[0];
  ASSERT_EQ(merged.islands.size(), 3u);
  EXPECT_EQ(merged.executions, 301u);
  EXPECT_EQ(merged.islands[0].budget, 101u);
  EXPECT_EQ(merged.islands[1].budget, 100u);
  EXPECT_EQ(merged.islands[2].budget, 100u);
  std::set<std::uint64_t> seeds;
  std::uint64_t adopted = 0;
  for (int r = 0; r < 3; ++r) {
    const IslandSummary& s = merged.islands[static_cast<std::size_t>(r)];
    EXPECT_EQ(s.rank, r);
    EXPECT_EQ(s.executions, s.budget);
    if (r > 0) {
      EXPECT_EQ(s.executions, results[static_cast<std::size_t>(r)]->executions);
    }
    seeds.insert(s.seed);
    adopted += s.adopted;
  }
  EXPECT_EQ(merged.islands[0].seed, cfg.seed);  // rank 0 searches as one process would
  EXPECT_EQ(seeds.size(), 3u);                  // each island its own streams
  EXPECT_GT(merged.exchanges, 0);
  EXPECT_GT(adopted, 0u) << "no island adopted another's script";
  // Findings: one record per fingerprint over all islands, each seen on some island.
  std::set<std::string> merged_fps;
  for (const ExploitRecord& rec : merged.records) {
    EXPECT_TRUE(merged_fps.insert(rec.fingerprint).second) << rec.fingerprint;
  }
  std::set<std::string> island_fps;
  for (const auto& r : results) {
    for (const ExploitRecord& rec : r->records) island_fps.insert(rec.fingerprint);
  }
  // Rank 0 holds the merge; the others their own records.
  std::set<std::string> others;
  for (std::size_t r = 1; r < results.size(); ++r) {
    for (const ExploitRecord& rec : results[r]->records) others.insert(rec.fingerprint);
  }
  for (const std::string& fp : others) EXPECT_TRUE(merged_fps.count(fp)) << fp;
  // Each objective's best is the best of the islands, and names its island.
  for (int k = 0; k < kObjectiveCount; ++k) {
    double best = 0.0;
    for (const auto& r : results) best = std::max(best, r->best[static_cast<std::size_t>(k)].value);
    EXPECT_EQ(merged.best[static_cast<std::size_t>(k)].value, best) << k;
  }
  std::size_t corpus = 1;  // the empty script every island starts from, once
  for (const IslandSummary& s : merged.islands) corpus += s.corpus_size - 1;
  EXPECT_EQ(merged.corpus_size, corpus);
  ASSERT_TRUE(merged.coverage.has_value());
  EXPECT_EQ(merged.coverage->episodes, 301u);
}

TEST(HuntIslands, EveryMergedRecordReplays) {
  const auto results = run_islands(island_config(2), 2);
  ASSERT_TRUE(results[0].ok());
  ASSERT_FALSE(results[0]->records.empty());
  for (const ExploitRecord& rec : results[0]->records) {
    const ReplayResult out = replay_record(rec, v01(), default_suite());
    EXPECT_EQ(out.verdict, Verdict::kReproduces) << rec.name << ": " << out.reason;
  }
}

TEST(HuntIslands, OneRankIsOneHunt) {
  HuntConfig cfg = island_config(1);
  const auto grouped = run_islands(cfg, 1);
  const Result<HuntResult> plain = run_hunt(v01(), cfg);
  ASSERT_TRUE(grouped[0].ok() && plain.ok());
  EXPECT_TRUE(grouped[0]->islands.empty());
  EXPECT_EQ(artifacts(cfg, *grouped[0]), artifacts(cfg, *plain));
}

TEST(HuntIslands, AFailureOnOneIslandStopsEveryIsland) {
  // Rank 1 alone has a config it refuses: every rank returns its error.
  const auto results = run_islands(island_config(1), 3, [](int rank, HuntConfig& c) {
    if (rank == 1) c.turns = 0;
  });
  for (const auto& r : results) {
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("turns"), std::string::npos) << r.status().message();
  }
}

TEST(HuntIslands, RanksThatWouldHuntSomethingElseAreRefused) {
  // Another command line on rank 2 (a budget) and on rank 1 (migration).
  for (const auto& edit :
       std::vector<std::function<void(int, HuntConfig&)>>{[](int rank, HuntConfig&c) {
                                                            if (rank == 2) c.budget = 999;
                                                          },
                                                          [](int rank, HuntConfig&c) {
                                                            if (rank == 1) c.migrate_every = 3;
                                                          }}) {
    const auto results = run_islands(island_config(1), 3, edit);
    for (const auto& r : results) {
      ASSERT_FALSE(r.ok());
      EXPECT_NE(r.status().message().find("other hunt settings than rank 0"), std::string::npos)
          << r.status().message();
    }
  }
}

TEST(HuntIslands, MalformedMessagesAreRefused) {
  hunt::ExchangeMessage m;
  m.migrants.push_back(hunt::Migrant{});
  m.migrants.back().genome.moves.push_back(hunt::Move{3, 0, 1, Action{}});
  m.migrants.back().scores.value[2] = 0.5;
  const Bytes bytes = hunt::encode_exchange(m);
  const Result<hunt::ExchangeMessage> back = hunt::decode_exchange(bytes, 1);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->migrants.size(), 1u);
  EXPECT_EQ(back->migrants[0].genome.moves[0].turn, 3);
  EXPECT_EQ(back->migrants[0].scores.value[2], 0.5);
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    const Result<hunt::ExchangeMessage> partial =
        hunt::decode_exchange(std::span(bytes).first(cut), 2);
    ASSERT_FALSE(partial.ok()) << cut;
    EXPECT_EQ(partial.status().message(), "a malformed hunt message came from rank 2");
  }
  hunt::IslandReport rep;
  rep.summary.rank = 1;
  rep.summary.corpus_size = 1;  // the empty script, at least
  const Bytes report = hunt::encode_report(rep);
  EXPECT_TRUE(hunt::decode_report(report, 1, Roster{}, "hunt").ok());
  EXPECT_FALSE(hunt::decode_report(report, 2, Roster{}, "hunt").ok());  // another rank's
  Bytes longer = report;
  longer.push_back(std::byte{0});
  EXPECT_FALSE(hunt::decode_report(longer, 1, Roster{}, "hunt").ok());
}

TEST(LocalGroup, AllGatherGivesEveryRankEveryRanksBytesInRankOrder) {
  std::vector<std::unique_ptr<Communicator>> group = make_local_group(3);
  std::vector<std::vector<Bytes>> got(3);
  std::vector<std::thread> threads;
  for (int r = 0; r < 3; ++r) {
    threads.emplace_back([&, r] {
      for (int round = 0; round < 5; ++round) {
        Bytes mine(static_cast<std::size_t>(r + 1), static_cast<std::byte>(10 * round + r));
        Result<std::vector<Bytes>> all = group[static_cast<std::size_t>(r)]->all_gather(mine);
        if (all.ok() && round == 4) got[static_cast<std::size_t>(r)] = *all;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int r = 0; r < 3; ++r) {
    ASSERT_EQ(got[static_cast<std::size_t>(r)].size(), 3u);
    for (int from = 0; from < 3; ++from) {
      EXPECT_EQ(got[static_cast<std::size_t>(r)][static_cast<std::size_t>(from)],
                Bytes(static_cast<std::size_t>(from + 1), static_cast<std::byte>(40 + from)));
    }
  }
}

}  // namespace
}  // namespace fable
