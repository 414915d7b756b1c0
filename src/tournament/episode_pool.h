// The ordered episode pool: workers play jobs, the caller consumes them in job order.
//
// `play_in_job_order` plays jobs 0..total-1 on `threads` worker threads and
// hands each result to `consume` on the calling thread in job order, so what
// the consumer builds (leaderboard, dedup, artifacts) is the same byte for
// byte for any thread count. At most 4 x threads jobs are in flight or
// waiting, which bounds memory. A consumed result goes back to the worker
// that played it and is freed there (memory returns to the malloc arena that
// allocated it). The first failure stops the pool: a consumer that returns an
// error, or an exception in any thread (a worker or the consumer). No more
// jobs are handed out, every worker is joined, and the failure is returned.
#pragma once

#include <cstddef>
#include <functional>

#include "fable/episode.h"
#include "fable/status.h"

namespace fable {

// Plays one job. Each worker makes its own player (on its own thread), so a
// player may keep state from job to job, such as reusable populations.
using EpisodePlayer = std::function<EpisodeResult(std::size_t job)>;
using EpisodePlayerFactory = std::function<EpisodePlayer()>;

// Takes the result of `job`; may move from it. A non-ok Status stops the pool.
using EpisodeConsumer = std::function<Status(std::size_t job, EpisodeResult& result)>;

// Returns Ok when every job was played and consumed; else the consumer's
// first error, or Status::Internal("internal failure: <what>") /
// Status::Internal("out of memory") for the first exception of any thread.
// Threads are clamped to 1..256.
Status play_in_job_order(std::size_t total, int threads, const EpisodePlayerFactory& make_player,
                         const EpisodeConsumer& consume);

}  // namespace fable
