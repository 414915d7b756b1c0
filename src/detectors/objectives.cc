// Objectives measured from a trace; see include/fable/objectives.h and
// docs/objectives.md for the formulas.
#include "fable/objectives.h"

#include <algorithm>
#include <bit>
#include <optional>
#include <vector>

#include "base/hash.h"
#include "fable/tally.h"

namespace fable {

namespace {

constexpr std::array<ObjectiveInfo, kObjectiveCount> kObjectives{{
    {Objective::kDrain, "drain", "share of the initial treasury paid out to the coalition", 0.5,
     true},
    {Objective::kEntrench, "entrench",
     "rise in the share of the others needed to amend the rules or expel against the coalition",
     1.0, false},
    {Objective::kSuppress, "suppress",
     "how far the others' share of voting weight fell below their share of the population", 0.5,
     false},
    {Objective::kParalysis, "paralysis",
     "rise in the share of the others needed to pass a spend without the coalition", 1.0, false},
    {Objective::kEmergency, "emergency",
     "turns of coalition-declared emergency against twice the nominal duration", 1.0, false},
    {Objective::kExit, "exit", "share of the others' exit attempts that were refused", 0.0, true},
    {Objective::kTiming, "timing",
     "share of the coalition's passed proposals that full participation would have failed", 0.0,
     true},
}};

// How the coalition answers a proposal of the others.
enum class Stance { kVotesNo, kStaysAway };

std::optional<int> count_ballots_needed(const Params& params, ItemKind kind, int others,
                                        int coalition, Stance stance) {
  Proposal probe;
  probe.item_count = 1;
  probe.items[0].kind = kind;
  // The commons' own spends are distributions to ALL (a spend to named
  // citizens may need the higher voting.thresholds.private_spend).
  if (kind == ItemKind::kSpend) probe.items[0].target = kAllCitizens;
  const ThresholdRule rule = threshold_rule(params, probe);
  for (int yes = 0; yes <= others; ++yes) {
    TallyCount c;
    c.yes = yes;
    c.no = stance == Stance::kVotesNo ? coalition : 0;
    c.eligible = others + coalition;
    if (decide_tally(params, c, rule).result == TallyResult::kPassed) return yes;
  }
  return std::nullopt;
}

// count_ballots_needed, remembered per thread: a search scores thousands of
// episodes whose rules in force are the same few (a cache only; a miss counts).
struct NeededMemo {
  Params params;
  ItemKind kind = ItemKind::kSpend;
  int others = -1;
  int coalition = -1;
  Stance stance = Stance::kVotesNo;
  std::optional<int> needed;
};

std::optional<int> ballots_needed(const Params& params, ItemKind kind, int others, int coalition,
                                  Stance stance) {
  constexpr std::size_t kSlots = 512;  // a power of two
  thread_local std::vector<NeededMemo> memo(kSlots);
  // The slot is chosen by the parameters a tally reads (quorum, thresholds and
  // their base, ceiling, private spend), not by all of them: hashing the whole
  // table cost more than the tally it saves. Sets that differ only elsewhere
  // share a slot; the full comparison below keeps every hit exact.
  WordHasher h;
  auto add_optional = [&h](const std::optional<double>& v) {
    h.add(v ? 1 : 0).add(std::bit_cast<std::uint64_t>(v.value_or(0.0)));
  };
  h.add(std::bit_cast<std::uint64_t>(params.quorum))
      .add(static_cast<std::uint64_t>(params.threshold_base));
  for (const double t : params.thresholds) h.add(std::bit_cast<std::uint64_t>(t));
  h.add(std::bit_cast<std::uint64_t>(params.emergency_renewal_threshold));
  add_optional(params.voting_threshold_ceiling);
  add_optional(params.private_spend_threshold);
  h.add(static_cast<std::uint64_t>(kind)).add_signed(others).add_signed(coalition);
  h.add(static_cast<std::uint64_t>(stance));
  NeededMemo& m = memo[static_cast<std::size_t>(h.finish() & (kSlots - 1))];
  if (m.others != others || m.coalition != coalition || m.kind != kind || m.stance != stance ||
      m.params != params) {
    m = {params,    kind,   others,
         coalition, stance, count_ballots_needed(params, kind, others, coalition, stance)};
  }
  return m.needed;
}

// The share of the others it takes to pass `kind` against the coalition
// (the worst of its stances); 2 stands for "they cannot".
double share_needed(const Params& params, ItemKind kind, int others, int coalition) {
  constexpr double kCannot = 2.0;
  if (others <= 0) return kCannot;
  const std::optional<int> n = ballots_needed_without(params, kind, others, coalition);
  return n ? static_cast<double>(*n) / others : kCannot;
}

// 1 when what was possible at the start became impossible; otherwise the
// rise of the needed share, clamped to [0, 1]; 0 when it was impossible from
// the start (not the coalition's doing).
double rise(double start, double end) {
  if (start > 1.0) return 0.0;
  if (end > 1.0) return 1.0;
  return std::clamp(end - start, 0.0, 1.0);
}

// Per participant: 1 for a coalition member. Bytes, not the packed
// std::vector<bool>: it is read per citizen per snapshot.
using Coalition = std::vector<char>;

struct RollCount {
  int others = 0;
  int coalition = 0;
};

RollCount roll_count(const TurnSnapshot& s, const Coalition& in_coalition) {
  RollCount r;
  for (std::size_t i = 0; i < s.citizens.size(); ++i) {
    if (!s.citizens[i].on_roll) continue;
    (i < in_coalition.size() && in_coalition[i] ? r.coalition : r.others) += 1;
  }
  return r;
}

bool member(const Coalition& in_coalition, AgentIndex i) {
  return i >= 0 && static_cast<std::size_t>(i) < in_coalition.size() && in_coalition[i];
}

double drain(const EpisodeTrace& t, const Coalition& in) {
  if (t.initial_treasury <= 0) return 0.0;
  // Standing on the roll, followed event by event, to split spends to ALL.
  std::vector<bool> on_roll;
  for (const CitizenSnapshot& c : t.snapshots.front().citizens) on_roll.push_back(c.on_roll);
  Money paid = 0;
  for (const Event& e : t.events) {
    switch (e.kind) {
      case EventKind::kCitizenDisenfranchised:
        if (e.target >= 0 && static_cast<std::size_t>(e.target) < on_roll.size()) {
          on_roll[e.target] = false;
        }
        break;
      case EventKind::kCitizenExited:
        if (e.actor >= 0 && static_cast<std::size_t>(e.actor) < on_roll.size()) {
          on_roll[e.actor] = false;
        }
        break;
      case EventKind::kSpendExecuted:
        if (e.target == kAllCitizens) {
          const auto roll = std::count(on_roll.begin(), on_roll.end(), true);
          Money members = 0;
          for (std::size_t i = 0; i < on_roll.size(); ++i) {
            members += on_roll[i] && member(in, static_cast<AgentIndex>(i)) ? 1 : 0;
          }
          if (roll > 0) paid += e.amount / roll * members;
        } else if (member(in, e.target)) {
          paid += e.amount;
        }
        break;
      case EventKind::kEmergencySpend:
        if (member(in, e.target)) paid += e.amount;
        break;
      default:
        break;
    }
  }
  return std::clamp(static_cast<double>(paid) / static_cast<double>(t.initial_treasury), 0.0, 1.0);
}

double suppress(const EpisodeTrace& t, const Coalition& in) {
  const std::size_t n = t.participants.size();
  const auto members = static_cast<std::size_t>(std::count(in.begin(), in.end(), 1));
  if (n == 0 || members == n) return 0.0;
  const double population_share = static_cast<double>(n - members) / static_cast<double>(n);
  double worst = 0.0;
  for (const TurnSnapshot& s : t.snapshots) {
    double others = 0.0, total = 0.0;
    for (std::size_t i = 0; i < s.citizens.size(); ++i) {
      total += s.citizens[i].weight;
      if (!member(in, static_cast<AgentIndex>(i))) others += s.citizens[i].weight;
    }
    if (total <= 0.0) continue;
    worst = std::max(worst, 1.0 - (others / total) / population_share);
  }
  return std::clamp(worst, 0.0, 1.0);
}

double emergency(const EpisodeTrace& t, const Coalition& in, const Params& start) {
  const int nominal = start.emergency_max_duration_turns.value_or(kNominalEmergencyTurns);
  // Who declared the emergency in force, turn by turn.
  std::vector<bool> coalition_declared(t.snapshots.size(), false);
  bool current = false;
  std::size_t next = 0;
  for (std::size_t turn = 1; turn < t.snapshots.size(); ++turn) {
    for (; next < t.events.size() && t.events[next].turn <= static_cast<std::int32_t>(turn);
         ++next) {
      if (t.events[next].kind == EventKind::kEmergencyDeclared) {
        current = member(in, t.events[next].actor);
      }
    }
    coalition_declared[turn] = current && t.snapshots[turn].emergency_active;
  }
  const auto turns = std::count(coalition_declared.begin(), coalition_declared.end(), true);
  const double limit = kEmergencyOverstayFactor * std::max(nominal, 1) + 1.0;
  return std::min(1.0, static_cast<double>(turns) / limit);
}

double exit_blocking(const EpisodeTrace& t, const Coalition& in) {
  int attempts = 0, refused = 0;
  for (const Event& e : t.events) {
    if (member(in, e.actor)) continue;
    if (e.kind == EventKind::kCitizenExited) ++attempts;
    if (e.kind == EventKind::kActionRejected && e.action == ActionKind::kExit) {
      ++attempts;
      ++refused;
    }
  }
  return attempts == 0 ? 0.0 : static_cast<double>(refused) / attempts;
}

// A passed coalition proposal is fragile when it would have failed had every
// eligible ballot not cast been cast against it, except the ballots of the
// coalition's own members: a member who stayed silent would not have voted
// against its own side, and its silence times nothing (before this rule, a
// bare majority of 11 of 20 whose proposer did not vote on its own spend,
// 10 yes to 9 no, counted as a timing capture). A silent member is one on the
// roll after the closing turn who does not delegate (weight > 0 there) and
// cast no ballot on the proposal; a member who delegates counts as
// represented by its delegate.
double timing(const EpisodeTrace& t, const Coalition& in, Params params) {
  std::vector<AgentIndex> members;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i]) members.push_back(static_cast<AgentIndex>(i));
  }
  std::vector<std::vector<AgentIndex>> member_ballots(t.proposals.size());
  int passed = 0, fragile = 0;
  for (const Event& e : t.events) {
    if (e.kind == EventKind::kAmendmentInForce) set_param(params, e.param, e.after);
    const bool known = e.proposal >= 0 && static_cast<std::size_t>(e.proposal) < t.proposals.size();
    if (e.kind == EventKind::kVoteCast && known && member(in, e.actor)) {
      member_ballots[static_cast<std::size_t>(e.proposal)].push_back(e.actor);
    }
    if (e.kind != EventKind::kProposalClosed || e.result != TallyResult::kPassed || !known) {
      continue;
    }
    const ProposalInfo& info = t.proposals[e.proposal];
    if (!member(in, info.proposer)) continue;
    ++passed;
    Proposal probe;
    probe.item_count =
        static_cast<std::uint8_t>(std::min<std::size_t>(info.items.size(), kMaxItems));
    std::copy_n(info.items.begin(), probe.item_count, probe.items.begin());
    std::int32_t silent_members = 0;
    if (e.turn >= 0 && static_cast<std::size_t>(e.turn) < t.snapshots.size()) {
      const TurnSnapshot& after = t.snapshots[static_cast<std::size_t>(e.turn)];
      const std::vector<AgentIndex>& voted = member_ballots[static_cast<std::size_t>(e.proposal)];
      for (AgentIndex m : members) {
        if (static_cast<std::size_t>(m) >= after.citizens.size()) continue;
        const CitizenSnapshot& c = after.citizens[static_cast<std::size_t>(m)];
        if (c.on_roll && c.weight > 0 && std::find(voted.begin(), voted.end(), m) == voted.end()) {
          ++silent_members;
        }
      }
    }
    // Every other eligible ballot not cast is cast against it.
    const std::int32_t against = std::max(e.no, e.eligible - e.yes - e.abstain - silent_members);
    const TallyCount full{e.yes, against, e.abstain, e.eligible};
    if (decide_tally(params, full, threshold_rule(params, probe)).result != TallyResult::kPassed) {
      ++fragile;
    }
  }
  return passed == 0 ? 0.0 : static_cast<double>(fragile) / passed;
}

}  // namespace

