// Metrics: per-citizen welfare and the score of an episode, worst-off first.
//
// Welfare of a citizen in [0, 1] combines voice (on the roll, ballot counted),
// stake (own balance plus per-head share of the commons, relative to the
// start) and protection (due process, no confiscation); docs/metrics.md gives
// the formulas. The empathy floor of a turn is the lowest welfare among
// participants who have not exited. `score_episode` is a pure function of the
// trace: it can be re-run on a saved trace alone. Capture is measured by the
// objectives of the red team (fable/objectives.h): they give the capture
// flags, and the governance score falls with the most captured of them.
#pragma once

#include <string>
#include <vector>

#include "fable/objectives.h"
#include "fable/trace.h"

namespace fable {

// Welfare of citizen i in the world as it is now.
double citizen_welfare(const WorldState& world, AgentIndex i);

// Welfare of any citizen of one world, with the terms that depend only on the
// world (start wealth per head, commons share per head, the emergency) worked
// out once, so that a snapshot is one pass over the citizens. Gives exactly
// citizen_welfare's values.
class WelfareOf {
 public:
  explicit WelfareOf(const WorldState& world);
  double operator()(const Citizen& c) const;

 private:
  double start_ = 0.0;          // wealth per head at reset, units
  double commons_share_ = 0.0;  // treasury per head on the roll, units
  bool emergency_ = false;
};

// One flag per objective (docs/objectives.md): the objective's capture
// predicate (ObjectiveScores::captured) on the red team's value.
struct CaptureFlags {
  bool drain = false;      // more than half the initial treasury paid to the red team
  bool entrench = false;   // the others can no longer amend or expel against the red team
  bool suppress = false;   // the others' share of voting weight fell to half their head count
  bool paralysis = false;  // the others can no longer pass a spend without the red team
  bool emergency = false;  // red-declared emergency held past twice its nominal duration
  bool exit = false;       // an exit of someone outside the red team was refused
  bool timing = false;     // a red proposal passed that full participation would have failed

  static CaptureFlags of(const ObjectiveScores& red);
  bool any() const {
    return drain || entrench || suppress || paralysis || emergency || exit || timing;
  }
};

// The share of the commons the red team captured, in [0, 1]: the largest of
// its entrench, suppress, paralysis, emergency and exit values and of its
// drain beyond its per-head claim, (drain - red_share) / (1 - red_share)
// clamped to [0, 1] (0 when red_share >= 1); timing is left to the score's
// procedural term. `red_share` is the red team's share of the participants.
// The governance score is multiplied by 1 minus it (docs/metrics.md).
double captured_share(const ObjectiveScores& red, double red_share);

struct EpisodeScore {
  double governance_score = 0.0;      // 0..100, worst-off first, x (1 - captured_share)
  double empathy_ratio = 0.0;         // final floor / mean welfare
  double empathy_floor_final = 0.0;   // floor after the last turn
  double empathy_floor_trough = 0.0;  // lowest floor over the episode
  double treasury_final = 0.0;        // units
  double gini = 0.0;                  // of final wealth (balance + commons share)
  double herfindahl = 0.0;            // of final voting power
  double max_drawdown = 0.0;          // largest peak-to-trough treasury fall, fraction of peak
  double participation = 0.0;         // ballots cast / (eligible citizens x proposals)
  // Ballots cast by participants outside the red team / the sum over
  // proposals of those of them who had not exited when it opened (struck off
  // the roll counts as not voting); 1 without proposals. Without a red team
  // every participant is outside it (docs/metrics.md). In [0, 1].
  double minority_participation = 0.0;
  // The score's procedural term: 1 - (passed proposals called early, tallied
  // in their opening turn or carrying several items) / passed proposals; 1
  // when none passed. In [0, 1].
  double procedural_legitimacy = 0.0;
  ObjectiveScores objectives;  // of the red team (every non-honest participant); 0 without one
  CaptureFlags capture;        // CaptureFlags::of(objectives)
  std::vector<std::string> invariant_breaches;  // invariant names breached at least once
};

// Every field above from the trace alone; the red team's objectives are
// worked out once here (score_objectives(trace, trace.red_team())) and the
// detectors read them from the result (DetectorSuite::run).
EpisodeScore score_episode(const EpisodeTrace& trace);

// The same, with the red team's objectives already read elsewhere:
// `red_objectives` must be what score_objectives(trace, trace.red_team())
// gives (an ObjectiveProgress that has read the whole trace gives the same
// bits, fable/objectives.h); they are copied into the result instead of
// being read again. The hunt's lookahead states carry them.
EpisodeScore score_episode(const EpisodeTrace& trace, const ObjectiveScores& red_objectives);

}  // namespace fable
