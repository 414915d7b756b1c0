// The six canonical holes of kernel v0.1 (SPEC §7) as scripted scenarios.
//
// Each scenario puts a red team (drainers, suppressors or entrenchers, ids
// `drainer-01`...) against honest defenders (`honest-01`...) on a 1000-unit
// treasury. The attackers are scripted agents replaying a fixed script of
// moves; the defenders are ordinary honest agents. A scenario is therefore
// an exploit record's reproduction like any other, and its record
// (`canonical_record`) is what ships in exploits/. `play_hole` runs a
// scenario on any kernel and reports whether the attackers reached their
// objective and every clause that refused one of their moves or failed one of
// their proposals, in the order they first bit. The same scripts run on every
// kernel: only parameters decide the outcome.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fable/agent.h"
#include "fable/detector.h"
#include "fable/kernel.h"
#include "fable/money.h"
#include "fable/record.h"
#include "fable/trace.h"

namespace fable {

struct HoleScenario {
  std::string id;    // "EXP-001"
  std::string name;  // "salami drain"
  std::string objective;
  std::string primary_detector;           // the detector whose finding is the hole's record
  std::string attacker_role = "drainer";  // a registered role name; defenders are honest
  int attackers = 11;
  int defenders = 9;
  int turns = 12;
  Money treasury = 1000 * kMoneyScale;

  Roster roster() const;  // honest defenders, then the attackers in their role
};

const std::vector<HoleScenario>& canonical_holes();

struct HoleStop {
  int turn = 0;
  std::string clause;   // parameter path or structural clause
  std::string article;  // article that establishes it, or kEngineDefault when none does
  std::string what;     // e.g. "propose refused: exceeds the epoch spending rate cap"
};

struct HoleOutcome {
  std::string id;
  std::string name;
  bool succeeded = false;       // the attackers reached their objective
  std::string measure;          // what was measured, e.g. "red received 800.000 of 1000.000 (80%)"
  std::vector<HoleStop> stops;  // distinct clauses, in the order they first stopped a red move
  std::uint64_t final_digest = 0;
  std::vector<ExploitFinding> findings;  // the default suite over the trace
  EpisodeTrace trace;                    // the whole episode, for detectors and records

  bool stopped_by(std::string_view clause) const;
};

HoleOutcome play_hole(const HoleScenario& scenario, const Kernel& kernel, std::uint64_t seed = 0);

// The scenario as a record's reproduction: every attacker scripted.
Reproduction hole_reproduction(const HoleScenario& scenario, const Kernel& kernel,
                               std::uint64_t seed = 0);

// The shipped record of a hole (exploits/EXP-00N.json): played on its
// discovery kernel, the finding of its primary detector with the scenario as
// reproduction. Fails if the hole does not reproduce there.
Result<ExploitRecord> canonical_record(const HoleScenario& scenario,
                                       const Kernel& discovery_kernel);

}  // namespace fable
