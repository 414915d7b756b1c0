// The Python module's edge (docs/python.md): its exceptions, and Python
// arguments turned into what the command line's settings hold, with a
// fable.InputError naming the keyword (as the command line names the flag)
// instead of a silent conversion or a bare TypeError.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "cli/run_plans.h"
#include "fable/status.h"

namespace fable::python {

namespace py = pybind11;

// The C++ side of fable.InputError, fable.IoError and fable.InternalError.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct IoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct InternalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws the exception of a failed Status, as the command line chooses its
// exit code (cli::report): I/O -> IoError, internal -> InternalError, else
// InputError.
[[noreturn]] void raise(const Status& st);
inline void check(const Status& st) {
  if (!st.ok()) raise(st);
}
template <typename T>
T take(Result<T> r) {
  if (!r.ok()) raise(r.status());
  return std::move(*r);
}

// JSON text -> Python objects (json.loads).
py::object from_json(const std::string& text);

// A path: str, bytes or os.PathLike. InputError naming `what` for another
// type or a path holding a NUL byte.
std::string path_of(const py::handle& h, std::string_view what);
std::optional<std::string> optional_path(const py::handle& h, std::string_view what);

// A whole number for `flag`: a Python int (not a bool) in lo..hi. InputError
// otherwise: "--seed: expected a number 0 or more, got -1" as the command
// line says it for unsigned flags, "--turns: expected an integer, got
// float" for another type, "--turns 10**12: out of range" past the type.
std::int64_t int_arg(const py::handle& h, std::string_view flag, std::int64_t lo, std::int64_t hi);
std::uint64_t uint_arg(const py::handle& h, std::string_view flag);
inline int int32_arg(const py::handle& h, std::string_view flag) {
  return static_cast<int>(
      int_arg(h, flag, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}
std::optional<int> optional_int32(const py::handle& h, std::string_view flag);
// A number for `flag`: int or float, not a bool.
double number_arg(const py::handle& h, std::string_view flag);
std::optional<double> optional_number(const py::handle& h, std::string_view flag);
// A text for `flag`: str only.
std::string text_arg(const py::handle& h, std::string_view flag);
std::optional<std::string> optional_text(const py::handle& h, std::string_view flag);

// `seeds=`: None, a str as --seeds takes it ("0..7", "1,5,9"), or a list or
// tuple of ints.
std::optional<std::string> seeds_text(const py::handle& seeds);

// minimize= and minimize_budget= (None: the default): a budget with
// minimize=False is refused, as --no-minimize with --minimize-budget is.
cli::MinimizeSettings minimize_settings(const py::handle& minimize, const py::handle& budget);

// resume= (True or False) and checkpoint_every= (None: the default; an int
// as --checkpoint-every takes it) of tournament, run and hunt, into
// `resume` and `every`; plan_tournament, plan_run and plan_hunt then check
// them as they check the flags (--resume needs out=, ...).
void resume_settings(const py::handle& resume, const py::handle& checkpoint_every,
                     bool& into_resume, std::optional<std::uint64_t>& into_every);

// Ctrl-C during a long call: `poll()` is called on the calling thread
// between episodes or generations; it takes the GIL, runs Python's signal
// handlers and, when one raised (KeyboardInterrupt), throws so that the run
// stops (its threads are joined, a partial folder is left as the command
// line leaves it). After the call, `rethrow_if_interrupted()` raises the
// Python exception instead of the run's error.
// What poll() throws; a caller whose run lets it through (a hunt, between
// generations; a sweep, between cells) catches it and then calls
// rethrow_if_interrupted().
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

class Interrupts {
 public:
  void poll();
  void rethrow_if_interrupted() const;

 private:
  bool interrupted_ = false;
};

}  // namespace fable::python
