// The hunt's persistent workers (src/hunt/worker_pool.h): every task of a
// batch runs exactly once, batches follow each other without losing or
// repeating a task whether the workers are still polling or asleep (or do
// not poll, when they outnumber the processors), a task's exception reaches
// the caller (that of the lowest failed index, whatever the workers), and a
// pool is destroyed cleanly in any of these states.
#include "hunt/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fable::hunt {
namespace {

// Runs batches of 0..n tasks back to back (the workers still polling from
// the batch before) and after pauses longer than a poll (the workers asleep),
// and checks every task ran exactly once, on a valid worker.
void check_batches(int workers) {
  WorkerPool pool(workers);
  ASSERT_EQ(pool.workers(), workers);
  for (int round = 0; round < 400; ++round) {
    const auto n = static_cast<std::size_t>(round % 37);
    std::vector<std::atomic<int>> runs(n);
    std::atomic<bool> bad_worker{false};
    pool.run(n, [&](int worker, std::size_t i) {
      if (worker < 0 || worker >= workers) bad_worker = true;
      runs[i].fetch_add(1);
    });
    EXPECT_FALSE(bad_worker) << "round " << round;
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(runs[i].load(), 1) << "round " << round;
    if (round % 50 == 49) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST(WorkerPool, EveryTaskRunsOnceInBatchAfterBatch) {
  check_batches(1);
  check_batches(2);
  check_batches(4);
}

TEST(WorkerPool, WorkersShareTheTasks) {
  // Each task waits until two different workers have started one: with two
  // workers the batch ends only if the second worker takes a task.
  WorkerPool pool(2);
  std::atomic<int> seen_mask{0};
  pool.run(2, [&](int worker, std::size_t) {
    seen_mask.fetch_or(1 << worker);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (seen_mask.load() != 3 && std::chrono::steady_clock::now() < until) {
      std::this_thread::yield();
    }
  });
  EXPECT_EQ(seen_mask.load(), 3);
}

TEST(WorkerPool, ATaskThrowingReachesTheCallerAndThePoolGoesOn) {
  WorkerPool pool(2);
  std::atomic<int> ran{0};
  EXPECT_THROW(pool.run(100,
                        [&](int, std::size_t i) {
                          ran.fetch_add(1);
                          if (i == 3) throw std::runtime_error("task 3");
                        }),
               std::runtime_error);
  EXPECT_LE(ran.load(), 100);
  // The next batch runs whole.
  std::vector<std::atomic<int>> runs(10);
  pool.run(10, [&](int, std::size_t i) { runs[i].fetch_add(1); });
  for (const std::atomic<int>& r : runs) EXPECT_EQ(r.load(), 1);
}

TEST(WorkerPool, TheFailedTaskOfLowestIndexIsRethrown) {
  // Every task from 7 on throws; task 7 only after a pause, so that the
  // later ones fail first, on whichever workers took them. The caller must
  // still see task 7's exception, with any number of workers.
  for (const int workers : {1, 2, 4}) {
    WorkerPool pool(workers);
    for (int round = 0; round < 10; ++round) {
      std::string what;
      try {
        pool.run(64, [](int, std::size_t i) {
          if (i < 7) return;
          if (i == 7) std::this_thread::sleep_for(std::chrono::milliseconds(10));
          throw std::runtime_error("task " + std::to_string(i));
        });
      } catch (const std::runtime_error& e) {
        what = e.what();
      }
      EXPECT_EQ(what, "task 7") << workers << " workers, round " << round;
    }
  }
}

TEST(WorkerPool, IsDestroyedCleanlyWhileItsWorkersPollOrSleep) {
  for (int round = 0; round < 50; ++round) {
    { WorkerPool never_ran(3); }
    std::atomic<int> ran{0};
    {
      WorkerPool polling(3);
      polling.run(8, [&](int, std::size_t) { ran.fetch_add(1); });
    }  // destroyed at once: its workers are still polling
    {
      WorkerPool asleep(3);
      asleep.run(8, [&](int, std::size_t) { ran.fetch_add(1); });
      if (round % 10 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    EXPECT_EQ(ran.load(), 16);
  }
}

TEST(WorkerPool, MoreWorkersThanProcessorsSleepAndStillRunEveryTask) {
  // More workers than processors do not poll (worker_pool.h); the batches
  // must still run whole.
  const unsigned processors = std::thread::hardware_concurrency();
  check_batches(static_cast<int>(processors < 4 ? 8 : 2 * processors));
}

}  // namespace
}  // namespace fable::hunt
