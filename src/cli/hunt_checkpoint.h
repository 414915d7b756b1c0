// Internal: `hunt --resume` and `hunt --checkpoint-every` (docs/resume.md,
// "Hunts"): the identity of a hunt's checkpoints, the stopped hunt to go on
// with, and the partial folder a hunt with --out fills from its start.
//
// A hunt with --out makes OUT.partial-<pid> when it starts and holds an
// exclusive flock on it (tournament/checkpoint.h, FolderLock) until it ends.
// In one process and without --time-limit, run_hunt hands the folder its
// state (HuntConfig::checkpoint) when it starts, every --checkpoint-every
// generations and after the last: the corpus entries added since the last
// checkpoint are appended to corpus.bin, then checkpoint.bin (the
// tournament's file format) is replaced; its state starts with the length
// and hash of the corpus.bin it counts on (a killed hunt may have appended
// more: cut off when it is resumed). At the end hunt.json and exploits/ are
// written there, the steps outside it are done (--exploit-dir, --coverage,
// the store), the folder is moved to OUT with its checkpoint, then corpus.bin
// and checkpoint.bin are removed from OUT (docs/resume.md, "How a hunt
// ends").
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/files.h"
#include "base/hash.h"
#include "fable/status.h"
#include "resume_target.h"
#include "run_plans.h"
#include "tournament/checkpoint.h"

namespace fable::cli {

inline constexpr std::string_view kHuntCorpusFileName = "corpus.bin";

// The items of a hunt's checkpoint identity: `command` (hunt), engine,
// kernel (name, version, content hash), kernel path (as given), roster,
// objective, budget, seed, turns, treasury, engine settings, population,
// batch, strategy, beam (width and branching), prefix reuse, coverage (on
// or off), minimisation (off or the budget), exploit dir and store (the
// paths as given, or none). Never the threads nor the checkpoint interval.
RunIdentity hunt_identity(const HuntPlan& plan);

// What --resume looks for (resume_target.h): a hunt, finished when DIR
// holds hunt.json, whose checkpoint includes corpus.bin, with no episode
// rows in the store.
ResumeKind hunt_resume_kind();

// The stopped hunt of plan's settings next to plan.options.out, locked, or
// plan.options.out finished here (find_resume_target, hunt_resume_kind).
// Errors: Status::Invalid under MPI or with --time-limit;
// find_resume_target's.
Result<ResumeTarget> find_stopped_hunt(const HuntPlan& plan);

// How much of a partial folder's corpus.bin a checkpoint counts on.
struct CorpusExtent {
  std::uint64_t length = 0;  // bytes
  Hasher hash;               // of those bytes
};

// What a hunt resumes from: the run_hunt state and the corpus.bin extent to
// keep. Reads the stopped hunt's checkpoint and corpus.bin, changing nothing.
// Errors: Status::Invalid naming the file when the checkpoint's state is
// malformed or corpus.bin is shorter than it counts on or differs from it;
// Status::Io when it cannot be read.
struct HuntResumeData {
  std::shared_ptr<const HuntResumeState> state;
  CorpusExtent corpus;
};
Result<HuntResumeData> read_hunt_resume(const ResumePoint& point);

// HuntConfig::checkpoint for a hunt filling `partial` (see the file
// comment), starting from `corpus` (a resumed hunt's extent, else empty);
// `executions`, when given, receives the executions of each checkpoint
// written.
HuntCheckpointFn hunt_checkpoint_writer(const std::filesystem::path& partial,
                                        const RunIdentity& identity, std::uint64_t budget,
                                        std::int64_t store_run, const CorpusExtent& corpus,
                                        std::optional<std::uint64_t>* executions);

// The partial folder of a hunt with --out, locked by this process.
struct HuntFolder {
  files::StagedFolder staged;
  std::shared_ptr<FolderLock> lock;
};

// A new OUT.partial-<pid>, or, with `resume`, the stopped hunt's folder
// (already locked) with what only the end of a hunt writes removed
// (hunt.json, exploits/*, temporary files) and corpus.bin cut to
// `corpus_length`. Errors: StagedFolder's; FolderLock::take's; Status::Io.
Result<HuntFolder> open_hunt_folder(const std::string& out,
                                    const std::shared_ptr<ResumePoint>& resume,
                                    std::uint64_t corpus_length);

// Removes FOLDER/corpus.bin, then FOLDER/checkpoint.bin (either may be
// absent; the checkpoint last, so that a kill between the two leaves it to
// --resume). Errors: Status::Io naming the file.
Status remove_checkpoint(const std::filesystem::path& folder);

// Removes the partial folder of a hunt that failed before its first
// checkpoint, when it holds nothing else (nothing to resume, nothing to
// keep); whether it is gone.
bool discard_hunt_folder(const HuntFolder& folder);

}  // namespace fable::cli
