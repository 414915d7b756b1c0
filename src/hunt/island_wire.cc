// The messages of a hunt's islands; see src/hunt/island_wire.h.
#include "hunt/island_wire.h"

#include <fmt/format.h>

#include "base/byte_io.h"
#include "tournament/wire_parts.h"

namespace fable::hunt {

namespace {

enum class Kind : std::uint8_t { kExchange = 1, kReport = 2 };

void put_entry(ByteWriter& w, const DedupEntry& e) {
  wire::put_finding(w, e.finding);
  w.u64(e.seed);
  w.i32(e.occurrences);
  wire::put_scripts(w, DedupScripts{e.perpetrators, e.scripts});
}

DedupEntry get_entry(ByteReader& r) {
  DedupEntry e;
  e.finding = wire::get_finding(r);
  e.seed = r.u64();
  e.occurrences = r.i32();
  if (e.occurrences < 1) r.fail();
  DedupScripts s = wire::get_scripts(r);
  e.perpetrators = std::move(s.perpetrators);
  e.scripts = std::move(s.scripts);
  return e;
}

Status malformed(int from_rank) {
  return Status::Internal(fmt::format("a malformed hunt message came from rank {}", from_rank));
}

}  // namespace

void put_genome(ByteWriter& w, const Genome& g) {
  w.u64(g.moves.size());
  for (const Move& m : g.moves) {
    w.i32(m.turn);
    w.i32(m.round);
    w.i32(m.attacker);
    wire::put_action(w, m.action);
  }
}

Genome get_genome(ByteReader& r) {
  Genome g;
  g.moves.resize(r.count(12));
  for (Move& m : g.moves) {
    if (!r.ok()) break;
    m.turn = r.i32();
    m.round = r.i32();
    m.attacker = r.i32();
    m.action = wire::get_action(r);
  }
  return g;
}

void put_objectives(ByteWriter& w, const ObjectiveScores& s) {
  for (const double v : s.value) w.f64(v);
}

ObjectiveScores get_objectives(ByteReader& r) {
  ObjectiveScores s;
  for (double& v : s.value) v = r.f64();
  return s;
}

void put_best(ByteWriter& w, const ObjectiveBest& b) {
  w.u8(static_cast<std::uint8_t>(b.objective));
  w.f64(b.value);
  w.boolean(b.captured);
  w.u64(b.execution);
  w.u64(b.moves);
  wire::put_strings(w, b.fingerprints);
}

ObjectiveBest get_best(ByteReader& r) {
  ObjectiveBest b;
  const std::uint8_t o = r.u8();
  if (o >= kObjectiveCount) r.fail();
  b.objective = static_cast<Objective>(o < kObjectiveCount ? o : 0);
  b.value = r.f64();
  b.captured = r.boolean();
  b.execution = r.u64();
  b.moves = static_cast<std::size_t>(r.u64());
  b.fingerprints = wire::get_strings(r);
  return b;
}

Bytes encode_exchange(const ExchangeMessage& m) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(Kind::kExchange));
  w.u8(static_cast<std::uint8_t>(m.state));
  wire::put_status(w, m.failure);
  w.u64(m.migrants.size());
  for (const Migrant& g : m.migrants) {
    put_genome(w, g.genome);
    put_objectives(w, g.scores);
  }
  return w.take();
}

Result<ExchangeMessage> decode_exchange(std::span<const std::byte> bytes, int from_rank) {
  ByteReader r(bytes);
  ExchangeMessage m;
  if (r.u8() != static_cast<std::uint8_t>(Kind::kExchange)) r.fail();
  const std::uint8_t state = r.u8();
  if (state > static_cast<std::uint8_t>(IslandState::kFailed)) r.fail();
  m.state = static_cast<IslandState>(state);
  m.failure = wire::get_status(r);
  if (m.state == IslandState::kFailed && m.failure.ok()) r.fail();
  m.migrants.resize(r.count(8));
  for (Migrant& g : m.migrants) {
    if (!r.ok()) break;
    g.genome = get_genome(r);
    g.scores = get_objectives(r);
  }
  if (!r.ok() || !r.at_end()) return malformed(from_rank);
  return m;
}

Bytes encode_report(const IslandReport& rep) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(Kind::kReport));
  const IslandSummary& s = rep.summary;
  w.i32(s.rank);
  w.u64(s.seed);
  w.u64(s.budget);
  w.u64(s.executions);
  w.u64(s.corpus_size);
  w.u64(s.features);
  w.u64(s.adopted);
  w.u64(rep.resumed_executions);
  w.boolean(rep.stopped_by_time);
  w.u64(rep.features.size());
  for (const std::uint64_t f : rep.features) w.u64(f);
  for (const ObjectiveBest& b : rep.best) put_best(w, b);
  w.u64(rep.entries.size());
  for (const DedupEntry& e : rep.entries) put_entry(w, e);
  w.boolean(rep.coverage.has_value());
  if (rep.coverage) wire::put_coverage(w, *rep.coverage);
  return w.take();
}

Result<IslandReport> decode_report(std::span<const std::byte> bytes, int from_rank,
                                   const Roster& roster, const std::string& matchup) {
  ByteReader r(bytes);
  IslandReport rep;
  if (r.u8() != static_cast<std::uint8_t>(Kind::kReport)) r.fail();
  IslandSummary& s = rep.summary;
  s.rank = r.i32();
  s.seed = r.u64();
  s.budget = r.u64();
  s.executions = r.u64();
  s.corpus_size = static_cast<std::size_t>(r.u64());
  s.features = static_cast<std::size_t>(r.u64());
  s.adopted = r.u64();
  rep.resumed_executions = r.u64();
  rep.stopped_by_time = r.boolean();
  rep.features.resize(r.count(8));
  for (std::uint64_t& f : rep.features) f = r.u64();
  for (ObjectiveBest& b : rep.best) b = get_best(r);
  rep.entries.resize(r.count(16));
  for (DedupEntry& e : rep.entries) {
    if (!r.ok()) break;
    e = get_entry(r);
    e.roster = roster;
    e.matchup = matchup;
  }
  if (r.boolean()) rep.coverage = wire::get_coverage(r);
  if (!r.ok() || !r.at_end() || s.rank != from_rank || s.corpus_size < 1) {
    return malformed(from_rank);
  }
  return rep;
}

}  // namespace fable::hunt
