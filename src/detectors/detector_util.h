// Internal helpers shared by the detectors (src/detectors_*.cc); not installed.
//
// Everything here reads an EpisodeTrace only, and every helper is linear in
// the events, the proposals or the snapshots it is given. Detectors are plain
// functions registered with FABLE_REGISTER_DETECTOR (fable/detector_registry.h),
// which gives their findings a name and a category.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fable/detector.h"
#include "fable/detector_registry.h"
#include "fable/trace.h"

namespace fable::detect {

// Reference values in the spirit of kernel v0.2, used to judge "large" and to
// propose guards. They are constants of the detectors, never read from a kernel.
inline constexpr double kDrainShare = 0.40;   // treasury_drain fires at this share
inline constexpr double kSliceFrac = 0.20;    // a "slice" is at most this share
inline constexpr double kSalamiShare = 0.50;  // salami_slicing fires at this sum
inline constexpr int kSalamiMinSlices = 3;
inline constexpr double kAbsentShare = 0.25;  // quorum_ambush: absent share of the roll
inline constexpr double kCarryShare = 0.25;   // delegation_concentration
inline constexpr int kCarryMinWeight = 3;
inline constexpr int kReferenceSunset = 6;    // emergency overstay beyond this many turns
inline constexpr double kExpelShare = 0.10;   // electorate_shrinking: share of the roll
inline constexpr int kRedeclareGap = 4;       // emergency_chaining: turns from an end to a new one
inline constexpr int kMinRedeclarations = 2;  // emergency_chaining: declarations after a sunset
inline constexpr double kBarCeiling = 0.75;   // threshold_lock, commons_paralysis: guard's ceiling

// ---------------------------------------------------------------------------
// Participants and blocs.

// Inline: detectors ask these per citizen per snapshot.
inline bool valid(const EpisodeTrace& t, AgentIndex i) {
  return i >= 0 && static_cast<std::size_t>(i) < t.participants.size();
}
inline bool is_red(const EpisodeTrace& t, AgentIndex i) {
  return valid(t, i) && is_red_team(t.participants[static_cast<std::size_t>(i)].role);
}
// The bloc a participant acts for: the whole red team, or the participant alone.
// Bloc keys: -1 for the red team, the participant index otherwise.
AgentIndex bloc_of(const EpisodeTrace& t, AgentIndex i);
bool allied(const EpisodeTrace& t, AgentIndex a, AgentIndex b);

// Sorted, distinct participant ids of the valid indices.
std::vector<std::string> actor_ids(const EpisodeTrace& t, const std::vector<AgentIndex>& who);

// ---------------------------------------------------------------------------
// Proposals and parameters.

struct Outcome {
  bool closed = false;
  bool passed = false;
  bool called = false;
  bool executed = false;  // at least one item was carried out
  std::int32_t closed_turn = 0;
  std::int32_t yes = 0, no = 0, abstain = 0, eligible = 0;
  std::int32_t cast() const { return yes + no + abstain; }
};
std::vector<Outcome> proposal_outcomes(const EpisodeTrace& t);

const ProposalInfo* proposal(const EpisodeTrace& t, std::int32_t id);

Params start_params(const EpisodeTrace& t);
// Parameters in force while turn `turn` was played (amendments in force at an
// earlier turn applied).
Params params_during(const EpisodeTrace& t, std::int32_t turn);

// Walks amendment_in_force events forward; call at non-decreasing positions.
class ParamCursor {
 public:
  explicit ParamCursor(const EpisodeTrace& t) : t_(t), params_(start_params(t)) {}
  // Apply every amendment_in_force event before event index `event_index`.
  const Params& before_event(std::size_t event_index);
  // Apply every amendment_in_force event of a turn before `turn`.
  const Params& during_turn(std::int32_t turn);

 private:
  const EpisodeTrace& t_;
  Params params_;
  std::size_t next_ = 0;
};

// The threshold a proposal needs under `p` (highest among its items) and its parameter.
std::pair<double, ParamId> binding_threshold(const Params& p, const ProposalInfo& info);

// The engine's Proposal for a recorded one: its items (at most kMaxItems), for
// the tally rules of include/fable/tally.h.
Proposal as_proposal(const ProposalInfo& info);

// Would the tally of a passed proposal (its closing counts, under `p`, the
// parameters in force at the tally) have failed had every eligible ballot
// that was not cast been cast against it? Judged by the engine's own rule
// (decide_tally, threshold_rule), never restated.
bool absent_could_reverse(const Params& p, const ProposalInfo& info, const Event& closed);

// The snapshot after turn `turn`; nullptr outside the trace.
const TurnSnapshot* snapshot_at(const EpisodeTrace& t, std::int32_t turn);

// Citizens of `bloc` (bloc_of keys) on the roll in snapshot `s`.
int bloc_on_roll(const EpisodeTrace& t, const TurnSnapshot& s, AgentIndex bloc);

// ---------------------------------------------------------------------------
// Clauses and guards.

// Parameter paths / structural clause names plus the articles that govern them
// in the trace's kernel: sorted, distinct.
std::vector<std::string> clauses_of(const EpisodeTrace& t, std::initializer_list<ClauseId> ids);

struct GuardStep {
  ParamId id;
  ParamValue suggested;
};
// "path: current -> suggested" for every step whose current value is looser
// than the suggestion, joined by "; ". When none is looser, the first step that
// can be tightened is tightened one notch past its current value.
std::string guard_text(const Params& now, const std::vector<GuardStep>& steps);

// A guard that no parameter of the kernel expresses: "new clause: <clause>",
// after `guard` (joined by "; ") when `guard` names parameter changes.
std::string with_new_clause(const std::string& guard, std::string_view clause);

// ---------------------------------------------------------------------------
// Formatting.

std::string units(Money m);                       // "800.000"
std::string percent(double fraction);             // "80.0%"
std::string share_text(Money part, Money whole);  // "800.000 of 1000.000 (80.0%)"
double fraction(Money part, Money whole);
std::string num(double v);  // shortest form: "0.55", "12"

// Clamp the severity and append; DetectorSuite::run names, categorises and
// seals every finding.
void emit(ExploitFinding f, std::vector<ExploitFinding>& out);

}  // namespace fable::detect
