// run_in_child: fork, run the work, collect its output through a pipe and its
// own rusage with wait4(); see src/base/child_process.h.
#include "base/child_process.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>

#include <fmt/format.h>

namespace fable {

namespace {

// Exit codes of the child when the work itself could not finish.
constexpr int kChildThrew = 70;
constexpr int kChildWriteFailed = 74;

Status errno_status(const char* what) {
  return Status::Io(fmt::format("{}: {}", what, std::strerror(errno)));
}

// Writes all of `text` to `fd`, retrying on EINTR and short writes.
bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

[[noreturn]] void child_main(int write_fd, const std::function<int(std::string&)>& work) {
  std::string output;
  int code = 0;
  try {
    code = work(output);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: child process: %s\n", e.what());
    code = kChildThrew;
  } catch (...) {
    std::fprintf(stderr, "error: child process: unknown exception\n");
    code = kChildThrew;
  }
  if (!write_all(write_fd, output)) {
    std::fprintf(stderr, "error: child process: cannot write to the pipe: %s\n",
                 std::strerror(errno));
    code = kChildWriteFailed;
  }
  if (::close(write_fd) != 0 && code == 0) code = kChildWriteFailed;
  if (std::fflush(nullptr) != 0 && code == 0) code = kChildWriteFailed;
  ::_exit(code);
}

}  // namespace

Result<ChildResult> run_in_child(const std::function<int(std::string& output)>& work) {
  if (std::fflush(nullptr) != 0) return errno_status("flushing output before fork");
  std::array<int, 2> fds{-1, -1};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) return errno_status("pipe");
  const pid_t pid = ::fork();
  if (pid < 0) {
    const Status st = errno_status("fork");
    ::close(fds[0]);
    ::close(fds[1]);
    return st;
  }
  if (pid == 0) {
    ::close(fds[0]);
    child_main(fds[1], work);
  }

  // Parent: read until the child closes its end, then reap it.
  Status failure = Status::Ok();
  if (::close(fds[1]) != 0) failure = errno_status("close (pipe)");
  ChildResult result;
  std::array<char, 4096> buf{};
  for (;;) {
    const ssize_t n = ::read(fds[0], buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (failure.ok()) failure = errno_status("read (pipe)");
      break;
    }
    if (n == 0) break;
    result.output.append(buf.data(), static_cast<std::size_t>(n));
  }
  if (::close(fds[0]) != 0 && failure.ok()) failure = errno_status("close (pipe)");

  int status = 0;
  rusage usage{};
  pid_t waited = -1;
  do {
    waited = ::wait4(pid, &status, 0, &usage);
  } while (waited < 0 && errno == EINTR);
  if (waited < 0) return errno_status("wait4");
  if (!failure.ok()) return failure;

  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.term_signal = WTERMSIG(status);
  }
  result.peak_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: KiB
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  result.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  return result;
}

}  // namespace fable
