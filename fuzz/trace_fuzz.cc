// libFuzzer harness: the episode-trace reader (trace_from_json) on arbitrary
// JSON text. Properties: reading never crashes, throws or trips a sanitizer;
// a trace it accepts serialises (trace_to_json) to a text that reads again
// and serialises to the same bytes (docs/trace-format.md).
#include <cstddef>
#include <cstdint>

#include "fable/trace.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fable::fuzz::check_reads_back("trace", fable::fuzz::as_text(data, size), "fuzz.json",
                                       "again.json", fable::trace_from_json, fable::trace_to_json);
}
