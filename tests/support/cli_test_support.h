// Runs the fable-selfplay binary from tests: a shell command line in, its exit
// code and captured output out. Shared by the command-line test files so that
// each states only the arguments and what the output must say. FABLE_BINARY
// and FABLE_SOURCE_DIR are set by tests/CMakeLists.txt.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace fable::testing {

struct CliRun {
  int code;         // exit status, or -1 if the command did not exit normally
  std::string out;  // what the command line wrote to its stdout
};

// Runs `command_line` with /bin/sh; add " 2>&1" to capture stderr too.
inline CliRun run_command(const std::string& command_line) {
  FILE* pipe = popen(command_line.c_str(), "r");
  if (pipe == nullptr) return {-1, ""};
  std::string out;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), static_cast<int>(buf.size()), pipe) != nullptr) out += buf.data();
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// The binary with `args`, run from the source folder (so kernels/... resolves).
inline std::string fable_command(const std::string& args) {
  return std::string("cd ") + FABLE_SOURCE_DIR + " && " + FABLE_BINARY + " " + args;
}

}  // namespace fable::testing
