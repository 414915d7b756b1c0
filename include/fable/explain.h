// Explanations: the story of a record's reproduction, told against the articles.
//
// `explain_record` replays a record (as replay_record does) and keeps the
// trace: each step of the perpetrators (what they did or tried, the ruling,
// the clause and the article that governs it), each tally of their proposals
// (yes/no/abstain/eligible against the quorum and threshold in force, and how
// the honest citizens voted, summarised), the events that matter around them
// (expulsions, amendments in force, emergencies, exits), and the detector's
// evidence when the finding fires. Steps whose removal stops the
// reproduction are marked essential (essential_steps). Rendered as short
// sentences for a constitution author (explanation_text) or as JSON with
// sorted keys (explanation_json, docs/explain-format.md, schema
// fable-explain/1). Amounts are shown in units, not milli-units.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fable/detector.h"
#include "fable/kernel.h"
#include "fable/record.h"
#include "fable/replay.h"

namespace fable {

inline constexpr std::string_view kExplainSchema = "fable-explain/1";

// One step of a perpetrator's script: reproduction.scripts[agent][index].
struct StepMark {
  std::string agent;
  std::size_t index = 0;
  int turn = 0;
  int round = 0;
  bool essential = false;  // without it, the record's fingerprint no longer fires
};

// Every step of every perpetrator's script, perpetrators in the record's
// order and steps in script order, each marked essential when replaying the
// record on `kernel` without that one step (replay_record on a copy) does not
// reproduce the record's fingerprint. Costs one replay per step. When the
// record does not reproduce on `kernel` at all, no step is essential.
std::vector<StepMark> essential_steps(const ExploitRecord& record, const Kernel& kernel,
                                      const DetectorSuite& suite);

// One line of the timeline.
struct ExplainEntry {
  int turn = 0;
  std::string kind;     // "action", "refused", "tally", "event"
  std::string who;      // participant id(s), comma-separated; "" for the engine
  int count = 1;        // perpetrators in this line (ballots alike are one line)
  std::string what;     // one sentence
  std::string ruling;   // "allowed", "refused: ...", "passed", "failed_quorum", ...
  std::string clause;   // the clause cited, "" when none
  std::string article;  // the article that governs it, "(engine default)" when none
  // Steps of this entry marked essential / in all (perpetrators' steps only).
  int essential = 0;
  int steps = 0;
  // Tallies only.
  std::optional<std::string> needed;  // what the quorum and threshold asked for
  std::optional<std::string> honest;  // how the honest citizens voted
  int yes = 0, no = 0, abstain = 0, eligible = 0;
};

struct Explanation {
  std::string exploit_id;
  std::string name;    // the record's detector name
  std::string kernel;  // "kernel-v0.1 v0.1.0"
  Verdict verdict = Verdict::kStale;
  std::string reason;  // replay's one-line reason
  std::vector<std::string> perpetrators;
  std::vector<std::string> headline;  // 1-3 lines
  std::vector<ExplainEntry> timeline;
  // The finding that fired on replay (reproduces only).
  std::string finding_summary;
  int finding_turn = 0;
  std::vector<std::pair<std::string, std::string>> evidence;
  std::vector<std::string> stops;  // blocked: what stopped the perpetrators (replay's stops)
  // Blocked: the stop named as the block, the first of `stops` that does not
  // also happen on the discovery kernel; "" when no discovery kernel was given
  // (then every stop is a candidate) or when each stop also happens there.
  std::string block;
  // Blocked: for each of `stops`, whether the same refusal or failed tally
  // (turn, perpetrator, action or result, refusal, clause) also happens when
  // the record is replayed on its discovery kernel. Empty without one.
  std::vector<bool> also_on_discovery;
  std::string discovery_kernel;  // "kernel-v0.2 v0.2.0", "" when not given
  int steps = 0;
  int essential = 0;
};

// The explanation of `record` on `kernel`. When it is blocked there and
// `discovery` (the record's discovery kernel) is given, the record is also
// replayed on `discovery` and the block named is the first refusal or failed
// tally of a perpetrator on `kernel` that does not also happen on `discovery`:
// a failure the reproduction survives is not what blocks it. Errors: none
// beyond what replay reports as stale (the verdict says so).
Explanation explain_record(const ExploitRecord& record, const Kernel& kernel,
                           const DetectorSuite& suite, const Kernel* discovery = nullptr);

std::string explanation_text(const Explanation& e);
std::string explanation_json(const Explanation& e);  // sorted keys, ends with a newline

}  // namespace fable
