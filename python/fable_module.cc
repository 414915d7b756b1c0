// The Python module `fable` (docs/python.md): kernels, one episode,
// tournaments, runs, hunts, replay and verify, for notebooks.
//
// Results come back as plain Python objects (dicts, lists, numbers, str):
// each is the JSON the command line writes (docs/*-format.md), read by
// Python's json module, so a record from Python is the record on disk.
// Tournaments, runs and hunts take the command line's settings as keyword
// arguments and go through the same checks and code (src/cli/run_plans.h):
// the same inputs give the same records and files. Every call that plays
// releases the GIL. A failed call raises fable.InputError (bad input: a
// flag, kernel or record; exit 2 on the command line), fable.IoError (exit
// 3) or fable.InternalError (exit 5), all subclasses of fable.Error, with
// the command line's one-line message.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/hash.h"
#include "cli/record_kernel.h"
#include "cli/run_plans.h"
#include "fable/detector_registry.h"
#include "fable/episode.h"
#include "fable/kernel.h"
#include "fable/params.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "fable/semver.h"
#include "fable/status.h"
#include "fable/sweep.h"
#include "fable/tournament.h"
#include "fable/trace.h"

namespace py = pybind11;

namespace fable::python {

namespace {

// The C++ side of the three exception classes.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct IoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct InternalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws the exception of a failed Status: the command line's exit codes
// (cli::report) decide which.
[[noreturn]] void raise(const Status& st) {
  if (st.code() == StatusCode::kIoError) throw IoError(st.message());
  if (st.code() == StatusCode::kInternal) throw InternalError(st.message());
  throw InputError(st.message());
}

void check(const Status& st) {
  if (!st.ok()) raise(st);
}

template <typename T>
T take(Result<T> r) {
  if (!r.ok()) raise(r.status());
  return std::move(*r);
}

// JSON text -> Python objects.
py::object from_json(const std::string& text) {
  return py::module_::import("json").attr("loads")(text);
}

// A path argument: str or os.PathLike.
std::string path_of(const py::handle& h) {
  return py::str(py::module_::import("os").attr("fspath")(h)).cast<std::string>();
}

std::optional<std::string> optional_path(const py::object& h) {
  if (h.is_none()) return std::nullopt;
  return path_of(h);
}

// A parameter's value as Python: bool, int, float, str (an enum) or None.
py::object param_to_python(ParamId id, const ParamValue& v) {
  if (v.is_null) return py::none();
  switch (param_info(id).type) {
    case ParamType::kBool:
      return py::bool_(v.number != 0);
    case ParamType::kInt:
      return py::int_(static_cast<long long>(v.number));
    case ParamType::kEnum:
      return py::str(format_param_value(id, v));
    case ParamType::kFraction:
    case ParamType::kAmount:
      break;
  }
  return py::float_(v.number);
}

// A Python value as the text a document would write, then parsed as one.
ParamValue param_from_python(ParamId id, const py::handle& value) {
  std::string text;
  if (value.is_none()) {
    text = "null";
  } else if (py::isinstance<py::bool_>(value)) {
    text = value.cast<bool>() ? "true" : "false";
  } else if (py::isinstance<py::int_>(value)) {
    text = std::to_string(value.cast<long long>());
  } else if (py::isinstance<py::float_>(value)) {
    text = fmt::format("{}", value.cast<double>());
  } else if (py::isinstance<py::str>(value)) {
    text = value.cast<std::string>();
  } else {
    throw InputError(fmt::format("{}: expected bool, int, float, str or None, got {}",
                                 param_info(id).path,
                                 py::str(value.get_type().attr("__name__")).cast<std::string>()));
  }
  return take(parse_param_value(id, text));
}

ParamId param_id(const std::string& path) {
  const std::string_view bare =
      path.rfind("params.", 0) == 0 ? std::string_view(path).substr(7) : std::string_view(path);
  const std::optional<ParamId> id = find_param(bare);
  if (!id) throw InputError(fmt::format("unknown parameter '{}'", path));
  return *id;
}

py::dict params_dict(const Kernel& k) {
  py::dict d;
  for (const ParamInfo& info : all_params()) {
    d[py::str(std::string(info.path))] = param_to_python(info.id, get_param(k.params(), info.id));
  }
  return d;
}

py::list articles_list(const Kernel& k) {
  py::list out;
  for (const Article& a : k.document().articles) {
    py::list governs;
    for (const ClauseId c : a.governs) governs.append(std::string(clause_name(c)));
    py::dict d;
    d["id"] = a.id;
    d["title"] = a.title;
    d["text"] = a.text;
    d["governs"] = governs;
    out.append(d);
  }
  return out;
}

py::dict diff_dict(const Kernel& a, const Kernel& b) {
  const KernelDiff d = diff_kernels(a, b);
  py::list params;
  for (const ParamChange& c : d.params) {
    py::dict row;
    row["path"] = std::string(param_info(c.id).path);
    row["before"] = param_to_python(c.id, c.before);
    row["after"] = param_to_python(c.id, c.after);
    row["bump"] = std::string(bump_name(c.bump));
    params.append(row);
  }
  py::dict out;
  out["bump"] = std::string(bump_name(d.overall));
  out["params"] = params;
  out["text_changes"] = d.text_changes;
  return out;
}

py::dict kernel_identity(const std::string& name, const std::string& version,
                         const std::string& hash) {
  py::dict d;
  d["name"] = name;
  d["version"] = version;
  d["hash"] = hash;
  return d;
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

// "0..7" stays as written; a list of ints becomes "0,1,2".
std::optional<std::string> seeds_text(const py::object& seeds) {
  if (seeds.is_none()) return std::nullopt;
  if (py::isinstance<py::str>(seeds)) return seeds.cast<std::string>();
  std::string text;
  for (const py::handle s : seeds) {
    if (!text.empty()) text += ',';
    text += py::str(s).cast<std::string>();
  }
  return text;
}

cli::MinimizeSettings minimize_settings(bool minimize, int budget) {
  return {!minimize, budget};
}

py::dict play_tournament(const Result<cli::TournamentPlan>& plan) {
  if (!plan.ok()) raise(plan.status());
  Result<cli::TournamentOutcome> outcome = Status::Internal("not run");
  {
    py::gil_scoped_release released;
    outcome = cli::execute_tournament(*plan, {});
  }
  if (!outcome.ok()) raise(outcome.status());
  check(outcome->finish);
  py::dict d = tournament_dict(outcome->result.main);
  d["records_appended"] = outcome->records_appended;
  if (plan->seed) {
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
  }
  return d;
}

}  // namespace

}  // namespace fable::python

PYBIND11_MODULE(fable, m) {
  namespace fp = fable::python;
  using fable::Kernel;
  m.doc() =
      "fable-selfplay from Python: kernels, episodes, tournaments, runs, hunts, replay and "
      "verify (docs/python.md).";
  m.attr("__version__") = FABLE_VERSION;
  m.attr("engine_version") = std::string(fable::kEngineVersion);

  static py::exception<std::runtime_error> error(m, "Error");
  static py::exception<fp::InputError> input_error(m, "InputError", error.ptr());
  static py::exception<fp::IoError> io_error(m, "IoError", error.ptr());
  static py::exception<fp::InternalError> internal_error(m, "InternalError", error.ptr());
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

  py::class_<Kernel>(m, "Kernel",
                     "A kernel document: the constitution the engine enforces "
                     "(docs/kernel-format.md). Immutable; amend() returns a new one.")
      .def_static(
          "load",
          [](const py::object& path) { return fp::take(Kernel::load_file(fp::path_of(path))); },
          py::arg("path"), "Reads and validates a kernel document; raises InputError if malformed.")
      .def_static(
          "parse",
          [](const std::string& text, const std::string& source) {
            return fp::take(Kernel::parse(text, source));
          },
          py::arg("text"), py::arg("source") = "<string>",
          "Validates kernel YAML text; `source` names it in errors.")
      .def_property_readonly("name", &Kernel::name)
      .def_property_readonly("version", [](const Kernel& k) { return k.version().to_string(); })
      .def_property_readonly(
          "hash", [](const Kernel& k) { return fable::hex64(k.content_hash()); },
          "Content hash (hex), as records' kernel_hash")
      .def_property_readonly("source", [](const Kernel& k) { return k.document().source; })
      .def_property_readonly("text", [](const Kernel& k) { return k.document().text; })
      .def_property_readonly("params", &fp::params_dict,
                             "Every parameter: dotted path -> value (bool, int, float, str, None)")
      .def_property_readonly("articles", &fp::articles_list)
      .def(
          "lookup",
          [](const Kernel& k, const std::string& path) {
            const fable::ParamId id = fp::param_id(path);
            return fp::param_to_python(id, fp::take(k.lookup(path)));
          },
          py::arg("path"), "The value at a dotted parameter path")
      .def(
          "amend",
          [](const Kernel& k, const std::string& path, const py::object& value) {
            const fable::ParamId id = fp::param_id(path);
            return fp::take(k.amend(id, fp::param_from_python(id, value)));
          },
          py::arg("path"), py::arg("value"),
          "A new kernel with one parameter changed, its version bumped by governance semver")
      .def("diff", &fp::diff_dict, py::arg("other"),
           "Changes from this kernel to `other`: {'bump', 'params': [{'path', 'before', "
           "'after', 'bump'}], 'text_changes'}")
      .def("__repr__", [](const Kernel& k) {
        return fmt::format("<fable.Kernel {} {} {}>", k.name(), k.version().to_string(),
                           fable::hex64(k.content_hash()));
      });

  m.def(
      "play",
      [](const py::object& kernel, const std::string& roster, std::uint64_t seed, int turns,
         double treasury, const std::string& population, const std::string& matchup) {
        fable::cli::RunOptions o;
        o.kernel = "-";
        o.roster = roster;
        o.episodes = 1;
        o.seed = seed;
        o.max_turns = turns;
        o.treasury = treasury;
        o.population = population;
        o.name = matchup;
        const fable::cli::TournamentPlan plan = fp::take(fable::cli::plan_run(o, false));
        const Kernel k = py::isinstance<Kernel>(kernel)
                             ? kernel.cast<Kernel>()
                             : fp::take(Kernel::load_file(fp::path_of(kernel)));
        fable::EpisodeOptions options;
        options.turns = plan.cfg.n_turns;
        options.initial_treasury = plan.cfg.initial_treasury;
        options.settings = plan.cfg.settings;
        options.matchup = matchup;
        options.population = plan.cfg.population;
        std::string summary, trace;
        {
          py::gil_scoped_release released;
          fable::Population agents = plan.cfg.matchups[0].build_agents();
          fable::EpisodeResult ep =
              fable::run_episode(k, agents, seed, options, fable::default_suite());
          summary = fable::episode_summary_json(matchup, seed, ep.score, ep.findings);
          trace = fable::trace_to_json(ep.trace);
        }
        py::dict d = fp::from_json(summary);
        d["trace"] = fp::from_json(trace);
        return d;
      },
      py::arg("kernel"), py::arg("roster"), py::arg("seed") = 0, py::arg("turns") = 60,
      py::arg("treasury") = 1000.0, py::arg("population") = "token-vote",
      py::arg("matchup") = "ad-hoc",
      "Plays one episode; returns its summary (score, findings) and 'trace' (fable-trace/3).");

  m.def(
      "tournament",
      [](const py::object& kernel, const py::object& config, const py::object& seeds,
         std::optional<int> turns, std::optional<double> treasury,
         std::optional<std::string> matchups, std::optional<int> threads,
         std::optional<int> plan_length, std::optional<std::string> population,
         const py::object& out, std::string episode_files, const py::object& exploit_dir,
         bool minimize, int minimize_budget, const py::object& coverage) {
        fable::cli::TournamentOptions o;
        if (!kernel.is_none()) o.kernel = fp::path_of(kernel);
        o.config = fp::optional_path(config);
        o.seeds = fp::seeds_text(seeds);
        o.turns = turns;
        o.treasury = treasury;
        o.matchups = std::move(matchups);
        o.threads = threads;
        o.plan_length = plan_length;
        o.population = std::move(population);
        o.out = fp::optional_path(out);
        o.episode_files = std::move(episode_files);
        o.exploit_dir = fp::optional_path(exploit_dir);
        o.minimize = fp::minimize_settings(minimize, minimize_budget);
        o.coverage = fp::optional_path(coverage);
        return fp::play_tournament(fable::cli::plan_tournament(o, false));
      },
      py::kw_only(), py::arg("kernel") = py::none(), py::arg("config") = py::none(),
      py::arg("seeds") = py::none(), py::arg("turns") = py::none(),
      py::arg("treasury") = py::none(), py::arg("matchups") = py::none(),
      py::arg("threads") = py::none(), py::arg("plan_length") = py::none(),
      py::arg("population") = py::none(), py::arg("out") = py::none(),
      py::arg("episode_files") = "", py::arg("exploit_dir") = py::none(),
      py::arg("minimize") = true, py::arg("minimize_budget") = fable::kDefaultMinimizeBudget,
      py::arg("coverage") = py::none(),
      "`fable-selfplay tournament` with its flags as keywords; returns {'kernel', 'episodes', "
      "'leaderboard', 'records', 'records_appended'} (+ 'verification', 'expected' for a seed "
      "config).");

  m.def(
      "run",
      [](const py::object& kernel, const std::string& roster, std::uint64_t episodes,
         std::uint64_t seed, int max_turns, const std::string& name, double treasury, int threads,
         const std::string& episode_files, const std::string& population, const py::object& out,
         const py::object& exploit_dir, bool minimize, int minimize_budget,
         const py::object& coverage) {
        fable::cli::RunOptions o;
        o.kernel = fp::path_of(kernel);
        o.roster = roster;
        o.episodes = episodes;
        o.seed = seed;
        o.max_turns = max_turns;
        o.name = name;
        o.treasury = treasury;
        o.threads = threads;
        o.episode_files = episode_files;
        o.population = population;
        o.out = fp::optional_path(out);
        o.exploit_dir = fp::optional_path(exploit_dir);
        o.minimize = fp::minimize_settings(minimize, minimize_budget);
        o.coverage = fp::optional_path(coverage);
        return fp::play_tournament(fable::cli::plan_run(o, false));
      },
      py::arg("kernel"), py::arg("roster"), py::kw_only(), py::arg("episodes") = 8,
      py::arg("seed") = 0, py::arg("max_turns") = 60, py::arg("name") = "custom",
      py::arg("treasury") = 1000.0, py::arg("threads") = 1, py::arg("episode_files") = "all",
      py::arg("population") = std::string(fable::kDefaultPopulationPreset),
      py::arg("out") = py::none(), py::arg("exploit_dir") = py::none(), py::arg("minimize") = true,
      py::arg("minimize_budget") = fable::kDefaultMinimizeBudget, py::arg("coverage") = py::none(),
      "`fable-selfplay run` with its flags as keywords; returns as tournament().");

  m.def(
      "hunt",
      [](const py::object& kernel, const std::string& roster, const std::string& objective,
         std::uint64_t budget, std::uint64_t seed, int threads, int turns, double treasury,
         const std::string& strategy, int beam_width, int beam_branching,
         std::optional<double> time_limit, const std::string& population, const py::object& out,
         const py::object& exploit_dir, bool minimize, int minimize_budget,
         const py::object& coverage) {
        fable::cli::HuntOptions o;
        o.kernel = fp::path_of(kernel);
        o.roster = roster;
        o.objective = objective;
        o.budget = budget;
        o.seed = seed;
        o.threads = threads;
        o.turns = turns;
        o.treasury = treasury;
        o.strategy = strategy;
        o.beam_width = beam_width;
        o.beam_branching = beam_branching;
        o.time_limit = time_limit;
        o.population = population;
        o.out = fp::optional_path(out);
        o.exploit_dir = fp::optional_path(exploit_dir);
        o.minimize = fp::minimize_settings(minimize, minimize_budget);
        o.coverage = fp::optional_path(coverage);
        const fable::cli::HuntPlan plan = fp::take(fable::cli::plan_hunt(o));
        fable::Result<fable::cli::HuntOutcome> outcome = fable::Status::Internal("not run");
        {
          py::gil_scoped_release released;
          outcome = fable::cli::execute_hunt(plan, {}, {});
        }
        if (!outcome.ok()) fp::raise(outcome.status());
        fp::check(outcome->finish);
        py::dict d;
        d["hunt"] = fp::from_json(fable::hunt_json(plan.cfg, outcome->result, outcome->ids));
        d["records"] = fp::records_list(outcome->result.records);
        d["records_appended"] = outcome->records_appended;
        return d;
      },
      py::arg("kernel"), py::arg("roster"), py::kw_only(), py::arg("objective") = "any",
      py::arg("budget") = 20000, py::arg("seed") = 0, py::arg("threads") = 1, py::arg("turns") = 30,
      py::arg("treasury") = 1000.0, py::arg("strategy") = "both", py::arg("beam_width") = 8,
      py::arg("beam_branching") = 8, py::arg("time_limit") = py::none(),
      py::arg("population") = "naive", py::arg("out") = py::none(),
      py::arg("exploit_dir") = py::none(), py::arg("minimize") = true,
      py::arg("minimize_budget") = fable::kDefaultMinimizeBudget, py::arg("coverage") = py::none(),
      "`fable-selfplay hunt` with its flags as keywords (out is optional here); returns "
      "{'hunt': hunt.json, 'records', 'records_appended'}.");

  m.def(
      "sweep",
      [](const py::object& config, const py::object& out, std::optional<int> threads,
         const py::object& seeds, std::string episode_files, bool minimize, int minimize_budget) {
        fable::cli::SweepOptions o;
        o.config = fp::path_of(config);
        o.out = fp::optional_path(out);
        o.threads = threads;
        o.seeds = fp::seeds_text(seeds);
        o.episode_files = std::move(episode_files);
        o.minimize = fp::minimize_settings(minimize, minimize_budget);
        const fable::SweepConfig cfg = fp::take(fable::cli::plan_sweep(o, false));
        fable::Result<fable::SweepResult> r = fable::Status::Internal("not run");
        {
          py::gil_scoped_release released;
          r = fable::run_sweep(cfg, {});
        }
        if (!r.ok()) fp::raise(r.status());
        return fp::from_json(fable::sweep_json(cfg, *r));
      },
      py::arg("config"), py::kw_only(), py::arg("out") = py::none(),
      py::arg("threads") = py::none(), py::arg("seeds") = py::none(), py::arg("episode_files") = "",
      py::arg("minimize") = true, py::arg("minimize_budget") = fable::kDefaultMinimizeBudget,
      "`fable-selfplay sweep`: a grid of kernels x populations from one config "
      "(docs/sweep-format.md); returns sweep.json as a dict ('rows': one per cell and "
      "matchup).");

  m.def(
      "load_record",
      [](const py::object& path) {
        return fp::from_json(
            fable::record_to_json(fp::take(fable::load_record(fp::path_of(path)))));
      },
      py::arg("path"), "Reads and checks an exploit record (docs/record-format.md).");

  m.def(
      "replay",
      [](const py::object& record, const py::object& kernel, const py::object& kernels_dir) {
        std::string label;
        fable::ExploitRecord rec = [&] {
          if (py::isinstance<py::dict>(record)) {
            label = "<record>";
            const std::string text =
                py::module_::import("json").attr("dumps")(record).cast<std::string>();
            return fp::take(fable::record_from_json(text, label));
          }
          label = fp::path_of(record);
          return fp::take(fable::load_record(label));
        }();
        const Kernel k = py::isinstance<Kernel>(kernel)
                             ? kernel.cast<Kernel>()
                             : fp::take(fable::cli::record_kernel(
                                   label, rec, kernel.is_none() ? "" : fp::path_of(kernel),
                                   fp::path_of(kernels_dir)));
        fable::ReplayResult r;
        {
          py::gil_scoped_release released;
          r = fable::replay_record(rec, k, fable::default_suite());
        }
        py::dict d;
        d["exploit_id"] = rec.exploit_id;
        d["name"] = rec.name;
        d["kernel"] =
            fp::kernel_identity(k.name(), k.version().to_string(), fable::hex64(k.content_hash()));
        d["verdict"] = std::string(fable::verdict_name(r.verdict));
        d["reason"] = r.reason;
        d["stops"] = r.stops;
        return d;
      },
      py::arg("record"), py::arg("kernel") = py::none(), py::arg("kernels_dir") = "kernels",
      "Replays a record (a path or a record dict) on `kernel` (a path or a Kernel; default: "
      "its discovery kernel in kernels_dir). Returns {'verdict': 'reproduces'|'blocked'|"
      "'stale', 'reason', 'stops', ...}.");

  m.def(
      "verify",
      [](const py::object& kernel, const py::object& dir) {
        const fable::cli::VerifySet set =
            fp::take(fable::cli::open_verify(fp::path_of(kernel), fp::path_of(dir)));
        const fable::DetectorSuite suite = fable::default_suite();
        py::list rows;
        int reproduces = 0, stale = 0;
        for (const std::string& file : set.files) {
          fable::Result<fable::cli::VerifyEntry> e = fable::Status::Internal("not run");
          {
            py::gil_scoped_release released;
            e = fable::cli::verify_one(set, file, suite);
          }
          if (!e.ok()) fp::raise(e.status());
          reproduces += e->replay.verdict == fable::Verdict::kReproduces;
          stale += e->replay.verdict == fable::Verdict::kStale;
          py::dict row;
          row["file"] = file;
          row["exploit_id"] = e->record.exploit_id;
          row["name"] = e->record.name;
          row["verdict"] = std::string(fable::verdict_name(e->replay.verdict));
          row["reason"] = e->replay.reason;
          rows.append(row);
        }
        py::dict d;
        d["kernel"] = fp::kernel_identity(set.kernel.name(), set.kernel.version().to_string(),
                                          fable::hex64(set.kernel.content_hash()));
        d["records"] = rows;
        d["reproduces"] = reproduces;
        d["stale"] = stale;
        d["blocked"] = static_cast<int>(set.files.size()) - reproduces - stale;
        d["passed"] = reproduces == 0 && stale == 0;
        return d;
      },
      py::arg("kernel"), py::arg("dir") = "exploits",
      "The amendment gate: replays every record in `dir` on `kernel`. 'passed' is what the "
      "command line's exit 0 means (none reproduces, none stale).");
}
