// Output files that never overwrite; see base/files.h.
#include "base/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

namespace fable::files {

namespace fs = std::filesystem;

namespace {

std::string os_error(const fs::path& path, std::string_view what, int err) {
  return fmt::format("{}: {}: {}", path.string(), what, std::strerror(err));
}

}  // namespace

Status check_out_dir(const fs::path& out) {
  std::error_code ec;
  if (!fs::exists(out, ec)) return Status::Ok();
  if (!fs::is_directory(out, ec)) {
    return Status::Invalid(fmt::format("{}: exists and is not a folder", out.string()));
  }
  if (!fs::is_empty(out, ec)) {
    return Status::Invalid(fmt::format(
        "{}: folder is not empty; choose a new folder (nothing was overwritten)", out.string()));
  }
  return Status::Ok();
}

// Writes `text` to a temporary file in the folder of `path`, then links it to
// `path`; link() fails when `path` exists, so nothing is ever overwritten.
Status write_new_file(const fs::path& path, const std::string& text) {
  fs::path tmp =
      path.parent_path() / fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
  constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
  int fd = ::open(tmp.c_str(), kFlags, 0666);
  if (fd < 0 && errno == EEXIST) {  // left by a crashed process with our pid: ours to reuse
    ::unlink(tmp.c_str());
    fd = ::open(tmp.c_str(), kFlags, 0666);
  }
  if (fd < 0) return Status::Io(os_error(path, "cannot write", errno));
  int err = 0;
  for (std::size_t done = 0; done < text.size() && err == 0;) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno != EINTR) err = errno;
    if (n > 0) done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::link(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    ::unlink(tmp.c_str());
    if (err == EEXIST)
      return Status::Io(fmt::format("{}: already exists; not overwritten", path.string()));
    return Status::Io(os_error(path, "cannot write", err));
  }
  ::unlink(tmp.c_str());
  if (err != 0) return Status::Io(os_error(path, "cannot write", err));
  return Status::Ok();
}

}  // namespace fable::files
