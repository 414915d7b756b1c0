// The hunt's persistent workers; see worker_pool.h.
#include "hunt/worker_pool.h"

#include <algorithm>
#include <chrono>

namespace fable::hunt {

namespace {

// How long a thread polls before it sleeps: about what two wake-ups through
// the scheduler cost, so that the lookahead's short batches (four a turn)
// find the other workers awake while a worker waiting out a long pause (the
// evolution's merge of a generation) costs little.
constexpr std::chrono::microseconds kPollFor{200};

// A short pause between two polls (the processor's spin-wait hint where it
// has one).
inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Polls `ready` until it holds or kPollFor has passed; returns whether it
// held. Every 64 polls the thread also yields the processor, so that on a
// loaded machine the thread being waited for gets to run.
template <typename Ready>
bool poll(bool enabled, const Ready& ready) {
  if (!enabled) return ready();
  const auto until = std::chrono::steady_clock::now() + kPollFor;
  for (unsigned n = 1;; ++n) {
    if (ready()) return true;
    relax();
    if (n % 64 == 0) {
      if (std::chrono::steady_clock::now() >= until) return false;
      std::this_thread::yield();
    }
  }
}

}  // namespace

WorkerPool::WorkerPool(int workers)
    : workers_(workers < 1 ? 1 : workers),
      // hardware_concurrency() is 0 when unknown: then poll only for 2.
      poll_(static_cast<unsigned>(workers_) <= std::max(2u, std::thread::hardware_concurrency())) {
  failures_.resize(static_cast<std::size_t>(workers_));
  threads_.reserve(static_cast<std::size_t>(workers_ - 1));
  try {
    for (int w = 1; w < workers_; ++w) threads_.emplace_back([this, w] { loop(w); });
  } catch (...) {
    stop();  // the destructor does not run for a constructor that throws
    throw;
  }
}

WorkerPool::~WorkerPool() {
  stop();
}

void WorkerPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_.store(true, std::memory_order_release);
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void WorkerPool::work(int worker) {
  std::size_t i = 0;
  try {
    for (;;) {
      i = next_.fetch_add(1, std::memory_order_relaxed);
      if (i >= n_) return;
      (*task_)(worker, i);
    }
  } catch (...) {
    // A worker fails at most once a batch: it stops here.
    failures_[static_cast<std::size_t>(worker)] = Failure{i, std::current_exception()};
    // The others stop at their next task. Indices are still handed out in
    // order, so every task below i has been taken and runs to its end.
    next_.store(n_, std::memory_order_relaxed);
  }
}

void WorkerPool::loop(int worker) {
  std::uint64_t seen = 0;
  for (;;) {
    const auto woken = [&] {
      return stopping_.load(std::memory_order_acquire) ||
             generation_.load(std::memory_order_acquire) != seen;
    };
    if (!poll(poll_, woken)) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, woken);
    }
    if (stopping_.load(std::memory_order_acquire)) return;
    seen = generation_.load(std::memory_order_acquire);
    work(worker);
    if (busy_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      // Under the lock: run() cannot be between testing busy_ and sleeping.
      std::lock_guard<std::mutex> lock(mutex_);
      idle_.notify_all();
    }
  }
}

void WorkerPool::run(std::size_t n, const Task& task) {
  task_ = &task;
  n_ = n;
  next_.store(0, std::memory_order_relaxed);
  busy_.store(workers_ - 1, std::memory_order_relaxed);
  if (workers_ > 1) {
    {
      // Under the lock: a worker cannot be between testing generation_ and
      // sleeping. The release publishes task_, n_ and next_ to the workers.
      std::lock_guard<std::mutex> lock(mutex_);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
  }
  work(0);
  const auto done = [&] { return busy_.load(std::memory_order_acquire) == 0; };
  if (!poll(poll_, done)) {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, done);
  }
  task_ = nullptr;
  // The failure of lowest task index; all are cleared so that no exception
  // outlives the batch.
  Failure first;
  for (Failure& f : failures_) {
    if (f.error && (!first.error || f.index < first.index)) first = f;
    f = Failure{};
  }
  if (first.error) std::rethrow_exception(first.error);
}

}  // namespace fable::hunt
