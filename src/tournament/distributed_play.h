// Playing a tournament's jobs across the ranks of a communicator
// (fable/distributed.h, docs/distributed.md).
//
// The jobs 0..total-1 (matchup x seed, in the order one process plays
// them) are cut into chunks of consecutive jobs, dealt round-robin: chunk c
// to rank c mod size. Each rank plays its jobs on its own worker threads
// (play_in_job_order). A rank other than 0 turns each episode into a
// ShippedEpisode and sends one message per chunk, then an end message with
// its status and coverage (src/tournament/episode_wire.h). Rank 0 hands
// every job to its consumers in job order: its own episodes whole, the
// others' as shipped, each chunk received only when its turn comes (so at
// most one chunk of another rank is held at a time, plus the few each rank
// may have in flight). On any failure rank 0 asks every rank to stop and
// takes their remaining messages until each has ended, so no rank is left
// waiting; the caller then calls Communicator::agree on every rank.
#pragma once

#include <cstddef>
#include <functional>

#include "fable/coverage.h"
#include "fable/distributed.h"
#include "fable/status.h"
#include "tournament/episode_pool.h"
#include "tournament/episode_wire.h"

namespace fable {

// Which rank plays which job. Chunks hold total / (8 x ranks) jobs, at
// least 1 and at most kMaxChunkJobs, so that even a small run is spread
// over every rank and a large one sends few messages.
class JobDeal {
 public:
  static constexpr std::size_t kMaxChunkJobs = 64;

  // REQUIRES: ranks >= 1.
  JobDeal(std::size_t total, int ranks);

  std::size_t total() const { return total_; }
  std::size_t chunk_jobs() const { return chunk_; }
  std::size_t chunks() const { return (total_ + chunk_ - 1) / chunk_; }
  int owner(std::size_t chunk) const { return static_cast<int>(chunk % ranks_); }
  std::size_t chunk_of(std::size_t job) const { return job / chunk_; }
  std::size_t chunk_begin(std::size_t chunk) const { return chunk * chunk_; }
  std::size_t chunk_end(std::size_t chunk) const;  // one past its last job
  // How many jobs `rank` plays, and the job its `local`-th one is (in job order).
  std::size_t jobs_of(int rank) const;
  std::size_t job(int rank, std::size_t local) const;

 private:
  std::size_t total_;
  std::size_t ranks_;
  std::size_t chunk_;
};

// Turns a played episode (job `job`) into what rank 0 needs; may move from it.
using EpisodeShipper = std::function<ShippedEpisode(std::size_t job, EpisodeResult& episode)>;
// Takes the shipped episode of `job` on rank 0; may move from it.
using ShippedConsumer = std::function<Status(std::size_t job, ShippedEpisode& episode)>;

// A rank other than 0: plays its share with `make_player` (which takes job
// numbers of the whole run) on `threads` workers, sends it, then sends its
// end message with `*coverage` when not null (read after the last episode:
// `ship` may count into it). Returns the first failure, or
// Status::Precondition("stopped by rank 0") when asked to stop.
Status play_and_send(Communicator& comm, const JobDeal& deal, int threads,
                     const EpisodePlayerFactory& make_player, const EpisodeShipper& ship,
                     const ClauseCoverage* coverage);

// Rank 0: plays its share on `threads` workers and hands every job of the
// run, in job order, to `local` (its own episodes) or `remote` (the other
// ranks'); then adds the other ranks' coverage to `*coverage` when not null.
// Returns the first failure: a consumer's, a worker's, or another rank's
// (its message prefixed with "rank N: "), after every rank has ended.
Status gather_in_job_order(Communicator& comm, const JobDeal& deal, int threads,
                           const EpisodePlayerFactory& make_player, const EpisodeConsumer& local,
                           const ShippedConsumer& remote, ClauseCoverage* coverage);

}  // namespace fable
