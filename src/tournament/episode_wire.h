// The messages of a distributed tournament (fable/distributed.h,
// docs/distributed.md): what a rank sends rank 0.
//
// A rank sends one chunk message per chunk of jobs it plays, in job order,
// then one end message. A chunk carries, per episode, only what rank 0's
// consumer needs: the seed, the score and the findings (the leaderboard, the
// episode files, the dedup's counts), and the perpetrators' scripts of the
// findings the dedup may keep (DedupCandidates), never the trace. The end
// message carries the rank's status (Ok, or why it stopped) and, when the
// run counts coverage, its coverage counters (sums, so the order of merging
// does not matter). Encoding: base/byte_io.h; doubles cross bit for bit, so
// rank 0 sums exactly what one process would.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "fable/coverage.h"
#include "fable/detector.h"
#include "fable/distributed.h"
#include "fable/metrics.h"
#include "fable/status.h"
#include "tournament/dedup.h"

namespace fable {

// One episode as rank 0 consumes it.
struct ShippedEpisode {
  std::uint64_t seed = 0;
  EpisodeScore score;
  std::vector<ExploitFinding> findings;
  std::vector<std::optional<DedupScripts>> scripts;  // one per finding (FingerprintDedup)
};

struct ChunkMessage {
  std::uint64_t first_job = 0;  // the job of episodes[0]; the rest follow in job order
  std::vector<ShippedEpisode> episodes;
};

struct EndMessage {
  Status status;                           // Ok when the rank played its whole share
  std::optional<ClauseCoverage> coverage;  // with TournamentConfig::coverage
};

Bytes encode_chunk(const ChunkMessage& chunk);
Bytes encode_end(const EndMessage& end);

// One decoded message: exactly one of the two is set.
struct WireMessage {
  std::optional<ChunkMessage> chunk;
  std::optional<EndMessage> end;
};

// Errors: Status::Internal "a malformed message came from rank N" for bytes
// that are not one whole message (truncated, trailing bytes, a value out of
// its range).
Result<WireMessage> decode_message(std::span<const std::byte> bytes, int from_rank);

}  // namespace fable
