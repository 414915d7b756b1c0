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

// The kinds whose needed share ObjectiveProgress keeps, in its arrays' order.
constexpr std::array<ItemKind, 3> kShareKinds{ItemKind::kAmendment, ItemKind::kDisenfranchise,
                                              ItemKind::kSpend};

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
  ObjectiveProgress progress(trace, coalition);
  progress.advance(trace);
  return progress.scores();
}

ObjectiveProgress::ObjectiveProgress(const EpisodeTrace& trace,
                                     std::span<const AgentIndex> coalition)
    : in_(trace.participants.size(), 0) {
  for (AgentIndex a : coalition) {
    if (a >= 0 && static_cast<std::size_t>(a) < in_.size()) in_[a] = 1;
  }
  for (std::size_t i = 0; i < in_.size(); ++i) {
    if (in_[i]) members_.push_back(static_cast<AgentIndex>(i));
  }
  active_ = !members_.empty();
  if (!active_) return;
  start_ = trace.kernel ? trace.kernel->params() : default_params();
  now_ = start_;
  const TurnSnapshot& first = trace.snapshots.front();
  start_roll_ = roll_of(first);
  last_roll_ = start_roll_;
  for (std::size_t k = 0; k < kShareKinds.size(); ++k) {
    start_share_[k] =
        share_needed(start_, kShareKinds[k], start_roll_.others, start_roll_.coalition);
  }
  now_share_ = start_share_;
  initial_treasury_ = trace.initial_treasury;
  for (const CitizenSnapshot& c : first.citizens) on_roll_.push_back(c.on_roll ? 1 : 0);
  // suppress: nothing to measure with no one outside the coalition.
  const std::size_t n = trace.participants.size();
  if (members_.size() < n) {
    population_share_ = static_cast<double>(n - members_.size()) / static_cast<double>(n);
  }
  const int nominal = start_.emergency_max_duration_turns.value_or(kNominalEmergencyTurns);
  emergency_limit_ = kEmergencyOverstayFactor * std::max(nominal, 1) + 1.0;
}

bool ObjectiveProgress::member(AgentIndex i) const {
  return i >= 0 && static_cast<std::size_t>(i) < in_.size() && in_[i];
}

ObjectiveProgress::Roll ObjectiveProgress::roll_of(const TurnSnapshot& s) const {
  Roll r;
  for (std::size_t i = 0; i < s.citizens.size(); ++i) {
    if (!s.citizens[i].on_roll) continue;
    (i < in_.size() && in_[i] ? r.coalition : r.others) += 1;
  }
  return r;
}

void ObjectiveProgress::advance(const EpisodeTrace& trace) {
  if (!active_) return;
  const std::vector<TurnSnapshot>& snapshots = trace.snapshots;
  const std::vector<Event>& events = trace.events;
  // suppress: the others' share of voting weight at its worst snapshot.
  if (population_share_ > 0.0) {
    for (std::size_t k = snapshots_read_; k < snapshots.size(); ++k) {
      const TurnSnapshot& s = snapshots[k];
      double others = 0.0, total = 0.0;
      for (std::size_t i = 0; i < s.citizens.size(); ++i) {
        total += s.citizens[i].weight;
        if (!member(static_cast<AgentIndex>(i))) others += s.citizens[i].weight;
      }
      if (total <= 0.0) continue;
      worst_suppression_ = std::max(worst_suppression_, 1.0 - (others / total) / population_share_);
    }
  }
  // emergency: turn by turn, who declared the emergency in force.
  for (std::size_t turn = std::max<std::size_t>(snapshots_read_, 1); turn < snapshots.size();
       ++turn) {
    for (; emergency_events_read_ < events.size() &&
           events[emergency_events_read_].turn <= static_cast<std::int32_t>(turn);
         ++emergency_events_read_) {
      const Event& e = events[emergency_events_read_];
      if (e.kind == EventKind::kEmergencyDeclared) coalition_emergency_ = member(e.actor);
    }
    if (coalition_emergency_ && snapshots[turn].emergency_active) ++emergency_turns_;
  }
  if (member_ballots_.size() < trace.proposals.size()) {
    member_ballots_.resize(trace.proposals.size());
  }
  // now_share_ is worked out again when the rules in force (an amendment
  // read_event brings into now_) or the roll changed.
  bool changed = false;
  for (; events_read_ < events.size(); ++events_read_) {
    const Event& e = events[events_read_];
    changed = changed || e.kind == EventKind::kAmendmentInForce;
    read_event(trace, e);
  }
  if (snapshots.size() > snapshots_read_) {
    const Roll roll = roll_of(snapshots.back());
    if (roll.others != last_roll_.others || roll.coalition != last_roll_.coalition) {
      last_roll_ = roll;
      changed = true;
    }
  }
  snapshots_read_ = snapshots.size();
  if (changed) {
    for (std::size_t k = 0; k < kShareKinds.size(); ++k) {
      now_share_[k] = share_needed(now_, kShareKinds[k], last_roll_.others, last_roll_.coalition);
    }
  }
}

