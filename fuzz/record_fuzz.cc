// libFuzzer harness: the exploit-record reader (record_from_json) on
// arbitrary JSON text. Properties: reading never crashes, throws or trips a
// sanitizer; a record it accepts is written back (record_to_json) to a text
// that reads again, to the same record.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fable/record.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using fable::fuzz::fail;
  const auto text = fable::fuzz::as_text(data, size);
  fable::Result<fable::ExploitRecord> record = fable::record_from_json(text, "EXP-001.json");
  if (!record.ok()) {
    if (record.status().message().empty()) fail("record", "a refusal without a message");
    return 0;
  }
  const std::string written = fable::record_to_json(*record);
  fable::Result<fable::ExploitRecord> again = fable::record_from_json(written, "EXP-001.json");
  if (!again.ok()) fail("record", "the written record does not read: " + again.status().message());
  if (fable::record_to_json(*again) != written) fail("record", "the record does not round-trip");
  return 0;
}
