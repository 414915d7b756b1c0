// Shared by the libFuzzer harnesses (fuzz/*_fuzz.cc, docs/fuzzing.md): how a
// harness reports a broken property. A sanitizer report, an uncaught
// exception or a call to fuzz_fail aborts the process, which libFuzzer counts
// as a crash and saves the input that caused it.
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

}  // namespace fable::fuzz
