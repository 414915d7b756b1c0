// libFuzzer harness: the kernel loader (Kernel::parse) on arbitrary YAML text.
// Properties: parsing never crashes, throws or trips a sanitizer; a document
// it accepts has every parameter within its documented range, hashes the same
// when its own text is parsed again, and differs from itself in nothing; a
// one-turn episode on it yields a trace that serialises to JSON (the kernel's
// name and text go into every trace) and reads back to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fable/agent.h"
#include "fable/detector.h"
#include "fable/episode.h"
#include "fable/kernel.h"
#include "fable/params.h"
#include "fable/trace.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using fable::fuzz::fail;
  const auto text = fable::fuzz::as_text(data, size);
  fable::Result<fable::Kernel> kernel = fable::Kernel::parse(text, "fuzz.yaml");
  if (!kernel.ok()) {
    if (kernel.status().message().empty()) fail("kernel", "a refusal without a message");
    return 0;
  }
  for (const fable::ParamInfo& info : fable::all_params()) {
    const std::string problem =
        fable::param_value_problem(info, fable::get_param(kernel->params(), info.id));
    if (!problem.empty())
      fail("kernel", std::string(info.path) + " accepted out of range: " + problem);
  }
  fable::Result<fable::Kernel> again = fable::Kernel::parse(kernel->document().text, "again.yaml");
  if (!again.ok()) fail("kernel", "its own text no longer loads: " + again.status().message());
  if (again->content_hash() != kernel->content_hash()) fail("kernel", "the hash is not stable");
  const fable::KernelDiff diff = fable::diff_kernels(*kernel, *again);
  if (!diff.params.empty() || !diff.text_changes.empty() || diff.overall != fable::Bump::kNone)
    fail("kernel", "a kernel differs from itself");

  static const fable::DetectorSuite suite = fable::default_suite();
  fable::Population agents = fable::make_population(2, 0, 0, 0);
  fable::EpisodeOptions options;
  options.turns = 1;
  const fable::EpisodeResult episode = fable::run_episode(*kernel, agents, 1, options, suite);
  const std::string trace = fable::trace_to_json(episode.trace);
  fable::Result<fable::EpisodeTrace> read = fable::trace_from_json(trace, "trace.json");
  if (!read.ok()) fail("kernel", "its trace does not read back: " + read.status().message());
  if (fable::trace_to_json(*read) != trace) fail("kernel", "its trace does not round-trip");
  return 0;
}