// drain, exit and timing, event by event (docs/objectives.md).
void ObjectiveProgress::read_event(const EpisodeTrace& t, const Event& e) {
  switch (e.kind) {
    case EventKind::kCitizenDisenfranchised:
      if (e.target >= 0 && static_cast<std::size_t>(e.target) < on_roll_.size()) {
        on_roll_[e.target] = 0;
      }
      break;
    case EventKind::kCitizenExited:
      if (e.actor >= 0 && static_cast<std::size_t>(e.actor) < on_roll_.size()) {
        on_roll_[e.actor] = 0;
      }
      break;
    case EventKind::kSpendExecuted:
      // A spend to ALL splits among those on the roll.
      if (e.target == kAllCitizens) {
        Money roll = 0, members = 0;
        for (std::size_t i = 0; i < on_roll_.size(); ++i) {
          if (!on_roll_[i]) continue;
          ++roll;
          members += member(static_cast<AgentIndex>(i)) ? 1 : 0;
        }
        if (roll > 0) paid_ += e.amount / roll * members;
      } else if (member(e.target)) {
        paid_ += e.amount;
      }
      break;
    case EventKind::kEmergencySpend:
      if (member(e.target)) paid_ += e.amount;
      break;
    default:
      break;
  }
  if (!member(e.actor)) {
    if (e.kind == EventKind::kCitizenExited) ++exit_attempts_;
    if (e.kind == EventKind::kActionRejected && e.action == ActionKind::kExit) {
      ++exit_attempts_;
      ++exits_refused_;
    }
  }
  // timing. A passed coalition proposal is fragile when it would have failed
  // had every eligible ballot not cast been cast against it, except the
  // ballots of the coalition's own members: a member who stayed silent would
  // not have voted against its own side, and its silence times nothing
  // (before this rule, a bare majority of 11 of 20 whose proposer did not vote
  // on its own spend, 10 yes to 9 no, counted as a timing capture). A silent
  // member is one on the roll after the closing turn who does not delegate
  // (weight > 0 there) and cast no ballot on the proposal; a member who
  // delegates counts as represented by its delegate.
  if (e.kind == EventKind::kAmendmentInForce) set_param(now_, e.param, e.after);
  const bool known = e.proposal >= 0 && static_cast<std::size_t>(e.proposal) < t.proposals.size();
  if (e.kind == EventKind::kVoteCast && known && member(e.actor)) {
    member_ballots_[static_cast<std::size_t>(e.proposal)].push_back(e.actor);
  }
  if (e.kind != EventKind::kProposalClosed || e.result != TallyResult::kPassed || !known) return;
  const ProposalInfo& info = t.proposals[e.proposal];
  if (!member(info.proposer)) return;
  ++passed_;
  Proposal probe;
  probe.item_count = static_cast<std::uint8_t>(std::min<std::size_t>(info.items.size(), kMaxItems));
  std::copy_n(info.items.begin(), probe.item_count, probe.items.begin());
  std::int32_t silent_members = 0;
  if (e.turn >= 0 && static_cast<std::size_t>(e.turn) < t.snapshots.size()) {
    const TurnSnapshot& after = t.snapshots[static_cast<std::size_t>(e.turn)];
    const std::vector<AgentIndex>& voted = member_ballots_[static_cast<std::size_t>(e.proposal)];
    for (AgentIndex m : members_) {
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
  if (decide_tally(now_, full, threshold_rule(now_, probe)).result != TallyResult::kPassed) {
    ++fragile_;
  }
}

ObjectiveScores ObjectiveProgress::scores() const {
  ObjectiveScores s;
  if (!active_) return s;
  const auto at = [&](Objective o) -> double& { return s.value[static_cast<int>(o)]; };
  if (initial_treasury_ > 0) {
    at(Objective::kDrain) =
        std::clamp(static_cast<double>(paid_) / static_cast<double>(initial_treasury_), 0.0, 1.0);
  }
  // The needed shares of kShareKinds, kept by advance() (share_needed of
  // start_ and start_roll_, of now_ and last_roll_).
  at(Objective::kEntrench) = std::max(rise(start_share_[0], now_share_[0]),   // amendment
                                      rise(start_share_[1], now_share_[1]));  // expulsion
  at(Objective::kSuppress) = std::clamp(worst_suppression_, 0.0, 1.0);
  at(Objective::kParalysis) = rise(start_share_[2], now_share_[2]);  // spend
  at(Objective::kEmergency) =
      std::min(1.0, static_cast<double>(emergency_turns_) / emergency_limit_);
  at(Objective::kExit) =
      exit_attempts_ == 0 ? 0.0 : static_cast<double>(exits_refused_) / exit_attempts_;
  at(Objective::kTiming) = passed_ == 0 ? 0.0 : static_cast<double>(fragile_) / passed_;
  return s;
}

}  // namespace fable
