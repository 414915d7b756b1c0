// Clause coverage: which clauses of a constitution the played episodes put
// under stress (issue 14, point 4; docs/coverage-format.md).
//
// For every clause (every parameter of the table and every structural
// clause, fable/params.h) a ClauseCoverage counts, from episode traces only:
//   * permitted: accepted actions whose legality check consulted the clause
//     (the table consulted_clauses() of fable/legality.h: an action's kind,
//     and for a proposal each of its items; the engine executing a passed
//     proposal counts as one action consulting its items' clauses);
//   * refused: action_rejected events citing the clause;
//   * near_margin: tallies the clause decided within one ballot of its bar:
//     one ballot cast more or fewer (voting.quorum), one yes ballot more or
//     fewer (the threshold parameter of the most demanding item, and
//     voting.majority) would have changed that bar's verdict;
//   * tallies: tallies the clause decided at all: voting.quorum (and
//     roll.snapshot_at_open, which fixes the eligible roll) every tally, the
//     threshold parameter (and voting.threshold_base, its denominator) those
//     that met the quorum, voting.majority those that also reached the
//     threshold;
//   * amended: amendment_in_force events that changed the parameter;
//   * applied: times the engine applied the clause on its own, with no action
//     consulting it: voting.default_window_turns for a proposal asking for
//     window 0 (and not cut short by a suspended review);
//     emergency.suspends_review for a proposal opened under an emergency;
//     amendment.takes_effect_delay_turns at each amendment_ratified;
//     emergency.max_duration_turns at an emergency's sunset;
//     delegation.epoch_expiry at each delegation it ended; epoch.turns and
//     treasury.income_per_epoch at each epoch boundary (the end of a turn
//     that is a multiple of epoch.turns in force then).
// Bars are those of fable/tally.h (quorum_met, threshold_rule,
// threshold_reached) on the parameters in force at the tally: the episode's
// kernel with every earlier amendment_in_force applied. Counters are sums, so
// merging is order-independent: a tournament's coverage is the same for any
// thread count. The hunt's coverage features are made from the same counters
// (src/hunt/features.cc).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fable/kernel.h"
#include "fable/params.h"
#include "fable/status.h"
#include "fable/trace.h"

namespace fable {

inline constexpr std::string_view kCoverageSchema = "fable-coverage/1";

enum class CoverageCounter : std::uint8_t {
  kPermitted = 0,
  kRefused,
  kNearMargin,
  kTallies,
  kAmended,
  kApplied,  // keep last: kCoverageCounterCount follows it
};
inline constexpr int kCoverageCounterCount = static_cast<int>(CoverageCounter::kApplied) + 1;
// "permitted", "refused", "near_margin", "tallies", "amended", "applied".
std::string_view coverage_counter_name(CoverageCounter c);

// The counters of one clause (counts of actions, tallies or amendments).
struct ClauseCounters {
  std::array<std::uint64_t, kCoverageCounterCount> n{};

  std::uint64_t operator[](CoverageCounter c) const { return n[static_cast<int>(c)]; }
  std::uint64_t& operator[](CoverageCounter c) { return n[static_cast<int>(c)]; }
  // Whether any counter is non-zero.
  bool exercised() const;
  friend bool operator==(const ClauseCounters&, const ClauseCounters&) = default;
};

class ClauseCoverage {
 public:
  // Counts one episode's trace (see the file comment). A trace without a
  // kernel is counted against the default parameters. Malformed entries
  // (a proposal index outside trace.proposals, a clause outside the table)
  // are skipped, never a crash.
  void add_episode(const EpisodeTrace& trace);
  // Adds `other`'s counters and episodes to these.
  void merge(const ClauseCoverage& other);
  // A coverage holding exactly these counters (by ClauseId) and episodes: how
  // a coverage counted on another rank is rebuilt (fable/distributed.h).
  static ClauseCoverage of_counts(const std::array<ClauseCounters, kClauseCount>& counters,
                                  std::uint64_t episodes);

  // REQUIRES: c < kClauseCount.
  const ClauseCounters& at(ClauseId c) const { return counters_[c]; }
  std::uint64_t episodes() const { return episodes_; }
  friend bool operator==(const ClauseCoverage&, const ClauseCoverage&) = default;

 private:
  std::array<ClauseCounters, kClauseCount> counters_{};
  std::uint64_t episodes_ = 0;
};

// ---------------------------------------------------------------------------
// The file format (docs/coverage-format.md).

struct CoverageEntry {
  std::string clause;         // clause_name(): "spend.per_proposal_cap", "standing.roll"
  bool structural = false;    // a structural clause, not a parameter
  std::string article;        // Kernel::article_label(): an article id or "(engine default)"
  std::string article_title;  // that article's title; empty when no article governs it
  ClauseCounters counters;
};

struct CoverageReport {
  std::string kernel_name;
  std::string kernel_version;
  std::string kernel_hash;  // 16 hex digits, Kernel::content_hash
  std::uint64_t episodes = 0;
  // The settings of the run it came from ("command", "kernel", "seeds", ...),
  // as strings; written with sorted keys.
  std::vector<std::pair<std::string, std::string>> settings;
  std::vector<CoverageEntry> clauses;  // every clause, in table order (parameters first)
};

// One entry per clause of the table, with the kernel's article for each.
CoverageReport coverage_report(const ClauseCoverage& coverage, const Kernel& kernel);

// JSON with sorted keys, two-space indent and a final newline.
std::string coverage_json(const CoverageReport& report);

// Reads coverage_json's output. Errors: Status::Invalid "<source>: ..." for
// invalid JSON, another schema, a missing, unknown or mistyped field, an
// unknown or repeated clause, or `exercised` disagreeing with the counters.
Result<CoverageReport> parse_coverage_json(std::string_view text, std::string_view source);

// Reads the file at `path`: parse_coverage_json of its text. Errors:
// Status::NotFound "no such file"; Status::Invalid for a folder, a file that
// is not regular (a FIFO is refused without blocking) or larger than 4 MiB,
// and parse_coverage_json's errors; Status::Io when it cannot be read.
Result<CoverageReport> load_coverage_file(const std::string& path);

// How stressed a clause was, least first: the order of the table.
enum class StressRank : std::uint8_t {
  kNeverExercised = 0,  // every counter zero
  kNeverStressed,       // exercised, but never refused and never near a margin
  kRefusedOnly,         // refused, never near a margin
  kNearMarginOnly,      // near a margin, never refused
  kBoth,                // refused and near a margin
};
StressRank stress_rank(const ClauseCounters& c);
std::string_view stress_rank_name(StressRank r);  // "never exercised", ...

// The table of `fable-selfplay coverage`: a header naming the kernel, the
// episodes and the settings, one row per clause ordered by stress rank, then
// refused + near_margin ascending, then table order, and a summary line
// ("N of M clauses never exercised; K exercised but never refused or near a
// margin").
std::string render_coverage_table(const CoverageReport& report);

}  // namespace fable
