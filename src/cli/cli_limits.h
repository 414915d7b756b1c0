// Limits on what the command line accepts, checked before any work starts
// (issue 12, point 4; documented in docs/tournament-format.md, "Limits").
// Local to src/cli: the library's input limits are to gather in
// include/fable/limits.h, where these belong once it exists.
#pragma once

#include <cstdint>

#include <fmt/format.h>

#include "fable/limits.h"
#include "fable/status.h"
#include "fable/tournament.h"

namespace fable::cli {

// `--threads` of run, tournament and bench: the bound a tournament config's
// threads: has (fable/limits.h).
inline constexpr int kMaxThreads = limits::kMaxThreads;

// `run --episodes N`: seeds SEED..SEED+N-1.
inline constexpr std::uint64_t kMaxRunEpisodes = 100'000'000;

// Episodes of one tournament or run: matchups x seeds.
inline constexpr std::uint64_t kMaxEpisodes = 100'000'000;

// `--checkpoint-every N` of run and tournament: episodes between checkpoints.
inline constexpr std::uint64_t kMaxCheckpointEvery = kMaxEpisodes;

// Ok when cfg plays at most kMaxEpisodes episodes; Status::Invalid otherwise.
inline Status check_episode_count(const TournamentConfig& cfg) {
  const std::uint64_t matchups = cfg.matchups.size();
  const std::uint64_t seeds = cfg.seeds.size();
  if (matchups != 0 && seeds > kMaxEpisodes / matchups) {
    return Status::Invalid(fmt::format("{} matchups x {} seeds: at most {} episodes per run",
                                       matchups, seeds, kMaxEpisodes));
  }
  return Status::Ok();
}

}  // namespace fable::cli
