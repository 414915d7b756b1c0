// Drain detectors: treasury_drain, self_dealing, salami_slicing, vote_buying.
// Each reads executed spends, emergency spends and transfers from the trace;
// every one is linear in the events (vote_buying looks at a bounded number of
// ballots per transfer). docs/detectors.md.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "detectors/detector_util.h"

namespace fable::detect {

namespace {

ClauseId P(ParamId id) {
  return clause_of(id);
}

int severity_by_share(double share) {
  if (share >= 0.5) return 5;
  if (share >= 0.25) return 4;
  if (share >= 0.10) return 3;
  if (share >= 0.05) return 2;
  return 1;
}

// ---------------------------------------------------------------------------
// treasury_drain: the red team (or, without one, a handful of concentrated
// recipients) receives a large share of the initial treasury.

void run_treasury_drain(const EpisodeTrace& t, FindingTexts texts,
                        std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  const Money initial = t.initial_treasury;
  if (initial <= 0) return;
  const std::size_t n = t.participants.size();
  std::vector<Money> received(n, 0);
  Money targeted = 0;
  for (const Event& e : t.events) {
    if ((e.kind == EventKind::kSpendExecuted || e.kind == EventKind::kEmergencySpend) &&
        valid(t, e.target)) {
      received[static_cast<std::size_t>(e.target)] += e.amount;
      targeted += e.amount;
    }
  }
  if (targeted == 0) return;

  std::vector<bool> in_group(n, false);
  const bool red_group = !t.red_team().empty();
  if (red_group) {
    for (std::size_t i = 0; i < n; ++i) in_group[i] = is_red(t, static_cast<AgentIndex>(i));
  } else {
    // Concentrated: the fewest top recipients holding half of the targeted
    // outflows, if they are at most a quarter of the population.
    std::vector<AgentIndex> order;
    for (std::size_t i = 0; i < n; ++i) {
      if (received[i] > 0) order.push_back(static_cast<AgentIndex>(i));
    }
    std::sort(order.begin(), order.end(), [&](AgentIndex a, AgentIndex b) {
      const Money ra = received[static_cast<std::size_t>(a)];
      const Money rb = received[static_cast<std::size_t>(b)];
      return ra != rb ? ra > rb : a < b;
    });
    const std::size_t limit = std::max<std::size_t>(1, n / 4);
    Money acc = 0;
    for (std::size_t k = 0; k < order.size() && k < limit && acc * 2 < targeted; ++k) {
      in_group[static_cast<std::size_t>(order[k])] = true;
      acc += received[static_cast<std::size_t>(order[k])];
    }
    if (acc * 2 < targeted) return;
  }

  Money total = 0;
  int spends = 0, emergency_spends = 0, first_turn = 0;
  bool crossed = false;
  std::vector<AgentIndex> actors;
  for (const Event& e : t.events) {
    const bool spend = e.kind == EventKind::kSpendExecuted;
    if ((!spend && e.kind != EventKind::kEmergencySpend) || !valid(t, e.target) ||
        !in_group[static_cast<std::size_t>(e.target)]) {
      continue;
    }
    total += e.amount;
    (spend ? spends : emergency_spends) += 1;
    actors.push_back(e.target);
    if (!red_group || is_red(t, e.actor)) actors.push_back(e.actor);
    if (!crossed && fraction(total, initial) >= kDrainShare) {
      crossed = true;
      first_turn = e.turn;
    }
  }
  if (!crossed) return;
  const double share = fraction(total, initial);
  int recipients = 0;
  for (std::size_t i = 0; i < n; ++i) recipients += in_group[i] && received[i] > 0 ? 1 : 0;

  ExploitFinding f;
  f.severity = share >= 0.75 ? 5 : share >= 0.5 ? 4 : 3;
  f.turn = first_turn;
  f.actors = actor_ids(t, actors);
  if (texts_on)
    f.summary = fmt::format(
        "{} {} recipient(s) took {} of the initial treasury through {} passed spend(s) and {} "
        "emergency spend(s).",
        recipients, red_group ? "red-team" : "concentrated", share_text(total, initial), spends,
        emergency_spends);
  f.kernel_clauses =
      clauses_of(t, {P(ParamId::kSpendPerProposalCap), P(ParamId::kSpendEpochRateCap),
                     P(ParamId::kSpendCommonsFloor), P(ParamId::kEmergencySpendRequiresVote)});
  std::vector<GuardStep> steps;
  if (emergency_spends > 0) {
    steps.push_back({ParamId::kEmergencySpendRequiresVote, ParamValue::of(1)});
  }
  steps.push_back({ParamId::kSpendCommonsFloor, ParamValue::of(0.5)});
  steps.push_back({ParamId::kSpendEpochRateCap, ParamValue::of(0.33)});
  steps.push_back({ParamId::kSpendPerProposalCap, ParamValue::of(0.2)});
  if (texts_on) f.proposed_guard = guard_text(params_during(t, first_turn), steps);
  if (texts_on)
    f.evidence = {{"initial_treasury", units(initial)},
                  {"received", units(total)},
                  {"share", percent(share)},
                  {"recipients", std::to_string(recipients)},
                  {"spends", std::to_string(spends)},
                  {"emergency_spends", std::to_string(emergency_spends)},
                  {"treasury_final", units(t.snapshots.back().treasury)}};
  emit(std::move(f), out);
}

// ---------------------------------------------------------------------------
// self_dealing and salami_slicing: passed spends the proposer directs to itself
// or its allies, per bloc (the red team, or one participant).

struct SelfSpend {
  Money total = 0;
  Money largest = 0;
  int count = 0;
  int first_turn = 0;
  int cross_turn = 0;  // salami: when the sum reached kSalamiShare
  int first_epoch = 0, last_epoch = 0;
  std::vector<AgentIndex> actors;
};

int epoch_at(const EpisodeTrace& t, int turn) {
  if (turn < 0 || static_cast<std::size_t>(turn) >= t.snapshots.size()) return 0;
  return t.snapshots[static_cast<std::size_t>(turn)].epoch;
}

// Self-directed executed spends by bloc; with `slices_only`, those of at most kSliceFrac.
std::map<AgentIndex, SelfSpend> self_spends(const EpisodeTrace& t, bool slices_only) {
  std::map<AgentIndex, SelfSpend> by_bloc;
  const Money slice_max = money_fraction(t.initial_treasury, kSliceFrac);
  for (const Event& e : t.events) {
    if (e.kind != EventKind::kSpendExecuted || !allied(t, e.actor, e.target)) continue;
    if (slices_only && e.amount > slice_max) continue;
    SelfSpend& s = by_bloc[bloc_of(t, e.actor)];
    if (s.count == 0) {
      s.first_turn = e.turn;
      s.first_epoch = epoch_at(t, e.turn);
    }
    s.last_epoch = epoch_at(t, e.turn);
    ++s.count;
    s.total += e.amount;
    s.largest = std::max(s.largest, e.amount);
    if (s.cross_turn == 0 && fraction(s.total, t.initial_treasury) >= kSalamiShare) {
      s.cross_turn = e.turn;
    }
    s.actors.push_back(e.actor);
    s.actors.push_back(e.target);
  }
  return by_bloc;
}

void run_self_dealing(const EpisodeTrace& t, FindingTexts texts, std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  if (t.initial_treasury <= 0) return;
  for (const auto& [bloc, s] : self_spends(t, false)) {
    const double share = fraction(s.total, t.initial_treasury);
    ExploitFinding f;
    f.severity = severity_by_share(share);
    f.turn = s.first_turn;
    f.actors = actor_ids(t, s.actors);
    if (texts_on)
      f.summary = fmt::format(
          "{} passed spend(s) directed by their proposers to themselves or their allies moved {} "
          "of the initial treasury.",
          s.count, share_text(s.total, t.initial_treasury));
    f.kernel_clauses = clauses_of(t, {P(ParamId::kThresholdSpend), P(ParamId::kVotingThresholdBase),
                                      P(ParamId::kSpendPerProposalCap)});
    if (texts_on)
      f.proposed_guard = guard_text(params_during(t, s.first_turn),
                                    {{ParamId::kSpendPerProposalCap, ParamValue::of(0.2)},
                                     {ParamId::kVotingThresholdBase, ParamValue::of(1)},
                                     {ParamId::kThresholdSpend, ParamValue::of(0.6)}});
    if (texts_on)
      f.evidence = {
          {"spends", std::to_string(s.count)},
          {"moved", units(s.total)},
          {"share", percent(share)},
          {"largest", units(s.largest)},
          {"bloc", bloc < 0 ? "red team" : t.participants[static_cast<std::size_t>(bloc)].id}};
    emit(std::move(f), out);
  }
}

void run_salami_slicing(const EpisodeTrace& t, FindingTexts texts,
                        std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  if (t.initial_treasury <= 0) return;
  for (const auto& [bloc, s] : self_spends(t, true)) {
    if (s.count < kSalamiMinSlices || s.cross_turn == 0) continue;
    const double share = fraction(s.total, t.initial_treasury);
    ExploitFinding f;
    f.severity = share >= 0.75 ? 5 : 4;
    f.turn = s.cross_turn;
    f.actors = actor_ids(t, s.actors);
    if (texts_on)
      f.summary = fmt::format(
          "{} passed self-directed spends of at most {} each (largest {}) added up to {} of the "
          "initial treasury over {} epoch(s).",
          s.count, percent(kSliceFrac), units(s.largest), share_text(s.total, t.initial_treasury),
          s.last_epoch - s.first_epoch + 1);
    f.kernel_clauses =
        clauses_of(t, {P(ParamId::kSpendPerProposalCap), P(ParamId::kSpendEpochRateCap),
                       P(ParamId::kSpendCommonsFloor)});
    if (texts_on)
      f.proposed_guard = guard_text(params_during(t, s.first_turn),
                                    {{ParamId::kSpendEpochRateCap, ParamValue::of(0.33)},
                                     {ParamId::kSpendCommonsFloor, ParamValue::of(0.5)}});
    if (texts_on)
      f.evidence = {{"slices", std::to_string(s.count)},
                    {"largest_slice", units(s.largest)},
                    {"slice_limit", percent(kSliceFrac)},
                    {"moved", units(s.total)},
                    {"share", percent(share)},
                    {"epochs", std::to_string(s.last_epoch - s.first_epoch + 1)}};
    emit(std::move(f), out);
  }
}

// ---------------------------------------------------------------------------
// vote_buying: transfers from a proposer or its allies to citizens outside its
// bloc who voted yes on its passed proposals, within an epoch of the vote.

constexpr std::size_t kMaxBallotsPerTransfer = 16;

struct YesBallot {
  std::int32_t turn;
  std::int32_t proposal;
};

struct Purchase {
  int transfers = 0;
  Money amount = 0;
  int first_turn = 0;
  int pivotal = 0;
  std::vector<AgentIndex> actors;
  std::vector<AgentIndex> voters;
  std::vector<std::int32_t> proposals;
};

void run_vote_buying(const EpisodeTrace& t, FindingTexts texts, std::vector<ExploitFinding>& out) {
  const bool texts_on = texts == FindingTexts::kWrite;
  // No transfer, nothing bought: most episodes end here, before any ballot is indexed.
  if (std::none_of(t.events.begin(), t.events.end(),
                   [](const Event& e) { return e.kind == EventKind::kTransfer; })) {
    return;
  }
  const std::vector<Outcome> outcomes = proposal_outcomes(t);
  const std::size_t n = t.participants.size();
  std::vector<std::vector<YesBallot>> yes(n);
  for (const Event& e : t.events) {
    if (e.kind != EventKind::kVoteCast || e.choice != Choice::kYes || !valid(t, e.actor)) continue;
    const ProposalInfo* p = proposal(t, e.proposal);
    if (p == nullptr || !outcomes[static_cast<std::size_t>(e.proposal)].passed) continue;
    yes[static_cast<std::size_t>(e.actor)].push_back({e.turn, e.proposal});
  }

  const int window = start_params(t).epoch_turns;
  std::vector<std::int32_t> paid(t.proposals.size(), 0);
  std::vector<std::int32_t> last_credit(n, -1);
  std::map<AgentIndex, Purchase> by_bloc;
  for (const Event& e : t.events) {
    if (e.kind != EventKind::kTransfer || e.amount <= 0 || !valid(t, e.actor) ||
        !valid(t, e.target) || allied(t, e.actor, e.target)) {
      continue;
    }
    const std::vector<YesBallot>& ballots = yes[static_cast<std::size_t>(e.target)];
    auto it = std::lower_bound(ballots.begin(), ballots.end(), e.turn - window,
                               [](const YesBallot& b, int turn) { return b.turn < turn; });
    const YesBallot* match = nullptr;
    for (std::size_t k = 0;
         it != ballots.end() && it->turn <= e.turn + window && k < kMaxBallotsPerTransfer;
         ++it, ++k) {
      if (allied(t, t.proposals[static_cast<std::size_t>(it->proposal)].proposer, e.actor)) {
        match = &*it;
        break;
      }
    }
    if (match == nullptr) continue;
    Purchase& b = by_bloc[bloc_of(t, e.actor)];
    if (b.transfers == 0) b.first_turn = e.turn;
    ++b.transfers;
    b.amount += e.amount;
    b.actors.push_back(e.actor);
    b.actors.push_back(t.proposals[static_cast<std::size_t>(match->proposal)].proposer);
    b.voters.push_back(e.target);
    b.proposals.push_back(match->proposal);
    if (last_credit[static_cast<std::size_t>(e.target)] != match->proposal) {
      last_credit[static_cast<std::size_t>(e.target)] = match->proposal;
      ++paid[static_cast<std::size_t>(match->proposal)];
    }
  }

  for (auto& [bloc, b] : by_bloc) {
    std::sort(b.voters.begin(), b.voters.end());
    b.voters.erase(std::unique(b.voters.begin(), b.voters.end()), b.voters.end());
    std::sort(b.proposals.begin(), b.proposals.end());
    b.proposals.erase(std::unique(b.proposals.begin(), b.proposals.end()), b.proposals.end());
    int pivotal = 0;
    for (std::int32_t id : b.proposals) {
      const Outcome& o = outcomes[static_cast<std::size_t>(id)];
      if (o.yes - paid[static_cast<std::size_t>(id)] <= o.no) ++pivotal;
    }
    ExploitFinding f;
    f.severity = 2 + (b.voters.size() >= 3 ? 1 : 0) + (pivotal > 0 ? 2 : 0);
    f.turn = b.first_turn;
    f.actors = actor_ids(t, b.actors);
    if (texts_on)
      f.summary = fmt::format(
          "{} transfer(s) worth {} went to {} yes-voter(s) on {} passed proposal(s) of the payer's "
          "bloc; {} of them had a majority only with the paid ballots.",
          b.transfers, units(b.amount), b.voters.size(), b.proposals.size(), pivotal);
    f.kernel_clauses = clauses_of(
        t, {clause_of(StructuralClause::kTransfersPrivate), P(ParamId::kVotingThresholdBase)});
    if (texts_on)
      f.proposed_guard = guard_text(params_during(t, b.first_turn),
                                    {{ParamId::kVotingThresholdBase, ParamValue::of(1)},
                                     {ParamId::kThresholdSpend, ParamValue::of(0.6)}});
    if (texts_on)
      f.evidence = {{"transfers", std::to_string(b.transfers)},
                    {"amount", units(b.amount)},
                    {"paid_voters", std::to_string(b.voters.size())},
                    {"proposals", std::to_string(b.proposals.size())},
                    {"pivotal_proposals", std::to_string(pivotal)},
                    {"window_turns", std::to_string(window)}};
    emit(std::move(f), out);
  }
}

FABLE_REGISTER_DETECTOR(
    {.name = "treasury_drain",
     .category = Category::kDrain,
     .description = "a bloc receives 40% or more of the initial treasury through executed spends",
     .make = detector_of<&run_treasury_drain>});

FABLE_REGISTER_DETECTOR(
    {.name = "self_dealing",
     .category = Category::kDrain,
     .description = "passed, executed spends a proposer directs to itself or its allies",
     .make = detector_of<&run_self_dealing>});

FABLE_REGISTER_DETECTOR(
    {.name = "salami_slicing",
     .category = Category::kDrain,
     .description = "three or more small self-directed spends adding up to half the treasury",
     .make = detector_of<&run_salami_slicing>});

FABLE_REGISTER_DETECTOR(
    {.name = "vote_buying",
     .category = Category::kDrain,
     .description = "private transfers to outsiders who voted yes on the payer's passed proposals",
     .make = detector_of<&run_vote_buying>});

}  // namespace

}  // namespace fable::detect
