// fable.Kernel (docs/python.md, "fable.Kernel"): a kernel document, its
// parameters as Python values, amendments and diffs.
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include <fmt/format.h>

#include "arguments.h"
#include "base/hash.h"
#include "bindings.h"
#include "fable/params.h"
#include "fable/semver.h"

namespace fable::python {

namespace {

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

// A Python value as the text a document would write, then read as one
// (parse_param_value: its range and type checks, its messages).
ParamValue param_from_python(ParamId id, const py::handle& value) {
  std::string text;
  if (value.is_none()) {
    text = "null";
  } else if (py::isinstance<py::bool_>(value)) {
    text = value.cast<bool>() ? "true" : "false";
  } else if (py::isinstance<py::int_>(value)) {
    text = py::str(value).cast<std::string>();
  } else if (py::isinstance<py::float_>(value)) {
    text = fmt::format("{}", value.cast<double>());
  } else if (py::isinstance<py::str>(value)) {
    text = value.cast<std::string>();
  } else {
    throw InputError(
        fmt::format("{}: expected bool, int, float, str or None, got {}", param_info(id).path,
                    py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>()));
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

std::string label_of(const Kernel& k) {
  return fmt::format("<Kernel {} {} {}>", k.name(), k.version().to_string(),
                     hex64(k.content_hash()));
}

}  // namespace

KernelArg kernel_arg(const py::handle& h, std::string_view what) {
  if (py::isinstance<Kernel>(h)) {
    const Kernel k = h.cast<Kernel>();
    // Labelled by its file when the file still holds it (what the command
    // line writes in a coverage map's settings), else by its identity.
    const Result<Kernel> file = Kernel::load_file(k.document().source);
    const bool same = file.ok() && file->content_hash() == k.content_hash() &&
                      file->version() == k.version() && file->name() == k.name();
    return {same ? k.document().source : label_of(k), k};
  }
  return {path_of(h, what), std::nullopt};
}

void bind_kernel(py::module_& m) {
  py::class_<Kernel>(m, "Kernel",
                     "A kernel document: the constitution the engine enforces "
                     "(docs/kernel-format.md). Immutable; amend() returns a new one. Two "
                     "kernels are equal when their name, version and content hash are.")
      .def_static(
          "load",
          [](const py::object& path) { return take(Kernel::load_file(path_of(path, "kernel"))); },
          py::arg("path"),
          "Reads and validates a kernel document (str or os.PathLike). Raises InputError "
          "naming the file, line:column and parameter path when it is malformed.")
      .def_static(
          "parse",
          [](const std::string& text, const std::string& source) {
            return take(Kernel::parse(text, source));
          },
          py::arg("text"), py::arg("source") = "<string>",
          "Validates kernel YAML text; `source` names it in errors.")
      .def_property_readonly("name", &Kernel::name, "The kernel's name (str)")
      .def_property_readonly(
          "version", [](const Kernel& k) { return k.version().to_string(); },
          "Governance-semver version, 'MAJOR.MINOR.PATCH'")
      .def_property_readonly(
          "hash", [](const Kernel& k) { return hex64(k.content_hash()); },
          "Content hash, 16 hex digits: what records carry as kernel_hash")
      .def_property_readonly(
          "source", [](const Kernel& k) { return k.document().source; },
          "The path or label it was read from (an amended kernel keeps its source's)")
      .def_property_readonly(
          "text", [](const Kernel& k) { return k.document().text; },
          "The document as read. An amended kernel keeps its source's text: amendments "
          "live in params, and its version and hash say so")
      .def_property_readonly("params", &params_dict,
                             "Every parameter: dotted path -> value (bool; int for turns and "
                             "counts; float for fractions and amounts in units; str for an "
                             "enum; None when off)")
      .def_property_readonly("articles", &articles_list,
                             "The articles: [{'id', 'title', 'text', 'governs': [clause]}]")
      .def(
          "lookup",
          [](const Kernel& k, const std::string& path) {
            const ParamId id = param_id(path);
            return param_to_python(id, take(k.lookup(path)));
          },
          py::arg("path"), "The value at a dotted parameter path (with or without 'params.')")
      .def(
          "amend",
          [](const Kernel& k, const std::string& path, const py::object& value) {
            const ParamId id = param_id(path);
            return take(k.amend(id, param_from_python(id, value)));
          },
          py::arg("path"), py::arg("value"),
          "A new kernel with one parameter changed, its version bumped by governance semver "
          "(weakening: major; tightening: minor). `value`: bool, int, float, str (as a "
          "document writes it: '0.5', 'roll', 'null') or None. Raises InputError for an "
          "unknown path or a value the parameter does not take.")
      .def("diff", &diff_dict, py::arg("other"),
           "Changes from this kernel to `other`: {'bump', 'params': [{'path', 'before', "
           "'after', 'bump'}], 'text_changes': [str]}, as `fable-selfplay kernel diff`")
      .def("__eq__",
           [](const Kernel& a, const py::object& b) {
             if (!py::isinstance<Kernel>(b)) return false;
             const Kernel other = b.cast<Kernel>();
             return a.name() == other.name() && a.version() == other.version() &&
                    a.content_hash() == other.content_hash();
           })
      .def("__hash__", [](const Kernel& k) { return static_cast<std::size_t>(k.content_hash()); })
      .def("__repr__", [](const Kernel& k) {
        return fmt::format("<fable.Kernel {} {} {}>", k.name(), k.version().to_string(),
                           hex64(k.content_hash()));
      });
}

}  // namespace fable::python