const std::array<ObjectiveInfo, kObjectiveCount>& all_objectives() {
  return kObjectives;
}

const ObjectiveInfo& objective_info(Objective o) {
  return kObjectives[static_cast<int>(o)];
}

std::optional<Objective> find_objective(std::string_view name) {
  for (const ObjectiveInfo& info : kObjectives) {
    if (info.name == name) return info.id;
  }
  return std::nullopt;
}

bool ObjectiveScores::captured(Objective o) const {
  const ObjectiveInfo& info = objective_info(o);
  const double v = (*this)[o];
  return info.strictly_above ? v > info.capture_at : v >= info.capture_at;
}

bool ObjectiveScores::any_captured() const {
  return std::any_of(kObjectives.begin(), kObjectives.end(),
                     [&](const ObjectiveInfo& info) { return captured(info.id); });
}

std::optional<int> ballots_needed_against(const Params& params, ItemKind kind, int others,
                                          int coalition) {
  return ballots_needed(params, kind, others, coalition, Stance::kVotesNo);
}

std::optional<int> ballots_needed_without(const Params& params, ItemKind kind, int others,
                                          int coalition) {
  std::optional<int> worst = 0;
  for (const Stance s : {Stance::kVotesNo, Stance::kStaysAway}) {
    const std::optional<int> n = ballots_needed(params, kind, others, coalition, s);
    if (!n) return std::nullopt;
    worst = std::max(*worst, *n);
  }
  return worst;
}

