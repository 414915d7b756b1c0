// The hunt's persistent workers; see worker_pool.h.
#include "hunt/worker_pool.h"

namespace fable::hunt {

WorkerPool::WorkerPool(int workers) : workers_(workers < 1 ? 1 : workers) {
  failures_.resize(static_cast<std::size_t>(workers_));
  for (int w = 1; w < workers_; ++w) threads_.emplace_back([this, w] { loop(w); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::work(int worker) {
  try {
    for (;;) {
      std::size_t i = 0;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (next_ >= n_) return;
        i = next_++;
      }
      (*task_)(worker, i);
    }
  } catch (...) {
    failures_[static_cast<std::size_t>(worker)] = std::current_exception();
    std::lock_guard<std::mutex> lock(mutex_);
    next_ = n_;  // the others stop at their next task
  }
}

void WorkerPool::loop(int worker) {
  std::uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    work(worker);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --busy_;
    }
    idle_.notify_all();
  }
}

void WorkerPool::run(std::size_t n, const Task& task) {
  for (std::exception_ptr& f : failures_) f = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = &task;
    n_ = n;
    next_ = 0;
    busy_ = workers_ - 1;
    ++generation_;
  }
  if (workers_ > 1) wake_.notify_all();
  work(0);
  {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [&] { return busy_ == 0; });
    task_ = nullptr;
  }
  for (const std::exception_ptr& f : failures_) {
    if (f) std::rethrow_exception(f);
  }
}

}  // namespace fable::hunt
