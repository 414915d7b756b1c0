// Scripted agents: replay a recorded action script.
//
// A script is a list of steps: at turn T (1-based: the turn being played),
// as the action at plan position `round`. A ScriptedAgent emits, each turn,
// exactly the steps of the coming turn (world.turn + 1) at their positions,
// padding earlier positions with `pass`. It draws no randomness, so it can
// stand in for any agent of an episode without changing what the others
// draw (their streams derive from their own ids). It reports its role as
// `scripted` (scripted_role(), a registered kind without a factory);
// `stands_for()` keeps the role it replaces, and `plays()` reports that one,
// so traces, teams and fingerprints see the role it replaces.
//
// `extract_script` recovers an agent's script from a trace: every action
// event the agent caused (proposal_created, vote_cast, question_called,
// delegation_set, delegation_revoked with cause `revoked`, transfer,
// emergency_spend, citizen_exited) at its turn and round, proposals with the
// items and the window they were opened with, ballots and calls addressing
// their proposal by reference (proposer, opening turn, ordinal) so that a
// script survives proposal ids shifting under another kernel. Refused actions
// (`action_rejected`) are recorded exactly as attempted, from the payload the
// event keeps (docs/trace-format.md): a propose with its items and window, a
// ballot with its choice and a call with the proposal they addressed (a
// reference that resolves to nothing when the original did not resolve), a
// delegate, transfer or emergency_spend with its target, amount and memo,
// revoke_delegation and exit; an action refused by position (`plan too long`)
// likewise, which the engine refuses by position again. So the scripted
// episode's trace is the original's, refusals included. A trace read from
// fable-trace/2 keeps no payload: from it, only refused steps that need none
// are recorded (ballots as `abstain`, `none` when the refusal was a bad
// choice; calls, revocations, exits, defaults refused by position). Events of
// the end of the turn (executions, expiries) are not the agent's actions and
// are never recorded.
#pragma once

#include <cstdint>
#include <vector>

#include "fable/action.h"
#include "fable/agent.h"
#include "fable/trace.h"

namespace fable {

// The registered kind "scripted": not red team, not in rosters.
AgentRole scripted_role();

struct ScriptStep {
  int turn = 1;   // >= 1
  int round = 0;  // plan position, 0..kMaxPlanLength-1
  Action action;
};

class ScriptedAgent : public Agent {
 public:
  // Steps are ordered by (turn, round), keeping their order among equals;
  // a step whose position is taken by an earlier one follows it.
  ScriptedAgent(std::string id, AgentRole stands_for, std::vector<ScriptStep> steps);

  AgentRole stands_for() const { return stands_for_; }
  AgentRole plays() const override { return stands_for_; }
  const std::vector<ScriptStep>& steps() const { return steps_; }

  void act(const Observation& obs, Rng& rng, Plan& plan) override;

 private:
  AgentRole stands_for_;
  std::vector<ScriptStep> steps_;
  std::size_t next_ = 0;
  std::int32_t last_turn_ = 0;
};

// The script of `agent` in `trace` (see the file comment for what is kept).
std::vector<ScriptStep> extract_script(const EpisodeTrace& trace, AgentIndex agent);

}  // namespace fable
