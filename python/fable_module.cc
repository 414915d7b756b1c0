// The Python module `fable` (docs/python.md): kernels, one episode,
// tournaments, runs, hunts, sweeps, replay and verify, for notebooks.
//
// Results come back as plain Python objects (dicts, lists, numbers, str):
// each is the JSON the command line writes (docs/*-format.md), read by
// Python's json module, so a record from Python is the record on disk.
// Tournaments, runs, hunts and sweeps take the command line's settings as
// keyword arguments and go through the same checks and code
// (src/cli/run_plans.h): the same inputs give the same records and files.
// Every call that plays releases the GIL, and Ctrl-C stops it between
// episodes or generations. A failed call raises fable.InputError (bad input;
// exit 2 on the command line), fable.IoError (exit 3) or
// fable.InternalError (exit 5), all subclasses of fable.Error, with the
// command line's one-line message.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "arguments.h"
#include "base/hash.h"
#include "base/safe_name.h"
#include "bindings.h"
#include "cli/cli_support.h"
#include "cli/record_kernel.h"
#include "cli/run_plans.h"
#include "fable/detector_registry.h"
#include "fable/episode.h"
#include "fable/limits.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "fable/seed_config.h"
#include "fable/sweep.h"
#include "fable/tournament.h"
#include "fable/trace.h"

