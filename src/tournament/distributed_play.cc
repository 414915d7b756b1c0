// Playing a tournament's jobs across ranks; see src/tournament/distributed_play.h.
#include "tournament/distributed_play.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace fable {

namespace {

// A player factory for the local jobs of `rank`: job numbers of the whole run.
EpisodePlayerFactory local_players(const JobDeal& deal, int rank,
                                   const EpisodePlayerFactory& make_player) {
  return [&deal, rank, &make_player]() -> EpisodePlayer {
    EpisodePlayer player = make_player();
    return [&deal, rank, player = std::move(player)](std::size_t local, EpisodeScratch& scratch) {
      return player(deal.job(rank, local), scratch);
    };
  };
}

}  // namespace

JobDeal::JobDeal(std::size_t total, int ranks)
    : total_(total),
      ranks_(static_cast<std::size_t>(std::max(ranks, 1))),
      chunk_(std::clamp<std::size_t>(total / (8 * ranks_), 1, kMaxChunkJobs)) {}

std::size_t JobDeal::chunk_end(std::size_t chunk) const {
  return std::min(total_, (chunk + 1) * chunk_);
}

std::size_t JobDeal::jobs_of(int rank) const {
  const auto r = static_cast<std::size_t>(rank);
  const std::size_t n = chunks();
  if (r >= n) return 0;
  const std::size_t owned = (n - 1 - r) / ranks_ + 1;  // chunks r, r + ranks, ...
  const std::size_t last = r + (owned - 1) * ranks_;
  return (owned - 1) * chunk_ + (chunk_end(last) - chunk_begin(last));
}

std::size_t JobDeal::job(int rank, std::size_t local) const {
  const std::size_t nth_chunk = local / chunk_;
  return (nth_chunk * ranks_ + static_cast<std::size_t>(rank)) * chunk_ + local % chunk_;
}

Status play_and_send(Communicator& comm, const JobDeal& deal, int threads,
                     const EpisodePlayerFactory& make_player, const EpisodeShipper& ship,
                     const ClauseCoverage* coverage) {
  const int rank = comm.rank();
  ChunkMessage chunk;
  const EpisodeConsumer send = [&](std::size_t local, EpisodeResult& episode) -> Status {
    const std::size_t job = deal.job(rank, local);
    if (chunk.episodes.empty()) chunk.first_job = job;
    chunk.episodes.push_back(ship(job, episode));
    if (job + 1 == deal.chunk_end(deal.chunk_of(job))) {
      Status sent = comm.send_to_root(encode_chunk(chunk));
      chunk.episodes.clear();
      if (!sent.ok()) return sent;
    }
    // Asked after every episode: with MPI this also moves the pending sends
    // along, so rank 0 never waits for this rank to finish a chunk.
    if (comm.stop_requested()) return Status::Precondition("stopped by rank 0");
    return Status::Ok();
  };
  const Status played =
      play_in_job_order(deal.jobs_of(rank), threads, local_players(deal, rank, make_player), send);
  EndMessage end{played, std::nullopt};
  if (coverage != nullptr) end.coverage = *coverage;
  Status sent = comm.send_to_root(encode_end(end));
  if (sent.ok()) sent = comm.flush();
  return played.ok() ? sent : played;
}

Status gather_in_job_order(Communicator& comm, const JobDeal& deal, int threads,
                           const EpisodePlayerFactory& make_player, const EpisodeConsumer& local,
                           const ShippedConsumer& remote, ClauseCoverage* coverage) {
  const int size = comm.size();
  std::vector<bool> ended(static_cast<std::size_t>(size), false);
  // An end message where a chunk was due: the rank stopped (or is broken).
  const auto early_end = [&](int from, const EndMessage& end, std::size_t chunk) {
    ended[static_cast<std::size_t>(from)] = true;
    if (!end.status.ok())
      return Status(end.status.code(), fmt::format("rank {}: {}", from, end.status.message()));
    return Status::Internal(fmt::format("rank {} ended before sending jobs {}..{}", from,
                                        deal.chunk_begin(chunk), deal.chunk_end(chunk) - 1));
  };
  std::size_t next_chunk = 0;
  // Consumes the other ranks' chunks before chunk `until`, in order.
  const auto pull = [&](std::size_t until) -> Status {
    for (; next_chunk < until; ++next_chunk) {
      const int from = deal.owner(next_chunk);
      if (from == 0) continue;
      Result<Bytes> bytes = comm.receive_from(from);
      if (!bytes.ok()) return bytes.status();
      Result<WireMessage> message = decode_message(*bytes, from);
      if (!message.ok()) return message.status();
      if (message->end) return early_end(from, *message->end, next_chunk);
      ChunkMessage& chunk = *message->chunk;
      const std::size_t begin = deal.chunk_begin(next_chunk);
      if (chunk.first_job != begin || chunk.episodes.size() != deal.chunk_end(next_chunk) - begin) {
        return Status::Internal(fmt::format("rank {} sent jobs from {} where jobs {}..{} were due",
                                            from, chunk.first_job, begin,
                                            deal.chunk_end(next_chunk) - 1));
      }
      for (std::size_t i = 0; i < chunk.episodes.size(); ++i) {
        if (Status st = remote(begin + i, chunk.episodes[i]); !st.ok()) return st;
      }
    }
    return Status::Ok();
  };
  const EpisodeConsumer take = [&](std::size_t nth, EpisodeResult& episode) -> Status {
    const std::size_t job = deal.job(0, nth);
    if (Status st = pull(deal.chunk_of(job)); !st.ok()) return st;
    return local(job, episode);
  };

  Status st =
      play_in_job_order(deal.jobs_of(0), threads, local_players(deal, 0, make_player), take);
  if (st.ok()) st = pull(deal.chunks());
  for (int from = 1; from < size && st.ok(); ++from) {
    Result<Bytes> bytes = comm.receive_from(from);
    if (!bytes.ok()) {
      st = bytes.status();
      break;
    }
    Result<WireMessage> message = decode_message(*bytes, from);
    if (!message.ok()) {
      st = message.status();
      break;
    }
    if (!message->end) {
      st = Status::Internal(fmt::format("rank {} sent more jobs than it was dealt", from));
      break;
    }
    ended[static_cast<std::size_t>(from)] = true;
    const EndMessage& end = *message->end;
    if (!end.status.ok()) {
      st = Status(end.status.code(), fmt::format("rank {}: {}", from, end.status.message()));
    } else if (coverage != nullptr && end.coverage) {
      coverage->merge(*end.coverage);
    }
  }
  if (st.ok()) return st;

  // A failure: every rank is asked to stop, and its messages are taken until
  // it has ended, so that none waits on a send rank 0 will never take.
  if (Status stop = comm.request_stop(); !stop.ok()) return stop;
  for (int from = 1; from < size; ++from) {
    while (!ended[static_cast<std::size_t>(from)]) {
      Result<Bytes> bytes = comm.receive_from(from);
      if (!bytes.ok()) return st;
      const Result<WireMessage> message = decode_message(*bytes, from);
      if (message.ok() && message->end) ended[static_cast<std::size_t>(from)] = true;
    }
  }
  return st;
}

}  // namespace fable
