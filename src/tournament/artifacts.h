// The tournament's one artifact writer (docs/tournament-format.md).
//
// A run with an output folder DIR writes everything into a fresh sibling
// folder DIR.partial-<pid> and renames it to DIR only when complete, so an
// interrupted or failed run never leaves a folder that looks finished. DIR
// must not exist or be an empty folder, and is never replaced: nothing a user
// wrote is overwritten or deleted (base/files.h, files::StagedFolder). Every
// file is written under a temporary name and linked into place.
// The folder holds episodes/<matchup>-seed<N>.json (which ones: EpisodeFiles),
// exploits/EXP-NNN.json (written by the library's one record writer,
// fable/record_store.h, with the ids the tournament gave them), summary.md and
// leaderboard.json (src/tournament/report.cc).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/files.h"
#include "fable/detector.h"
#include "fable/metrics.h"
#include "fable/status.h"
#include "fable/tournament.h"

namespace fable {

// Appends to `out` the text of episodes/<matchup>-seed<seed>.json (schema
// fable-episode/1, docs/tournament-format.md): episode_summary_json's text,
// into a buffer the caller may reuse.
void append_episode_summary_json(std::string& out, const std::string& matchup, std::uint64_t seed,
                                 const EpisodeScore& score,
                                 const std::vector<ExploitFinding>& findings);

class ArtifactWriter {
 public:
  // Checks `out_dir` (files::check_out_dir: absent or an empty folder, not a
  // symbolic link) and creates the partial folder with exploits/ (and
  // episodes/ unless `episodes` is kNone). Errors: Status::Invalid when
  // out_dir cannot be used; Status::Io when the partial folder cannot be made.
  static Result<ArtifactWriter> open(const std::string& out_dir, EpisodeFiles episodes);

  // Whether the EpisodeFiles choice `episodes` keeps an episode file for an
  // episode with these findings.
  static bool keeps(EpisodeFiles episodes, const std::vector<ExploitFinding>& findings);

  // The partial folder `partial` of a stopped run, to go on filling (a run
  // continued with --resume, tournament/checkpoint.h). Errors: those of
  // files::StagedFolder::adopt.
  static Result<ArtifactWriter> adopt(const std::string& out_dir,
                                      const std::filesystem::path& partial, EpisodeFiles episodes);

  // Writes episodes/<matchup>-seed<seed>.json when the EpisodeFiles choice
  // keeps this episode: `rendered` when not empty (the file's text, made by
  // the thread that played the episode: append_episode_summary_json), else
  // the text made here. Errors: Status::Invalid when `matchup` is not a safe
  // name (base/safe_name.h); Status::Io naming the file and the reason
  // (already there included).
  Status write_episode(const std::string& matchup, std::uint64_t seed, const EpisodeScore& score,
                       const std::vector<ExploitFinding>& findings,
                       std::string_view rendered = {}) const;

  // Writes the records, summary.md and leaderboard.json, runs `before_publish` (when
  // given: the steps that end a run outside its folder, docs/resume.md), then moves the
  // partial folder into place without replacing anything (files::StagedFolder::publish).
  // Errors: Status::Io naming the partial folder, which is left behind; those of
  // `before_publish`.
  Status finish(const TournamentResult& result,
                const std::function<Status()>& before_publish = {}) const;

  // DIR.partial-<pid>, where the artifacts are until finish() succeeds.
  const std::filesystem::path& partial() const { return folder_.partial(); }
  // DIR, where finish() moves them (trailing slashes dropped).
  const std::filesystem::path& out() const { return folder_.out(); }

 private:
  ArtifactWriter(files::StagedFolder folder, EpisodeFiles episodes)
      : folder_(std::move(folder)), episodes_(episodes) {}

  files::StagedFolder folder_;
  EpisodeFiles episodes_;
};

}  // namespace fable
