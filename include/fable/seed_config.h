// The seed's tournament config format (configs/T1-*.yaml ...), read strictly.
//
// A seed config is a YAML mapping with the top-level keys tournament,
// population, economy, detectors, scoring, outputs and expected_exploits
// (docs/seed-config.md). It names one population (a roster of the seed's
// role names), a first seed and a number of episodes, an economy, the seed's
// detector names (mapped to ours by seed_detector_map), the seed's metric
// names, where results go, and the exploit classes the run must find.
// `tournament --config FILE` tells the two formats apart by the top-level
// keys (is_seed_config): a file with a `tournament` key is the seed's.
// Every error names the file, the line and the field path:
// "T1.yaml:12: population.roles[1].count: expected an integer 0..100000, got 'x'".
// Paths in the file (kernels, outputs.exploits_dir) are relative to the
// current directory, as in our own config format.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fable/money.h"
#include "fable/status.h"
#include "fable/tournament.h"

namespace fable {

// One seed detector name and the detectors of ours that find the same class
// of hole; `ours` empty when none of ours does (the name is then accepted,
// reported as not run, and may not be expected).
struct SeedDetectorMapping {
  std::string_view seed;
  std::vector<std::string_view> ours;
  std::string_view note;  // why, one line (docs/seed-config.md)
};
const std::vector<SeedDetectorMapping>& seed_detector_map();

// The seed's metric names (scoring.primary, scoring.secondary[]) and the
// measure of ours each stands for; `ours` empty when we have none.
struct SeedMetricMapping {
  std::string_view seed;
  std::string_view ours;
};
const std::vector<SeedMetricMapping>& seed_metric_map();

struct SeedRoleSpec {
  std::string role;     // canonical registered name ("drainer")
  std::string written;  // as the file wrote it ("treasury_drainer")
  int count = 0;
  std::string objective;  // as written; checked against the role's objective
  std::string notes;
};

struct SeedConfig {
  std::string path;  // the file read
  std::string id;    // tournament.id: a safe name; the matchup's name
  std::string name;  // tournament.name: free text
  std::uint64_t seed = 0;
  std::uint64_t episodes = 0;  // seeds seed .. seed + episodes - 1
  int rounds_per_episode = 0;  // turns
  std::string kernel;
  std::optional<std::string> verification_kernel;
  // The lines (1-based) that name the kernels, for messages about them:
  // "T1.yaml:4: tournament.kernel: kernels/x.yaml: no such file".
  int kernel_line = 0;
  int verification_kernel_line = 0;
  int citizens = 0, honest = 0, red_team = 0;
  std::vector<SeedRoleSpec> roles;  // red roles, as listed
  Money initial_treasury = 1000 * kMoneyScale;
  Money income_per_turn = 0;
  Money citizen_stipend = 0;
  std::vector<std::string> detectors;       // seed names, as listed (empty: every detector)
  std::vector<std::string> detector_kinds;  // ours, distinct, in the order first mapped
  std::string scoring_primary;
  std::vector<std::string> scoring_secondary;
  std::optional<std::string> exploits_dir;     // outputs.exploits_dir
  std::optional<std::string> report;           // outputs.report: a file name inside --out
  std::vector<std::string> expected_exploits;  // as written (seed or our detector names)

  // The roster of the population: honest plus each role's count.
  Roster roster() const;
  // Our detector names an expected class stands for (a seed name's mapping,
  // or our own name); empty for an unknown name.
  std::vector<std::string> expected_kinds(std::string_view expected) const;
  // A TournamentConfig playing the population as one matchup named `id` on
  // seeds seed..seed+episodes-1 for rounds_per_episode turns, with the
  // initial treasury and the economy as engine settings.
  TournamentConfig tournament_config() const;
};

// Whether the YAML mapping in the file at `path` is in the seed's format:
// it has a top-level `tournament` key. Errors: the file cannot be read or is
// not YAML (the same message the loaders give).
Result<bool> is_seed_config(const std::string& path);

// Values that replace the file's before it is played (the command line's
// --turns and --treasury). The bounds that depend on them are checked on the
// values as played, so an override may bring a config within its bounds or
// take it beyond them; the SeedConfig returned still holds the file's values.
struct SeedOverrides {
  std::optional<int> rounds_per_episode;
  std::optional<Money> initial_treasury;
};

// Reads and checks the seed config at `path`. Status::Invalid with
// "FILE:LINE: FIELD.PATH: what" for an unknown key, a key written twice, a
// wrong type, a value out of range, a missing required key, counts that do
// not add up (citizens == honest + red_team, red_team == sum of role
// counts), a role that is not registered, an objective that is not the
// role's, an unknown detector or metric name, an expected class no listed
// detector can find, an output path that could leave the current folder,
// or an economy that could overflow (initial treasury + income x turns over
// kMaxMoneyUnits), or more citizen-turns than limits::kMaxCitizenTurns; the
// last two with `overrides` applied (named "(overridden)" in the message).
// Does not read the kernels.
Result<SeedConfig> load_seed_config(const std::string& path, const SeedOverrides& overrides = {});

// The objective names a role answers to in a seed config: ours
// (docs/objectives.md) and the seed's; empty for a role without one.
std::vector<std::string_view> seed_role_objectives(std::string_view canonical_role);

}  // namespace fable
