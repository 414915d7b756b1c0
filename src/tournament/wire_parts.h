// The parts the messages between ranks are made of (fable/distributed.h,
// docs/distributed.md): scores, findings, actions, scripts, coverage and
// statuses, written with base/byte_io.h. Doubles cross bit for bit, so a
// rank that reads them sums exactly what the sender would. Used by the
// tournament's messages (tournament/episode_wire.h) and the hunt's islands
// (hunt/island_wire.h).
//
// A reader never throws and never trusts a count: a value out of its range
// or input that ends early marks the ByteReader failed (ByteReader::ok), and
// the caller turns that into one error naming the sender.
#pragma once

#include <string>
#include <vector>

#include "base/byte_io.h"
#include "fable/action.h"
#include "fable/coverage.h"
#include "fable/detector.h"
#include "fable/metrics.h"
#include "fable/status.h"
#include "tournament/dedup.h"

namespace fable::wire {

void put_strings(ByteWriter& w, const std::vector<std::string>& v);
std::vector<std::string> get_strings(ByteReader& r);

// Every field of the score, the objectives' values and capture flags included.
void put_score(ByteWriter& w, const EpisodeScore& s);
EpisodeScore get_score(ByteReader& r);

void put_finding(ByteWriter& w, const ExploitFinding& f);
ExploitFinding get_finding(ByteReader& r);

// An action with its items and memo, every field as played (docs/resume.md,
// "Actions on the wire"): the fixed fields, then the items up to the last
// one that is not a default ProposalItem (u8 count; each with the council
// members up to the last non-zero one, u8 count), then the memo's bytes up
// to the last non-zero one (u8 count). Lossless: get_action gives back an
// action equal to `a` in every byte of every field. A count above its
// array's size fails the reader, and so does a memo count above kMemoBytes
// (a memo without the zero that ends it: Memo::of never makes one).
void put_action(ByteWriter& w, const Action& a);
Action get_action(ByteReader& r);

void put_scripts(ByteWriter& w, const DedupScripts& s);
DedupScripts get_scripts(ByteReader& r);

// The episodes and every clause's counters (sums: merging order does not matter).
void put_coverage(ByteWriter& w, const ClauseCoverage& coverage);
ClauseCoverage get_coverage(ByteReader& r);

// The code and message; a code outside StatusCode fails the reader.
void put_status(ByteWriter& w, const Status& status);
Status get_status(ByteReader& r);

}  // namespace fable::wire
