// Exploit records: a deduplicated hole with everything needed to reproduce it.
//
// A record names the finding (detector, category, severity, clauses, guard,
// fingerprint), how often it was seen and where first, and a reproduction:
// the roster and seed of the episode, every setting that affects execution,
// the kernel it was found in (version and content hash), and the action
// scripts of the perpetrators (ballots carry proposal references so they
// survive id shifts). Records are one-way doors: append-only, never deleted;
// an amendment may close one. JSON format: docs/record-format.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fable/agent.h"
#include "fable/detector.h"
#include "fable/engine.h"
#include "fable/population.h"
#include "fable/script.h"
#include "fable/status.h"

namespace fable {

inline constexpr std::string_view kRecordSchema = "fable-exploit/1";

struct Reproduction {
  std::string matchup;
  Roster roster;
  std::uint64_t seed = 0;
  int n_turns = 60;
  Money initial_treasury = 1000 * kMoneyScale;
  std::string kernel_name;
  std::string kernel_version;
  std::string kernel_hash;  // 16 hex digits
  std::string engine_version;
  EngineSettings settings;
  // How the honest citizens behaved (fable/population.h). Written only when
  // not naive; a record without it was played under the naive model.
  PopulationModel population;
  std::vector<std::string> perpetrators;                   // ids, sorted
  std::map<std::string, std::vector<ScriptStep>> scripts;  // by perpetrator id

  // Ids of the population the roster builds, in agent-index order.
  std::vector<std::string> participant_ids() const;
};

// Where a minimised record came from (fable/minimize.h): the record it was
// shrunk from and its sizes then. Absent from records that were never
// minimised, which read and write back byte for byte.
struct MinimizedFrom {
  std::string exploit_id;    // the record it was shrunk from
  std::string fingerprint;   // that record's (and this one's) fingerprint
  int steps = 0;             // script steps before
  int perpetrators = 0;      // perpetrators before
  int n_turns = 0;           // n_turns before
  int replays = 0;           // replays the minimisation spent
  bool one_minimal = false;  // false: the budget ran out first
  friend bool operator==(const MinimizedFrom&, const MinimizedFrom&) = default;
};

struct ExploitRecord {
  std::string exploit_id;  // "EXP-001"
  std::string name;
  Category category = Category::kDrain;
  int severity = 1;
  std::string summary;
  std::vector<std::string> kernel_clauses;
  std::string proposed_guard;
  int occurrences = 1;
  std::string first_matchup;
  std::uint64_t first_seed = 0;
  int first_turn = 0;
  Reproduction reproduction;
  std::string fingerprint;
  std::string status = "open";  // open | patched
  std::optional<MinimizedFrom> minimized_from;
};

std::string record_to_json(const ExploitRecord& record);
Result<ExploitRecord> record_from_json(std::string_view text, std::string_view source_name);
Result<ExploitRecord> load_record(const std::string& path);

// "EXP-007" -> 7; nullopt for anything else.
std::optional<int> exploit_number(std::string_view exploit_id);

}  // namespace fable
