// See resume_target.h.
#include "resume_target.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "base/files.h"
#include "fable/run_store.h"

namespace fable::cli {

namespace fs = std::filesystem;

namespace {

// DIR holds checkpoint.bin: this run, published and killed before it removed
// it. The checkpoint is removed (DIR is then the folder of a run never stopped).
Result<ResumeTarget> finish_published(const fs::path& dir, const RunIdentity& identity,
                                      std::uint64_t total,
                                      const std::optional<std::string>& store) {
  const auto refuse = [&](std::string_view why) {
    return Status::Precondition(
        fmt::format("--resume {}: {}; nothing was changed", dir.string(), why));
  };
  Result<std::unique_ptr<FolderLock>> lock = FolderLock::take(dir);
  if (!lock.ok()) return refuse(lock.status().message());
  Result<TournamentCheckpoint> c = read_checkpoint(dir);
  if (!c.ok()) {
    if (c.status().code() == StatusCode::kIoError) return c.status();
    return refuse(c.status().message());
  }
  const std::string differs = identity_difference(identity, c->identity);
  if (!differs.empty()) {
    return refuse(
        fmt::format("it holds the checkpoint of another run (these settings differ: {})", differs));
  }
  if (c->next_job != total || c->total != total) {
    return refuse(fmt::format(
        "it holds a checkpoint at episode {} of {}, not a finished run's (only a finished run's "
        "folder is published)",
        c->next_job, c->total));
  }
  if (store) {  // completed before the folder was published; opened, its WAL is folded in
    Result<RunStore> opened = RunStore::open(*store, "--store", /*create=*/false);
    if (!opened.ok()) return opened.status();
    const Result<std::optional<StoredRun>> run = opened->run(c->store_run);
    if (!run.ok()) return run.status();
    if (!*run || (*run)->status != "complete") {
      return refuse(fmt::format("its store run {} in {} is {}, not complete", c->store_run, *store,
                                *run ? (*run)->status : std::string("missing")));
    }
  }
  const fs::path path = dir / kCheckpointFileName;
  if (::unlink(path.c_str()) != 0) {
    return Status::Io(fmt::format("{}: cannot remove: {}", path.string(), std::strerror(errno)));
  }
  return ResumeTarget{nullptr,
                      fmt::format("{}: the run had finished (it was stopped after publishing its "
                                  "folder); its checkpoint removed, nothing else to do\n",
                                  dir.string())};
}

}  // namespace

Result<ResumeTarget> find_resume_target(const std::string& out, const RunIdentity& identity,
                                        std::uint64_t total,
                                        const std::optional<std::string>& store) {
  const Result<fs::path> dir = files::check_out_dir(out, /*may_hold_files=*/true);
  if (!dir.ok()) return dir.status();
  struct stat st {};
  if (::lstat((*dir / kCheckpointFileName).c_str(), &st) == 0)
    return finish_published(*dir, identity, total, store);

  Result<ResumePoint> found = find_resumable(out, identity);
  const Result<fs::path> free = files::check_out_dir(out);
  if (found.ok()) {
    if (!free.ok()) {
      return Status::Precondition(fmt::format(
          "--resume {}: the stopped run in {} cannot be moved there: {}; nothing was changed: "
          "move {} away, then run this again",
          dir->string(), found->partial.string(), free.status().message(), dir->string()));
    }
    return ResumeTarget{std::make_shared<ResumePoint>(std::move(*found)), {}};
  }
  std::error_code ec;
  if (!free.ok() && fs::is_regular_file(*dir / "leaderboard.json", ec) &&
      fs::is_regular_file(*dir / "summary.md", ec)) {
    return Status::Precondition(fmt::format(
        "--resume {}: the run is already finished: {} holds a finished run's folder (no "
        "checkpoint: a finished run has none) and no stopped run of these settings is next to "
        "it; nothing was changed (to play it again, remove {} or choose another --out)",
        dir->string(), dir->string(), dir->string()));
  }
  if (!free.ok()) {
    return Status::Precondition(
        fmt::format("{}; and {}", free.status().message(), found.status().message()));
  }
  return found.status();
}

}  // namespace fable::cli
