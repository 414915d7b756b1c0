// libFuzzer harness: the exploit-record reader (record_from_json) on
// arbitrary JSON text. Properties: reading never crashes, throws or trips a
// sanitizer; a record it accepts is written back (record_to_json) to a text
// that reads again, to the same record.
#include <cstddef>
#include <cstdint>

#include "fable/record.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fable::fuzz::check_reads_back("record", fable::fuzz::as_text(data, size), "EXP-001.json",
                                       "EXP-001.json", fable::record_from_json,
                                       fable::record_to_json);
}
