// See hunt_checkpoint.h.
#include "hunt_checkpoint.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

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

Result<std::shared_ptr<ResumePoint>> find_stopped_hunt(const HuntPlan& plan) {
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
  Result<ResumePoint> found = find_resumable(*o.out, hunt_identity(plan));
  if (!found.ok()) return found.status();
  if (found->checkpoint.total != plan.cfg.budget) {
    return Status::Precondition(fmt::format("--resume {}: {} holds a hunt of budget {}, not {}",
                                            *o.out, found->partial.string(),
                                            found->checkpoint.total, plan.cfg.budget));
  }
  return std::make_shared<ResumePoint>(std::move(*found));
}

Result<HuntFolder> open_hunt_folder(const std::string& out,
                                    const std::shared_ptr<ResumePoint>& resume) {
  if (resume) {
    Result<files::StagedFolder> staged = files::StagedFolder::adopt(out, resume->partial);
    if (!staged.ok()) return staged.status();
    if (Status st = clear_end_files(resume->partial, {}, {"hunt.json"}); !st.ok()) return st;
    return HuntFolder{std::move(*staged), resume->lock};
  }
  Result<files::StagedFolder> staged = files::StagedFolder::create(out);
  if (!staged.ok()) return staged.status();
  Result<std::unique_ptr<FolderLock>> lock = FolderLock::take(staged->partial());
  if (!lock.ok()) return lock.status();
  return HuntFolder{std::move(*staged), std::shared_ptr<FolderLock>(std::move(*lock))};
}

Status remove_checkpoint(const std::filesystem::path& folder) {
  const std::filesystem::path path = folder / kCheckpointFileName;
  if (::unlink(path.c_str()) == 0 || errno == ENOENT) return Status::Ok();
  return Status::Io(fmt::format("{}: cannot remove: {}", path.string(), std::strerror(errno)));
}

}  // namespace fable::cli
