// The hunt's persistent workers (src/hunt/worker_pool.h): every task of a
// batch runs exactly once, batches follow each other without losing or
// repeating a task whether the workers are still polling or asleep, and a
// task's exception reaches the caller.
#include "hunt/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <stdexcept>
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

}  // namespace
}  // namespace fable::hunt
