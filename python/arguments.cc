// See arguments.h.
#include "arguments.h"

#include <cmath>

#include <fmt/format.h>

namespace fable::python {

namespace {

std::string type_name(const py::handle& h) {
  return py::str(py::type::handle_of(h).attr("__name__")).cast<std::string>();
}

}  // namespace

void raise(const Status& st) {
  if (st.code() == StatusCode::kIoError) throw IoError(st.message());
  if (st.code() == StatusCode::kInternal) throw InternalError(st.message());
  throw InputError(st.message());
}

py::object from_json(const std::string& text) {
  return py::module_::import("json").attr("loads")(text);
}

std::string path_of(const py::handle& h, std::string_view what) {
  const py::module_ os = py::module_::import("os");
  if (!py::isinstance<py::str>(h) && !py::isinstance<py::bytes>(h) &&
      !py::hasattr(h, "__fspath__")) {
    throw InputError(
        fmt::format("{}: expected a path (str, bytes or os.PathLike), got {}", what, type_name(h)));
  }
  const std::string path = os.attr("fsdecode")(os.attr("fspath")(h)).cast<std::string>();
  if (path.find('\0') != std::string::npos)
    throw InputError(fmt::format("{}: the path holds a NUL byte", what));
  return path;
}

std::optional<std::string> optional_path(const py::handle& h, std::string_view what) {
  if (h.is_none()) return std::nullopt;
  return path_of(h, what);
}

std::int64_t int_arg(const py::handle& h, std::string_view flag, std::int64_t lo, std::int64_t hi) {
  if (!py::isinstance<py::int_>(h) || py::isinstance<py::bool_>(h))
    throw InputError(fmt::format("{}: expected an integer, got {}", flag, type_name(h)));
  const std::string shown = py::str(h).cast<std::string>();
  if (lo >= 0 && shown.front() == '-')
    throw InputError(fmt::format("{}: expected a number 0 or more, got {}", flag, shown));
  long long v = 0;
  try {
    v = h.cast<long long>();
  } catch (const py::cast_error&) {
    throw InputError(fmt::format("{} {}: out of range", flag, shown));
  }
  if (v < lo || v > hi) throw InputError(fmt::format("{} {}: out of range", flag, shown));
  return v;
}

std::uint64_t uint_arg(const py::handle& h, std::string_view flag) {
  if (!py::isinstance<py::int_>(h) || py::isinstance<py::bool_>(h))
    throw InputError(fmt::format("{}: expected an integer, got {}", flag, type_name(h)));
  const std::string shown = py::str(h).cast<std::string>();
  if (shown.front() == '-')
    throw InputError(fmt::format("{}: expected a number 0 or more, got {}", flag, shown));
  try {
    return h.cast<unsigned long long>();
  } catch (const py::cast_error&) {
    throw InputError(fmt::format("{} {}: out of range", flag, shown));
  }
}

std::optional<int> optional_int32(const py::handle& h, std::string_view flag) {
  if (h.is_none()) return std::nullopt;
  return int32_arg(h, flag);
}

double number_arg(const py::handle& h, std::string_view flag) {
  if ((!py::isinstance<py::int_>(h) && !py::isinstance<py::float_>(h)) ||
      py::isinstance<py::bool_>(h)) {
    throw InputError(fmt::format("{}: expected a number, got {}", flag, type_name(h)));
  }
  return h.cast<double>();
}

std::optional<double> optional_number(const py::handle& h, std::string_view flag) {
  if (h.is_none()) return std::nullopt;
  return number_arg(h, flag);
}

std::string text_arg(const py::handle& h, std::string_view flag) {
  if (!py::isinstance<py::str>(h))
    throw InputError(fmt::format("{}: expected a str, got {}", flag, type_name(h)));
  return h.cast<std::string>();
}

std::optional<std::string> optional_text(const py::handle& h, std::string_view flag) {
  if (h.is_none()) return std::nullopt;
  return text_arg(h, flag);
}

std::optional<std::string> seeds_text(const py::handle& seeds) {
  if (seeds.is_none()) return std::nullopt;
  if (py::isinstance<py::str>(seeds)) return seeds.cast<std::string>();
  if (!py::isinstance<py::list>(seeds) && !py::isinstance<py::tuple>(seeds)) {
    throw InputError(fmt::format("--seeds: expected \"A..B\", \"A,B,C\" or a list of ints, got {}",
                                 type_name(seeds)));
  }
  std::string text;
  for (const py::handle s : seeds) {
    if (!text.empty()) text += ',';
    text += std::to_string(uint_arg(s, "--seeds"));
  }
  if (text.empty()) throw InputError("--seeds: expected at least one seed, got an empty list");
  return text;
}

cli::MinimizeSettings minimize_settings(const py::handle& minimize, const py::handle& budget) {
  if (!py::isinstance<py::bool_>(minimize))
    throw InputError(fmt::format("minimize: expected True or False, got {}", type_name(minimize)));
  cli::MinimizeSettings m;
  m.off = !minimize.cast<bool>();
  if (!budget.is_none()) {
    if (m.off) throw InputError("--no-minimize excludes --minimize-budget");
    m.budget = int32_arg(budget, "--minimize-budget");
  }
  return m;
}

void resume_settings(const py::handle& resume, const py::handle& checkpoint_every,
                     bool& into_resume, std::optional<std::uint64_t>& into_every) {
  if (!py::isinstance<py::bool_>(resume))
    throw InputError(fmt::format("resume: expected True or False, got {}", type_name(resume)));
  into_resume = resume.cast<bool>();
  into_every.reset();
  if (!checkpoint_every.is_none()) into_every = uint_arg(checkpoint_every, "--checkpoint-every");
}

void Interrupts::poll() {
  py::gil_scoped_acquire held;
  if (PyErr_CheckSignals() != 0) {
    interrupted_ = true;
    throw Interrupted();
  }
}

void Interrupts::rethrow_if_interrupted() const {
  if (interrupted_) throw py::error_already_set();
}

}  // namespace fable::python
