// Internal: what `--resume` finds for a tournament, run or hunt with --out
// DIR (docs/resume.md, "What --resume does"): the stopped run to continue,
// in a partial folder next to DIR; or DIR holding this run finished but for
// its checkpoint (killed between publishing DIR and removing it), which is
// then finished here; or one error saying why there is nothing to resume.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fable/status.h"
#include "tournament/checkpoint.h"

namespace fable::cli {

struct ResumeTarget {
  // The stopped run to continue, its partial folder locked; null when the
  // run was finished here instead.
  std::shared_ptr<ResumePoint> stopped;
  // When `stopped` is null: what was done ("DIR: ... checkpoint removed"),
  // a line ending in '\n'.
  std::string finished;
};

// What kind of run is looked for: how errors name it and what its files are.
struct ResumeKind {
  std::string_view noun = "run";  // "run" (a tournament or run) or "hunt"
  // The files (relative to DIR) that all say DIR holds a finished run.
  std::vector<std::string> finished_files{"summary.md", "leaderboard.json"};
  // Files of the checkpoint besides checkpoint.bin (a hunt's corpus.bin),
  // removed before it when a published DIR is finished.
  std::vector<std::string> checkpoint_files;
  // Whether its store run holds a row per episode (a hunt's holds none).
  bool episode_rows = true;
};

// Looks for the run of `identity` (`total` jobs) with output folder `out`:
//  - DIR/checkpoint.bin exists: the folder is locked (not in use by a
//    running process), the checkpoint must be this run's, after its last
//    job, and with `store` (--store) its run must be complete there (the
//    store is completed before the folder is published) with every
//    episode row its checkpoint counts on (kind.episode_rows); kind's
//    checkpoint_files then it are removed (the run is then finished);
//  - else the one stopped run next to DIR (find_resumable), which is
//    returned only when DIR is free to publish it to (absent or an empty
//    folder);
//  - else nothing to resume; when DIR holds a finished run's files
//    (kind.finished_files), the error says the run is already finished.
// Errors: Status::Precondition "--resume DIR: ..." (nothing is changed):
// in use, another run, not finished, nothing to resume, DIR not free for
// the stopped run (naming both), already finished; find_resumable's;
// Status::Io when DIR's checkpoint cannot be read or removed; the store's
// (RunStore::open) when it cannot be opened.
Result<ResumeTarget> find_resume_target(const std::string& out, const RunIdentity& identity,
                                        std::uint64_t total,
                                        const std::optional<std::string>& store,
                                        const ResumeKind& kind = {});

}  // namespace fable::cli
