// Internal: `--coverage FILE` of tournament, run and hunt (docs/coverage-format.md):
// the check made before anything is played, the settings written with the
// map, and the write itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fable/coverage.h"
#include "fable/status.h"
#include "fable/tournament.h"

namespace fable::cli {

using CoverageSettings = std::vector<std::pair<std::string, std::string>>;

// A folder and the flag or field that named it ("--exploit-dir").
struct NamedFolder {
  std::string folder;
  std::string flag;
};

// Whether `path` lies inside `folder` (or is it), comparing canonical paths
// (also used by --store).
bool inside(const std::string& path, const std::string& folder);

// Ok when the coverage map may be written to `path`: a non-empty path that
// names nothing yet (an existing file is never overwritten, as for a seed
// config's report), in an existing folder, not inside the output folder
// `out` (when given), which the run fills with its own artifacts, and not
// inside the exploit folder `exploit_dir` (when given), where every later
// run and verify would read the map as a bad record. With `resuming`
// (--resume), a regular file there passes: the stopped run may have written
// it; write_coverage then accepts it only when it holds the very bytes.
// Errors: Status::Invalid naming --coverage and the path.
Status check_coverage_path(const std::string& path, const std::optional<std::string>& out,
                           const std::optional<NamedFolder>& exploit_dir = std::nullopt,
                           bool resuming = false);

// The settings of a tournament or run: "command", "kernel", "config" (when
// given), "matchups" (name=roster;...), "seeds", "turns", "treasury",
// "plan_length", "population".
CoverageSettings tournament_coverage_settings(std::string_view command, const TournamentConfig& cfg,
                                              const std::optional<std::string>& config);

// Writes `report` with `settings` to the new file `path`
// (files::write_new_file_or_same: a file there holding these very bytes,
// written by a run killed before it ended, counts as written; any other is
// refused).
Status write_coverage(const std::string& path, CoverageReport report, CoverageSettings settings);

}  // namespace fable::cli
