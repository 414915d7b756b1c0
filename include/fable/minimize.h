// Minimal exploits: shrink a record's reproduction to the smallest story that
// still fires the same finding (issue 14; docs/record-format.md, "Minimised
// records").
//
// Delta debugging (Zeller and Hildebrandt's ddmin) over the reproduction,
// where every candidate is judged by replaying it on the kernel. A candidate
// is kept only when it *reproduces legally*: the record's own fingerprint
// fires (a shrink that lands on another finding is rejected) and no step of
// any perpetrator is refused by the kernel. The passes, in order:
//   1. steps the kernel refuses in the original are dropped (when the record
//      still reproduces without them; otherwise it cannot be minimised);
//   2. `n_turns` is cut to the least that reproduces (binary search), and
//      steps after it go;
//   3. each perpetrator is removed: first it becomes an honest citizen (its
//      role's group shrinks by one, the honest group grows by one, ids are
//      renumbered, references in the scripts follow), else it plays its own
//      role unscripted from its own random stream (for `attacker`, whose
//      unscripted play is nothing, a passive citizen; for a tactic role such
//      as `drainer`, its tactic);
//   4. steps are removed by ddmin: chunks first, then single steps;
//   5. `n_turns` again; every amount (transfer, emergency spend, spend item)
//      and every explicit voting window is lowered to the least that
//      reproduces (binary search on each);
//   6. perpetrators are renamed by first appearance (the first to act becomes
//      `<role>-01`); ids seed random streams, so the renaming is kept only
//      when the renamed record reproduces;
//   7. a 1-minimality check: removing any single remaining step or
//      perpetrator (either way) must stop the reproduction; if one does not,
//      it is removed and passes 4..7 run again.
// Deterministic: the same record, kernel and budget give the same result.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "fable/detector.h"
#include "fable/kernel.h"
#include "fable/record.h"
#include "fable/status.h"

namespace fable {

// Replays per record when none is given (`--minimize-budget`): enough for
// every shipped record to reach 1-minimality (the largest, EXP-001, needs ~700).
inline constexpr int kDefaultMinimizeBudget = 2000;
inline constexpr int kMaxMinimizeBudget = 1000000;

struct MinimizeOptions {
  // Most replays to spend (each candidate is one episode), >= 1. When they
  // run out the smallest record found so far is returned, which reproduces
  // but may not be 1-minimal (MinimizeResult::one_minimal is false).
  int budget = kDefaultMinimizeBudget;
};

struct MinimizeResult {
  ExploitRecord record;  // reproduction minimised; minimized_from filled in
  int replays = 0;       // replays spent, <= budget
  bool one_minimal = false;
  // Candidates rejected because another fingerprint fired and this one did
  // not (a shrink that landed on another finding).
  int other_findings = 0;
};

// Number of script steps of a reproduction, over all perpetrators.
int script_step_count(const Reproduction& r);

// Whether `rec` reproduces legally on `kernel`: its fingerprint fires and no
// perpetrator step is refused. One episode.
bool reproduces_legally(const ExploitRecord& rec, const Kernel& kernel, const DetectorSuite& suite);

// Minimises `rec` on `kernel` (normally its discovery kernel). The result
// keeps every field of the finding (exploit id, fingerprint, occurrences,
// first_seen, ...) and records where it came from in `minimized_from`
// (exploit id, fingerprint, sizes before, replays, one_minimal). When `rec`
// already carries `minimized_from`, the original sizes are kept.
// Errors: kInvalidArgument when options.budget is out of 1..kMaxMinimizeBudget;
// kPrecondition when `rec` does not reproduce on `kernel` (named with the
// replay's reason), or reproduces only with steps the kernel refuses.
Result<MinimizeResult> minimize_record(const ExploitRecord& rec, const Kernel& kernel,
                                       const DetectorSuite& suite,
                                       const MinimizeOptions& options = {});

// Progress of minimize_records: records done of total, replays spent so far.
using MinimizeProgressFn = std::function<void(std::size_t, std::size_t, std::uint64_t)>;

// What minimize_records did, over all records.
struct MinimizeSummary {
  std::uint64_t replays = 0;
  int one_minimal = 0;  // records shown 1-minimal
  int kept = 0;         // records left as found (minimize_record failed on them)
};

// Minimises every record of `records` in place, each within options.budget
// replays, on `threads` workers (1..256; the result does not depend on it:
// each record is minimised on its own and stored at its own place). What the
// tournament, `run`, `hunt` and seed runs do before writing their records.
// A record minimize_record refuses (it does not reproduce legally on its own)
// is left as it was. An exception of a worker (std::bad_alloc) is rethrown
// after every worker stopped. `progress`, when given, is called after each record
// from one thread at a time.
MinimizeSummary minimize_records(std::vector<ExploitRecord>& records, const Kernel& kernel,
                                 const DetectorSuite& suite, const MinimizeOptions& options,
                                 int threads, const MinimizeProgressFn& progress = {});

}  // namespace fable
