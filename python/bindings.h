// The parts of the Python module `fable` (docs/python.md), each adding its
// names to the module: kernels (kernel_binding.cc) and what plays
// (fable_module.cc, which also defines the module and its exceptions).
#pragma once

#include <pybind11/pybind11.h>

#include <optional>
#include <string>
#include <string_view>

#include "fable/kernel.h"

namespace fable::python {

// fable.Kernel: load, parse, identity, params, articles, lookup, amend, diff.
void bind_kernel(pybind11::module_& m);

// `kernel=` of the calls that play: a fable.Kernel (returned, with a label
// for settings and messages: "<Kernel NAME VERSION HASH>") or a path (nullopt;
// the label is the path).
struct KernelArg {
  std::string label;
  std::optional<Kernel> kernel;
};
KernelArg kernel_arg(const pybind11::handle& h, std::string_view what);

}  // namespace fable::python
