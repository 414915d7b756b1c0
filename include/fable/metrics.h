// Metrics: per-citizen welfare and the score of an episode, worst-off first.
//
// Welfare of a citizen in [0, 1] combines voice (on the roll, ballot counted),
// stake (own balance plus per-head share of the commons, relative to the
// start) and protection (due process, no confiscation); docs/metrics.md gives
// the formulas. The empathy floor of a turn is the lowest welfare among
// participants who have not exited. `score_episode` is a pure function of the
// trace: it can be re-run on a saved trace alone.
#pragma once

#include <string>
#include <vector>

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

struct CaptureFlags {
  bool drain = false;     // red-team recipients got more than half the initial treasury
  bool entrench = false;  // the red bloc cannot be removed or out-voted
  bool suppress = false;  // a target faction's voice fell below half the population mean
  bool any() const { return drain || entrench || suppress; }
};

struct EpisodeScore {
  double governance_score = 0.0;      // 0..100, worst-off first
  double empathy_ratio = 0.0;         // final floor / mean welfare
  double empathy_floor_final = 0.0;   // floor after the last turn
  double empathy_floor_trough = 0.0;  // lowest floor over the episode
  double treasury_final = 0.0;        // units
  double gini = 0.0;                  // of final wealth (balance + commons share)
  double herfindahl = 0.0;            // of final voting power
  double max_drawdown = 0.0;          // largest peak-to-trough treasury fall, fraction of peak
  double participation = 0.0;         // ballots cast / (eligible citizens x proposals)
  CaptureFlags capture;
  std::vector<std::string> invariant_breaches;  // invariant names breached at least once
};

EpisodeScore score_episode(const EpisodeTrace& trace);

}  // namespace fable
