// Power detectors: threshold_ratchet and office_concentration (entrench),
// electorate_shrinking (suppress). Linear in events + citizens x turns.
// docs/detectors.md.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

#include "detectors/detector_util.h"

namespace fable::detect {

namespace {

ClauseId P(ParamId id) {
  return clause_of(id);
}

// ---------------------------------------------------------------------------
// threshold_ratchet: a bloc raises a threshold or the quorum so that the rest
// of the roll can no longer undo it, or lowers one and then passes a proposal
// that the old value would have refused.

struct Ratchet {
  int first_turn = 0;
  int locks = 0;
  int used = 0;
  bool locks_amendment = false;
  std::vector<AgentIndex> actors;
  std::string lock_note, use_note;
};

struct Lowered {
  double before = 0.0;
  double after = 0.0;
  std::int32_t turn = -1;
  AgentIndex proposer = kNoAgent;
};

void run_threshold_ratchet(const EpisodeTrace& t, FindingTexts texts,
                           std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  const Params start = start_params(t);
  const int window = std::max(1, start.epoch_turns);
  ParamCursor cursor(t);
  std::map<AgentIndex, Ratchet> by_bloc;
  std::map<std::pair<AgentIndex, int>, Lowered> lowered;  // (bloc, param) -> latest lowering
  std::vector<int> red_on(t.snapshots.size(), -1);        // red citizens on the roll, per turn
  auto note = [&](Ratchet& r, int turn) {
    if (r.locks + r.used == 0 || turn < r.first_turn) r.first_turn = turn;
  };

  for (std::size_t i = 0; i < t.events.size(); ++i) {
    const Event& e = t.events[i];
    if (e.kind == EventKind::kAmendmentInForce && is_voting_bar(e.param) && valid(t, e.actor) &&
        !e.before.is_null && !e.after.is_null) {
      const AgentIndex bloc = bloc_of(t, e.actor);
      const Params& now = cursor.before_event(i + 1);
      const std::string path(param_info(e.param).path);
      if (e.after.number < e.before.number) {
        lowered[{bloc, static_cast<int>(e.param)}] = {e.before.number, e.after.number, e.turn,
                                                      e.actor};
        continue;
      }
      const TurnSnapshot* s = snapshot_at(t, e.turn);
      if (s == nullptr || s->roll_size <= 0 || e.after.number <= get_param(start, e.param).number) {
        continue;
      }
      int bloc_on = 0;
      if (bloc < 0) {
        int& cached = red_on[static_cast<std::size_t>(e.turn)];
        if (cached < 0) {
          cached = 0;
          for (std::size_t c = 0; c < s->citizens.size(); ++c) {
            cached += s->citizens[c].on_roll && is_red(t, static_cast<AgentIndex>(c)) ? 1 : 0;
          }
        }
        bloc_on = cached;
      } else {
        bloc_on = s->citizens[static_cast<std::size_t>(bloc)].on_roll ? 1 : 0;
      }
      const int others = s->roll_size - bloc_on;
      const double roll = static_cast<double>(s->roll_size);
      const double undo_bar = now.threshold(ThresholdKind::kAmendment);
      if (bloc_on == 0 || others <= 0 || others / roll >= undo_bar ||
          bloc_on / roll >= e.after.number) {
        continue;
      }
      Ratchet& r = by_bloc[bloc];
      note(r, e.turn);
      ++r.locks;
      r.locks_amendment = r.locks_amendment || e.param == ParamId::kThresholdAmendment ||
                          e.param == ParamId::kVotingQuorum;
      r.actors.push_back(e.actor);
      if (r.lock_note.empty()) {
        r.lock_note = fmt::format(
            "{} raised {} {} -> {} at turn {} holding {} of {} on the roll; the other {} cannot "
            "reach the {} needed to undo it",
            bloc < 0 ? "the red team" : t.participants[static_cast<std::size_t>(bloc)].id, path,
            format_param_value(e.param, e.before), format_param_value(e.param, e.after), e.turn,
            bloc_on, s->roll_size, others, num(undo_bar));
      }
    } else if (e.kind == EventKind::kProposalClosed && e.result == TallyResult::kPassed) {
      const ProposalInfo* info = proposal(t, e.proposal);
      if (info == nullptr || !valid(t, info->proposer)) continue;
      const AgentIndex bloc = bloc_of(t, info->proposer);
      const Params& now = cursor.before_event(i);
      const auto [thr, thr_param] = binding_threshold(now, *info);
      (void)thr;
      for (const ParamId id : {ParamId::kVotingQuorum, thr_param}) {
        const auto it = lowered.find({bloc, static_cast<int>(id)});
        if (it == lowered.end() || e.turn - it->second.turn > window || e.eligible <= 0) continue;
        const Lowered& low = it->second;
        double share = 0.0;
        if (id == ParamId::kVotingQuorum) {
          share = static_cast<double>(e.yes + e.no + e.abstain) / e.eligible;
        } else if (now.threshold_base == ThresholdBase::kCast) {
          share = e.yes + e.no > 0 ? static_cast<double>(e.yes) / (e.yes + e.no) : 0.0;
        } else {
          share = static_cast<double>(e.yes) / e.eligible;
        }
        if (share >= low.before) continue;
        Ratchet& r = by_bloc[bloc];
        note(r, low.turn);
        ++r.used;
        r.actors.push_back(low.proposer);
        r.actors.push_back(info->proposer);
        if (r.use_note.empty()) {
          r.use_note = fmt::format(
              "{} lowered to {} at turn {}, then proposal #{} passed at turn {} with {} < {}",
              param_info(id).path, num(low.after), low.turn, e.proposal, e.turn, num(share),
              num(low.before));
        }
      }
    }
  }

  for (const auto& [bloc, r] : by_bloc) {
    ExploitFinding f;
    f.severity = (r.locks > 0 && (r.used > 0 || r.locks_amendment)) ? 5 : r.locks > 0 ? 4 : 3;
    f.turn = r.first_turn;
    f.actors = actor_ids(t, r.actors);
    std::string what = r.lock_note;
    if (!r.use_note.empty()) what += (what.empty() ? "" : "; ") + r.use_note;
    if (texts_on)
      f.summary = fmt::format("{} ratcheting amendment(s) and {} use(s) of a lowered bar: {}.",
                              r.locks, r.used, what);
    f.kernel_clauses =
        clauses_of(t, {P(ParamId::kThresholdAmendment), P(ParamId::kVotingThresholdBase),
                       P(ParamId::kAmendmentDelay)});
    if (texts_on)
      f.proposed_guard = guard_text(params_during(t, r.first_turn),
                                    {{ParamId::kVotingThresholdBase, ParamValue::of(1)},
                                     {ParamId::kAmendmentDelay, ParamValue::of(2)},
                                     {ParamId::kThresholdAmendment, ParamValue::of(0.667)}});
    if (texts_on)
      f.evidence = {{"locks", std::to_string(r.locks)},
                    {"lock", r.lock_note},
                    {"lowered_then_used", std::to_string(r.used)},
                    {"use", r.use_note}};
    emit(std::move(f), out);
  }
}

// ---------------------------------------------------------------------------
// office_concentration: one citizen holding several offices, or the red team
// holding most of the offices granted.

void run_office_concentration(const EpisodeTrace& t, FindingTexts texts,
                              std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  const std::size_t n = t.participants.size();
  const std::size_t reds = t.red_team().size();
  const bool has_red = reds > 0 && reds < n;
  std::vector<bool> multi(n, false), bloc_holder(n, false);
  int max_one = 0, max_bloc = 0, max_total = 0, first_turn = 0;
  AgentIndex top = kNoAgent;
  for (std::size_t turn = 1; turn < t.snapshots.size(); ++turn) {
    const TurnSnapshot& s = t.snapshots[turn];
    int red = 0, total = 0;
    for (std::size_t i = 0; i < s.citizens.size() && i < n; ++i) {
      const int held = s.citizens[i].offices;
      total += held;
      if (is_red(t, static_cast<AgentIndex>(i))) red += held;
      // The most any one citizen held, even a single office: a finding on
      // the red team's share alone still reports it (never "up to 0").
      if (held > max_one) {
        max_one = held;
        top = static_cast<AgentIndex>(i);
      }
      if (held >= 2) {
        if (first_turn == 0) first_turn = static_cast<int>(turn);
        multi[i] = true;
      }
    }
    if (has_red && red >= 2 && red * 2 > total) {
      if (first_turn == 0) first_turn = static_cast<int>(turn);
      if (red > max_bloc) {
        max_bloc = red;
        max_total = total;
        for (std::size_t i = 0; i < s.citizens.size() && i < n; ++i) {
          bloc_holder[i] = bloc_holder[i] ||
                           (s.citizens[i].offices > 0 && is_red(t, static_cast<AgentIndex>(i)));
        }
      }
    }
  }
  if (first_turn == 0) return;
  std::vector<AgentIndex> actors;
  for (std::size_t i = 0; i < n; ++i) {
    if (multi[i] || bloc_holder[i]) actors.push_back(static_cast<AgentIndex>(i));
  }
  ExploitFinding f;
  f.severity = 2 + (max_one >= 2 ? 1 : 0) + (max_one >= 3 ? 1 : 0) + (max_bloc >= 3 ? 1 : 0);
  f.turn = first_turn;
  f.actors = actor_ids(t, actors);
  // Only what fired: a citizen with several offices, the red team's share, or both.
  const std::string one =
      max_one >= 2 ? fmt::format("one citizen held up to {} office(s)", max_one) : std::string();
  const std::string bloc =
      max_bloc > 0 ? fmt::format("the red team held {} of {} offices", max_bloc, max_total)
                   : std::string();
  if (texts_on)
    f.summary = fmt::format("Offices were granted into few hands: {}{}{}.", one,
                            !one.empty() && !bloc.empty() ? " and " : "", bloc);
  f.kernel_clauses =
      clauses_of(t, {P(ParamId::kOfficesMaxPerCitizen), P(ParamId::kThresholdRoleGrant)});
  if (texts_on)
    f.proposed_guard = guard_text(params_during(t, first_turn),
                                  {{ParamId::kOfficesMaxPerCitizen, ParamValue::of(1)},
                                   {ParamId::kThresholdRoleGrant, ParamValue::of(0.6)}});
  if (texts_on)
    f.evidence = {
        {"max_offices_one_citizen", std::to_string(max_one)},
        {"holder", valid(t, top) ? t.participants[static_cast<std::size_t>(top)].id : "-"},
        {"red_team_offices", std::to_string(max_bloc)},
        {"offices_held", std::to_string(max_total)}};
  emit(std::move(f), out);
}

// ---------------------------------------------------------------------------
// electorate_shrinking: a bloc passes expulsions, each shrinking the roll the
// next tally counts, and later passes what the expelled would have defeated.

struct Shrink {
  int first_turn = 0;
  int tallied = 0;  // later passes of the bloc
  int min_eligible = 0;
  int enabled = 0;
  std::vector<std::int32_t> turns;  // of each expulsion, in order
  std::vector<AgentIndex> actors;
  std::string enabled_note;
};

void run_electorate_shrinking(const EpisodeTrace& t, FindingTexts texts,
                              std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  const int initial_roll = t.snapshots.front().roll_size;
  if (initial_roll <= 0) return;
  ParamCursor cursor(t);
  std::map<AgentIndex, Shrink> by_bloc;
  for (std::size_t i = 0; i < t.events.size(); ++i) {
    const Event& e = t.events[i];
    if (e.kind == EventKind::kCitizenDisenfranchised && valid(t, e.actor)) {
      Shrink& s = by_bloc[bloc_of(t, e.actor)];
      if (s.turns.empty()) s.first_turn = e.turn;
      s.turns.push_back(e.turn);
      s.actors.push_back(e.actor);
      continue;
    }
    if (e.kind != EventKind::kProposalClosed || e.result != TallyResult::kPassed) continue;
    const ProposalInfo* info = proposal(t, e.proposal);
    if (info == nullptr || !valid(t, info->proposer)) continue;
    const auto it = by_bloc.find(bloc_of(t, info->proposer));
    if (it == by_bloc.end()) continue;
    Shrink& s = it->second;
    s.min_eligible = s.tallied == 0 ? e.eligible : std::min(s.min_eligible, e.eligible);
    ++s.tallied;
    const Params& now = cursor.before_event(i);
    const double thr = binding_threshold(now, *info).first;
    const int k_total = static_cast<int>(s.turns.size());
    const int k_open = static_cast<int>(
        std::lower_bound(s.turns.begin(), s.turns.end(), info->opened_turn) - s.turns.begin());
    double share = 0.0;
    if (now.threshold_base == ThresholdBase::kCast) {
      share = static_cast<double>(e.yes) / std::max(1, e.yes + e.no + k_total);
    } else {
      share = static_cast<double>(e.yes) /
              std::max(1, e.eligible + (now.roll_snapshot_at_open ? k_open : k_total));
    }
    if (share < thr || e.yes <= e.no + k_total) {
      ++s.enabled;
      if (s.enabled_note.empty()) {
        s.enabled_note = fmt::format(
            "proposal #{} passed {} yes, {} no of {} eligible; counting the {} expelled it has {} "
            "< {}",
            e.proposal, e.yes, e.no, e.eligible, k_total, num(share), num(thr));
      }
    }
  }
  for (const auto& [bloc, s] : by_bloc) {
    const int k = static_cast<int>(s.turns.size());
    const double frac = static_cast<double>(k) / initial_roll;
    if (k < 2 && frac < kExpelShare) continue;
    ExploitFinding f;
    f.severity = 2 + (frac >= 0.1 ? 1 : 0) + (frac >= 0.2 ? 1 : 0) + (s.enabled > 0 ? 1 : 0);
    f.turn = s.first_turn;
    f.actors = actor_ids(t, s.actors);
    // The roll after the bloc's last expulsion, when no later pass of the bloc
    // was tallied to give the smallest tallied roll.
    const TurnSnapshot* after = snapshot_at(t, s.turns.back());
    const int roll_after = after != nullptr ? after->roll_size : initial_roll - k;
    const std::string shrunk =
        s.tallied > 0 ? fmt::format(
                            "shrinking the tallied roll to {}; {} later pass(es) would "
                            "have failed had the expelled still counted",
                            s.min_eligible, s.enabled)
                      : fmt::format(
                            "shrinking the roll to {}; no later pass of the bloc was "
                            "tallied",
                            roll_after);
    if (texts_on)
      f.summary = fmt::format(
          "{} citizen(s), {} of the initial roll of {}, were expelled by one bloc's proposals, {}.",
          k, percent(frac), initial_roll, shrunk);
    f.kernel_clauses =
        clauses_of(t, {P(ParamId::kRollSnapshotAtOpen), P(ParamId::kThresholdDisenfranchise),
                       P(ParamId::kVotingThresholdBase)});
    if (texts_on)
      f.proposed_guard = guard_text(params_during(t, s.first_turn),
                                    {{ParamId::kRollSnapshotAtOpen, ParamValue::of(1)},
                                     {ParamId::kVotingThresholdBase, ParamValue::of(1)},
                                     {ParamId::kThresholdDisenfranchise, ParamValue::of(0.75)}});
    if (texts_on)
      f.evidence = {{"expelled", std::to_string(k)},
                    {"initial_roll", std::to_string(initial_roll)},
                    {"smallest_tallied_roll", s.tallied > 0 ? std::to_string(s.min_eligible) : "-"},
                    {"enabled_passes", std::to_string(s.enabled)},
                    {"enabled", s.enabled_note}};
    emit(std::move(f), out);
  }
}

FABLE_REGISTER_DETECTOR(
    {.name = "threshold_ratchet",
     .category = Category::kEntrench,
     .description = "a bloc raises the bars that could remove it, or lowers them to pass its own",
     .make = detector_of<&run_threshold_ratchet>});

FABLE_REGISTER_DETECTOR(
    {.name = "office_concentration",
     .category = Category::kEntrench,
     .description = "one citizen holds several offices, or the red team holds most offices",
     .make = detector_of<&run_office_concentration>});

FABLE_REGISTER_DETECTOR(
    {.name = "electorate_shrinking",
     .category = Category::kSuppress,
     .description = "a bloc's passed expulsions remove 2+ citizens or 10% of the roll",
     .make = detector_of<&run_electorate_shrinking>});

}  // namespace

}  // namespace fable::detect
