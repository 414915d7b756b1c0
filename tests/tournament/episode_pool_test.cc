// The ordered episode pool: results reach the consumer in job order for any
// thread count, and the first failure of any thread stops it as a Status.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <new>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tournament/episode_pool.h"

namespace fable {
namespace {

// A player that takes longer on some jobs than on others, so that with
// several threads later jobs often finish first.
EpisodePlayerFactory uneven_player(std::atomic<int>& players, std::atomic<int>& played) {
  return [&]() -> EpisodePlayer {
    players += 1;
    return [&](std::size_t job, EpisodeScratch&) {
      played += 1;
      std::this_thread::sleep_for(std::chrono::microseconds((job * 7919) % 13 * 40));
      EpisodeResult r;
      r.seed = job;
      r.matchup = "job-" + std::to_string(job);
      return r;
    };
  };
}

TEST(EpisodePool, ResultsAreConsumedInJobOrderForAnyThreadCount) {
  for (const int threads : {1, 2, 3, 8}) {
    std::atomic<int> players = 0, played = 0;
    std::vector<std::size_t> jobs;
    std::vector<std::uint64_t> seeds;
    std::set<std::thread::id> consumer_threads;
    const Status st = play_in_job_order(200, threads, uneven_player(players, played),
                                        [&](std::size_t job, EpisodeResult& r) {
                                          jobs.push_back(job);
                                          seeds.push_back(r.seed);
                                          consumer_threads.insert(std::this_thread::get_id());
                                          return Status::Ok();
                                        });
    ASSERT_TRUE(st.ok()) << st.message();
    ASSERT_EQ(jobs.size(), 200u) << threads;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      EXPECT_EQ(jobs[i], i) << threads;
      EXPECT_EQ(seeds[i], i) << threads;  // each job's own result
    }
    EXPECT_EQ(players.load(), threads);  // one player per worker
    EXPECT_EQ(played.load(), 200);       // every job played once
    EXPECT_EQ(consumer_threads, std::set<std::thread::id>{std::this_thread::get_id()});
  }
}

TEST(EpisodePool, AConsumerErrorStopsThePoolAndIsReturned) {
  for (const int threads : {1, 4}) {
    std::atomic<int> players = 0, played = 0;
    std::vector<std::size_t> jobs;
    const Status st = play_in_job_order(100000, threads, uneven_player(players, played),
                                        [&](std::size_t job, EpisodeResult&) {
                                          jobs.push_back(job);
                                          return job == 10 ? Status::Io("disk full") : Status::Ok();
                                        });
    EXPECT_EQ(st.code(), StatusCode::kIoError) << threads;
    EXPECT_EQ(st.message(), "disk full");
    EXPECT_EQ(jobs.size(), 11u) << threads;
    // No more than the window (4 x threads) is played past the failed job.
    EXPECT_LE(played.load(), 11 + 4 * threads + threads) << threads;
  }
}

TEST(EpisodePool, AnExceptionInAWorkerReachesTheCallerAsAStatus) {
  for (const int threads : {1, 2, 4}) {
    std::vector<std::size_t> jobs;
    const EpisodePlayerFactory throws_on_5 = []() -> EpisodePlayer {
      return [](std::size_t job, EpisodeScratch&) {
        if (job == 5) throw std::runtime_error("boom");
        EpisodeResult r;
        r.seed = job;
        return r;
      };
    };
    const Status st =
        play_in_job_order(1000, threads, throws_on_5, [&](std::size_t job, EpisodeResult&) {
          jobs.push_back(job);
          return Status::Ok();
        });
    EXPECT_EQ(st.code(), StatusCode::kInternal) << threads;
    EXPECT_EQ(st.message(), "internal failure: boom") << threads;
    ASSERT_LE(jobs.size(), 5u) << threads;  // job 5 never arrives, nor anything after it
    for (std::size_t i = 0; i < jobs.size(); ++i) EXPECT_EQ(jobs[i], i);
  }
}

TEST(EpisodePool, OutOfMemoryInAWorkerIsReportedAsSuch) {
  const EpisodePlayerFactory no_memory = []() -> EpisodePlayer {
    return [](std::size_t, EpisodeScratch&) -> EpisodeResult { throw std::bad_alloc(); };
  };
  const Status st =
      play_in_job_order(10, 2, no_memory, [](std::size_t, EpisodeResult&) { return Status::Ok(); });
  EXPECT_EQ(st.code(), StatusCode::kInternal);
  EXPECT_EQ(st.message(), "out of memory");
}

TEST(EpisodePool, AnExceptionInTheConsumerStopsEveryWorker) {
  std::atomic<int> players = 0, played = 0;
  const Status st =
      play_in_job_order(100000, 4, uneven_player(players, played), [](std::size_t job, auto&) {
        if (job == 3) throw std::runtime_error("consumer failed");
        return Status::Ok();
      });
  EXPECT_EQ(st.code(), StatusCode::kInternal);
  EXPECT_EQ(st.message(), "internal failure: consumer failed");
  EXPECT_LE(played.load(), 4 + 4 * 4 + 4);
}

// Each thread's consumed results come back to it, in its own scratch, for
// the next jobs it plays; a thread's scratch is the same from job to job.
TEST(EpisodePool, ConsumedResultsComeBackToTheirThreadsScratch) {
  for (const int threads : {1, 3}) {
    std::mutex mu;
    std::map<std::thread::id, const EpisodeScratch*> scratch_of;
    std::size_t reused = 0;  // jobs played with a recycled result waiting
    const EpisodePlayerFactory player = [&]() -> EpisodePlayer {
      return [&](std::size_t job, EpisodeScratch& scratch) {
        std::lock_guard lock(mu);
        const auto [it, added] = scratch_of.emplace(std::this_thread::get_id(), &scratch);
        EXPECT_EQ(it->second, &scratch) << threads;
        if (scratch.spare_results() > 0) ++reused;
        EpisodeResult r;
        r.seed = job;
        r.rendered = std::string(100, 'x');
        return r;
      };
    };
    std::size_t consumed = 0;
    const Status st =
        play_in_job_order(300, threads, player, [&](std::size_t job, EpisodeResult& r) {
          EXPECT_EQ(r.seed, job);
          EXPECT_EQ(r.rendered, std::string(100, 'x'));
          ++consumed;
          return Status::Ok();
        });
    ASSERT_TRUE(st.ok()) << st.message();
    EXPECT_EQ(consumed, 300u);
    EXPECT_LE(scratch_of.size(), static_cast<std::size_t>(threads));
    if (threads == 1) {
      EXPECT_EQ(reused, 299u);  // every job but the first finds the one before it
    } else {
      EXPECT_GT(reused, 0u);
    }
  }
}

}  // namespace
}  // namespace fable
