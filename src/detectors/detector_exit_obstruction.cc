// exit_obstruction (suppress): the seed's "a citizen who invokes exit is
// prevented from leaving with a pro-rata share". In the engine exit is one
// action, refused only to a citizen off the roll (standing.roll, Article A1 of
// v0.1: "only a citizen on the roll may ... leave with a share"). So the
// finding is the carried-out move that struck the leaver off the roll: a
// passed expulsion proposed outside the victim's bloc, after which the victim
// tried to exit and was refused as not on the roll. The refusal is only the
// evidence. One finding per expelling bloc. Linear in events. docs/detectors.md.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "detectors/detector_util.h"

namespace fable::detect {

namespace {

// One obstructed leaver, attributed to the bloc whose expulsion struck it off.
struct Victim {
  AgentIndex who = kNoAgent;
  AgentIndex expeller = kNoAgent;  // the proposer of the expulsion
  std::int32_t proposal = -1;
  std::int32_t expelled_turn = 0;
  std::int32_t refused_turn = 0;  // its first refused exit
  int attempts = 0;               // refused exits after that expulsion
  Money share = 0;                // its per-head share just before it was struck off
};

struct Obstruction {
  std::vector<Victim> victims;  // in order of first refusal
  bool rider = false;           // an expulsion travelled with other items
  bool hasty = false;           // an expulsion was called or tallied in its opening turn
};

// How the expulsion passed: "rider", "called", "same-turn" or "plain".
std::string_view route_of(const ProposalInfo* info, const Outcome* o) {
  if (info != nullptr && info->items.size() > 1) return "rider";
  if (o != nullptr && o->called) return "called";
  if (info != nullptr && o != nullptr && o->closed_turn == info->opened_turn) return "same-turn";
  return "plain";
}

void run_exit_obstruction(const EpisodeTrace& t, FindingTexts texts,
                          std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  const std::size_t n = t.participants.size();
  const int initial_roll = t.snapshots.front().roll_size;
  const std::vector<Outcome> outcomes = proposal_outcomes(t);
  // The latest expulsion of each citizen (index into t.events), -1 if none.
  std::vector<std::ptrdiff_t> struck(n, -1);
  std::map<AgentIndex, Obstruction> by_bloc;
  // Per victim, its entry in its bloc's list: (bloc, index), once found.
  std::vector<std::pair<AgentIndex, std::size_t>> entry(n, {kNoAgent, 0});
  std::vector<char> listed(n, 0);
  for (std::size_t i = 0; i < t.events.size(); ++i) {
    const Event& e = t.events[i];
    if (e.kind == EventKind::kCitizenDisenfranchised && valid(t, e.target)) {
      struck[static_cast<std::size_t>(e.target)] = static_cast<std::ptrdiff_t>(i);
      continue;
    }
    if (e.kind != EventKind::kActionRejected || e.action != ActionKind::kExit ||
        e.refusal != Refusal::kNotOnRoll || !valid(t, e.actor)) {
      continue;
    }
    const auto who = static_cast<std::size_t>(e.actor);
    if (struck[who] < 0) continue;  // never expelled: nothing carried out to flag
    const Event& expulsion = t.events[static_cast<std::size_t>(struck[who])];
    // Struck off by its own bloc (or a malformed event): not an obstruction by others.
    if (!valid(t, expulsion.actor) || allied(t, expulsion.actor, e.actor)) continue;
    if (listed[who]) {  // off the roll for good: each later attempt is one more refusal
      ++by_bloc[entry[who].first].victims[entry[who].second].attempts;
      continue;
    }
    const AgentIndex bloc = bloc_of(t, expulsion.actor);
    Obstruction& o = by_bloc[bloc];
    // The share it would have left with just before the expulsion struck it
    // off (it was still on the roll then): at most the whole treasury, and
    // the victims' shares together at most the treasury of that moment
    // (capped below), never a figure that counts the shrunken roll.
    const TurnSnapshot* before = snapshot_at(t, expulsion.turn - 1);
    Victim v;
    v.who = e.actor;
    v.expeller = expulsion.actor;
    v.proposal = expulsion.proposal;
    v.expelled_turn = expulsion.turn;
    v.refused_turn = e.turn;
    v.attempts = 1;
    v.share = before != nullptr && before->roll_size > 0 ? before->treasury / before->roll_size : 0;
    const ProposalInfo* info = proposal(t, expulsion.proposal);
    const Outcome* outcome =
        expulsion.proposal >= 0 && static_cast<std::size_t>(expulsion.proposal) < outcomes.size()
            ? &outcomes[static_cast<std::size_t>(expulsion.proposal)]
            : nullptr;
    const std::string_view route = route_of(info, outcome);
    o.rider = o.rider || route == "rider";
    o.hasty = o.hasty || route == "called" || route == "same-turn";
    listed[who] = 1;
    entry[who] = {bloc, o.victims.size()};
    o.victims.push_back(v);
  }
  for (const auto& [bloc, o] : by_bloc) {
    const Victim& first = o.victims.front();
    std::vector<AgentIndex> actors;
    std::vector<AgentIndex> victims;
    int attempts = 0;
    Money denied = 0;
    for (const Victim& v : o.victims) {
      actors.push_back(v.expeller);
      victims.push_back(v.who);
      attempts += v.attempts;
      denied += v.share;
    }
    const TurnSnapshot* at_first = snapshot_at(t, first.expelled_turn - 1);
    if (at_first != nullptr) denied = std::min(denied, at_first->treasury);
    const auto count = static_cast<int>(o.victims.size());
    const double frac = initial_roll > 0 ? static_cast<double>(count) / initial_roll : 0.0;
    const ProposalInfo* info = proposal(t, first.proposal);
    const Outcome* outcome =
        first.proposal >= 0 && static_cast<std::size_t>(first.proposal) < outcomes.size()
            ? &outcomes[static_cast<std::size_t>(first.proposal)]
            : nullptr;
    ExploitFinding f;
    f.severity = 3 + (count >= 2 ? 1 : 0) + (frac >= 0.2 ? 1 : 0);
    f.turn = first.refused_turn;
    f.actors = actor_ids(t, actors);
    const std::string& victim_id = t.participants[static_cast<std::size_t>(first.who)].id;
    if (texts_on)
      f.summary = fmt::format(
          "{} citizen(s) struck off the roll by {}'s expulsions then tried to leave and were "
          "refused ({} attempt(s)), losing {} in pro-rata shares: {} was expelled by proposal #{} "
          "at turn {} and refused exit at turn {}.",
          count, bloc < 0 ? "the red team" : t.participants[static_cast<std::size_t>(bloc)].id,
          attempts, units(denied), victim_id, first.proposal, first.expelled_turn,
          first.refused_turn);
    f.kernel_clauses = clauses_of(
        t, {clause_of(StructuralClause::kStandingRoll), clause_of(StructuralClause::kExitProRata),
            clause_of(ParamId::kThresholdDisenfranchise)});
    std::vector<GuardStep> steps{{ParamId::kThresholdDisenfranchise, ParamValue::of(0.75)}};
    if (o.rider) steps.push_back({ParamId::kSingleSubject, ParamValue::of(1)});
    if (o.hasty) steps.push_back({ParamId::kEarlyClose, ParamValue::of(0)});
    if (texts_on)
      f.proposed_guard =
          with_new_clause(guard_text(params_during(t, first.expelled_turn), steps),
                          "a citizen struck off the roll may still leave with its pro-rata share");
    if (texts_on)
      f.evidence = {{"victims", std::to_string(count)},
                    {"refused_attempts", std::to_string(attempts)},
                    {"shares_denied", units(denied)},
                    {"initial_roll", std::to_string(initial_roll)},
                    {"first_victim", victim_id},
                    {"expulsion", std::to_string(first.proposal)},
                    {"route", std::string(route_of(info, outcome))},
                    {"expelled_turn", std::to_string(first.expelled_turn)},
                    {"refused_turn", std::to_string(first.refused_turn)},
                    {"expelled", fmt::format("{}", fmt::join(actor_ids(t, victims), ", "))}};
    emit(std::move(f), out);
  }
}

FABLE_REGISTER_DETECTOR(
    {.name = "exit_obstruction",
     .category = Category::kSuppress,
     .description = "a citizen expelled by others then tries to exit and is refused",
     .make = detector_of<&run_exit_obstruction>});

}  // namespace

}  // namespace fable::detect
