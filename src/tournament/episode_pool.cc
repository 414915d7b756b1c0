// The ordered episode pool; see src/tournament/episode_pool.h.
#include "tournament/episode_pool.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <new>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace fable {

namespace {

// The exception being handled, as a Status. Call only inside a catch block.
Status current_exception_status() noexcept {
  try {
    try {
      throw;
    } catch (const std::bad_alloc&) {
      return Status::Internal("out of memory");
    } catch (const std::exception& e) {
      return Status::Internal(std::string("internal failure: ") + e.what());
    } catch (...) {
      return Status::Internal("internal failure: an exception of unknown type");
    }
  } catch (...) {  // building the message itself failed
    return Status::Internal("out of memory");
  }
}

// One finished episode waiting to be consumed.
struct Outcome {
  int worker = 0;  // who played it, and so who recycles it
  EpisodeResult result;
};

class Pool {
 public:
  Pool(std::size_t total, int threads, const EpisodePlayerFactory& make_player,
       const EpisodeConsumer& consume)
      : total_(total),
        threads_(std::clamp(threads, 1, 256)),
        window_(static_cast<std::size_t>(threads_) * 4),
        make_player_(make_player),
        consume_(consume),
        spent_(static_cast<std::size_t>(threads_)) {}

  Status run() {
    std::vector<std::thread> workers;
    try {
      for (int i = 1; i < threads_; ++i) workers.emplace_back([this, i] { work(i); });
      lead();
    } catch (...) {
      fail(current_exception_status());
    }
    stop();
    for (std::thread& t : workers) t.join();
    return failure_ ? *failure_ : Status::Ok();
  }

 private:
  static constexpr int kLead = 0;  // the calling thread's worker number

  // No more jobs are handed out; workers waiting for room wake and leave.
  void stop() {
    {
      std::lock_guard lock(mu_);
      next_job_ = total_;
    }
    cv_room_.notify_all();
  }

  // Keeps the first failure of any thread and stops the pool.
  void fail(Status status) {
    {
      std::lock_guard lock(mu_);
      if (!failure_) failure_ = std::move(status);
    }
    stop();
    cv_done_.notify_all();
  }

  void work(int self) noexcept {
    try {
      play(self);
    } catch (...) {
      fail(current_exception_status());
    }
  }

  // Files a finished job; wakes the lead when it sleeps on this very job.
  void finished(std::size_t job, Outcome o) {
    bool wake = false;
    {
      std::lock_guard lock(mu_);
      ready_.emplace(job, std::move(o));
      wake = job == awaited_;
    }
    if (wake) cv_done_.notify_one();
  }

  // A worker other than the lead: plays jobs while there is room in the window.
  void play(int self) {
    const EpisodePlayer player = make_player_();
    EpisodeScratch scratch;
    std::vector<EpisodeResult> consumed;
    for (;;) {
      std::size_t job = 0;
      {
        std::unique_lock lock(mu_);
        cv_room_.wait(lock, [&] { return next_job_ >= total_ || next_job_ < consumed_ + window_; });
        consumed.swap(spent_[static_cast<std::size_t>(self)]);
        if (next_job_ >= total_) return;
        job = next_job_++;
      }
      for (EpisodeResult& r : consumed) scratch.recycle(std::move(r));
      consumed.clear();
      finished(job, Outcome{self, player(job, scratch)});
    }
  }

  // The calling thread: consumes every result that is next in job order as
  // soon as it is there, and plays a job of its own whenever there is nothing
  // to consume and room in the window; it sleeps only when neither holds (the
  // next result is still being played elsewhere). With one thread it plays
  // and consumes in turn and no other thread exists. Returns when every job
  // is consumed or a thread has failed.
  void lead() {
    const EpisodePlayer player = make_player_();
    EpisodeScratch scratch;
    std::vector<Outcome> batch;  // consecutive finished jobs, taken under one lock
    for (;;) {
      batch.clear();
      std::size_t first = 0;  // the job of batch[0]
      std::size_t own_job = 0;
      bool was_full = false;
      {
        std::unique_lock lock(mu_);
        for (;;) {
          if (failure_) return;
          first = consumed_;
          for (auto it = ready_.begin(); it != ready_.end() && it->first == first + batch.size();) {
            batch.push_back(std::move(it->second));
            it = ready_.erase(it);
          }
          if (!batch.empty()) {
            was_full = next_job_ >= consumed_ + window_;
            consumed_ += batch.size();
            break;
          }
          if (consumed_ >= total_) return;
          if (next_job_ < total_ && next_job_ < consumed_ + window_) {
            own_job = next_job_++;
            break;
          }
          awaited_ = consumed_;
          cv_done_.wait(lock);
          awaited_ = kNobody;
        }
      }
      if (batch.empty()) {
        finished(own_job, Outcome{kLead, player(own_job, scratch)});
        continue;
      }
      if (was_full) cv_room_.notify_all();
      for (std::size_t i = 0; i < batch.size(); ++i) {
        Outcome& o = batch[i];
        Status st = consume_(first + i, o.result);
        if (o.worker == kLead) {
          scratch.recycle(std::move(o.result));
        } else {
          std::lock_guard lock(mu_);
          spent_[static_cast<std::size_t>(o.worker)].push_back(std::move(o.result));
        }
        if (!st.ok()) {
          fail(std::move(st));
          return;
        }
      }
    }
  }

  const std::size_t total_;
  const int threads_;
  const std::size_t window_;
  const EpisodePlayerFactory& make_player_;
  const EpisodeConsumer& consume_;

  std::mutex mu_;
  std::condition_variable cv_done_, cv_room_;
  std::map<std::size_t, Outcome> ready_;  // finished, not yet consumed, by job index
  std::size_t next_job_ = 0, consumed_ = 0;
  // The job the lead is asleep on (or none): only its completion wakes it,
  // and a worker is woken only when the window was full. Each wake-up is a
  // system call, so not waking threads that have nothing to do pays.
  static constexpr std::size_t kNobody = std::numeric_limits<std::size_t>::max();
  std::size_t awaited_ = kNobody;
  // Consumed results go back to the worker that made them, to be recycled
  // there (the lead recycles its own at once).
  std::vector<std::vector<EpisodeResult>> spent_;
  std::optional<Status> failure_;
};

}  // namespace

Status play_in_job_order(std::size_t total, int threads, const EpisodePlayerFactory& make_player,
                         const EpisodeConsumer& consume) {
  return Pool(total, threads, make_player, consume).run();
}

}  // namespace fable
