// emergency_chaining (entrench): a bloc declares a new emergency within
// kRedeclareGap turns of the end (by sunset, the renewal limit reached) of its
// previous one, at least kMinRedeclarations times in a row, so that emergency
// powers stay in force far beyond the nominal duration although every single
// emergency respects the sunset. Linear in events + turns. docs/detectors.md.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "detectors/detector_util.h"
#include "fable/objectives.h"

namespace fable::detect {

namespace {

struct Emergency {
  AgentIndex declarer = kNoAgent;
  std::int32_t declared = 0;
  std::int32_t ended = -1;  // -1: still in force at the end of the episode
  std::vector<AgentIndex> renewers;
};

struct Chain {
  int chains = 0;
  int redeclarations = 0;
  int first_turn = 0;  // when the first chain reached kMinRedeclarations
  int longest = 0;     // emergencies in the longest chain
  int in_force = 0;    // turns with an emergency in force over the longest chain
  int span = 0;        // turns from its first declaration to its end
  int widest_gap = 0;  // turns from an end to the next declaration, at most, in it
  std::vector<AgentIndex> actors;
  std::string note;
};

void run_emergency_chaining(const EpisodeTrace& t, FindingTexts texts,
                            std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  std::vector<Emergency> list;
  for (const Event& e : t.events) {
    if (e.kind == EventKind::kEmergencyDeclared) {
      list.push_back({e.actor, e.turn, -1, {}});
    } else if (e.kind == EventKind::kEmergencyRenewed && !list.empty()) {
      list.back().renewers.push_back(e.actor);
    } else if (e.kind == EventKind::kEmergencyEnded && !list.empty() && list.back().ended < 0) {
      list.back().ended = e.turn;
    }
  }
  const Params start = start_params(t);
  const int nominal = start.emergency_max_duration_turns.value_or(kNominalEmergencyTurns);
  const int last_turn = t.turns();
  std::map<AgentIndex, Chain> by_bloc;
  // Chains: runs [begin, end) of emergencies, each declared by the same bloc
  // within kRedeclareGap turns of the end of the one before.
  std::size_t begin = 0;
  auto links = [&](std::size_t j) {
    const Emergency& prev = list[j - 1];
    const Emergency& next = list[j];
    return valid(t, prev.declarer) && valid(t, next.declarer) &&
           bloc_of(t, prev.declarer) == bloc_of(t, next.declarer) && prev.ended >= 0 &&
           next.declared - prev.ended <= kRedeclareGap;
  };
  for (std::size_t j = 1; j <= list.size(); ++j) {
    if (j < list.size() && links(j)) continue;
    const std::size_t end = j;
    const int redeclared = static_cast<int>(end - begin) - 1;
    if (redeclared >= kMinRedeclarations) {
      const AgentIndex bloc = bloc_of(t, list[begin].declarer);
      Chain& c = by_bloc[bloc];
      if (c.chains == 0) c.first_turn = list[begin + kMinRedeclarations].declared;
      ++c.chains;
      c.redeclarations += redeclared;
      int gap = 0;
      for (std::size_t k = begin; k < end; ++k) {
        c.actors.push_back(list[k].declarer);
        for (AgentIndex r : list[k].renewers) {
          if (allied(t, r, list[k].declarer)) c.actors.push_back(r);
        }
        if (k > begin) gap = std::max(gap, list[k].declared - list[k - 1].ended);
      }
      const int from = list[begin].declared;
      const int to = list[end - 1].ended >= 0 ? list[end - 1].ended : last_turn;
      int in_force = 0;
      for (int turn = from; turn <= to; ++turn) {
        const TurnSnapshot* s = snapshot_at(t, turn);
        in_force += s != nullptr && s->emergency_active ? 1 : 0;
      }
      if (static_cast<int>(end - begin) > c.longest) {
        c.longest = static_cast<int>(end - begin);
        c.in_force = in_force;
        c.span = to - from + 1;
        c.widest_gap = gap;
        c.note = fmt::format(
            "{} emergencies declared at turns {}; each after the previous one's sunset, at most {} "
            "turn(s) later",
            c.longest,
            [&] {
              std::string turns;
              for (std::size_t k = begin; k < end; ++k) {
                turns += (k == begin ? "" : ", ") + std::to_string(list[k].declared);
              }
              return turns;
            }(),
            gap);
      }
    }
    begin = j;
  }
  for (const auto& [bloc, c] : by_bloc) {
    const double over = static_cast<double>(c.in_force) / std::max(nominal, 1);
    ExploitFinding f;
    f.severity = 3 + (over > kEmergencyOverstayFactor ? 1 : 0) +
                 (over > 2 * kEmergencyOverstayFactor ? 1 : 0);
    f.turn = c.first_turn;
    f.actors = actor_ids(t, c.actors);
    if (texts_on)
      f.summary = fmt::format(
          "{} declared a new emergency within {} turns of the last one's end {} time(s): {}; "
          "emergency powers were in force {} of {} turns, {} times the nominal {}.",
          bloc < 0 ? "The red team" : t.participants[static_cast<std::size_t>(bloc)].id,
          kRedeclareGap, c.redeclarations, c.note, c.in_force, c.span, num(over), nominal);
    f.kernel_clauses = clauses_of(
        t, {clause_of(ParamId::kEmergencyMaxDuration), clause_of(ParamId::kEmergencyMaxRenewals),
            clause_of(ParamId::kThresholdEmergency)});
    if (texts_on)
      f.proposed_guard = with_new_clause(
          guard_text(params_during(t, c.first_turn),
                     {{ParamId::kThresholdEmergency, ParamValue::of(0.75)}}),
          fmt::format("no new declaration within {} turns (the nominal duration) of an "
                      "emergency's end",
                      nominal));
    if (texts_on)
      f.evidence = {{"chains", std::to_string(c.chains)},
                    {"redeclarations", std::to_string(c.redeclarations)},
                    {"longest_chain", std::to_string(c.longest)},
                    {"turns_in_force", std::to_string(c.in_force)},
                    {"span_turns", std::to_string(c.span)},
                    {"nominal_turns", std::to_string(nominal)},
                    {"widest_gap", std::to_string(c.widest_gap)},
                    {"longest", c.note}};
    emit(std::move(f), out);
  }
}

FABLE_REGISTER_DETECTOR(
    {.name = "emergency_chaining",
     .category = Category::kEntrench,
     .description = "a bloc declares a new emergency soon after each sunset, again and again",
     .make = detector_of<&run_emergency_chaining>});

}  // namespace

}  // namespace fable::detect
