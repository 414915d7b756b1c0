// Internal: writing output files and folders so that nothing a user wrote is
// overwritten, replaced or deleted, and nothing lands outside the folder named.
//
// The rules (docs/tournament-format.md, "Output folders"), shared by every
// command with an output folder (tournament, run, hunt) and the record store:
//  - `check_out_dir` is the check made before any work: the folder must not
//    exist, or be an empty folder; a symbolic link is refused (not followed);
//    trailing slashes are dropped ("out/" is "out"); "", ".", ".." and "/" are
//    refused;
//  - a `StagedFolder` is created next to it as OUT.partial-<pid> with mkdir
//    (which never reuses an existing name) and filled; `publish` moves it to
//    OUT with a rename that fails rather than replace anything, so a file or
//    folder someone creates at OUT while a run is going survives, and the
//    results stay complete in the partial folder, which the error names;
//  - `write_new_file` writes each file under a temporary name in its folder and
//    links it to its final name, which fails when that name exists: an
//    existing file is never replaced and no half-written file carries a name;
//  - a write that fails (disk full, a file-size limit: the binary ignores
//    SIGXFSZ so write() reports EFBIG) is a Status::Io naming the file and the
//    system's reason, which the command line reports with exit 3.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "fable/status.h"

namespace fable::files {

// The output folder `dir`, trailing slashes dropped, when it may be used: it
// does not exist, or is an empty folder and not a symbolic link. Errors
// (Status::Invalid naming it): an empty path, ".", "..", "/", "is a symbolic
// link", "exists and is not a folder", "folder is not empty"; Status::Io when
// it cannot be inspected. With `may_hold_files` (--resume, which decides
// later what a folder holding files means: docs/resume.md) a folder that is
// not empty passes too.
Result<std::filesystem::path> check_out_dir(const std::string& dir, bool may_hold_files = false);

// An output folder filled under a temporary name and moved into place whole.
class StagedFolder {
 public:
  // Checks `out` with check_out_dir and creates the empty folder
  // OUT.partial-<pid> (OUT.partial-<pid>-2, -3, ... when that name exists).
  // Errors: those of check_out_dir; Status::Io when the folder cannot be made.
  static Result<StagedFolder> create(const std::string& out);

  // The partial folder `partial` of an earlier process, to fill further and
  // publish to `out` (a run continued with --resume, docs/resume.md): `out`
  // is checked as by create(); `partial` must be a folder (not a symbolic
  // link). Errors: those of check_out_dir; Status::Invalid when `partial`
  // is not a folder.
  static Result<StagedFolder> adopt(const std::string& out, const std::filesystem::path& partial);

  // Moves the partial folder to OUT, never replacing anything: when OUT was an
  // empty folder at create() and is still that same empty folder, it is
  // removed (rmdir, which refuses a folder that is not empty) first. Errors:
  // Status::Io "<OUT>: <why>; the complete results are in <partial>" (the
  // partial folder is left as it is).
  Status publish() const;

  const std::filesystem::path& out() const { return out_; }
  const std::filesystem::path& partial() const { return partial_; }

 private:
  StagedFolder(std::filesystem::path out, std::filesystem::path partial,
               std::optional<std::pair<dev_t, ino_t>> empty_out)
      : out_(std::move(out)), partial_(std::move(partial)), empty_out_(empty_out) {}

  std::filesystem::path out_;
  std::filesystem::path partial_;
  std::optional<std::pair<dev_t, ino_t>> empty_out_;  // OUT's identity when it was an empty folder
};

// Writes `text` as the new file `path`. Status::Io with the path and the
// system's reason when it cannot be written (for example "File too large"
// under a file-size limit), or "already exists; not overwritten" when `path`
// exists (the temporary file is removed either way).
Status write_new_file(const std::filesystem::path& path, const std::string& text);

// write_new_file, except that a regular file at `path` already holding
// exactly `text` counts as written (a step redone by --resume after a kill:
// docs/resume.md). Any other file there is refused as by write_new_file.
Status write_new_file_or_same(const std::filesystem::path& path, const std::string& text);

// Creates `path`, which must not exist, and writes `text` into it directly
// (no temporary name: one open, write and close). Only for files inside a
// folder this process made and has not published, such as a StagedFolder's
// partial folder: a reader could otherwise see the file half-written. On a
// failed write the half-written file is removed. Errors as write_new_file.
Status create_new_file(const std::filesystem::path& path, std::string_view text);

// Writes `text` to a temporary file in the folder of `path` and renames it to
// `path`: `path` (a file this program generated, which the caller has
// checked) is replaced whole or not at all; a symbolic link at `path` is
// replaced, never followed. Errors: Status::Io with the path and the reason.
Status replace_file(const std::filesystem::path& path, const std::string& text);

// Ok when `path` is a regular file (symbolic links followed). Never blocks:
// the file is opened with O_NONBLOCK and checked with fstat, so a FIFO, a
// device or a socket is refused at once. Errors: Status::NotFound "no such
// file"; Status::Invalid "<what> <path>: is a folder" / "is not a regular
// file"; Status::Io for any other failure.
Status check_regular_file(const std::filesystem::path& path, std::string_view what);

// Ok when `path` does not exist or is a folder (a folder records are appended
// to: symbolic links followed). Errors: Status::Invalid "<what> <path>: exists
// and is not a folder".
Status check_folder_or_absent(const std::filesystem::path& path, std::string_view what);

}  // namespace fable::files
