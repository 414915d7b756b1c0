// libFuzzer harness: the episode-trace reader (trace_from_json) on arbitrary
// JSON text. Properties: reading never crashes, throws or trips a sanitizer;
// a trace it accepts serialises (trace_to_json) to a text that reads again
// and serialises to the same bytes (docs/trace-format.md).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fable/trace.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using fable::fuzz::fail;
  const auto text = fable::fuzz::as_text(data, size);
  fable::Result<fable::EpisodeTrace> trace = fable::trace_from_json(text, "fuzz.json");
  if (!trace.ok()) {
    if (trace.status().message().empty()) fail("trace", "a refusal without a message");
    return 0;
  }
  const std::string written = fable::trace_to_json(*trace);
  fable::Result<fable::EpisodeTrace> again = fable::trace_from_json(written, "again.json");
  if (!again.ok()) fail("trace", "the written trace does not read: " + again.status().message());
  if (fable::trace_to_json(*again) != written) fail("trace", "the trace does not round-trip");
  return 0;
}
