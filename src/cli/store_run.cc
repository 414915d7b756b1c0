// See store_run.h.
#include "store_run.h"

#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/hash.h"
#include "coverage_output.h"
#include "fable/episode.h"
#include "fable/kernel.h"
#include "fable/money.h"

namespace fable::cli {

namespace fs = std::filesystem;

Status check_store_path(const std::string& path, const std::optional<std::string>& out,
                        const std::optional<std::string>& coverage) {
  if (out && !path.empty() && inside(path, *out)) {
    return Status::Invalid(fmt::format(
        "--store {}: inside the output folder {}, which the run fills with its own artifacts", path,
        *out));
  }
  if (coverage && !path.empty() &&
      fs::weakly_canonical(fs::absolute(path)) == fs::weakly_canonical(fs::absolute(*coverage))) {
    return Status::Invalid(fmt::format("--store {}: also the --coverage file", path));
  }
  return RunStore::check(path, "--store");
}

Result<StoreWriter> StoreWriter::start(const TournamentPlan& plan) {
  Result<StoreRunInfo> info = run_info(plan);
  if (!info.ok()) return info.status();
  return begin(*plan.store, *info);
}

Result<StoreWriter> StoreWriter::resume(const TournamentPlan& plan, std::int64_t run_id,
                                        std::int64_t episodes_done) {
  Result<StoreRunInfo> info = run_info(plan);
  if (!info.ok()) return info.status();
  return take_up(*plan.store, run_id, episodes_done, *info);
}

Result<StoreWriter> StoreWriter::resume(const HuntPlan& plan, std::int64_t run_id, bool finishing) {
  // A hunt's row claims no execution until every one is done (finish_run).
  const auto done = finishing ? static_cast<std::int64_t>(plan.cfg.budget) : 0;
  return take_up(*plan.options.store, run_id, done, run_info(plan));
}

Result<StoreWriter> StoreWriter::take_up(const std::string& path, std::int64_t run_id,
                                         std::int64_t episodes_done, const StoreRunInfo& info) {
  if (run_id < 1) {
    return Status::Precondition(fmt::format(
        "--store {}: the stopped run was not stored; run it again without --resume", path));
  }
  Result<RunStore> opened = RunStore::open(path, "--store", false);
  if (!opened.ok()) return opened.status();
  auto store = std::make_unique<RunStore>(std::move(*opened));
  if (Status st = store->resume_run(run_id, episodes_done, info); !st.ok()) return st;
  return StoreWriter(std::move(store));
}

Result<StoreRunInfo> StoreWriter::run_info(const TournamentPlan& plan) {
  const TournamentConfig& cfg = plan.cfg;
  std::optional<Kernel> loaded;
  if (!plan.kernel) {
    Result<Kernel> k = Kernel::load_file(cfg.kernel_path);
    if (!k.ok()) return k.status();
    loaded = std::move(*k);
  }
  const Kernel& kernel = plan.kernel ? *plan.kernel : *loaded;

  // The settings that decide what is played and recorded (never --threads:
  // results do not depend on it), as a JSON object with sorted keys.
  std::map<std::string, std::string> settings;
  for (auto& [key, value] : tournament_coverage_settings(plan.command, cfg, plan.config))
    settings[key] = value;
  settings["minimize"] = cfg.minimize ? std::to_string(cfg.minimize_budget) : "off";
  settings["episode_files"] = std::string(episode_files_name(cfg.episode_files));
  StoreRunInfo info;
  info.command = plan.command;
  info.settings_json = nlohmann::json(settings).dump();
  info.kernel_path = cfg.kernel_path;
  info.kernel_name = kernel.name();
  info.kernel_version = kernel.version().to_string();
  info.kernel_hash = hex64(kernel.content_hash());
  info.engine_version = std::string(kEngineVersion);
  info.population = cfg.population.preset;
  info.seeds = settings["seeds"];
  info.episodes_planned = static_cast<std::int64_t>(cfg.matchups.size() * cfg.seeds.size());
  return info;
}

Result<StoreWriter> StoreWriter::start(const HuntPlan& plan) {
  return begin(*plan.options.store, run_info(plan));
}

StoreRunInfo StoreWriter::run_info(const HuntPlan& plan) {
  const HuntOptions& o = plan.options;
  const HuntConfig& cfg = plan.cfg;
  // The flags that decide the hunt (never --threads), as strings, sorted.
  std::map<std::string, std::string> settings{
      {"command", "hunt"},
      {"kernel", o.kernel},
      {"roster", cfg.roster.to_string()},
      {"objective", o.objective},
      {"budget", std::to_string(cfg.budget)},
      {"seed", std::to_string(cfg.seed)},
      {"turns", std::to_string(cfg.turns)},
      {"treasury", format_money(cfg.initial_treasury)},
      {"strategy", o.strategy},
      {"beam_width", std::to_string(o.beam_width)},
      {"beam_branching", std::to_string(o.beam_branching)},
      {"population", cfg.population.preset},
      {"minimize", o.minimize.off ? "off" : std::to_string(o.minimize.budget)}};
  if (o.time_limit) settings["time_limit"] = fmt::format("{}", *o.time_limit);
  StoreRunInfo info;
  info.command = "hunt";
  info.settings_json = nlohmann::json(settings).dump();
  info.kernel_path = o.kernel;
  info.kernel_name = plan.kernel.name();
  info.kernel_version = plan.kernel.version().to_string();
  info.kernel_hash = hex64(plan.kernel.content_hash());
  info.engine_version = std::string(kEngineVersion);
  info.population = cfg.population.preset;
  info.seeds = std::to_string(cfg.seed);
  info.episodes_planned = static_cast<std::int64_t>(cfg.budget);
  info.episode_rows = false;  // its executions are counted, not stored
  return info;
}

Result<StoreWriter> StoreWriter::begin(const std::string& path, const StoreRunInfo& info) {
  Result<RunStore> opened = RunStore::open(path, "--store");
  if (!opened.ok()) return opened.status();
  auto store = std::make_unique<RunStore>(std::move(*opened));
  if (Status st = store->begin_run(info); !st.ok()) return st;
  return StoreWriter(std::move(store));
}

namespace {

// The store rows of a run's records: each with the id and file it has in the
// exploit folder (`appended`, in record order), else, when the run wrote
// OUT/exploits/, the id it was written under there (`ids`) and that file.
std::vector<StoreRecord> stored_records(const std::vector<ExploitRecord>& found,
                                        const std::vector<AppendedRecord>& appended,
                                        const std::optional<std::string>& out_dir,
                                        const std::vector<std::string>& ids) {
  std::vector<StoreRecord> records;
  records.reserve(found.size());
  for (std::size_t i = 0; i < found.size(); ++i) {
    StoreRecord r{found[i], std::nullopt};
    if (i < appended.size()) {
      r.record.exploit_id = appended[i].exploit_id;
      r.path = appended[i].path;
    } else if (out_dir && i < ids.size()) {
      r.record.exploit_id = ids[i];
      r.path = (fs::path(*out_dir) / "exploits" / (ids[i] + ".json")).string();
    }
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace

TournamentConfig StoreWriter::config_with_sink(const TournamentConfig& cfg) {
  TournamentConfig with = cfg;
  RunStore* store = store_.get();
  with.episode_sink = [store](const std::string& matchup, std::uint64_t seed,
                              const EpisodeScore& score,
                              const std::vector<ExploitFinding>& findings) {
    return store->add_episode(matchup, seed, score, findings);
  };
  with.before_checkpoint = [store] { return store->commit(); };
  return with;
}

Status StoreWriter::finish(const TournamentPlan& plan, const TournamentOutcome& outcome,
                           const std::vector<AppendedRecord>& appended) {
  if (!outcome.finish.ok()) return store_->fail_run(outcome.finish.message());
  const TournamentResult& main = outcome.result.main;
  std::vector<std::string> ids;  // a tournament's records are written under their own ids
  for (const ExploitRecord& r : main.exploit_records) ids.push_back(r.exploit_id);
  const std::vector<StoreRecord> records =
      stored_records(main.exploit_records, appended, plan.cfg.out_dir, ids);
  const CoverageReport* coverage = main.coverage ? &*main.coverage : nullptr;
  return failed_unless_ok(store_->finish_run(records, coverage));
}

Status StoreWriter::finish(const HuntPlan& plan, const HuntOutcome& outcome,
                           const std::vector<AppendedRecord>& appended) {
  if (!outcome.finish.ok()) return store_->fail_run(outcome.finish.message());
  const HuntResult& result = outcome.result;
  const std::vector<StoreRecord> records =
      stored_records(result.records, appended, plan.options.out, outcome.ids);
  const CoverageReport* coverage = result.coverage ? &*result.coverage : nullptr;
  return failed_unless_ok(
      store_->finish_run(records, coverage, static_cast<std::int64_t>(result.executions)));
}

Status StoreWriter::failed_unless_ok(const Status& finished) {
  // The last transaction did not commit: the run must not stay `running`
  // (marking it may fail too, on a full disk; the error is the first one).
  if (!finished.ok()) (void)store_->fail_run(finished.message());
  return finished;
}

Status StoreWriter::fail(const Status& why) {
  (void)store_->fail_run(why.message());
  return why;
}

}  // namespace fable::cli