namespace fable::python {

namespace {

py::dict kernel_identity(const std::string& name, const std::string& version,
                         const std::string& hash) {
  py::dict d;
  d["name"] = name;
  d["version"] = version;
  d["hash"] = hash;
  return d;
}

py::dict kernel_identity(const Kernel& k) {
  return kernel_identity(k.name(), k.version().to_string(), hex64(k.content_hash()));
}

py::list records_list(const std::vector<ExploitRecord>& records) {
  py::list out;
  for (const ExploitRecord& r : records) out.append(from_json(record_to_json(r)));
  return out;
}

py::dict tournament_dict(const TournamentResult& r) {
  py::dict d;
  d["kernel"] = kernel_identity(r.kernel_name, r.kernel_version, r.kernel_hash);
  d["episodes"] = r.episodes_run;
  d["leaderboard"] = from_json(leaderboard_json(r))["matchups"];
  d["records"] = records_list(r.exploit_records);
  return d;
}

// The lines the command line prints after a run (TournamentOutcome::notes,
// HuntOutcome::notes: "resumed OUT.partial-4242 at episode 96 of 200", ...),
// without their line ends.
py::list notes_list(const std::vector<std::string>& notes) {
  py::list out;
  for (std::string line : notes) {
    if (!line.empty() && line.back() == '\n') line.pop_back();
    out.append(line);
  }
  return out;
}

// What resume=True returns when out= already held the run, finished but for
// its checkpoint (the command line prints the note and exits 0): the results
// are the files in out=.
py::dict finished_before(const std::vector<std::string>& notes) {
  py::dict d;
  d["finished_before"] = true;
  d["notes"] = notes_list(notes);
  return d;
}

// Plays a checked tournament or run with the GIL released and Ctrl-C
// polled every 64 episodes.
py::dict play_tournament(cli::TournamentPlan plan) {
  Interrupts interrupts;
  const ProgressFn poll = [&interrupts](const TournamentProgress& p) {
    if (p.done % 64 == 0) interrupts.poll();
  };
  Result<cli::TournamentOutcome> outcome = Status::Internal("not run");
  {
    py::gil_scoped_release released;
    outcome = cli::execute_tournament(plan, poll);
  }
  interrupts.rethrow_if_interrupted();
  if (!outcome.ok()) raise(outcome.status());
  check(outcome->finish);
  if (outcome->finished_before) return finished_before(outcome->notes);
  py::dict d = tournament_dict(outcome->result.main);
  d["records_appended"] = outcome->records_appended;
  d["notes"] = notes_list(outcome->notes);
  if (plan.seed) {
    if (outcome->result.verification)
      d["verification"] = tournament_dict(*outcome->result.verification);
    py::list expected;
    for (const ExpectedCheck& e : outcome->result.expected) {
      py::dict row;
      row["expected"] = e.expected;
      row["detectors"] = e.kinds;
      row["records"] = e.records;
      row["findings"] = e.findings;
      row["found"] = e.found();
      expected.append(row);
    }
    d["expected"] = expected;
    d["report"] = render_seed_report(*plan.seed, plan.cfg, outcome->result);
  }
  return d;
}

// A Kernel given as `kernel=` of a tournament or run: played as it is.
void use_kernel(cli::TournamentPlan& plan, const KernelArg& k) {
  if (!k.kernel) return;
  if (plan.seed) {
    throw InputError(
        "kernel: a seed config names its kernels; give a path, or amend the kernel file");
  }
  plan.kernel = k.kernel;
}

// fable.play: one episode on a path or a Kernel.
py::dict play(const py::object& kernel, const py::object& roster, const py::object& seed,
              const py::object& turns, const py::object& treasury, const py::object& population,
              const py::object& matchup) {
  const KernelArg k = kernel_arg(kernel, "kernel");
  cli::RunOptions o;
  o.kernel = k.label;
  o.roster = text_arg(roster, "roster");
  o.episodes = 1;
  o.seed = uint_arg(seed, "seed");
  o.max_turns = int32_arg(turns, "turns");
  check(cli::check_flag_range("turns", o.max_turns, 1, limits::kMaxTurns));
  o.treasury = number_arg(treasury, "treasury");
  o.population = text_arg(population, "population");
  o.name = text_arg(matchup, "matchup");
  check(check_safe_name(o.name, "matchup"));
  const cli::TournamentPlan plan = take(cli::plan_run(o, false));
  std::string summary, trace;
  Status failed = Status::Ok();
  {
    py::gil_scoped_release released;
    const Result<Kernel> loaded = k.kernel ? Result<Kernel>(*k.kernel) : Kernel::load_file(k.label);
    if (loaded.ok()) {
      EpisodeOptions options;
      options.turns = plan.cfg.n_turns;
      options.initial_treasury = plan.cfg.initial_treasury;
      options.settings = plan.cfg.settings;
      options.matchup = o.name;
      options.population = plan.cfg.population;
      Population agents = plan.cfg.matchups[0].build_agents();
      const EpisodeResult ep = run_episode(*loaded, agents, o.seed, options, default_suite());
      summary = episode_summary_json(o.name, o.seed, ep.score, ep.findings);
      trace = trace_to_json(ep.trace);
    } else {
      failed = loaded.status();
    }
  }
  check(failed);
  py::dict d = from_json(summary);
  d["trace"] = from_json(trace);
  return d;
}

py::dict tournament(const py::object& kernel, const py::object& config, const py::object& seeds,
                    const py::object& turns, const py::object& treasury, const py::object& matchups,
                    const py::object& threads, const py::object& plan_length,
                    const py::object& population, const py::object& out,
                    const py::object& episode_files, const py::object& exploit_dir,
                    const py::object& minimize, const py::object& minimize_budget,
                    const py::object& coverage, const py::object& resume,
                    const py::object& checkpoint_every) {
  cli::TournamentOptions o;
  KernelArg k;
  o.config = optional_path(config, "config");
  if (!kernel.is_none()) {
    k = kernel_arg(kernel, "kernel");
    o.kernel = k.label;
    const auto seed_format = [&] {
      const Result<bool> seed = is_seed_config(*o.config);
      return seed.ok() && *seed;
    };
    if (k.kernel && o.config && seed_format()) {
      throw InputError(
          "kernel: a seed config names its kernels; give a path, or amend the kernel file");
    }
  }
  o.seeds = seeds_text(seeds);
  o.turns = optional_int32(turns, "--turns");
  o.treasury = optional_number(treasury, "--treasury");
  o.matchups = optional_text(matchups, "--matchups");
  o.threads = optional_int32(threads, "--threads");
  o.plan_length = optional_int32(plan_length, "--plan-length");
  o.population = optional_text(population, "--population");
  o.out = optional_path(out, "out");
  o.episode_files = optional_text(episode_files, "--episode-files").value_or("");
  o.exploit_dir = optional_path(exploit_dir, "exploit_dir");
  o.minimize = minimize_settings(minimize, minimize_budget);
  o.coverage = optional_path(coverage, "coverage");
  resume_settings(resume, checkpoint_every, o.resume, o.checkpoint_every);
  cli::TournamentPlan plan = take(cli::plan_tournament(o, false));
  use_kernel(plan, k);
  return play_tournament(std::move(plan));
}

py::dict run(const py::object& kernel, const py::object& roster, const py::object& episodes,
             const py::object& seed, const py::object& max_turns, const py::object& name,
             const py::object& treasury, const py::object& threads, const py::object& episode_files,
             const py::object& population, const py::object& out, const py::object& exploit_dir,
             const py::object& minimize, const py::object& minimize_budget,
             const py::object& coverage, const py::object& resume,
             const py::object& checkpoint_every) {
  const KernelArg k = kernel_arg(kernel, "kernel");
  cli::RunOptions o;
  o.kernel = k.label;
  o.roster = text_arg(roster, "--roster");
  o.episodes = uint_arg(episodes, "--episodes");
  o.seed = uint_arg(seed, "--seed");
  o.max_turns = int32_arg(max_turns, "--max-turns");
  o.name = text_arg(name, "--name");
  o.treasury = number_arg(treasury, "--treasury");
  o.threads = int32_arg(threads, "--threads");
  o.episode_files = text_arg(episode_files, "--episode-files");
  o.population = text_arg(population, "--population");
  o.out = optional_path(out, "out");
  o.exploit_dir = optional_path(exploit_dir, "exploit_dir");
  o.minimize = minimize_settings(minimize, minimize_budget);
  o.coverage = optional_path(coverage, "coverage");
  resume_settings(resume, checkpoint_every, o.resume, o.checkpoint_every);
  cli::TournamentPlan plan = take(cli::plan_run(o, false));
  use_kernel(plan, k);
  return play_tournament(std::move(plan));
}

py::dict hunt(const py::object& kernel, const py::object& roster, const py::object& objective,
              const py::object& budget, const py::object& seed, const py::object& threads,
              const py::object& turns, const py::object& treasury, const py::object& strategy,
              const py::object& beam_width, const py::object& beam_branching,
              const py::object& time_limit, const py::object& population, const py::object& out,
              const py::object& exploit_dir, const py::object& minimize,
              const py::object& minimize_budget, const py::object& coverage,
              const py::object& resume, const py::object& checkpoint_every) {
  const KernelArg k = kernel_arg(kernel, "kernel");
  cli::HuntOptions o;
  o.kernel = k.label;
  o.roster = text_arg(roster, "--roster");
  o.objective = text_arg(objective, "--objective");
  o.budget = uint_arg(budget, "--budget");
  o.seed = uint_arg(seed, "--seed");
  o.threads = int32_arg(threads, "--threads");
  o.turns = int32_arg(turns, "--turns");
  o.treasury = number_arg(treasury, "--treasury");
  o.strategy = text_arg(strategy, "--strategy");
  o.beam_width = int32_arg(beam_width, "--beam-width");
  o.beam_branching = int32_arg(beam_branching, "--beam-branching");
  o.time_limit = optional_number(time_limit, "--time-limit");
  o.population = text_arg(population, "--population");
  o.out = optional_path(out, "out");
  o.exploit_dir = optional_path(exploit_dir, "exploit_dir");
  o.minimize = minimize_settings(minimize, minimize_budget);
  o.coverage = optional_path(coverage, "coverage");
  resume_settings(resume, checkpoint_every, o.resume, o.checkpoint_every);
  const cli::HuntPlan plan = take(cli::plan_hunt(o, k.kernel ? &*k.kernel : nullptr));
  Interrupts interrupts;
  const HuntProgressFn poll = [&interrupts](const HuntProgress&) { interrupts.poll(); };
  Result<cli::HuntOutcome> outcome = Status::Internal("not run");
  {
    py::gil_scoped_release released;
    try {
      outcome = cli::execute_hunt(plan, poll, {});
    } catch (const Interrupted&) {  // thrown between generations: out= is left as
                                    // OUT.partial-<pid>, with its last checkpoint
    }
  }
  interrupts.rethrow_if_interrupted();
  if (!outcome.ok()) raise(outcome.status());
  check(outcome->finish);
  if (outcome->finished_before) return finished_before(outcome->notes);
  py::dict d;
  d["hunt"] = from_json(hunt_json(plan.cfg, outcome->result, outcome->ids));
  d["records"] = records_list(outcome->result.records);
  d["records_appended"] = outcome->records_appended;
  d["notes"] = notes_list(outcome->notes);
  return d;
}

py::object sweep(const py::object& config, const py::object& out, const py::object& threads,
                 const py::object& seeds, const py::object& episode_files,
                 const py::object& minimize, const py::object& minimize_budget) {
  cli::SweepOptions o;
  o.config = path_of(config, "config");
  o.out = optional_path(out, "out");
  o.threads = optional_int32(threads, "--threads");
  o.seeds = seeds_text(seeds);
  o.episode_files = optional_text(episode_files, "--episode-files").value_or("");
  o.minimize = minimize_settings(minimize, minimize_budget);
  const SweepConfig cfg = take(cli::plan_sweep(o, false));
  Interrupts interrupts;
  const SweepProgressFn poll = [&interrupts](std::size_t, std::size_t) { interrupts.poll(); };
  const ProgressFn poll_episodes = [&interrupts](const TournamentProgress& p) {
    if (p.done % 64 == 0) interrupts.poll();
  };
  Result<SweepResult> r = Status::Internal("not run");
  {
    py::gil_scoped_release released;
    try {
      r = run_sweep(cfg, poll, poll_episodes);
    } catch (const Interrupted&) {  // thrown between cells
    }
  }
  interrupts.rethrow_if_interrupted();
  if (!r.ok()) raise(r.status());
  return from_json(sweep_json(cfg, *r));
}

// A record argument: a path, or a record dict (as load_record returns it).
ExploitRecord record_arg(const py::object& record, std::string& label) {
  if (py::isinstance<py::dict>(record)) {
    label = "<record dict>";
    std::string text;
    try {
      text = py::module_::import("json")
                 .attr("dumps")(record, py::arg("allow_nan") = false)
                 .cast<std::string>();
    } catch (py::error_already_set& e) {
      // One line: the exception's message, not its traceback.
      throw InputError(fmt::format("record: not a JSON object: {}: {}",
                                   py::str(e.type().attr("__name__")).cast<std::string>(),
                                   py::str(e.value()).cast<std::string>()));
    }
    return take(record_from_json(text, label));
  }
  label = path_of(record, "record");
  Result<ExploitRecord> rec = Status::Internal("not read");
  {
    py::gil_scoped_release released;
    rec = load_record(label);
  }
  return take(std::move(rec));
}

py::dict replay(const py::object& record, const py::object& kernel, const py::object& kernels_dir) {
  std::string label;
  const ExploitRecord rec = record_arg(record, label);
  std::optional<Kernel> k;
  std::string kernel_path, dir;
  if (!kernel.is_none()) {
    KernelArg given = kernel_arg(kernel, "kernel");
    k = std::move(given.kernel);
    if (!k) kernel_path = given.label;
  }
  if (!k) dir = path_of(kernels_dir, "kernels_dir");
  ReplayResult r;
  Status failed = Status::Ok();
  {
    py::gil_scoped_release released;
    if (!k) {
      Result<Kernel> found = cli::record_kernel(label, rec, kernel_path, dir);
      if (found.ok()) {
        k = std::move(*found);
      } else {
        failed = found.status();
      }
    }
    if (failed.ok()) r = replay_record(rec, *k, default_suite());
  }
  check(failed);
  py::dict d;
  d["exploit_id"] = rec.exploit_id;
  d["name"] = rec.name;
  d["kernel"] = kernel_identity(*k);
  d["verdict"] = std::string(verdict_name(r.verdict));
  d["reason"] = r.reason;
  d["stops"] = r.stops;
  return d;
}

py::dict verify(const py::object& kernel, const py::object& dir) {
  const KernelArg k = kernel_arg(kernel, "kernel");
  const cli::VerifySet set =
      take(cli::open_verify(k.label, path_of(dir, "dir"), k.kernel ? &*k.kernel : nullptr));
  const DetectorSuite suite = default_suite();
  py::list rows;
  int reproduces = 0, stale = 0;
  for (const std::string& file : set.files) {
    Result<cli::VerifyEntry> e = Status::Internal("not run");
    {
      py::gil_scoped_release released;
      e = cli::verify_one(set, file, suite);
    }
    if (!e.ok()) raise(e.status());
    reproduces += e->replay.verdict == Verdict::kReproduces;
    stale += e->replay.verdict == Verdict::kStale;
    py::dict row;
    row["file"] = file;
    row["exploit_id"] = e->record.exploit_id;
    row["name"] = e->record.name;
    row["verdict"] = std::string(verdict_name(e->replay.verdict));
    row["reason"] = e->replay.reason;
    rows.append(row);
  }
  py::dict d;
  d["kernel"] = kernel_identity(set.kernel);
  d["records"] = rows;
  d["reproduces"] = reproduces;
  d["stale"] = stale;
  d["blocked"] = static_cast<int>(set.files.size()) - reproduces - stale;
  d["passed"] = reproduces == 0 && stale == 0;
  return d;
}

}  // namespace

}  // namespace fable::python

