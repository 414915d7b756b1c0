// Internal: `--store FILE.db` of tournament and run (fable/run_store.h,
// docs/store-format.md): the check made before anything is played, and the
// run row, episode sink and records of one execute_tournament.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fable/record_store.h"
#include "fable/run_store.h"
#include "fable/status.h"
#include "run_plans.h"

namespace fable::cli {

// Ok when --store FILE may be written (RunStore::check) and is neither inside
// the output folder `out` (which must be empty when the run starts) nor the
// --coverage file. Nothing is written. Errors: RunStore::check's;
// Status::Invalid naming --store for the other two.
Status check_store_path(const std::string& path, const std::optional<std::string>& out,
                        const std::optional<std::string>& coverage);

// A run being written to a store by execute_tournament or execute_hunt.
class StoreWriter {
 public:
  // Opens plan.store (creating it when missing) and adds the run, status
  // running. Errors: RunStore::open's; the kernel's load error; Status::Io
  // from SQLite.
  static Result<StoreWriter> start(const TournamentPlan& plan);
  // Takes up run `run_id` of plan.store again after its first
  // `episodes_done` episodes (--resume; RunStore::resume_run). Errors:
  // RunStore::open's (the store must exist) and resume_run's.
  static Result<StoreWriter> resume(const TournamentPlan& plan, std::int64_t run_id,
                                    std::int64_t episodes_done);
  // The same for a hunt (options.store): a run row of command "hunt" whose
  // episodes_planned is the budget; a hunt stores no episode rows.
  static Result<StoreWriter> start(const HuntPlan& plan);
  // Takes up the hunt's run `run_id` again (--resume): its row is checked
  // and marked running, as for a tournament with no episode done; when its
  // checkpoint is after the last execution (`finishing`: docs/resume.md,
  // "How a hunt ends"), as a tournament in its finishing phase (the row may
  // be complete; episodes_done is then the budget). Errors as the
  // tournament's resume.
  static Result<StoreWriter> resume(const HuntPlan& plan, std::int64_t run_id, bool finishing);

  // plan.cfg with its episode_sink writing into this store, and its
  // before_checkpoint committing it. The returned config refers to this
  // object, which must outlive the run.
  TournamentConfig config_with_sink(const TournamentConfig& cfg);

  // Writes the records of `outcome` (with the paths they were written to:
  // `appended` from --exploit-dir when given, else OUT/exploits/ID.json)
  // and the coverage, and marks the run complete; or marks it failed when
  // the run's files were not all written (outcome.finish, which the caller
  // reports). Errors: Status::Io from SQLite.
  Status finish(const TournamentPlan& plan, const TournamentOutcome& outcome,
                const std::vector<AppendedRecord>& appended);
  // The same for a hunt: its records (from --exploit-dir when given, else
  // OUT/exploits/ with outcome.ids), coverage and executions (episodes_done).
  Status finish(const HuntPlan& plan, const HuntOutcome& outcome,
                const std::vector<AppendedRecord>& appended);
  // Marks the run failed with `why`; returns `why` (a failure storing it is
  // dropped: the run's own error is the one to report).
  Status fail(const Status& why);

  std::int64_t run_id() const { return store_->run_id(); }

 private:
  explicit StoreWriter(std::unique_ptr<RunStore> store) : store_(std::move(store)) {}
  // The run row of a tournament or run.
  static Result<StoreRunInfo> run_info(const TournamentPlan& plan);
  static StoreRunInfo run_info(const HuntPlan& plan);
  // The store of a stopped run `run_id`, taken up after `episodes_done`.
  static Result<StoreWriter> take_up(const std::string& path, std::int64_t run_id,
                                     std::int64_t episodes_done, const StoreRunInfo& info);
  static Result<StoreWriter> begin(const std::string& path, const StoreRunInfo& info);
  // `finished`, after marking the run failed when it is an error.
  Status failed_unless_ok(const Status& finished);
  std::unique_ptr<RunStore> store_;
};

}  // namespace fable::cli
