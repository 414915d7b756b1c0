// Internal: the messages of a hunt's islands across ranks (fable/hunt.h,
// docs/distributed.md), exchanged with Communicator::all_gather.
//
// An exchange message carries an island's state (still hunting, done, or
// failed with its status) and, while it hunts, its migrants: the best
// script of each objective with its scores. A report carries what rank 0
// needs to merge an island into the hunt's result: the counts, the feature
// set, the best of each objective, the deduplicated findings with their
// perpetrators' scripts, and the coverage counters. Encoding:
// tournament/wire_parts.h.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/byte_io.h"
#include "fable/distributed.h"
#include "fable/hunt.h"
#include "hunt/genome.h"
#include "tournament/dedup.h"

namespace fable::hunt {

enum class IslandState : std::uint8_t { kHunting = 0, kDone = 1, kFailed = 2 };

struct Migrant {
  Genome genome;
  ObjectiveScores scores;
};

struct ExchangeMessage {
  IslandState state = IslandState::kHunting;
  Status failure;                 // with kFailed
  std::vector<Migrant> migrants;  // empty unless kHunting
};

struct IslandReport {
  IslandSummary summary;
  std::uint64_t resumed_executions = 0;
  bool stopped_by_time = false;
  std::vector<std::uint64_t> features;  // sorted, distinct
  std::array<ObjectiveBest, kObjectiveCount> best{};
  std::vector<DedupEntry> entries;  // the island's dedup, in first_seen order
  std::optional<ClauseCoverage> coverage;
};

Bytes encode_exchange(const ExchangeMessage& m);
Bytes encode_report(const IslandReport& r);

// The parts of the messages, also written into a hunt's checkpoints
// (docs/resume.md). A get_ on malformed input fails the reader
// (ByteReader::ok) and returns what it read.
void put_genome(ByteWriter& w, const Genome& g);
Genome get_genome(ByteReader& r);
void put_objectives(ByteWriter& w, const ObjectiveScores& s);
ObjectiveScores get_objectives(ByteReader& r);
void put_best(ByteWriter& w, const ObjectiveBest& b);
ObjectiveBest get_best(ByteReader& r);

// Errors: Status::Internal "a malformed hunt message came from rank N" for
// bytes that are not one whole message. `roster` and `matchup` are the
// hunt's (the same on every island), given to every decoded entry.
Result<ExchangeMessage> decode_exchange(std::span<const std::byte> bytes, int from_rank);
Result<IslandReport> decode_report(std::span<const std::byte> bytes, int from_rank,
                                   const Roster& roster, const std::string& matchup);

}  // namespace fable::hunt
