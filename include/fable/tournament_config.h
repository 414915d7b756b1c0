// Tournament config files (YAML) and the checks every way of configuring a
// tournament shares.
//
// A config file is a YAML mapping with the keys of docs/tournament-format.md:
// kernel, seeds, turns, treasury, threads, plan_length, exploit_id_start,
// episode_files, population (a preset name or a mapping of fields over one,
// fable/population.h) and matchups. Each matchup is a mapping with a `name` and one
// count per role, keyed by a role name registered for rosters
// (fable/agent_registry.h: `honest`, `drainer`, ...) or its plural
// (`drainers`, as the seed's configs write it). Unknown keys are errors. Every
// error names the file and line: "cfg.yaml:7: matchups: ...".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fable/money.h"
#include "fable/status.h"
#include "fable/tournament.h"

namespace fable {

// Where a config file set a value, for later messages about it, such as a
// kernel that does not load: 1-based lines, 0 when the file does not set it.
struct ConfigLines {
  int kernel = 0;
};

// Applies the config file at `path` onto `cfg`: the keys the file sets replace
// cfg's values (matchups: the whole list), the others keep them. Fails with
// Invalid on unreadable YAML, an unknown key or role, a bad value; `cfg` may
// then be partly updated. Does not check ranges (check_tournament_settings)
// and does not read the kernel. With `lines`, notes there where the file set
// what ConfigLines holds.
Status apply_tournament_config(const std::string& path, TournamentConfig& cfg,
                               ConfigLines* lines = nullptr);

// The defaults of TournamentConfig with the file at `path` applied, checked
// with check_tournament_settings.
Result<TournamentConfig> load_tournament_config(const std::string& path);

// The ranges a tournament accepts: turns 1..100000, threads 1..256,
// plan_length 1..kMaxPlanLength, exploit_id_start 1..999999, the population
// model's ranges (check_population); every matchup
// name a safe name (1..64 of [A-Za-z0-9._-], starting with a letter or digit,
// no "..": they become file names) and no name twice; no matchup naming a
// hunt-only role (the `attacker`, which plays only what `hunt` chooses).
Status check_tournament_settings(const TournamentConfig& cfg);

// Seeds: "A..B" (inclusive, at most 10^8 of them; B may be 2^64-1) or
// "A,B,C" (at most 10000, none twice: a repeat is refused, not merged).
// Errors are phrased for the --seeds flag.
Result<std::vector<std::uint64_t>> parse_seeds(std::string_view text);

// A treasury given in units (1000 = 1000.000): 0..kMaxMoneyUnits.
Result<Money> parse_treasury(double units);

// "all", "findings" or "none"; `where` names the flag or key in the error.
Result<EpisodeFiles> parse_episode_files_option(std::string_view text, std::string_view where);

}  // namespace fable
