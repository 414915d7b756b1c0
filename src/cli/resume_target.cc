// See resume_target.h.
#include "resume_target.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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
                                      std::uint64_t total, const std::optional<std::string>& store,
                                      const ResumeKind& kind) {
  const auto refuse = [&](std::string_view why) {
    return Status::Precondition(
        fmt::format("--resume {}: {}; nothing was changed", dir.string(), why));
  };
  Result<std::unique_ptr<FolderLock>> lock = FolderLock::take(dir);
  if (!lock.ok()) return refuse(lock.status().message());
  Result<TournamentCheckpoint> c = read_checkpoint(dir);
  if (!c.ok()) {
    if (c.status().code() == StatusCode::kIoError) return c.status();
    // Only a finished run's folder is published, its checkpoint inside: what
    // is left to do is what --resume would do, remove it.
    std::string also;
    for (const std::string& name : kind.checkpoint_files) also += " and " + (dir / name).string();
    return refuse(fmt::format(
        "{} (a published folder is a finished {}'s: if {} is this command's, remove {}{} by hand)",
        c.status().message(), kind.noun, dir.string(), (dir / kCheckpointFileName).string(), also));
  }
  const std::string differs = identity_difference(identity, c->identity);
  if (!differs.empty()) {
    return refuse(fmt::format("it holds the checkpoint of another {} (these settings differ: {})",
                              kind.noun, differs));
  }
  if (c->next_job != total || c->total != total) {
    return refuse(fmt::format(
        "it holds a checkpoint at {} {} of {}, not a finished {}'s (only a finished {}'s "
        "folder is published)",
        kind.episode_rows ? "episode" : "execution", c->next_job, c->total, kind.noun, kind.noun));
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
    if (kind.episode_rows) {
      if (Status st = opened->check_episode_rows(c->store_run, static_cast<std::int64_t>(total));
          !st.ok())
        return st;
    }
  }
  std::vector<fs::path> files;
  for (const std::string& name : kind.checkpoint_files) files.push_back(dir / name);
  files.push_back(dir / kCheckpointFileName);  // last: while it is there, this can be redone
  for (const fs::path& path : files) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return Status::Io(fmt::format("{}: cannot remove: {}", path.string(), std::strerror(errno)));
    }
  }
  return ResumeTarget{nullptr,
                      fmt::format("{}: the {} had finished (it was stopped after publishing its "
                                  "folder); its checkpoint removed, nothing else to do\n",
                                  dir.string(), kind.noun)};
}

}  // namespace

Result<ResumeTarget> find_resume_target(const std::string& out, const RunIdentity& identity,
                                        std::uint64_t total,
                                        const std::optional<std::string>& store,
                                        const ResumeKind& kind) {
  const Result<fs::path> dir = files::check_out_dir(out, /*may_hold_files=*/true);
  if (!dir.ok()) return dir.status();
  struct stat st {};
  if (::lstat((*dir / kCheckpointFileName).c_str(), &st) == 0)
    return finish_published(*dir, identity, total, store, kind);

  Result<ResumePoint> found = find_resumable(out, identity);
  const Result<fs::path> free = files::check_out_dir(out);
  if (found.ok()) {
    if (!free.ok()) {
      return Status::Precondition(fmt::format(
          "--resume {}: the stopped {} in {} cannot be moved there: {}; nothing was changed: "
          "move {} away, then run this again",
          dir->string(), kind.noun, found->partial.string(), free.status().message(),
          dir->string()));
    }
    return ResumeTarget{std::make_shared<ResumePoint>(std::move(*found)), {}};
  }
  const bool finished = std::all_of(kind.finished_files.begin(), kind.finished_files.end(),
                                    [&](const std::string& name) {
                                      std::error_code ec;
                                      return fs::is_regular_file(*dir / name, ec);
                                    });
  if (!free.ok() && finished) {
    const std::string_view n = kind.noun;
    return Status::Precondition(fmt::format(
        "--resume {}: the {} is already finished: {} holds a finished {}'s folder (no "
        "checkpoint: a finished {} has none) and no stopped {} of these settings is next to "
        "it; nothing was changed (to play it again, remove {} or choose another --out)",
        dir->string(), n, dir->string(), n, n, n, dir->string()));
  }
  if (!free.ok()) {
    return Status::Precondition(
        fmt::format("{}; and {}", free.status().message(), found.status().message()));
  }
  return found.status();
}

}  // namespace fable::cli
