// The ordered episode pool: threads play jobs, the caller consumes them in job order.
//
// `play_in_job_order` plays jobs 0..total-1 on `threads` threads, the calling
// thread among them, and hands each result to `consume` on the calling thread
// in job order, so what the consumer builds (leaderboard, dedup, artifacts) is
// the same byte for byte for any thread count. The calling thread consumes
// each result that is next in job order as soon as it is there and otherwise
// plays a job itself, so no thread waits for work that another could do and
// one thread means no other thread at all (no hand-over, no wake-up). At most
// 4 x threads jobs are in flight or waiting, which bounds memory. A consumed
// result goes back to the thread that played it and is recycled there into
// that thread's EpisodeScratch (fable/episode_scratch.h), handed to its
// player with every job: the next episodes it plays reuse its storage, and
// what is freed returns to the malloc arena that allocated it. The first
// failure stops the pool: a consumer that returns an error, or an exception
// in any thread. No more jobs are handed out, every thread is joined, and the
// failure is returned.
#pragma once

#include <cstddef>
#include <functional>

#include "fable/episode.h"
#include "fable/episode_scratch.h"
#include "fable/status.h"

namespace fable {

// Plays one job. Each playing thread (the calling one too) makes its own
// player on that thread, so a player may keep state from job to job, such as
// reusable populations, and may do per-episode work that should not fall on
// the consumer (the tournament renders each kept episode file's text there:
// EpisodeResult::rendered). `scratch` is the playing thread's own, holding the
// results of its earlier jobs once consumed: play in it (run_episode's form
// taking a scratch) or ignore it.
using EpisodePlayer = std::function<EpisodeResult(std::size_t job, EpisodeScratch& scratch)>;
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
