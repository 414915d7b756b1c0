// threshold_lock (entrench): a "tightening" amendment (a raised quorum or
// threshold, or the roll as threshold base: a minor bump, so honest citizens
// vote for it) comes into force and leaves the proposer's bloc, fewer than
// half the roll, holding a veto: the others, voting yes together against the
// bloc's no or absence, could pass an amendment (or a spend) just before it
// and cannot after. The vote arithmetic is the objectives' `need`
// (ballots_needed_without, fable/objectives.h), the same that Objective::
// kEntrench and kParalysis compare. Linear in events, plus the roll once per
// bar amendment. docs/detectors.md.
#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "detectors/detector_util.h"
#include "fable/objectives.h"
#include "fable/semver.h"

namespace fable::detect {

namespace {

// The bars that decide whether the others can amend or spend without a bloc.
bool tally_bar(ParamId id) {
  switch (id) {
    case ParamId::kVotingQuorum:
    case ParamId::kVotingThresholdBase:
    case ParamId::kThresholdSpend:
    case ParamId::kThresholdAmendment:
      return true;
    default:
      return false;
  }
}

// Could `others` pass one item of `kind` against `bloc` before, and not after?
bool vetoed(const Params& before, const Params& after, ItemKind kind, int others, int bloc) {
  return ballots_needed_without(before, kind, others, bloc).has_value() &&
         !ballots_needed_without(after, kind, others, bloc).has_value();
}

struct Lock {
  int first_turn = 0;
  int locks = 0;
  int amendment_vetoes = 0;
  int spend_vetoes = 0;
  std::vector<AgentIndex> actors;
  std::string first_note;
};

void run_threshold_lock(const EpisodeTrace& t, FindingTexts texts,
                        std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  ParamCursor cursor(t);
  std::map<AgentIndex, Lock> by_bloc;
  for (std::size_t i = 0; i < t.events.size(); ++i) {
    const Event& e = t.events[i];
    if (e.kind != EventKind::kAmendmentInForce || !tally_bar(e.param) || !valid(t, e.actor) ||
        classify_change(e.param, e.before, e.after) != Bump::kMinor) {
      continue;
    }
    const TurnSnapshot* s = snapshot_at(t, e.turn);
    if (s == nullptr) continue;
    const Params before = cursor.before_event(i);
    const Params& after = cursor.before_event(i + 1);
    const AgentIndex bloc = bloc_of(t, e.actor);
    const int held = bloc_on_roll(t, *s, bloc);
    const int others = s->roll_size - held;
    if (held <= 0 || others <= 0 || 2 * held >= s->roll_size) continue;
    const bool amend = vetoed(before, after, ItemKind::kAmendment, others, held);
    const bool spend = vetoed(before, after, ItemKind::kSpend, others, held);
    if (!amend && !spend) continue;
    Lock& l = by_bloc[bloc];
    if (l.locks == 0) {
      l.first_turn = e.turn;
      l.first_note = fmt::format(
          "{} raised {} {} -> {} in force at turn {} holding {} of {} on the roll; the other {}, "
          "voting yes together against its no or absence, can no longer pass {}",
          bloc < 0 ? "the red team" : t.participants[static_cast<std::size_t>(bloc)].id,
          param_info(e.param).path, format_param_value(e.param, e.before),
          format_param_value(e.param, e.after), e.turn, held, s->roll_size, others,
          amend && spend ? "an amendment or a spend"
          : amend        ? "an amendment"
                         : "a spend");
    }
    ++l.locks;
    l.amendment_vetoes += amend ? 1 : 0;
    l.spend_vetoes += spend ? 1 : 0;
    l.actors.push_back(e.actor);
  }
  for (const auto& [bloc, l] : by_bloc) {
    // The objective measured over the whole episode, for this bloc.
    std::vector<AgentIndex> members;
    for (std::size_t c = 0; c < t.participants.size(); ++c) {
      if (bloc_of(t, static_cast<AgentIndex>(c)) == bloc)
        members.push_back(static_cast<AgentIndex>(c));
    }
    const ObjectiveScores scores = score_objectives(t, members);
    ExploitFinding f;
    f.severity = l.amendment_vetoes > 0 ? 5 : 4;
    f.turn = l.first_turn;
    f.actors = actor_ids(t, l.actors);
    if (texts_on)
      f.summary = fmt::format("{} tightening amendment(s) handed a minority a veto: {}.", l.locks,
                              l.first_note);
    f.kernel_clauses = clauses_of(
        t, {clause_of(ParamId::kVotingQuorum), clause_of(ParamId::kVotingThresholdBase),
            clause_of(ParamId::kThresholdSpend), clause_of(ParamId::kThresholdAmendment)});
    if (texts_on)
      f.proposed_guard = with_new_clause(
          "",
          fmt::format("no quorum or threshold above {}, so that no bloc under {} of the roll "
                      "can hold a veto (raising a bar is a minor bump: tightening, yet it hands "
                      "the few a veto)",
                      num(kBarCeiling), percent(1.0 - kBarCeiling)));
    if (texts_on)
      f.evidence = {{"locks", std::to_string(l.locks)},
                    {"amendment_vetoes", std::to_string(l.amendment_vetoes)},
                    {"spend_vetoes", std::to_string(l.spend_vetoes)},
                    {"first", l.first_note},
                    {"entrench_objective", num(scores[Objective::kEntrench])},
                    {"paralysis_objective", num(scores[Objective::kParalysis])}};
    emit(std::move(f), out);
  }
}

FABLE_REGISTER_DETECTOR(
    {.name = "threshold_lock",
     .category = Category::kEntrench,
     .description = "a tightening amendment to a quorum or threshold hands a minority a veto",
     .make = detector_of<&run_threshold_lock>});

}  // namespace

}  // namespace fable::detect
