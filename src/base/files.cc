// Output files and folders that never overwrite; see base/files.h.
#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include <fmt/format.h>

namespace fable::files {

namespace fs = std::filesystem;

namespace {

std::string os_error(const fs::path& path, std::string_view what, int err) {
  return fmt::format("{}: {}: {}", path.string(), what, std::strerror(err));
}

// Writes `text` to a new temporary file next to `path`; returns its name.
// Writes all of `text` to `fd` and closes it; 0 or the first errno.
int write_all_and_close(int fd, std::string_view text) {
  int err = 0;
  for (std::size_t done = 0; done < text.size() && err == 0;) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno != EINTR) err = errno;
    if (n > 0) done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && err == 0) err = errno;
  return err;
}

constexpr int kNewFileFlags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW;

Result<fs::path> write_temporary(const fs::path& path, const std::string& text) {
  fs::path tmp =
      path.parent_path() / fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
  int fd = ::open(tmp.c_str(), kNewFileFlags, 0666);
  if (fd < 0 && errno == EEXIST) {  // left by a crashed process with our pid: ours to reuse
    ::unlink(tmp.c_str());
    fd = ::open(tmp.c_str(), kNewFileFlags, 0666);
  }
  if (fd < 0) return Status::Io(os_error(path, "cannot write", errno));
  if (const int err = write_all_and_close(fd, text); err != 0) {
    ::unlink(tmp.c_str());
    return Status::Io(os_error(path, "cannot write", err));
  }
  return tmp;
}

}  // namespace

Result<fs::path> check_out_dir(const std::string& dir, bool may_hold_files) {
  std::string text = dir;
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  if (text.empty()) return Status::Invalid("output folder: the path is empty");
  const fs::path out(text);
  const fs::path last = out.filename();
  if (text == "/" || last == "." || last == "..") {
    return Status::Invalid(
        fmt::format("{}: not usable as an output folder; name a new folder", dir));
  }
  struct stat st {};
  if (::lstat(out.c_str(), &st) != 0) {
    if (errno == ENOENT) return out;
    if (errno == ENOTDIR) return Status::Invalid(os_error(out, "cannot be a folder", errno));
    return Status::Io(os_error(out, "cannot inspect", errno));
  }
  if (S_ISLNK(st.st_mode)) {
    return Status::Invalid(fmt::format(
        "{}: is a symbolic link; links are not followed: name the folder itself", text));
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status::Invalid(fmt::format("{}: exists and is not a folder", text));
  }
  if (may_hold_files) return out;
  std::error_code ec;
  const bool empty = fs::is_empty(out, ec);
  if (ec) return Status::Io(fmt::format("{}: cannot read: {}", text, ec.message()));
  if (!empty) {
    return Status::Invalid(fmt::format(
        "{}: folder is not empty; choose a new folder (nothing was overwritten)", text));
  }
  return out;
}

Result<StagedFolder> StagedFolder::create(const std::string& out) {
  Result<fs::path> checked = check_out_dir(out);
  if (!checked.ok()) return checked.status();
  std::optional<std::pair<dev_t, ino_t>> empty_out;
  struct stat st {};
  if (::lstat(checked->c_str(), &st) == 0) empty_out = std::make_pair(st.st_dev, st.st_ino);
  for (int attempt = 1; attempt <= 100; ++attempt) {
    fs::path partial = *checked;
    partial += attempt == 1 ? fmt::format(".partial-{}", ::getpid())
                            : fmt::format(".partial-{}-{}", ::getpid(), attempt);
    if (::mkdir(partial.c_str(), 0777) == 0) {
      return StagedFolder(*checked, std::move(partial), empty_out);
    }
    if (errno == ENOENT) {  // name the folder the user gave, not the staging one
      return Status::Io(fmt::format("{}: cannot create: the folder {} does not exist",
                                    checked->string(), checked->parent_path().string()));
    }
    if (errno != EEXIST) return Status::Io(os_error(partial, "cannot create", errno));
  }
  return Status::Io(fmt::format("{}: cannot create a partial folder next to it: 100 names taken",
                                checked->string()));
}

