// Internal: writing output files so that nothing a user wrote is overwritten.
//
// `check_out_dir` is the rule every command with an output folder applies
// before it starts (the folder must not exist, or be an empty folder);
// `write_new_file` writes a file under a temporary name in its folder and
// links it to its final name, which fails when that name exists, so an
// existing file is never replaced and no half-written file carries the name.
#pragma once

#include <filesystem>
#include <string>

#include "fable/status.h"

namespace fable::files {

// Ok when `dir` does not exist or is an empty folder; Status::Invalid naming
// it otherwise ("exists and is not a folder", "folder is not empty").
Status check_out_dir(const std::filesystem::path& dir);

// Writes `text` as the new file `path`. Status::Io with the path and the
// system's reason when it cannot be written, or "already exists; not
// overwritten" when `path` exists (the temporary file is removed either way).
Status write_new_file(const std::filesystem::path& path, const std::string& text);

}  // namespace fable::files
