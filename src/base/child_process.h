// Running a piece of work in a forked child process, with its own resource usage.
//
// `run_in_child` forks, runs the work in the child, sends the text it produces
// back through a pipe, and waits for the child with wait4() so that the
// child's own rusage (peak RSS, CPU time) is reported, not the sum over all
// children. Measurements that must not inherit each other's peak memory (the
// `bench` cases) use it. Every system call is checked; failures are
// Status::Io. The child never returns into the caller's code: it leaves with
// _exit() and runs no destructors or atexit handlers of the parent's state.
#pragma once

#include <functional>
#include <string>

#include "fable/status.h"

namespace fable {

struct ChildResult {
  std::string output;      // everything the child's work returned
  int exit_code = 0;       // the child's exit status (when it exited)
  int term_signal = 0;     // the signal that ended it, 0 when it exited
  double peak_rss_mb = 0;  // ru_maxrss of the child, MiB
  double cpu_seconds = 0;  // ru_utime + ru_stime of the child
  bool succeeded() const { return term_signal == 0 && exit_code == 0; }
};

// The work fills `output` and returns the child's exit code (0 on success);
// diagnostics go to stderr. Stdio buffers are flushed before forking.
// REQUIRES: no other thread is running in this process (fork copies only the
// calling thread).
Result<ChildResult> run_in_child(const std::function<int(std::string& output)>& work);

}  // namespace fable
