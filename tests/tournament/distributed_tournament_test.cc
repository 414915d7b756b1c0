// Tournaments across ranks (fable/distributed.h, docs/distributed.md), on the
// in-process group: every job is dealt to exactly one rank; rank 0's result
// and artifacts are byte-identical to one process's; a failure on any rank
// stops every rank with the same error, without a hang.
#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <thread>

#include "fable/distributed.h"
#include "fable/tournament.h"
#include "support/files.h"
#include "support/kernels.h"
#include "tournament/distributed_play.h"

namespace fable {
namespace {

namespace fs = std::filesystem;
using ::fable::testing::folder_contents;

fs::path fresh_dir(const std::string& name) {
  const fs::path p =
      fs::temp_directory_path() / ("fable-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

TEST(JobDeal, EveryJobGoesToExactlyOneRankInJobOrder) {
  for (const std::size_t total : {1u, 7u, 40u, 100u, 1000u, 5000u}) {
    for (int ranks = 1; ranks <= 5; ++ranks) {
      const JobDeal deal(total, ranks);
      ASSERT_GE(deal.chunk_jobs(), 1u);
      ASSERT_LE(deal.chunk_jobs(), JobDeal::kMaxChunkJobs);
      std::vector<int> owner(total, -1);
      for (int r = 0; r < ranks; ++r) {
        std::size_t previous = 0;
        for (std::size_t local = 0; local < deal.jobs_of(r); ++local) {
          const std::size_t job = deal.job(r, local);
          ASSERT_LT(job, total) << total << " " << ranks << " " << r << " " << local;
          EXPECT_EQ(owner[job], -1);
          owner[job] = r;
          EXPECT_EQ(deal.owner(deal.chunk_of(job)), r);
          if (local > 0) {
            EXPECT_GT(job, previous);
          }
          previous = job;
        }
      }
      for (std::size_t job = 0; job < total; ++job) EXPECT_NE(owner[job], -1) << job;
    }
  }
  // A small run is still spread: 40 jobs on 3 ranks are dealt one by one.
  EXPECT_EQ(JobDeal(40, 3).chunk_jobs(), 1u);
  EXPECT_EQ(JobDeal(1'000'000, 2).chunk_jobs(), JobDeal::kMaxChunkJobs);
}

// Runs `cfg` on every rank of an in-process group of `ranks`, each on its
// own thread with its own suite; returns the ranks' results.
std::vector<Result<TournamentResult>> run_group(const TournamentConfig& cfg, const Kernel& kernel,
                                                int ranks,
                                                const std::function<DetectorSuite(int)>& suite) {
  std::vector<std::unique_ptr<Communicator>> group = make_local_group(ranks);
  std::vector<std::optional<Result<TournamentResult>>> results(static_cast<std::size_t>(ranks));
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) {
    threads.emplace_back([&, r] {
      TournamentConfig mine = cfg;
      mine.communicator = group[static_cast<std::size_t>(r)].get();
      results[static_cast<std::size_t>(r)] = Tournament(mine, suite(r)).run(kernel);
    });
  }
  for (std::thread& t : threads) t.join();
  std::vector<Result<TournamentResult>> out;
  for (auto& r : results) out.push_back(std::move(*r));
  return out;
}

DetectorSuite plain_suite(int) {
  return default_suite();
}

TEST(DistributedTournament, RankZeroWritesWhatOneProcessWrites) {
  const Kernel v01 = ::fable::testing::load_test_kernel("kernels/kernel-v0.1.yaml");
  TournamentConfig cfg;
  cfg.coverage = true;
  cfg.secondary_metrics = {"gini", "worst_off_welfare"};
  const fs::path single_out = fresh_dir("dist-single");
  TournamentConfig single = cfg;
  single.out_dir = single_out.string();
  const Result<TournamentResult> one = Tournament(single).run(v01);
  ASSERT_TRUE(one.ok()) << one.status().message();
  const auto want = folder_contents(single_out);
  fs::remove_all(single_out);
  ASSERT_FALSE(one->exploit_records.empty());

  for (const auto& [ranks, threads] : std::vector<std::pair<int, int>>{{2, 1}, {3, 2}, {5, 1}}) {
    const fs::path out = fresh_dir("dist-" + std::to_string(ranks));
    TournamentConfig dist = cfg;
    dist.threads = threads;
    dist.out_dir = out.string();
    const auto results = run_group(dist, v01, ranks, plain_suite);
    ASSERT_TRUE(results[0].ok()) << results[0].status().message();
    EXPECT_EQ(folder_contents(out), want) << ranks << " ranks";
    fs::remove_all(out);
    const TournamentResult& root = *results[0];
    EXPECT_TRUE(root.merged);
    EXPECT_EQ(root.episodes_run, one->episodes_run);
    EXPECT_EQ(leaderboard_json(root), leaderboard_json(*one));
    ASSERT_TRUE(root.coverage && one->coverage);
    EXPECT_EQ(coverage_json(*root.coverage), coverage_json(*one->coverage));
    std::uint64_t played = 0;
    for (int r = 1; r < ranks; ++r) {
      const auto& other = results[static_cast<std::size_t>(r)];
      ASSERT_TRUE(other.ok()) << other.status().message();
      EXPECT_FALSE(other->merged);
      EXPECT_TRUE(other->exploit_records.empty());
      EXPECT_TRUE(other->leaderboard.empty());
      played += other->episodes_run;
    }
    EXPECT_GT(played, 0u) << "the other ranks played a share";
  }
}

TEST(DistributedTournament, BadInputOnOneRankStopsEveryRankWithItsError) {
  const Kernel v01 = ::fable::testing::load_test_kernel("kernels/kernel-v0.1.yaml");
  std::vector<std::unique_ptr<Communicator>> group = make_local_group(3);
  std::vector<std::optional<Result<TournamentResult>>> results(3);
  std::vector<std::thread> threads;
  for (int r = 0; r < 3; ++r) {
    threads.emplace_back([&, r] {
      TournamentConfig cfg;
      if (r == 2) cfg.seeds.clear();  // only rank 2 sees bad input
      cfg.communicator = group[static_cast<std::size_t>(r)].get();
      results[static_cast<std::size_t>(r)] = Tournament(cfg).run(v01);
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& r : results) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r->status().message(), "no seeds to play");
  }
}

class Boom : public Detector {
 public:
  void run(const EpisodeTrace&, const EpisodeScore&, std::vector<ExploitFinding>&) const override {
    throw std::runtime_error("boom");
  }
};

DetectorSuite failing_suite() {
  DetectorSuite suite = default_suite();
  suite.add("boom", Category::kDrain, std::make_unique<Boom>());
  return suite;
}

TEST(DistributedTournament, AFailureDuringPlayOnAnotherRankStopsEveryRank) {
  const Kernel v01 = ::fable::testing::load_test_kernel("kernels/kernel-v0.1.yaml");
  TournamentConfig cfg;
  cfg.seeds = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  cfg.n_turns = 10;
  const auto results =
      run_group(cfg, v01, 3, [](int r) { return r == 1 ? failing_suite() : default_suite(); });
  for (const auto& r : results) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInternal);
    EXPECT_EQ(r.status().message(), "rank 1: internal failure: boom");
  }
}

TEST(DistributedTournament, AFailureOnRankZeroStopsEveryRank) {
  const Kernel v01 = ::fable::testing::load_test_kernel("kernels/kernel-v0.1.yaml");
  TournamentConfig cfg;
  cfg.seeds = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  cfg.n_turns = 10;
  const fs::path out = fresh_dir("dist-fail");
  cfg.out_dir = out.string();
  const auto results =
      run_group(cfg, v01, 3, [](int r) { return r == 0 ? failing_suite() : default_suite(); });
  for (const auto& r : results) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInternal);
    EXPECT_EQ(r.status().message(), "internal failure: boom");
  }
  EXPECT_FALSE(fs::exists(out)) << "nothing is published after a failure";
  for (const auto& e : fs::directory_iterator(fs::temp_directory_path())) {
    if (e.path().filename().string().rfind(out.filename().string() + ".partial", 0) == 0)
      fs::remove_all(e.path());
  }
}

}  // namespace
}  // namespace fable
