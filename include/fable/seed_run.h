// Playing a seed config (fable/seed_config.h): the tournament on its kernel,
// the same population and seeds on its verification kernel, the check of
// `expected_exploits`, and the report (docs/seed-config.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fable/seed_config.h"
#include "fable/status.h"
#include "fable/tournament.h"

namespace fable {

// One entry of expected_exploits and what the run on the main kernel found.
struct ExpectedCheck {
  std::string expected;            // as written in the config
  std::vector<std::string> kinds;  // our detectors it stands for
  int records = 0;                 // exploit records of those detectors
  int findings = 0;                // their findings (sum of occurrences)
  bool found() const { return records > 0; }
};

struct SeedRunResult {
  TournamentResult main;                         // on tournament.kernel
  std::optional<TournamentResult> verification;  // on tournament.verification_kernel
  std::vector<ExpectedCheck> expected;

  bool all_expected_found() const;
};

// The suite of the config's detectors (detector_kinds, in that order; every
// registered detector when the config lists none).
DetectorSuite seed_detector_suite(const SeedConfig& config);

// Plays `cfg` (seed.tournament_config() with any command-line overrides; its
// out_dir, if set, gets the artifacts) with the config's detectors, then,
// when the config names a verification kernel, the same matchups and seeds on
// it without artifacts, and checks expected_exploits against the main run.
// Errors: those of Tournament::run (a bad kernel is Status::Invalid).
Result<SeedRunResult> run_seed_tournament(const SeedConfig& seed, const TournamentConfig& cfg,
                                          const ProgressFn& progress = {});

// The report, Markdown: the setting, the detector and metric maps, captures
// per objective and findings per detector on each kernel, and the expected
// check. Deterministic (no times).
std::string render_seed_report(const SeedConfig& seed, const TournamentConfig& cfg,
                               const SeedRunResult& result);

}  // namespace fable
