// EpisodeScratch: the storage one thread keeps from one episode to the next.
//
// An episode's result is mostly its trace: a snapshot per turn (each with
// every citizen), the events, the proposals, the digests, the participants,
// then the findings and the episode file's text. A thread playing episode
// after episode hands each result it is done with back to its scratch
// (recycle) and plays the next episode with it (the EpisodePlay and
// run_episode overloads taking one, fable/episode.h): the new result is
// built in the storage of a recycled one, every list emptied but keeping its
// capacity, so that a steady stream of episodes allocates little for its
// traces. What is played and recorded is the same, byte for byte, as without
// a scratch.
//
// A scratch belongs to one thread at a time: it is not safe to use one from
// two threads at once, nor by two plays at once.
#pragma once

#include <cstddef>
#include <vector>

#include "fable/episode.h"
#include "fable/trace.h"

namespace fable {

class EpisodeScratch {
 public:
  // Results kept for reuse at most; a result recycled beyond that is freed.
  static constexpr std::size_t kMaxSpareResults = 8;

  EpisodeScratch() = default;
  EpisodeScratch(const EpisodeScratch&) = delete;
  EpisodeScratch& operator=(const EpisodeScratch&) = delete;
  EpisodeScratch(EpisodeScratch&&) noexcept = default;
  EpisodeScratch& operator=(EpisodeScratch&&) noexcept = default;
  ~EpisodeScratch() = default;

  // Takes back a result nobody reads any more (any result, even one moved
  // from): its storage serves the next episodes played with this scratch.
  void recycle(EpisodeResult&& spent);

  // How many recycled results are waiting to be reused.
  std::size_t spare_results() const { return spent_.size(); }

 private:
  friend class EpisodePlay;
  // A result to fill: a default-constructed EpisodeResult but for
  // trace.participants, whose elements are stale (EpisodePlay overwrites
  // every field of each), in the storage of a recycled result if any.
  EpisodeResult take();
  // The recycled traces' per-turn and per-proposal vectors.
  TraceSpares& trace_spares() { return spares_; }

  std::vector<EpisodeResult> spent_;
  TraceSpares spares_;
};

}  // namespace fable