namespace py = pybind11;

PYBIND11_MODULE(fable, m) {
  namespace fp = fable::python;
  m.doc() =
      "fable-selfplay from Python (docs/python.md): load, amend and diff kernels "
      "(fable.Kernel); play one episode (play); run tournaments, runs, hunts and sweeps with "
      "the command line's settings as keywords (tournament, run, hunt, sweep); read, replay "
      "and verify exploit records (load_record, replay, verify). Results are dicts and "
      "lists in the JSON formats of docs/. Money is in units, turns are whole turns, "
      "fractions are in [0, 1]. Errors raise fable.InputError (bad input), fable.IoError or "
      "fable.InternalError, subclasses of fable.Error, with the command line's one-line "
      "message. Calls that play release the GIL; Ctrl-C stops them.";
  m.attr("__version__") = FABLE_VERSION;
  m.attr("engine_version") = std::string(fable::kEngineVersion);

  static py::exception<std::runtime_error> error(m, "Error");
  static py::exception<fp::InputError> input_error(m, "InputError", error.ptr());
  static py::exception<fp::IoError> io_error(m, "IoError", error.ptr());
  static py::exception<fp::InternalError> internal_error(m, "InternalError", error.ptr());
  error.attr("__doc__") =
      "Any failure of a fable call; the message is the command line's error line.";
  input_error.attr("__doc__") =
      "Bad input: a setting, kernel, record or config (exit 2 on the CLI).";
  io_error.attr("__doc__") = "The operating system refused a read or a write (exit 3 on the CLI).";
  internal_error.attr("__doc__") = "Out of memory, or a bug to report (exit 5 on the CLI).";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const fp::InputError& e) {
      PyErr_SetString(input_error.ptr(), e.what());
    } catch (const fp::IoError& e) {
      PyErr_SetString(io_error.ptr(), e.what());
    } catch (const fp::InternalError& e) {
      PyErr_SetString(internal_error.ptr(), e.what());
    }
  });

  fp::bind_kernel(m);

  m.def("play", &fp::play, py::arg("kernel"), py::arg("roster"), py::arg("seed") = 0,
        py::arg("turns") = 60, py::arg("treasury") = 1000.0, py::arg("population") = "token-vote",
        py::arg("matchup") = "ad-hoc",
        "Plays one episode of `roster` ('honest:8,drainer:2') on `kernel` (a path or a "
        "Kernel): `turns` turns, `treasury` units, honest citizens as `population` "
        "(docs/population.md). Returns the episode summary {'schema', 'matchup', 'seed', "
        "'score', 'findings'} with 'trace' (fable-trace/3). Deterministic.");
  m.def("tournament", &fp::tournament, py::kw_only(), py::arg("kernel") = py::none(),
        py::arg("config") = py::none(), py::arg("seeds") = py::none(),
        py::arg("turns") = py::none(), py::arg("treasury") = py::none(),
        py::arg("matchups") = py::none(), py::arg("threads") = py::none(),
        py::arg("plan_length") = py::none(), py::arg("population") = py::none(),
        py::arg("out") = py::none(), py::arg("episode_files") = py::none(),
        py::arg("exploit_dir") = py::none(), py::arg("minimize") = true,
        py::arg("minimize_budget") = py::none(), py::arg("coverage") = py::none(),
        py::arg("resume") = false, py::arg("checkpoint_every") = py::none(),
        "`fable-selfplay tournament` with its flags as keywords (None: the default or the "
        "config's). kernel: a path or a Kernel; seeds: 'A..B', 'A,B,C' or a list of ints; "
        "matchups: 'drain,entrench'. Writes files only where out=, exploit_dir=, coverage= "
        "or a seed config's outputs name them; resume=True goes on with the stopped run of "
        "the same settings next to out= (docs/resume.md). Returns {'kernel', 'episodes', "
        "'leaderboard', 'records', 'records_appended', 'notes'} (+ 'verification', "
        "'expected', 'report' for a seed config).");
  m.def(
      "run", &fp::run, py::arg("kernel"), py::arg("roster"), py::kw_only(), py::arg("episodes") = 8,
      py::arg("seed") = 0, py::arg("max_turns") = 60, py::arg("name") = "custom",
      py::arg("treasury") = 1000.0, py::arg("threads") = 1, py::arg("episode_files") = "all",
      py::arg("population") = std::string(fable::kDefaultPopulationPreset),
      py::arg("out") = py::none(), py::arg("exploit_dir") = py::none(), py::arg("minimize") = true,
      py::arg("minimize_budget") = py::none(), py::arg("coverage") = py::none(),
      py::arg("resume") = false, py::arg("checkpoint_every") = py::none(),
      "`fable-selfplay run`: `roster` over `episodes` seeds from `seed`; resume= as "
      "tournament(); returns as tournament().");
  m.def("hunt", &fp::hunt, py::arg("kernel"), py::arg("roster"), py::kw_only(),
        py::arg("objective") = "any", py::arg("budget") = 20000, py::arg("seed") = 0,
        py::arg("threads") = 1, py::arg("turns") = 30, py::arg("treasury") = 1000.0,
        py::arg("strategy") = "both", py::arg("beam_width") = 8, py::arg("beam_branching") = 8,
        py::arg("time_limit") = py::none(), py::arg("population") = "naive",
        py::arg("out") = py::none(), py::arg("exploit_dir") = py::none(),
        py::arg("minimize") = true, py::arg("minimize_budget") = py::none(),
        py::arg("coverage") = py::none(), py::arg("resume") = false,
        py::arg("checkpoint_every") = py::none(),
        "`fable-selfplay hunt` (docs/hunt-format.md): the search-based red team; roster "
        "must name 'attacker'; budget in executions (the result does not depend on threads); "
        "out is optional here; with out=, a hunt stopped (Ctrl-C, a kill) goes on with "
        "resume=True and the same settings (docs/resume.md). Returns {'hunt': hunt.json, "
        "'records', 'records_appended', 'notes'}.");
  m.def("sweep", &fp::sweep, py::arg("config"), py::kw_only(), py::arg("out") = py::none(),
        py::arg("threads") = py::none(), py::arg("seeds") = py::none(),
        py::arg("episode_files") = py::none(), py::arg("minimize") = true,
        py::arg("minimize_budget") = py::none(),
        "`fable-selfplay sweep` (docs/sweep-format.md): kernels x populations from one config, "
        "a tournament per cell. Returns sweep.json as a dict ('rows': one per cell and "
        "matchup).");
  m.def(
      "load_record",
      [](const py::object& path) {
        std::string label;
        const fable::ExploitRecord rec = fp::record_arg(path, label);
        return fp::from_json(fable::record_to_json(rec));
      },
      py::arg("path"), "Reads and checks an exploit record (docs/record-format.md) as a dict.");
  m.def("replay", &fp::replay, py::arg("record"), py::arg("kernel") = py::none(),
        py::arg("kernels_dir") = "kernels",
        "`fable-selfplay replay`: a record (a path or a record dict) on `kernel` (a path or a "
        "Kernel; None: its discovery kernel, found in kernels_dir by name and version and "
        "checked by hash). Returns {'exploit_id', 'name', 'kernel', 'verdict': "
        "'reproduces'|'blocked'|'stale', 'reason', 'stops'}.");
  m.def("verify", &fp::verify, py::arg("kernel"), py::arg("dir") = "exploits",
        "The amendment gate, `fable-selfplay verify`: every record in `dir` replayed on "
        "`kernel` (a path or a Kernel). Returns {'kernel', 'records': [{'file', "
        "'exploit_id', 'name', 'verdict', 'reason'}], 'reproduces', 'stale', 'blocked', "
        "'passed'}; 'passed' is the command line's exit 0.");
}
