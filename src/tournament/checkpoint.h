// Checkpoints of a tournament (or run) with an output folder, and finding
// the run to continue with --resume (docs/resume.md).
//
// While a tournament plays, its partial folder OUT.partial-<pid>
// (base/files.h, StagedFolder) holds `checkpoint.bin`: the consumer's state
// after its first `next_job` jobs (leaderboard sums, the fingerprint dedup,
// the clause coverage, episodes run), the run's identity (a hash of every
// setting that changes what it writes) and the --store run id. It is
// replaced whole (written under a temporary name and renamed), when the run
// starts, every TournamentConfig::checkpoint_every jobs and after the last; the folder is flock'ed
// by the process filling it, which the kernel releases however that process ends (SIGKILL
// included). Episodes are independent (each job has its own random streams), so a run that plays
// jobs next_job.. on top of that state ends with the same bytes as one that
// was never stopped. A tournament's checkpoint is removed once the folder is
// published (moved with it: docs/resume.md, "How a run ends"): a finished
// folder holds none.
//
// A hunt's checkpoints (src/cli/hunt_checkpoint.h) use the same file, lock
// and search: its identity names the command `hunt`, `next_job` counts its
// executions, `total` is its budget and `state` the hunt's own
// (HuntConfig::checkpoint, fable/hunt.h), whose corpus is appended to a
// second file, corpus.bin. A hunt's checkpoint too is moved with its folder
// and removed after (docs/resume.md, "How a hunt ends").
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fable/coverage.h"
#include "fable/kernel.h"
#include "fable/status.h"
#include "fable/tournament.h"
#include "tournament/dedup.h"
#include "tournament/leaderboard.h"

namespace fable {

inline constexpr std::string_view kCheckpointFileName = "checkpoint.bin";
// 2 (session 29): actions in the dedup's scripts and a hunt's corpus.bin
// leave out their unused slots (wire::put_action). 1: every slot written.
inline constexpr std::uint32_t kCheckpointVersion = 2;

// One setting that decides what a run plays or writes: its name and a hash
// (16 hex digits) of its value.
struct IdentityItem {
  std::string name;
  std::string value;
  friend bool operator==(const IdentityItem&, const IdentityItem&) = default;
};
using RunIdentity = std::vector<IdentityItem>;

// An item whose value is the hash of `value`.
IdentityItem identity_item(std::string name, std::string_view value);

// The identity of a tournament: engine version, kernel (content hash, name,
// version, path as given), matchups and rosters, seeds, turns, treasury,
// engine settings, population, episode files, secondary metrics,
// minimisation, coverage on or off, first exploit id, then
// cfg.checkpoint_identity. Never the threads or the checkpoint interval,
// which change nothing written.
RunIdentity tournament_identity(const TournamentConfig& cfg, const Kernel& kernel);

// The names of the items that differ between `a` and `b` (an item in only
// one counts), comma-separated in `a`'s order then `b`'s; "" when equal.
std::string identity_difference(const RunIdentity& a, const RunIdentity& b);

struct TournamentCheckpoint {
  RunIdentity identity;
  std::uint64_t next_job = 0;    // jobs 0..next_job-1 were consumed
  std::uint64_t total = 0;       // jobs in the run
  std::int64_t store_run = 0;    // the --store run id; 0 without a store
  std::vector<std::byte> state;  // encode_tournament_state's bytes
};

// The file's bytes (docs/resume.md, "The checkpoint file").
std::vector<std::byte> encode_checkpoint(const TournamentCheckpoint& c);
// Errors: Status::Invalid "<where>: ..." for input that is not a
// checkpoint, another version, a failed checksum (truncated or corrupt) or
// malformed content.
Result<TournamentCheckpoint> decode_checkpoint(std::span<const std::byte> bytes,
                                               const std::string& where);

// Replaces FOLDER/checkpoint.bin whole (a temporary file renamed; not
// fsync'ed: whole for any death of the process, not for a power cut).
// Errors: Status::Io naming the file and the reason.
Status write_checkpoint(const std::filesystem::path& folder, const TournamentCheckpoint& c);
// Errors: Status::NotFound when the folder holds none; decode_checkpoint's;
// Status::Io when it cannot be read.
Result<TournamentCheckpoint> read_checkpoint(const std::filesystem::path& folder);

// The consumer's state: episodes run, the leaderboard, the dedup and, when
// `coverage` is given, the coverage.
std::vector<std::byte> encode_tournament_state(std::uint64_t episodes_run,
                                               const Leaderboard& leaderboard,
                                               const FingerprintDedup& dedup,
                                               const ClauseCoverage* coverage);
// Reads it back into the given objects (`leaderboard` made with the run's
// treasury and secondaries). Errors: Status::Invalid "<where>: ..." when it
// is malformed or has coverage where none is asked for (or the reverse).
Status decode_tournament_state(std::span<const std::byte> bytes, const std::string& where,
                               std::uint64_t& episodes_run, Leaderboard& leaderboard,
                               FingerprintDedup& dedup, ClauseCoverage* coverage);

// An exclusive flock on a folder, held until destroyed.
class FolderLock {
 public:
  // Takes the lock without waiting. Errors: Status::Precondition
  // "<folder>: in use by a running process" when another holds it;
  // Status::Io when the folder cannot be opened.
  static Result<std::unique_ptr<FolderLock>> take(const std::filesystem::path& folder);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  explicit FolderLock(int fd) : fd_(fd) {}
  int fd_;
};

// A killed run found by find_resumable, its folder locked by this process.
struct ResumePoint {
  std::filesystem::path partial;  // OUT.partial-<pid> of the killed run
  TournamentCheckpoint checkpoint;
  std::shared_ptr<FolderLock> lock;
};

// The one partial folder OUT.partial-<pid> (or -<pid>-<n>) next to `out`
// that no running process holds and whose checkpoint has `identity`.
// Errors (Status::Precondition, one line naming `out`): none found
// (each folder looked at is named with why it does not fit: in use, no
// checkpoint, unreadable, or which settings differ); several found (named).
// The folders are not changed.
Result<ResumePoint> find_resumable(const std::string& out, const RunIdentity& identity);

// Makes `partial` ready to take jobs from checkpoint.next_job on: removes
// the episode files of jobs >= next_job (`cfg`'s job order), temporary
// files left by a killed write, and what only the end of a run writes
// (exploits/*, summary.md, leaderboard.json). Errors: Status::Io.
Status clear_after_checkpoint(const std::filesystem::path& partial, const TournamentConfig& cfg,
                              std::uint64_t next_job);

// What clear_after_checkpoint does but for the episode files: removes the
// temporary files left by a killed write (`.NAME.tmp-<pid>`) in `partial`,
// in each of `folders` (relative to it) and in exploits/, every file in
// exploits/, and `files` (relative to `partial`). Errors: Status::Io.
Status clear_end_files(const std::filesystem::path& partial,
                       const std::vector<std::string>& folders,
                       const std::vector<std::string>& files);

}  // namespace fable
