// The messages of a distributed tournament; see src/tournament/episode_wire.h.
#include "tournament/episode_wire.h"

#include <fmt/format.h>

#include "base/byte_io.h"
#include "tournament/wire_parts.h"

namespace fable {

using wire::get_coverage;
using wire::get_finding;
using wire::get_score;
using wire::get_scripts;
using wire::get_status;
using wire::put_coverage;
using wire::put_finding;
using wire::put_score;
using wire::put_scripts;
using wire::put_status;

namespace {

enum class Kind : std::uint8_t { kChunk = 1, kEnd = 2 };

ShippedEpisode get_episode(ByteReader& r) {
  ShippedEpisode e;
  e.seed = r.u64();
  e.score = get_score(r);
  e.findings.resize(r.count(8));
  for (ExploitFinding& f : e.findings) f = get_finding(r);
  e.scripts.resize(r.count(1));
  for (std::optional<DedupScripts>& s : e.scripts) {
    if (r.boolean()) s = get_scripts(r);
  }
  return e;
}

}  // namespace

Bytes encode_chunk(const ChunkMessage& chunk) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(Kind::kChunk));
  w.u64(chunk.first_job);
  w.u64(chunk.episodes.size());
  for (const ShippedEpisode& e : chunk.episodes) {
    w.u64(e.seed);
    put_score(w, e.score);
    w.u64(e.findings.size());
    for (const ExploitFinding& f : e.findings) put_finding(w, f);
    w.u64(e.scripts.size());
    for (const std::optional<DedupScripts>& s : e.scripts) {
      w.boolean(s.has_value());
      if (s) put_scripts(w, *s);
    }
  }
  return w.take();
}

Bytes encode_end(const EndMessage& end) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(Kind::kEnd));
  put_status(w, end.status);
  w.boolean(end.coverage.has_value());
  if (end.coverage) put_coverage(w, *end.coverage);
  return w.take();
}

Result<WireMessage> decode_message(std::span<const std::byte> bytes, int from_rank) {
  ByteReader r(bytes);
  WireMessage m;
  const std::uint8_t kind = r.u8();
  if (kind == static_cast<std::uint8_t>(Kind::kChunk)) {
    ChunkMessage chunk;
    chunk.first_job = r.u64();
    chunk.episodes.resize(r.count(8));
    for (ShippedEpisode& e : chunk.episodes) {
      if (!r.ok()) break;
      e = get_episode(r);
    }
    m.chunk = std::move(chunk);
  } else if (kind == static_cast<std::uint8_t>(Kind::kEnd)) {
    EndMessage end;
    end.status = get_status(r);
    if (r.boolean()) end.coverage = get_coverage(r);
    m.end = std::move(end);
  } else {
    r.fail();
  }
  if (!r.ok() || !r.at_end())
    return Status::Internal(fmt::format("a malformed message came from rank {}", from_rank));
  return m;
}

}  // namespace fable
