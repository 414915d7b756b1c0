// Input limits: the largest value every reader and the kernel loader accepts.
//
// Records, tournament configs, traces and kernels travel between people, so
// every count, length and amount read from them is bounded before any work
// starts: an input beyond a limit gets one clear error (exit 2), never an
// attempt that overflows, runs out of memory or runs for ever. Each constant
// says why it has its value; docs/limits.md lists them all with the reader
// that enforces each one.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fable/action.h"
#include "fable/agent.h"
#include "fable/money.h"

namespace fable::limits {

// Citizens in one episode (roster total). The engine keeps a snapshot per
// citizen and turn; see kMaxCitizenTurns for the product.
inline constexpr int kMaxCitizens = kMaxPopulation;

// Turns in one episode: a game of ten thousand epochs is far beyond any
// governance horizon the detectors score, and bounds the trace.
inline constexpr int kMaxTurns = 100000;

// Worker threads of a tournament (`threads:` in a config, `--threads` of run,
// tournament and bench): far more than any machine this runs on has cores.
inline constexpr int kMaxThreads = 256;

// Citizens x turns in one episode: each pair is one citizen snapshot (about 24
// bytes) in the trace, so this keeps one episode's trace under about 1 GiB.
inline constexpr std::int64_t kMaxCitizenTurns = 40'000'000;

// Seeds in one tournament (and episodes of one `run`): each seed is one
// episode per matchup; 10^8 keeps the seed list under 1 GiB and every counter
// in 32 bits per matchup.
inline constexpr std::uint64_t kMaxSeeds = 100'000'000;

// Steps in one perpetrator's script: at most one action per plan position of
// every turn.
inline constexpr std::int64_t kMaxScriptSteps =
    static_cast<std::int64_t>(kMaxTurns) * kMaxPlanLength;

// Items in one proposal and members of one emergency council (action.h).
inline constexpr int kMaxProposalItems = kMaxItems;
inline constexpr int kMaxCouncilMembers = kMaxCouncil;

// Treasury, income, balances and amounts, in milli-units: kMaxMoneyUnits
// (10^12 units). Any sum of two such amounts, and 9000 of them, fits in 64
// bits; the engine also stops paying income once all money in the world would
// pass kMaxWorldMoney (money.h).
inline constexpr Money kMaxAmountMilli = kMaxMoney;

// Occurrences of one finding (a record's `occurrences`): one per episode it
// was found in. A count stops there (a tournament of kMaxSeeds seeds and a
// dozen matchups could go past it): a record saying 1073741824 means at least
// that many.
inline constexpr int kMaxOccurrences = 1 << 30;

// Exploit numbers (EXP-NNN...): six digits, as exploit_id_start allows.
inline constexpr int kMaxExploitNumber = 999999;

// Text lengths in bytes (UTF-8). Names and ids (kernel name, record name,
// matchup names, participant ids, article ids, invariant names) appear in
// file names, tables and messages: 200 bytes. Free text (summaries, article
// titles and text, proposed guards, changelog summaries): 64 KiB.
inline constexpr std::size_t kMaxNameBytes = 200;
inline constexpr std::size_t kMaxTextBytes = 64 * 1024;

// Whole files: a record or trace is read into memory at once.
inline constexpr std::size_t kMaxRecordBytes = 16u << 20;
inline constexpr std::size_t kMaxTraceBytes = 256u << 20;
inline constexpr std::size_t kMaxConfigBytes = 1u << 20;
// Nesting of a JSON document (records, traces, coverage maps): the formats
// need fewer than 10 levels; the reader refuses more than this at once.
inline constexpr int kMaxJsonDepth = 64;

// Entries of one list read from a record or config: kernel clauses, a seed
// config's lists. A record's `perpetrators` is bounded by kMaxCitizens
// instead: a coalition may be any part of the roster, and each of its members
// is a perpetrator of the records it writes.
inline constexpr std::size_t kMaxListEntries = 10000;

}  // namespace fable::limits
