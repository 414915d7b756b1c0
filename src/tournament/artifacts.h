// The tournament's one artifact writer (docs/tournament-format.md).
//
// A run with an output folder DIR writes everything into a fresh sibling
// folder DIR.partial-<pid> and renames it to DIR only when complete, so an
// interrupted or failed run never leaves a folder that looks finished. DIR
// must not exist or be an empty folder: nothing a user wrote is overwritten.
// The folder holds episodes/<matchup>-seed<N>.json (which ones: EpisodeFiles),
// exploits/EXP-NNN.json (written by the library's one record writer,
// fable/record_store.h, with the ids the tournament gave them) and summary.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "fable/detector.h"
#include "fable/metrics.h"
#include "fable/status.h"
#include "fable/tournament.h"

namespace fable {

class ArtifactWriter {
 public:
  // Checks `out_dir` and creates the partial folder with exploits/ (and
  // episodes/ unless `episodes` is kNone). Errors: Status::Invalid when
  // out_dir exists and is not an empty folder; Status::Io when the partial
  // folder cannot be created.
  static Result<ArtifactWriter> open(const std::string& out_dir, EpisodeFiles episodes);

  // Writes episodes/<matchup>-seed<seed>.json when the EpisodeFiles choice
  // keeps this episode. Errors: Status::Io naming the file and the reason.
  Status write_episode(const std::string& matchup, std::uint64_t seed, const EpisodeScore& score,
                       const std::vector<ExploitFinding>& findings) const;

  // Writes the records and summary.md, then renames the partial folder into
  // place. Errors: Status::Io (the partial folder is left behind).
  Status finish(const TournamentResult& result) const;

  // DIR.partial-<pid>, where the artifacts are until finish() succeeds.
  const std::filesystem::path& partial() const { return partial_; }

 private:
  ArtifactWriter(std::filesystem::path out, std::filesystem::path partial, EpisodeFiles episodes)
      : out_(std::move(out)), partial_(std::move(partial)), episodes_(episodes) {}

  std::filesystem::path out_;
  std::filesystem::path partial_;
  EpisodeFiles episodes_;
};

}  // namespace fable
