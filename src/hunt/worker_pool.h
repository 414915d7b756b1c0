// Internal: a fixed set of worker threads that a hunt keeps for its whole
// run, so that a generation costs a wake-up rather than spawning threads.
//
// run(n, task) calls task(worker, i) once for every i in [0, n), spread over
// the workers (the caller's thread is worker 0), and returns when all are
// done. Which worker runs which i is not fixed: tasks must write only to
// slot i of their output and use per-worker state only as scratch, so that
// results do not depend on the number of workers.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace fable::hunt {

class WorkerPool {
 public:
  using Task = std::function<void(int worker, std::size_t index)>;

  // REQUIRES: workers >= 1 (workers - 1 threads are started). If a thread
  // cannot be started, the threads already started are stopped and joined
  // and std::system_error propagates.
  explicit WorkerPool(int workers);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  int workers() const { return workers_; }

  // Runs the tasks. If some throw, the tasks not yet started are skipped,
  // and once every worker has stopped the exception of the failed task of
  // lowest index is rethrown (the others are dropped). Tasks are taken in
  // index order, so every task below a failed one has run: with
  // deterministic tasks the exception does not depend on the number of
  // workers.
  void run(std::size_t n, const Task& task);

 private:
  // A task's exception and the index of the task.
  struct Failure {
    std::size_t index = 0;
    std::exception_ptr error;
  };

  void loop(int worker);
  void work(int worker);
  void stop();  // ends and joins the started threads

  int workers_;
  // Whether waiting threads poll before they sleep: only when every worker
  // can have a processor of its own, else a poll takes the processor from
  // the thread being waited for.
  bool poll_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  // A batch is published by raising generation_ (release; under mutex_ so a
  // worker going to sleep cannot miss it); the workers poll it for a while
  // before they sleep on wake_, and run() polls busy_ before it sleeps on
  // idle_ (worker_pool.cc).
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<int> busy_{0};  // workers other than 0 still in the batch
  std::atomic<bool> stopping_{false};
  const Task* task_ = nullptr;        // the batch's, set before generation_ is raised
  std::size_t n_ = 0;                 // the same
  std::atomic<std::size_t> next_{0};  // the next task to take
  std::vector<Failure> failures_;     // by worker; read once busy_ is 0
};

}  // namespace fable::hunt
