// The population model: how honest citizens behave as people rather than as
// arithmetic (issue 13; docs/population.md).
//
// A PopulationModel is a handful of behaviour parameters shared by every
// honest citizen of an episode: turnout, attention, latency, vigilance,
// delegation and exit under distress. Which citizens are vigilant or delegate,
// whom they trust and how slow they are is drawn by each citizen from its own
// random stream (agent_rng), so replacing one agent by a scripted stand-in
// changes nothing the others draw. The model is set per tournament or run
// (config key `population`, flag `--population`), recorded in every record's
// reproduction when it is not `naive`, and used by replay.
//
// Named presets stand for kinds of assembly. `token-vote` is the default of
// `run`, `tournament` and both config formats (default_population());
// `naive` is the honest citizen before issue 13, exactly: it acts every turn, votes on everything
// it sees by the headline, never delegates, never leaves, and draws no random number beyond the
// ones it always drew, so every record and artifact made before the model existed reproduces bit
// for bit.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fable/status.h"

namespace fable {

struct PopulationModel {
  // The preset this model came from ("naive", "assembly", "token-vote"), or
  // "custom" when fields were set over a preset. For people: behaviour is
  // given by the fields alone.
  std::string preset = "naive";

  // Turnout. Chance, as a fraction 0..1, that a citizen acts at all in a
  // turn (votes, delegates, proposes); drawn each turn.
  double turnout_turn = 1.0;
  // Chance, 0..1, that a citizen votes on a proposal once it has noticed it;
  // decided once per (citizen, proposal), so waiting does not raise it.
  double turnout_proposal = 1.0;

  // Attention: chance, 0..1, that a citizen reads every item of a proposal
  // (decided once per citizen and proposal). A reader judges a proposal by
  // its worst item; the others by the headline (the first item) only.
  double attention = 0.0;

  // Latency in turns: a proposal opened in turn T gets no ballot from a
  // citizen before turn T + 1 + latency. Each citizen draws its latency once
  // per episode, uniformly in latency_min..latency_max (0..1000).
  int latency_min = 0;
  int latency_max = 0;

  // Vigilance: share, 0..1, of citizens who read every amendment of every
  // proposal and vote no when one raises a voting threshold or the quorum
  // past `vigilance_bound` (a fraction of the roll or of the votes, 0..1) or
  // loosens a protection (a major change, docs/kernel-format.md).
  double vigilance = 0.0;
  double vigilance_bound = 0.75;

  // Delegation: share, 0..1, of citizens who delegate to a peer they trust,
  // an honest citizen drawn once per episode from their own stream. Only
  // where the kernel allows the delegation (the legality engine decides);
  // a delegating citizen casts no ballot of its own.
  double delegation = 0.0;

  // Exit under distress: a citizen leaves (exit, with its pro-rata share)
  // when its own welfare (docs/metrics.md, 0..1) is below this bound.
  // 0 = never.
  double exit_below = 0.0;

  // Whether the behaviour is today's (the fields equal naive's; the preset
  // name does not count).
  bool naive() const;
  friend bool operator==(const PopulationModel&, const PopulationModel&) = default;
};

// The presets, in documentation order: naive, assembly, token-vote.
const std::vector<PopulationModel>& population_presets();
// "naive, assembly, token-vote".
std::string population_preset_names();
// The preset of that name; Invalid naming the known ones otherwise. `where`
// names the flag or key in the error ("--population").
Result<PopulationModel> find_population_preset(std::string_view name, std::string_view where);

// The ranges above: probabilities and shares in [0, 1], latency 0..1000 with
// min <= max, bounds in [0, 1]. The error names the field:
// "population.turnout_turn: 1.5 is out of range [0, 1]".
Status check_population(const PopulationModel& m);

// The preset `run`, `tournament`, our tournament config and the seed's config
// use when none is named: token-vote (low turnout, heavy delegation, exit
// under distress). Why: docs/population.md, "The default". A record or trace
// without a population was played by naive citizens, whatever this default
// is; `hunt` and the library's episode options (EpisodeOptions) default to
// naive too.
inline constexpr std::string_view kDefaultPopulationPreset = "token-vote";
// The preset named kDefaultPopulationPreset.
PopulationModel default_population();

// Largest latency a model may give, in turns.
inline constexpr int kMaxLatencyTurns = 1000;

}  // namespace fable
