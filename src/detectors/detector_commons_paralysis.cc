// commons_paralysis (suppress): at the end of the episode the citizens outside
// the red team, voting yes together against the red team's no or absence, can
// no longer pass a spend (Objective::kParalysis captured) or an amendment
// that they could pass at the start, and red-team amendments to the bars or
// red-team expulsions brought it about. The vote arithmetic is the
// objectives' (score_objectives, ballots_needed_without in
// fable/objectives.h), never restated; the red team's objectives are the
// episode score's, worked out once per episode (fable/metrics.h), and are all
// it reads of the score (ScoreUse::kObjectives). Linear in events + citizens x
// turns.
// docs/detectors.md.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "detectors/detector_util.h"
#include "fable/metrics.h"
#include "fable/objectives.h"
#include "fable/semver.h"

namespace fable::detect {

namespace {

struct Roll {
  int others = 0;
  int red = 0;
};

Roll roll_of(const EpisodeTrace& t, const TurnSnapshot& s) {
  Roll r;
  for (std::size_t c = 0; c < s.citizens.size(); ++c) {
    if (!s.citizens[c].on_roll) continue;
    (is_red(t, static_cast<AgentIndex>(c)) ? r.red : r.others) += 1;
  }
  return r;
}

bool can_pass(const Params& p, ItemKind kind, const Roll& r) {
  return r.others > 0 && ballots_needed_without(p, kind, r.others, r.red).has_value();
}

// A bar of the tally of the kinds paralysed: the quorum, the threshold base
// and the kinds' own thresholds.
bool bears_on(ParamId id, bool spend, bool amend) {
  return id == ParamId::kVotingQuorum || id == ParamId::kVotingThresholdBase ||
         (spend && id == ParamId::kThresholdSpend) || (amend && id == ParamId::kThresholdAmendment);
}

void run_commons_paralysis(const EpisodeTrace& t, const ObjectiveScores& scores, FindingTexts texts,
                           std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  const std::vector<AgentIndex> red = t.red_team();
  if (red.empty() || red.size() >= t.participants.size() || t.snapshots.size() < 2) return;
  const Params start = start_params(t);
  const Roll r0 = roll_of(t, t.snapshots.front());
  const Roll r1 = roll_of(t, t.snapshots.back());
  const bool spend = scores.captured(Objective::kParalysis);
  const bool amend = can_pass(start, ItemKind::kAmendment, r0) &&
                     !can_pass(t.final_params(), ItemKind::kAmendment, r1);
  if (!spend && !amend) return;

  // The start of the final run of turns after which the others could not pass them.
  ParamCursor cursor(t);
  int since = 0;
  for (std::size_t turn = 0; turn < t.snapshots.size(); ++turn) {
    const Params& p = cursor.during_turn(static_cast<std::int32_t>(turn) + 1);
    const Roll r = roll_of(t, t.snapshots[turn]);
    const bool stuck = (spend && !can_pass(p, ItemKind::kSpend, r)) ||
                       (amend && !can_pass(p, ItemKind::kAmendment, r));
    if (!stuck) since = static_cast<int>(turn) + 1;
  }

  // What the red team did to bring it about, up to that turn.
  std::vector<AgentIndex> actors;
  int raises = 0, expelled = 0;
  std::string cause;
  for (const Event& e : t.events) {
    if (e.turn > since) break;
    if (!is_red(t, e.actor)) continue;
    if (e.kind == EventKind::kAmendmentInForce && bears_on(e.param, spend, amend) &&
        classify_change(e.param, e.before, e.after) == Bump::kMinor) {
      ++raises;
      actors.push_back(e.actor);
      if (cause.empty()) {
        cause = fmt::format("{} raised {} {} -> {} in force at turn {}",
                            t.participants[static_cast<std::size_t>(e.actor)].id,
                            param_info(e.param).path, format_param_value(e.param, e.before),
                            format_param_value(e.param, e.after), e.turn);
      }
    } else if (e.kind == EventKind::kCitizenDisenfranchised && valid(t, e.target) &&
               !is_red(t, e.target)) {
      ++expelled;
      actors.push_back(e.actor);
      if (cause.empty()) {
        cause = fmt::format("{} expelled {} at turn {}",
                            t.participants[static_cast<std::size_t>(e.actor)].id,
                            t.participants[static_cast<std::size_t>(e.target)].id, e.turn);
      }
    }
  }
  if (actors.empty()) return;  // not the red team's doing

  const char* what = spend && amend ? "a spend or an amendment"
                     : spend        ? "a spend"
                                    : "an amendment";
  ExploitFinding f;
  f.severity = spend && amend ? 5 : 4;
  f.turn = since;
  f.actors = actor_ids(t, actors);
  if (texts_on)
    f.summary = fmt::format(
        "The citizens outside the red team, voting yes together against its no or absence, could "
        "pass {} at the start ({} of the roll of {}) and cannot since turn {} ({} of {} at the "
        "end), after {} bar-raising amendment(s) and {} expulsion(s) of the red team: {}.",
        what, r0.others, r0.others + r0.red, since, r1.others, r1.others + r1.red, raises, expelled,
        cause);
  f.kernel_clauses =
      clauses_of(t, {clause_of(ParamId::kVotingQuorum), clause_of(ParamId::kVotingThresholdBase),
                     clause_of(ParamId::kThresholdSpend), clause_of(ParamId::kThresholdAmendment),
                     clause_of(ParamId::kThresholdDisenfranchise)});
  std::string guard;
  if (expelled > 0) {
    guard = guard_text(params_during(t, since),
                       {{ParamId::kThresholdDisenfranchise, ParamValue::of(0.75)},
                        {ParamId::kRollSnapshotAtOpen, ParamValue::of(1)}});
  }
  if (raises > 0) {
    guard = with_new_clause(
        guard, fmt::format("no quorum or threshold above {}, so that no bloc under {} of the "
                           "roll can hold a veto",
                           num(kBarCeiling), percent(1.0 - kBarCeiling)));
  }
  if (texts_on) f.proposed_guard = guard;
  if (texts_on)
    f.evidence = {{"paralysed", spend && amend ? "spend, amendment"
                                : spend        ? "spend"
                                               : "amendment"},
                  {"others_start", std::to_string(r0.others)},
                  {"red_start", std::to_string(r0.red)},
                  {"others_end", std::to_string(r1.others)},
                  {"red_end", std::to_string(r1.red)},
                  {"bar_raises", std::to_string(raises)},
                  {"expulsions", std::to_string(expelled)},
                  {"first_cause", cause},
                  {"paralysis_objective", num(scores[Objective::kParalysis])}};
  emit(std::move(f), out);
}

FABLE_REGISTER_DETECTOR(
    {.name = "commons_paralysis",
     .category = Category::kSuppress,
     .description = "red-team amendments or expulsions leave the others unable to spend or amend",
     .make = detector_of<&run_commons_paralysis>});

}  // namespace

}  // namespace fable::detect