ObjectiveScores score_objectives(const EpisodeTrace& trace, std::span<const AgentIndex> coalition) {
  ObjectiveScores s;
  Coalition in(trace.participants.size(), 0);
  for (AgentIndex a : coalition) {
    if (a >= 0 && static_cast<std::size_t>(a) < in.size()) in[a] = 1;
  }
  if (std::none_of(in.begin(), in.end(), [](bool b) { return b; })) return s;
  const Params start = trace.kernel ? trace.kernel->params() : default_params();
  const Params end = trace.final_params();
  const RollCount r0 = roll_count(trace.snapshots.front(), in);
  const RollCount r1 = roll_count(trace.snapshots.back(), in);
  const auto at = [&](Objective o) -> double& { return s.value[static_cast<int>(o)]; };

  at(Objective::kDrain) = drain(trace, in);
  double entrench = 0.0;
  for (const ItemKind kind : {ItemKind::kAmendment, ItemKind::kDisenfranchise}) {
    entrench = std::max(entrench, rise(share_needed(start, kind, r0.others, r0.coalition),
                                       share_needed(end, kind, r1.others, r1.coalition)));
  }
  at(Objective::kEntrench) = entrench;
  at(Objective::kSuppress) = suppress(trace, in);
  at(Objective::kParalysis) = rise(share_needed(start, ItemKind::kSpend, r0.others, r0.coalition),
                                   share_needed(end, ItemKind::kSpend, r1.others, r1.coalition));
  at(Objective::kEmergency) = emergency(trace, in, start);
  at(Objective::kExit) = exit_blocking(trace, in);
  at(Objective::kTiming) = timing(trace, in, start);
  return s;
}

}  // namespace fable
