// Shared by the libFuzzer harnesses (fuzz/*_fuzz.cc, docs/fuzzing.md): how a
// harness reports a broken property, and the frame of the reader harnesses.
// A sanitizer report, an uncaught exception or a call to fuzz_fail aborts the
// process, which libFuzzer counts as a crash and saves the input that caused
// it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace fable::fuzz {

// Prints "fuzz: <harness>: <what>" to stderr and aborts.
[[noreturn]] inline void fail(std::string_view harness, const std::string& what) {
  std::fprintf(stderr, "fuzz: %.*s: %s\n", static_cast<int>(harness.size()), harness.data(),
               what.c_str());
  std::abort();
}

// The fuzzer's bytes as text (any bytes: NUL, invalid UTF-8, ...).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The frame of a reader harness (record_fuzz, trace_fuzz) on the fuzzer's
// `text`: `read(text, source)` gives a Result; a refusal must carry a
// message; a document it accepts is written (`write(doc)`, a std::string) to
// a text that reads again (as `again_source`) and is written to the same
// bytes. `what` ("record", "trace") names the harness and the document in a
// failure. Returns 0, as LLVMFuzzerTestOneInput does.
template <typename Read, typename Write>
int check_reads_back(std::string_view what, std::string_view text, std::string_view source,
                     std::string_view again_source, Read read, Write write) {
  const auto doc = read(text, source);
  if (!doc.ok()) {
    if (doc.status().message().empty()) fail(what, "a refusal without a message");
    return 0;
  }
  const std::string written = write(*doc);
  const auto again = read(written, again_source);
  if (!again.ok()) {
    fail(what, "the written " + std::string(what) + " does not read: " + again.status().message());
  }
  if (write(*again) != written) fail(what, "the " + std::string(what) + " does not round-trip");
  return 0;
}

}  // namespace fable::fuzz
