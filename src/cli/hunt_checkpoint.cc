// See hunt_checkpoint.h.
#include "hunt_checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "base/byte_io.h"
#include "base/hash.h"
#include "base/population_json.h"
#include "fable/episode.h"

namespace fable::cli {

RunIdentity hunt_identity(const HuntPlan& plan) {
  const HuntOptions& o = plan.options;
  const HuntConfig& cfg = plan.cfg;
  const Kernel& kernel = plan.kernel;
  const EngineSettings& s = cfg.settings;
  const auto path_or_none = [](const std::optional<std::string>& p) {
    return p ? *p : std::string("none");
  };
  return {
      identity_item("command", "hunt"),
      identity_item("engine", kEngineVersion),
      identity_item("kernel", fmt::format("{} v{} {}", kernel.name(), kernel.version().to_string(),
                                          hex64(kernel.content_hash()))),
      identity_item("kernel path", o.kernel),
      identity_item("roster", cfg.roster.to_string()),
      identity_item("objective",
                    cfg.objective ? objective_info(*cfg.objective).name : std::string_view("any")),
      identity_item("budget", std::to_string(cfg.budget)),
      identity_item("seed", std::to_string(cfg.seed)),
      identity_item("turns", std::to_string(cfg.turns)),
      identity_item("treasury", std::to_string(cfg.initial_treasury)),
      identity_item("engine settings", fmt::format("{} {} {} {}", s.plan_length, s.initial_balance,
                                                   s.income_per_turn, s.citizen_stipend)),
      identity_item("population", population_json(cfg.population).dump()),
      identity_item("batch", std::to_string(cfg.batch)),
      identity_item("strategy", hunt_strategy_name(cfg.strategy)),
      identity_item("beam", fmt::format("{} {}", cfg.beam_width, cfg.beam_branching)),
      identity_item("prefix reuse", cfg.reuse_prefixes ? "on" : "off"),
      identity_item("coverage", cfg.coverage ? "on" : "off"),
      identity_item("minimisation",
                    o.minimize.off ? std::string("off") : std::to_string(o.minimize.budget)),
      identity_item("exploit dir", path_or_none(o.exploit_dir)),
      identity_item("store", path_or_none(o.store)),
  };
}

ResumeKind hunt_resume_kind() {
  return ResumeKind{"hunt", {"hunt.json"}, {std::string(kHuntCorpusFileName)}, false};
}

Result<ResumeTarget> find_stopped_hunt(const HuntPlan& plan) {
  const HuntOptions& o = plan.options;
  if (plan.cfg.communicator != nullptr && plan.cfg.communicator->size() > 1) {
    return Status::Invalid(
        "--resume: not under MPI (a hunt across ranks is not checkpointed; docs/resume.md)");
  }
  if (plan.cfg.time_limit_seconds) {
    return Status::Invalid(
        "--resume: not with --time-limit (a hunt stopped by time is not reproducible; "
        "docs/resume.md)");
  }
  if (!o.out) {
    return Status::Invalid(
        "--resume: needs --out DIR (the stopped hunt's checkpoint is in DIR.partial-<pid>; "
        "docs/resume.md)");
  }
  Result<ResumeTarget> found =
      find_resume_target(*o.out, hunt_identity(plan), plan.cfg.budget, o.store, hunt_resume_kind());
  if (!found.ok()) return found.status();
  if (found->stopped && found->stopped->checkpoint.total != plan.cfg.budget) {
    return Status::Precondition(fmt::format("--resume {}: {} holds a hunt of budget {}, not {}",
                                            *o.out, found->stopped->partial.string(),
                                            found->stopped->checkpoint.total, plan.cfg.budget));
  }
  return found;
}

namespace {

namespace fs = std::filesystem;

std::string os_error(const fs::path& path, std::string_view what, int err) {
  return fmt::format("{}: {}: {}", path.string(), what, std::strerror(err));
}

// Appends `bytes` to `path` (created if missing). Errors: Status::Io.
Status append_file(const fs::path& path, std::span<const std::byte> bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
  if (fd < 0) return Status::Io(os_error(path, "cannot write", errno));
  int err = 0;
  for (std::size_t done = 0; done < bytes.size() && err == 0;) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno != EINTR) err = errno;
    if (n > 0) done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) return Status::Io(os_error(path, "cannot write", err));
  return Status::Ok();
}

Status remove_file(const fs::path& path) {
  if (::unlink(path.c_str()) == 0 || errno == ENOENT) return Status::Ok();
  return Status::Io(os_error(path, "cannot remove", errno));
}

}  // namespace

