// Internal: the coverage features of a hunt execution, like a fuzzer's edges
// and value profile.
//
// An execution that shows a feature no earlier execution showed joins the
// corpus. Features, each a 64-bit hash of small fields. Counted, and then
// taken with how often they occurred in a fuzzer's hit-count buckets (1, 2,
// 3, 4-7, 8-15, 16-31, 32+), so that doing a thing more often is new too:
//   * every tally: its result, the clause that failed it, and the yes share of
//     ballots cast and the turnout (cast / eligible), each in tenths;
//   * every passed proposal: the kinds of its items in order, and whether the
//     coalition proposed it.
// Taken once each:
//   * which rule was touched, and how hard: for every clause, each non-zero
//     counter of the execution's ClauseCoverage (fable/coverage.h: permitted,
//     refused, near_margin, tallies, amended; not `applied`, which grows
//     with the turns played rather than with what the coalition tried), with
//     its count in buckets 1, 2, 3, then doubling (4-7, 8-15, ..., 2048+) --
//     the counters of `--coverage`, from the one implementation;
//   * a value profile of every snapshot: the largest voting weight one
//     citizen carries as a share of the roll, the offices the coalition
//     holds, the roll as a share of the citizens (tenths), and the number of
//     turns under an emergency (bucketed);
//   * every objective's value, in tenths (objective progress);
//   * every finding's fingerprint.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "fable/coverage.h"
#include "fable/detector.h"
#include "fable/objectives.h"
#include "fable/trace.h"

namespace fable::hunt {

// Sorted, distinct features of one execution; `coverage` is the trace's
// (ClauseCoverage::add_episode of `trace` alone).
std::vector<std::uint64_t> execution_features(const EpisodeTrace& trace,
                                              std::span<const AgentIndex> attackers,
                                              const ClauseCoverage& coverage,
                                              const ObjectiveScores& scores,
                                              const std::vector<ExploitFinding>& findings);

}  // namespace fable::hunt