Result<StagedFolder> StagedFolder::adopt(const std::string& out, const fs::path& partial) {
  Result<fs::path> checked = check_out_dir(out);
  if (!checked.ok()) return checked.status();
  struct stat st {};
  if (::lstat(partial.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Status::Invalid(fmt::format("{}: not a folder", partial.string()));
  std::optional<std::pair<dev_t, ino_t>> empty_out;
  if (::lstat(checked->c_str(), &st) == 0) empty_out = std::make_pair(st.st_dev, st.st_ino);
  return StagedFolder(*checked, partial, empty_out);
}

Status StagedFolder::publish() const {
  const auto failed = [&](std::string_view why) {
    return Status::Io(fmt::format("{}: {}; the complete results are in {}", out_.string(), why,
                                  partial_.string()));
  };
  struct stat st {};
  if (empty_out_ && ::lstat(out_.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
      st.st_dev == empty_out_->first && st.st_ino == empty_out_->second) {
    // The empty folder given as the destination: rmdir refuses it once it holds anything.
    if (::rmdir(out_.c_str()) != 0) {
      const int err = errno;
      if (err == ENOTEMPTY || err == EEXIST) {
        return failed("the folder was filled while the run was going; nothing was replaced");
      }
      return failed(fmt::format("cannot replace the empty folder: {}", std::strerror(err)));
    }
  }
  if (::renameat2(AT_FDCWD, partial_.c_str(), AT_FDCWD, out_.c_str(), RENAME_NOREPLACE) == 0) {
    return Status::Ok();
  }
  int err = errno;
  if (err == EINVAL || err == ENOSYS) {  // a file system without RENAME_NOREPLACE
    if (::lstat(out_.c_str(), &st) == 0) {
      err = EEXIST;
    } else if (::rename(partial_.c_str(), out_.c_str()) == 0) {
      return Status::Ok();
    } else {
      err = errno;
    }
  }
  if (err == EEXIST || err == ENOTEMPTY) {
    return failed("something was created there while the run was going; nothing was replaced");
  }
  return failed(fmt::format("cannot move the results into place: {}", std::strerror(err)));
}

// Writes `text` to a temporary file in the folder of `path`, then links it to
// `path`; link() fails when `path` exists, so nothing is ever overwritten.
Status write_new_file(const fs::path& path, const std::string& text) {
  Result<fs::path> tmp = write_temporary(path, text);
  if (!tmp.ok()) return tmp.status();
  const int err = ::link(tmp->c_str(), path.c_str()) != 0 ? errno : 0;
  ::unlink(tmp->c_str());
  if (err == EEXIST)
    return Status::Io(fmt::format("{}: already exists; not overwritten", path.string()));
  if (err != 0) return Status::Io(os_error(path, "cannot write", err));
  return Status::Ok();
}

Status write_new_file_or_same(const fs::path& path, const std::string& text) {
  Status written = write_new_file(path, text);
  if (written.ok()) return written;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<std::uint64_t>(st.st_size) != text.size())
    return written;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return written;
  std::string there(text.size(), '\0');
  std::size_t done = 0;
  while (done < there.size()) {
    const ssize_t n = ::read(fd, there.data() + done, there.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return done == there.size() && there == text ? Status::Ok() : written;
}

Status create_new_file(const fs::path& path, std::string_view text) {
  const int fd = ::open(path.c_str(), kNewFileFlags, 0666);
  if (fd < 0) {
    if (errno == EEXIST)
      return Status::Io(fmt::format("{}: already exists; not overwritten", path.string()));
    return Status::Io(os_error(path, "cannot write", errno));
  }
  if (const int err = write_all_and_close(fd, text); err != 0) {
    ::unlink(path.c_str());
    return Status::Io(os_error(path, "cannot write", err));
  }
  return Status::Ok();
}

Status replace_file(const fs::path& path, const std::string& text) {
  Result<fs::path> tmp = write_temporary(path, text);
  if (!tmp.ok()) return tmp.status();
  if (::rename(tmp->c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp->c_str());
    return Status::Io(os_error(path, "cannot write", err));
  }
  return Status::Ok();
}

Status check_regular_file(const fs::path& path, std::string_view what) {
  const auto refuse = [&](std::string_view why) {
    return Status::Invalid(fmt::format("{} {}: {}", what, path.string(), why));
  };
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT)
      return Status::NotFound(fmt::format("{} {}: no such file", what, path.string()));
    return Status::Io(os_error(path, "cannot read", errno));
  }
  if (S_ISDIR(st.st_mode)) return refuse("is a folder, not a file");
  if (!S_ISREG(st.st_mode)) return refuse("is not a regular file (a FIFO, device or socket)");
  // Opened without blocking and checked again: it may have been swapped since stat().
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return Status::Io(os_error(path, "cannot open", errno));
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  ::close(fd);
  if (!regular) return refuse("is not a regular file (a FIFO, device or socket)");
  return Status::Ok();
}

Status check_folder_or_absent(const fs::path& path, std::string_view what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return Status::Invalid(os_error(path, fmt::format("{} cannot be used", what), errno));
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status::Invalid(fmt::format("{} {}: exists and is not a folder", what, path.string()));
  }
  return Status::Ok();
}

}  // namespace fable::files
