// Objectives: how far a coalition got, measured from an episode trace.
//
// Detectors recognise known patterns; objectives measure outcomes, so that a
// search (issue 11) can climb towards a capture nobody wrote a pattern for,
// and a tournament can tell a locked or paralysed commons from a healthy one.
// Each objective is a continuous value computed from the trace alone for a
// given coalition (the citizens whose moves are under test), with a capture
// predicate on that value. docs/objectives.md gives every formula; in short:
//
//   drain      coalition wealth gained / initial treasury            capture > 0.5
//   entrench   rise in the share of the others needed to amend or    capture >= 1
//              expel against the coalition's no (1 = coalition veto)
//   suppress   1 - others' share of voting weight / their share of   capture >= 0.5
//              the population, at its worst turn
//   paralysis  rise in the share of the others needed to pass a      capture >= 1
//              spend without the coalition (1 = they cannot)
//   emergency  emergency turns / (kEmergencyOverstayFactor x the     capture >= 1
//              nominal duration)
//   exit       exits refused to citizens outside the coalition /     capture > 0
//              their exit attempts (0 when none tried)
//   timing     coalition proposals passed that full participation    capture > 0
//              against them would have failed / coalition proposals passed
//
// All values are fractions in [0, 1]. Rules are read from the engine
// (decide_tally, threshold_rule), never restated.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "fable/trace.h"

namespace fable {

enum class Objective : std::uint8_t {
  kDrain = 0,
  kEntrench,
  kSuppress,
  kParalysis,
  kEmergency,
  kExit,
  kTiming,
  kLast = kTiming,
};
inline constexpr int kObjectiveCount = static_cast<int>(Objective::kLast) + 1;

// The nominal emergency duration, in turns, when `emergency.max_duration_turns`
// is null (no sunset): the seed's 10-turn epoch.
inline constexpr int kNominalEmergencyTurns = 10;
// Emergency powers held this many times the nominal duration count as
// perpetual (the seed's `perpetual_emergency`: more than twice the nominal).
inline constexpr double kEmergencyOverstayFactor = 2.0;

struct ObjectiveInfo {
  Objective id;
  std::string_view name;     // "drain", "entrench", ... (the --objective flag)
  std::string_view meaning;  // one line
  double capture_at;         // the value from which the objective counts as captured
  bool strictly_above;       // capture when value > capture_at (else >=)
};

const std::array<ObjectiveInfo, kObjectiveCount>& all_objectives();
const ObjectiveInfo& objective_info(Objective o);
std::optional<Objective> find_objective(std::string_view name);

struct ObjectiveScores {
  std::array<double, kObjectiveCount> value{};  // each in [0, 1]

  double operator[](Objective o) const { return value[static_cast<int>(o)]; }
  bool captured(Objective o) const;
  bool any_captured() const;
};

// Every objective of `coalition` (participant indices; duplicates and
// indices outside the trace are ignored) over `trace`. An empty coalition
// scores 0 everywhere. REQUIRES: trace.snapshots not empty.
ObjectiveScores score_objectives(const EpisodeTrace& trace, std::span<const AgentIndex> coalition);

// The objectives of a trace that grows turn by turn, each reading costing
// only the turns added since the last: what a search's lookahead needs, as
// it scores every state after each turn (score_objectives would read the
// whole trace each time, quadratic in turns over an episode). scores() is
// exactly what score_objectives returns for the trace read so far, bit for
// bit (score_objectives is this class read once). Copyable: a copy follows
// a copy of the trace, as a lookahead's child follows its parent.
class ObjectiveProgress {
 public:
  // Follows nothing: scores() is 0 everywhere.
  ObjectiveProgress() = default;
  // Starts following `trace` for `coalition` (as score_objectives takes it);
  // reads nothing yet but the first snapshot's roll and the start rules.
  // REQUIRES: trace.snapshots not empty.
  ObjectiveProgress(const EpisodeTrace& trace, std::span<const AgentIndex> coalition);

  // Reads the snapshots and events `trace` holds beyond those read so far.
  // REQUIRES: `trace` is the trace followed (or a copy of it) with whole
  // turns appended (as TraceRecorder::after_step appends them), same
  // participants and start kernel.
  void advance(const EpisodeTrace& trace);

  // The scores of the trace as read so far.
  ObjectiveScores scores() const;

 private:
  struct Roll {
    int others = 0;
    int coalition = 0;
  };
  Roll roll_of(const TurnSnapshot& s) const;
  bool member(AgentIndex i) const;
  void read_event(const EpisodeTrace& trace, const Event& e);

  std::vector<char> in_;  // per participant: 1 for a coalition member
  std::vector<AgentIndex> members_;
  bool active_ = false;  // the coalition has a member in the trace
  Params start_{};
  Params now_{};  // start_ with the amendments in force read so far
  Roll start_roll_, last_roll_;
  // The others' share needed to pass an amendment, an expulsion and a spend
  // (kShareKinds) under the start rules and roll, and under now_ and
  // last_roll_: worked out by advance() when those change, not at every scores().
  std::array<double, 3> start_share_{};
  std::array<double, 3> now_share_{};
  std::size_t snapshots_read_ = 0;
  std::size_t events_read_ = 0;
  // drain
  Money initial_treasury_ = 0;
  std::vector<char> on_roll_;  // followed event by event
  Money paid_ = 0;
  // suppress
  double population_share_ = 0.0;  // 0: the objective is 0 (no others)
  double worst_suppression_ = 0.0;
  // emergency
  bool coalition_emergency_ = false;  // the last emergency declared was the coalition's
  std::size_t emergency_events_read_ = 0;
  int emergency_turns_ = 0;
  double emergency_limit_ = 1.0;
  // exit
  int exit_attempts_ = 0;
  int exits_refused_ = 0;
  // timing
  std::vector<std::vector<AgentIndex>> member_ballots_;  // by proposal id
  int passed_ = 0;
  int fragile_ = 0;
};

// The least number of ballots, out of `others` citizens outside the
// coalition, that pass a proposal of one item of `kind` when the
// `coalition` citizens on the roll all vote no, under `params` with a roll of
// others + coalition (one ballot each, no delegation); nullopt when even all
// of them cannot. Exposed for tests and for the search's lookahead.
std::optional<int> ballots_needed_against(const Params& params, ItemKind kind, int others,
                                          int coalition);

// The least number of ballots, out of `others` citizens outside the
// coalition, that pass a proposal of one item of `kind` whatever the
// `coalition` citizens on the roll do: all vote no or all stay away, the worse
// of the two for the others (a split between no and absence is never worse:
// each bar moves one way with the coalition's no votes). One ballot each, no
// delegation, a roll of others + coalition. nullopt when they cannot. This is
// the *need* of docs/objectives.md, in ballots: `entrench` and `paralysis`
// compare it at the start and at the end; the detectors commons_paralysis and
// threshold_lock ask it around each move.
std::optional<int> ballots_needed_without(const Params& params, ItemKind kind, int others,
                                          int coalition);

}  // namespace fable
