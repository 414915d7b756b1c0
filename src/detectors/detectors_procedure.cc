// Procedure and emergency detectors: quorum_ambush and omnibus_rider
// (procedure), emergency_abuse (entrench). Linear in events + proposals +
// citizens x turns. docs/detectors.md.
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>

#include "detectors/detector_util.h"

namespace fable::detect {

namespace {

ClauseId P(ParamId id) {
  return clause_of(id);
}

bool emergency_before(const EpisodeTrace& t, std::int32_t turn) {
  const std::int32_t prev = turn - 1;
  return prev >= 0 && static_cast<std::size_t>(prev) < t.snapshots.size() &&
         t.snapshots[static_cast<std::size_t>(prev)].emergency_active;
}

// Moves funds to someone other than everyone, or changes rules, roll, offices or emergency.
bool impactful(const ProposalInfo& info) {
  return std::any_of(info.items.begin(), info.items.end(), [](const ProposalItem& it) {
    return it.kind != ItemKind::kSpend || it.target != kAllCitizens;
  });
}

// ---------------------------------------------------------------------------
// quorum_ambush: passed by a called question or within its opening turn while
// a quarter or more of the eligible roll had cast no ballot. Reversible: the
// tally rule fails it once every absent eligible ballot is cast against it.

struct Ambush {
  int count = 0, called = 0, same_turn = 0, flippable = 0, impact = 0;
  int first_turn = 0;
  double worst_absent = 0.0;
  std::vector<AgentIndex> actors;
  std::string first_note;
};

// Per proposal: passed, and the absent, all voting no, would have failed it
// (judged under the parameters in force at its tally).
std::vector<bool> reversible_by_absent(const EpisodeTrace& t) {
  std::vector<bool> out(t.proposals.size(), false);
  ParamCursor at_tally(t);
  for (std::size_t i = 0; i < t.events.size(); ++i) {
    const Event& e = t.events[i];
    if (e.kind != EventKind::kProposalClosed || e.result != TallyResult::kPassed) continue;
    const ProposalInfo* info = proposal(t, e.proposal);
    if (info == nullptr) continue;
    out[static_cast<std::size_t>(e.proposal)] =
        absent_could_reverse(at_tally.before_event(i), *info, e);
  }
  return out;
}

void run_quorum_ambush(const EpisodeTrace& t, FindingTexts texts,
                       std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  const std::vector<Outcome> outcomes = proposal_outcomes(t);
  const std::vector<bool> reversible = reversible_by_absent(t);
  ParamCursor cursor(t);
  std::map<AgentIndex, Ambush> by_bloc;
  for (const ProposalInfo& info : t.proposals) {
    if (proposal(t, info.id) != &info) continue;  // ids are indices
    const Outcome& o = outcomes[static_cast<std::size_t>(info.id)];
    if (!o.passed || !o.executed || !valid(t, info.proposer) || o.eligible <= 0) continue;
    const Params& p = cursor.during_turn(info.opened_turn);
    const bool same_turn = o.closed_turn == info.opened_turn;
    if (!o.called && !same_turn) continue;
    // A same-turn tally forced by an emergency that suspends review is emergency_abuse's.
    if (!o.called && p.emergency_suspends_review && emergency_before(t, info.opened_turn)) continue;
    const int absent = o.eligible - o.cast();
    const double absent_share = static_cast<double>(absent) / o.eligible;
    if (absent < 1 || absent_share < kAbsentShare) continue;
    Ambush& a = by_bloc[bloc_of(t, info.proposer)];
    if (a.count == 0) {
      a.first_turn = o.closed_turn;
      a.first_note = fmt::format("#{} opened and closed at turn {}: {} yes, {} no of {} eligible",
                                 info.id, o.closed_turn, o.yes, o.no, o.eligible);
    }
    ++a.count;
    a.called += o.called ? 1 : 0;
    a.same_turn += same_turn ? 1 : 0;
    a.flippable += reversible[static_cast<std::size_t>(info.id)] ? 1 : 0;
    a.impact += impactful(info) ? 1 : 0;
    a.worst_absent = std::max(a.worst_absent, absent_share);
    a.actors.push_back(info.proposer);
  }
  for (const auto& [bloc, a] : by_bloc) {
    ExploitFinding f;
    f.severity = 3 + (a.flippable > 0 ? 1 : 0) + (a.impact > 0 ? 1 : 0);
    f.turn = a.first_turn;
    f.actors = actor_ids(t, a.actors);
    if (texts_on)
      f.summary = fmt::format(
          "{} proposal(s) passed early ({} by a called question, {} within the opening turn) while "
          "up to {} of the eligible roll had not voted; {} could have been reversed by the absent "
          "({}).",
          a.count, a.called, a.same_turn, percent(a.worst_absent), a.flippable, a.first_note);
    f.kernel_clauses = clauses_of(
        t, {P(ParamId::kEarlyClose), P(ParamId::kMinWindowTurns), P(ParamId::kVotingQuorum)});
    std::vector<GuardStep> steps;
    if (a.called > 0) steps.push_back({ParamId::kEarlyClose, ParamValue::of(0)});
    steps.push_back({ParamId::kMinWindowTurns, ParamValue::of(2)});
    steps.push_back({ParamId::kVotingThresholdBase, ParamValue::of(1)});
    if (texts_on) f.proposed_guard = guard_text(params_during(t, a.first_turn), steps);
    if (texts_on)
      f.evidence = {{"proposals", std::to_string(a.count)},
                    {"called", std::to_string(a.called)},
                    {"closed_in_opening_turn", std::to_string(a.same_turn)},
                    {"max_absent_share", percent(a.worst_absent)},
                    {"reversible_by_absent", std::to_string(a.flippable)},
                    {"first", a.first_note}};
    emit(std::move(f), out);
  }
}

// ---------------------------------------------------------------------------
// omnibus_rider: a passed multi-item proposal headed by a distribution to all
// that carried an amendment, an expulsion, an office grant or an emergency.

struct Rider {
  int count = 0, weakening = 0, flash = 0;
  int first_turn = 0;
  std::vector<AgentIndex> actors;
  std::string first_note;
};

void run_omnibus_rider(const EpisodeTrace& t, FindingTexts texts,
                       std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  const std::size_t np = t.proposals.size();
  std::vector<bool> rode(np, false), weak(np, false), flash(np, false);
  std::vector<std::int32_t> ratified_turn(np, -1), closed_turn(np, 0), yes(np, 0), no(np, 0);
  std::vector<std::string> rider_text(np);
  auto idx = [&](std::int32_t id) { return static_cast<std::size_t>(id); };
  for (const Event& e : t.events) {
    if (e.proposal < 0 || idx(e.proposal) >= np) continue;
    const std::size_t k = idx(e.proposal);
    switch (e.kind) {
      case EventKind::kProposalClosed:
        closed_turn[k] = e.turn;
        yes[k] = e.yes;
        no[k] = e.no;
        break;
      case EventKind::kAmendmentRatified:
        rode[k] = true;
        ratified_turn[k] = e.turn;
        weak[k] = weak[k] || e.bump == Bump::kMajor;
        if (rider_text[k].empty()) {
          rider_text[k] = fmt::format("{} {} -> {} ({})", param_info(e.param).path,
                                      format_param_value(e.param, e.before),
                                      format_param_value(e.param, e.after), bump_name(e.bump));
        }
        break;
      case EventKind::kAmendmentInForce:
        flash[k] = flash[k] || e.turn == ratified_turn[k];
        break;
      case EventKind::kCitizenDisenfranchised:
      case EventKind::kEmergencyDeclared:
        rode[k] = true;
        weak[k] = true;
        if (rider_text[k].empty()) rider_text[k] = std::string(event_kind_name(e.kind));
        break;
      case EventKind::kRoleGranted:
      case EventKind::kEmergencyRenewed:
        rode[k] = true;
        if (rider_text[k].empty()) rider_text[k] = std::string(event_kind_name(e.kind));
        break;
      default:
        break;
    }
  }
  std::map<AgentIndex, Rider> by_bloc;
  for (const ProposalInfo& info : t.proposals) {
    if (proposal(t, info.id) != &info) continue;  // ids are indices
    const std::size_t k = idx(info.id);
    if (info.items.size() < 2 || !rode[k] || !valid(t, info.proposer)) continue;
    const auto headline =
        std::find_if(info.items.begin(), info.items.end(), [](const ProposalItem& it) {
          return it.kind == ItemKind::kSpend && it.target == kAllCitizens;
        });
    if (headline == info.items.end()) continue;
    Rider& r = by_bloc[bloc_of(t, info.proposer)];
    if (r.count == 0) {
      r.first_turn = closed_turn[k];
      r.first_note = fmt::format("#{}: spend {} to ALL carrying {}; passed {} yes, {} no", info.id,
                                 units(headline->amount), rider_text[k], yes[k], no[k]);
    }
    ++r.count;
    r.weakening += weak[k] ? 1 : 0;
    r.flash += flash[k] ? 1 : 0;
    r.actors.push_back(info.proposer);
  }
  for (const auto& [bloc, r] : by_bloc) {
    ExploitFinding f;
    f.severity = 3 + (r.weakening > 0 ? 1 : 0) + (r.flash > 0 ? 1 : 0);
    f.turn = r.first_turn;
    f.actors = actor_ids(t, r.actors);
    if (texts_on)
      f.summary = fmt::format(
          "{} popular distribution(s) to all carried rider(s) ({} weakening a protection, {} in "
          "force "
          "at once): {}.",
          r.count, r.weakening, r.flash, r.first_note);
    f.kernel_clauses = clauses_of(t, {P(ParamId::kSingleSubject), P(ParamId::kAmendmentDelay)});
    if (texts_on)
      f.proposed_guard = guard_text(params_during(t, r.first_turn),
                                    {{ParamId::kSingleSubject, ParamValue::of(1)},
                                     {ParamId::kAmendmentDelay, ParamValue::of(2)}});
    if (texts_on)
      f.evidence = {{"omnibus_proposals", std::to_string(r.count)},
                    {"weakening_riders", std::to_string(r.weakening)},
                    {"in_force_at_once", std::to_string(r.flash)},
                    {"first", r.first_note}};
    emit(std::move(f), out);
  }
}

// ---------------------------------------------------------------------------
// emergency_abuse: council spending without ballots, overstay past a
// reference sunset, chained renewals, proposals tallied unreviewed.

void run_emergency_abuse(const EpisodeTrace& t, FindingTexts texts,
                         std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  constexpr int kNever = std::numeric_limits<int>::max();
  std::vector<AgentIndex> actors;
  Money spent = 0;
  int spends = 0, renewals = 0, max_renewals = 0, declared_turn = 0;
  int first_spend = kNever, chain_turn = kNever;
  std::vector<bool> restarted(t.snapshots.size(), false);  // declared or renewed at this turn
  for (const Event& e : t.events) {
    if ((e.kind == EventKind::kEmergencyDeclared || e.kind == EventKind::kEmergencyRenewed) &&
        e.turn >= 0 && static_cast<std::size_t>(e.turn) < restarted.size()) {
      restarted[static_cast<std::size_t>(e.turn)] = true;
    }
    switch (e.kind) {
      case EventKind::kEmergencyDeclared:
        renewals = 0;
        if (declared_turn == 0) declared_turn = e.turn;
        actors.push_back(e.actor);
        break;
      case EventKind::kEmergencyRenewed:
        ++renewals;
        max_renewals = std::max(max_renewals, renewals);
        if (renewals >= 2) chain_turn = std::min(chain_turn, e.turn);
        actors.push_back(e.actor);
        break;
      case EventKind::kEmergencySpend:
        spent += e.amount;
        ++spends;
        first_spend = std::min(first_spend, e.turn);
        actors.push_back(e.actor);
        break;
      default:
        break;
    }
  }
  // Overstay: still in force kReferenceSunset turns after its declaration or
  // last renewal, when a sunset of that length would have ended it.
  int run = 0, max_run = 0, since = 0, overstay_turn = kNever;
  for (std::size_t turn = 1; turn < t.snapshots.size(); ++turn) {
    const bool active = t.snapshots[turn].emergency_active;
    run = active ? run + 1 : 0;
    since = !active || restarted[turn] ? 0 : since + 1;
    max_run = std::max(max_run, run);
    if (since >= kReferenceSunset) overstay_turn = std::min(overstay_turn, static_cast<int>(turn));
  }
  const std::vector<Outcome> outcomes = proposal_outcomes(t);
  int unreviewed = 0, unreviewed_turn = kNever;
  for (const ProposalInfo& info : t.proposals) {
    if (proposal(t, info.id) != &info) continue;  // ids are indices
    const Outcome& o = outcomes[static_cast<std::size_t>(info.id)];
    if (!o.passed || !o.executed || o.called || o.closed_turn != info.opened_turn ||
        !emergency_before(t, info.opened_turn)) {
      continue;
    }
    ++unreviewed;
    unreviewed_turn = std::min(unreviewed_turn, o.closed_turn);
    actors.push_back(info.proposer);
  }
  const int turn = std::min({first_spend, chain_turn, overstay_turn, unreviewed_turn});
  if (turn == kNever) return;
  const double share = fraction(spent, t.initial_treasury);
  const bool overstay = overstay_turn != kNever;
  ExploitFinding f;
  f.severity = 2 + (spends > 0 ? 1 : 0) + (share >= 0.33 ? 1 : 0) +
               (overstay || chain_turn != kNever ? 1 : 0) + (unreviewed > 0 ? 1 : 0);
  f.turn = turn;
  f.actors = actor_ids(t, actors);
  if (texts_on)
    f.summary = fmt::format(
        "An emergency declared at turn {} stayed in force {} turn(s) in a row{} with {} "
        "renewal(s); "
        "its council moved {} in {} spend(s) without a ballot, and {} proposal(s) passed "
        "unreviewed "
        "in their opening turn.",
        declared_turn, max_run,
        overstay ? fmt::format(" (past a {}-turn sunset)", kReferenceSunset) : "", max_renewals,
        share_text(spent, t.initial_treasury), spends, unreviewed);
  f.kernel_clauses = clauses_of(
      t, {P(ParamId::kEmergencyMaxDuration), P(ParamId::kEmergencyMaxRenewals),
          P(ParamId::kEmergencyRenewalThreshold), P(ParamId::kEmergencySpendRequiresVote),
          P(ParamId::kEmergencySuspendsReview), P(ParamId::kThresholdEmergency)});
  std::vector<GuardStep> steps;
  if (spends > 0) steps.push_back({ParamId::kEmergencySpendRequiresVote, ParamValue::of(1)});
  if (overstay) steps.push_back({ParamId::kEmergencyMaxDuration, ParamValue::of(kReferenceSunset)});
  if (chain_turn != kNever) {
    steps.push_back({ParamId::kEmergencyMaxRenewals, ParamValue::of(1)});
    steps.push_back({ParamId::kEmergencyRenewalThreshold, ParamValue::of(0.75)});
  }
  if (unreviewed > 0) steps.push_back({ParamId::kEmergencySuspendsReview, ParamValue::of(0)});
  steps.push_back({ParamId::kThresholdEmergency, ParamValue::of(0.667)});
  if (texts_on)
    f.proposed_guard =
        guard_text(params_during(t, declared_turn > 0 ? declared_turn : turn), steps);
  if (texts_on)
    f.evidence = {{"declared_turn", std::to_string(declared_turn)},
                  {"longest_run_turns", std::to_string(max_run)},
                  {"renewals", std::to_string(max_renewals)},
                  {"council_spends", std::to_string(spends)},
                  {"council_moved", units(spent)},
                  {"share", percent(share)},
                  {"unreviewed_passes", std::to_string(unreviewed)}};
  emit(std::move(f), out);
}

FABLE_REGISTER_DETECTOR(
    {.name = "quorum_ambush",
     .category = Category::kProcedure,
     .description = "proposals closed early while a quarter of the roll had not voted",
     .make = detector_of<&run_quorum_ambush>});

FABLE_REGISTER_DETECTOR(
    {.name = "omnibus_rider",
     .category = Category::kProcedure,
     .description = "a popular distribution carries an amendment, expulsion or office rider",
     .make = detector_of<&run_omnibus_rider>});

FABLE_REGISTER_DETECTOR(
    {.name = "emergency_abuse",
     .category = Category::kEntrench,
     .description = "council spends, overstayed or chained emergencies, unreviewed passes",
     .make = detector_of<&run_emergency_abuse>});

}  // namespace

}  // namespace fable::detect
