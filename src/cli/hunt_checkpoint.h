// Internal: `hunt --resume` and `hunt --checkpoint-every` (docs/resume.md,
// "Hunts"): the identity of a hunt's checkpoints, the stopped hunt to go on
// with, and the partial folder a hunt with --out fills from its start.
//
// A hunt with --out makes OUT.partial-<pid> when it starts and holds an
// exclusive flock on it (tournament/checkpoint.h, FolderLock) until it ends.
// In one process and without --time-limit, run_hunt hands the folder its
// state (HuntConfig::checkpoint) as checkpoint.bin, in the tournament's file
// format: when it starts, every --checkpoint-every generations and after the
// last. At the end hunt.json and exploits/ are written there, the
// checkpoint is removed and the folder is moved to OUT.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "base/files.h"
#include "fable/status.h"
#include "run_plans.h"
#include "tournament/checkpoint.h"

namespace fable::cli {

// The items of a hunt's checkpoint identity: `command` (hunt), engine,
// kernel (name, version, content hash), kernel path (as given), roster,
// objective, budget, seed, turns, treasury, engine settings, population,
// batch, strategy, beam (width and branching), prefix reuse, coverage (on
// or off), minimisation (off or the budget), exploit dir and store (the
// paths as given, or none). Never the threads nor the checkpoint interval.
RunIdentity hunt_identity(const HuntPlan& plan);

// The stopped hunt of plan's settings next to plan.options.out, locked
// (find_resumable). Errors: Status::Invalid under MPI or with
// --time-limit; find_resumable's.
Result<std::shared_ptr<ResumePoint>> find_stopped_hunt(const HuntPlan& plan);

// The partial folder of a hunt with --out, locked by this process.
struct HuntFolder {
  files::StagedFolder staged;
  std::shared_ptr<FolderLock> lock;
};

// A new OUT.partial-<pid>, or, with `resume`, the stopped hunt's folder
// (already locked) with what only the end of a hunt writes removed
// (hunt.json, exploits/*, temporary files). Errors: StagedFolder's;
// FolderLock::take's; Status::Io.
Result<HuntFolder> open_hunt_folder(const std::string& out,
                                    const std::shared_ptr<ResumePoint>& resume);

// Removes FOLDER/checkpoint.bin. Errors: Status::Io naming it.
Status remove_checkpoint(const std::filesystem::path& folder);

}  // namespace fable::cli