Result<HuntResumeData> read_hunt_resume(const ResumePoint& point) {
  const fs::path checkpoint = point.partial / kCheckpointFileName;
  ByteReader r(point.checkpoint.state);
  const std::uint64_t length = r.u64();
  const std::uint64_t hash = r.u64();
  if (!r.ok())
    return Status::Invalid(fmt::format("{}: malformed hunt checkpoint", checkpoint.string()));
  auto state = std::make_shared<HuntResumeState>();
  state->state_origin = checkpoint.string();
  const std::span<const std::byte> rest = std::span(point.checkpoint.state).subspan(16);
  state->state.assign(rest.begin(), rest.end());

  const fs::path path = point.partial / kHuntCorpusFileName;
  state->corpus_origin = path.string();
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(path, ec);
  if (fs::exists(status) && !fs::is_regular_file(status))
    return Status::Invalid(fmt::format("{}: not a regular file", path.string()));
  std::string text;
  if (fs::exists(status)) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::Io(fmt::format("{}: cannot read", path.string()));
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) return Status::Io(fmt::format("{}: cannot read", path.string()));
  }
  if (!fs::exists(status) && length > 0) {
    return Status::Invalid(fmt::format(
        "{}: missing, while its checkpoint counts on its first {} bytes; start the hunt again "
        "without --resume",
        path.string(), length));
  }
  if (text.size() < length) {
    return Status::Invalid(fmt::format(
        "{}: {} byte{}, shorter than the {} its checkpoint counts on (truncated); start the hunt "
        "again without --resume",
        path.string(), text.size(), text.size() == 1 ? "" : "s", length));
  }
  CorpusExtent extent;
  extent.length = length;
  extent.hash.bytes(text.data(), length);
  if (extent.hash.finish() != hash) {
    return Status::Invalid(fmt::format(
        "{}: does not match its checkpoint (corrupt); start the hunt again without --resume",
        path.string()));
  }
  const auto* bytes = reinterpret_cast<const std::byte*>(text.data());
  state->corpus.assign(bytes, bytes + length);
  return HuntResumeData{std::move(state), extent};
}

HuntCheckpointFn hunt_checkpoint_writer(const fs::path& partial, const RunIdentity& identity,
                                        std::uint64_t budget, std::int64_t store_run,
                                        const CorpusExtent& corpus,
                                        std::optional<std::uint64_t>* executions) {
  auto extent = std::make_shared<CorpusExtent>(corpus);
  return [partial, identity, budget, store_run, extent,
          executions](const HuntCheckpointState& s) -> Status {
    // The corpus first: a checkpoint never counts on bytes not written.
    if (!s.corpus_added.empty()) {
      if (Status st = append_file(partial / kHuntCorpusFileName, s.corpus_added); !st.ok())
        return st;
      extent->length += s.corpus_added.size();
      extent->hash.bytes(s.corpus_added.data(), s.corpus_added.size());
    }
    ByteWriter w;
    w.u64(extent->length);
    w.u64(extent->hash.finish());
    w.raw(s.state);
    if (Status st = write_checkpoint(
            partial, TournamentCheckpoint{identity, s.executions, budget, store_run, w.take()});
        !st.ok())
      return st;
    if (executions != nullptr) *executions = s.executions;
    return Status::Ok();
  };
}

Result<HuntFolder> open_hunt_folder(const std::string& out,
                                    const std::shared_ptr<ResumePoint>& resume,
                                    std::uint64_t corpus_length) {
  if (resume) {
    Result<files::StagedFolder> staged = files::StagedFolder::adopt(out, resume->partial);
    if (!staged.ok()) return staged.status();
    if (Status st = clear_end_files(resume->partial, {}, {"hunt.json"}); !st.ok()) return st;
    // What a killed hunt appended after its checkpoint.
    const fs::path corpus = resume->partial / kHuntCorpusFileName;
    std::error_code ec;
    if (fs::exists(corpus, ec) &&
        ::truncate(corpus.c_str(), static_cast<off_t>(corpus_length)) != 0)
      return Status::Io(os_error(corpus, "cannot cut", errno));
    return HuntFolder{std::move(*staged), resume->lock};
  }
  Result<files::StagedFolder> staged = files::StagedFolder::create(out);
  if (!staged.ok()) return staged.status();
  Result<std::unique_ptr<FolderLock>> lock = FolderLock::take(staged->partial());
  if (!lock.ok()) return lock.status();
  return HuntFolder{std::move(*staged), std::shared_ptr<FolderLock>(std::move(*lock))};
}

Status remove_checkpoint(const fs::path& folder) {
  if (Status st = remove_file(folder / kHuntCorpusFileName); !st.ok()) return st;
  return remove_file(folder / kCheckpointFileName);
}

bool discard_hunt_folder(const HuntFolder& folder) {
  const fs::path& partial = folder.staged.partial();
  if (!remove_checkpoint(partial).ok()) return false;
  return ::rmdir(partial.c_str()) == 0;
}

}  // namespace fable::cli
