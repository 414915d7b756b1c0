// The six canonical holes of kernel v0.1 (SPEC §7) as scripted scenarios.
//
// Each scenario puts a red team (attackers, ids `red-01`...) against defenders
// (`blue-01`...) on a 1000-unit treasury. The attackers follow a fixed script
// of legal-looking moves; the defenders follow a simple reactive policy: on
// each proposal they can see (opened in an earlier turn) they vote yes if it
// distributes to all, no otherwise, unless they have delegated. `play_hole`
// runs a scenario on any kernel and reports whether the attackers reached
// their objective and every clause that refused one of their moves or failed
// one of their proposals, in the order they first bit. The same scripts run
// on every kernel: only parameters decide the outcome.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fable/agent.h"
#include "fable/kernel.h"
#include "fable/money.h"
#include "fable/trace.h"

namespace fable {

struct HoleScenario {
  std::string id;     // "EXP-001"
  std::string name;   // "salami drain"
  std::string objective;
  AgentRole attacker_role = AgentRole::kDrainer;  // recorded in the trace; defenders are honest
  int attackers = 11;
  int defenders = 9;
  int turns = 12;
  Money treasury = 1000 * kMoneyScale;
};

const std::vector<HoleScenario>& canonical_holes();

struct HoleStop {
  int turn = 0;
  std::string clause;   // parameter path or structural clause
  std::string article;  // article that establishes it
  std::string what;     // e.g. "propose refused: exceeds the epoch spending rate cap"
};

struct HoleOutcome {
  std::string id;
  std::string name;
  bool succeeded = false;    // the attackers reached their objective
  std::string measure;       // what was measured, e.g. "red received 800.000 of 1000.000 (80%)"
  std::vector<HoleStop> stops;  // distinct clauses, in the order they first stopped a red move
  std::uint64_t final_digest = 0;
  EpisodeTrace trace;           // the whole episode, for detectors and records

  bool stopped_by(std::string_view clause) const;
};

HoleOutcome play_hole(const HoleScenario& scenario, const Kernel& kernel, std::uint64_t seed = 0);

}  // namespace fable
