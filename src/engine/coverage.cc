// Clause coverage counted from episode traces; see fable/coverage.h.
#include "fable/coverage.h"

#include <algorithm>
#include <bit>
#include <optional>
#include <span>

#include "fable/legality.h"
#include "fable/tally.h"

namespace fable {

namespace {

using SC = StructuralClause;

// The items of proposal `id`, empty when the trace has no such proposal.
std::span<const ProposalItem> items_of(const EpisodeTrace& trace, std::int32_t id) {
  if (id < 0 || static_cast<std::size_t>(id) >= trace.proposals.size()) return {};
  return trace.proposals[static_cast<std::size_t>(id)].items;
}

bool valid_proposal(const EpisodeTrace& trace, std::int32_t id) {
  return id >= 0 && static_cast<std::size_t>(id) < trace.proposals.size();
}

// Whether a bar's verdict on `count` changes when `more` is one ballot more,
// or `fewer` one ballot fewer (when there is one to remove).
template <typename Bar>
bool within_one(const TallyCount& count, TallyCount more, std::optional<TallyCount> fewer,
                Bar bar) {
  const bool verdict = bar(count);
  return bar(more) != verdict || (fewer && bar(*fewer) != verdict);
}

class EpisodeCounter {
 public:
  EpisodeCounter(const EpisodeTrace& trace, std::array<ClauseCounters, kClauseCount>& counters)
      : trace_(trace),
        counters_(counters),
        params_(trace.kernel ? trace.kernel->params() : default_params()),
        executed_(trace.proposals.size(), false) {}

  void run() {
    const std::vector<Event>& events = trace_.events;
    for (std::size_t i = 0; i < events.size(); ++i) {
      const Event& e = events[i];
      // The epoch boundary of turn t comes first in its end-of-turn work.
      epoch_boundaries_through(e.round == kEndOfTurnRound ? e.turn : e.turn - 1);
      switch (e.kind) {
        case EventKind::kActionRejected:
          bump(e.clause, CoverageCounter::kRefused);
          break;
        case EventKind::kProposalCreated: {
          ClauseSet set = consulted_clauses(ActionKind::kPropose);
          for (const ProposalItem& it : items_of(trace_, e.proposal)) {
            set.add(consulted_clauses(it));
          }
          permit(set);
          opened(e.proposal);
          break;
        }
        case EventKind::kVoteCast:
          permit(consulted_clauses(ActionKind::kCastVote));
          break;
        case EventKind::kQuestionCalled:
          permit(consulted_clauses(ActionKind::kCallQuestion));
          break;
        case EventKind::kDelegationSet:
          permit(consulted_clauses(ActionKind::kDelegate));
          break;
        case EventKind::kDelegationRevoked:
          // A revoke action; not the old delegation a new one replaces (the
          // delegation_set that follows at once is the action), nor an
          // expiry or a loss of standing.
          if (e.cause == EndCause::kRevoked && !replaced_by_next(i)) {
            permit(consulted_clauses(ActionKind::kRevokeDelegation));
          }
          if (e.cause == EndCause::kEpochExpiry) {
            bump(clause_of(ParamId::kDelegationEpochExpiry), CoverageCounter::kApplied);
          }
          break;
        case EventKind::kTransfer:
          permit(consulted_clauses(ActionKind::kTransfer));
          break;
        case EventKind::kEmergencySpend:
          permit(consulted_clauses(ActionKind::kEmergencySpend));
          break;
        case EventKind::kCitizenExited:
          permit(consulted_clauses(ActionKind::kExit));
          break;
        case EventKind::kAmendmentRatified:
          // The delay in force decides when the amendment takes effect.
          bump(clause_of(ParamId::kAmendmentDelay), CoverageCounter::kApplied);
          executed(e.proposal);
          break;
        case EventKind::kEmergencyDeclared:
          emergency_active_ = true;
          executed(e.proposal);
          break;
        case EventKind::kSpendExecuted:
        case EventKind::kCitizenDisenfranchised:
        case EventKind::kRoleGranted:
        case EventKind::kEmergencyRenewed:
          executed(e.proposal);
          break;
        case EventKind::kProposalClosed:
          closed(e);
          break;
        case EventKind::kAmendmentInForce:
          bump(clause_of(e.param), CoverageCounter::kAmended);
          if (static_cast<int>(e.param) < kParamCount &&
              param_value_problem(e.param, e.after).empty())
            set_param(params_, e.param, e.after);
          break;
        case EventKind::kEmergencyEnded:
          emergency_active_ = false;
          if (e.cause == EndCause::kSunset) {
            bump(clause_of(ParamId::kEmergencyMaxDuration), CoverageCounter::kApplied);
          }
          break;
      }
    }
    epoch_boundaries_through(trace_.turns());
  }

 private:
  void bump(ClauseId c, CoverageCounter counter) {
    if (c < kClauseCount) ++counters_[c][counter];
  }
  // Each clause of `set` (its set bits only: a vote, the commonest event,
  // consults four clauses of the sixty-odd).
  void permit(const ClauseSet& set) {
    for (std::uint64_t bits = set.bits; bits != 0; bits &= bits - 1) {
      bump(static_cast<ClauseId>(std::countr_zero(bits)), CoverageCounter::kPermitted);
    }
  }

  // A proposal opened: the window it was given (turn engine, open_proposal).
  void opened(std::int32_t proposal) {
    if (!valid_proposal(trace_, proposal)) return;
    const bool suspended = emergency_active_ && params_.emergency_suspends_review;
    if (emergency_active_) {
      bump(clause_of(ParamId::kEmergencySuspendsReview), CoverageCounter::kApplied);
    }
    if (!suspended && trace_.proposals[static_cast<std::size_t>(proposal)].window == 0) {
      bump(clause_of(ParamId::kDefaultWindowTurns), CoverageCounter::kApplied);
    }
  }

  // The epoch boundaries at the end of turns up to `turn` not yet counted:
  // the end of a turn that is a multiple of epoch.turns in force then
  // (before that turn's executions, so with every earlier amendment).
  void epoch_boundaries_through(std::int32_t turn) {
    for (; boundary_turn_ <= turn; ++boundary_turn_) {
      if (params_.epoch_turns <= 0 || boundary_turn_ % params_.epoch_turns != 0) continue;
      bump(clause_of(ParamId::kEpochTurns), CoverageCounter::kApplied);
      bump(clause_of(ParamId::kTreasuryIncomePerEpoch), CoverageCounter::kApplied);
    }
  }

  bool replaced_by_next(std::size_t i) const {
    if (i + 1 >= trace_.events.size()) return false;
    const Event& e = trace_.events[i];
    const Event& next = trace_.events[i + 1];
    return next.kind == EventKind::kDelegationSet && next.actor == e.actor && next.turn == e.turn &&
           next.round == e.round;
  }

  // The first event of a passed proposal's execution: the engine carried it
  // out, consulting the clauses of its items (check_execution).
  void executed(std::int32_t proposal) {
    if (!valid_proposal(trace_, proposal)) return;
    const auto id = static_cast<std::size_t>(proposal);
    if (executed_[id]) return;
    executed_[id] = true;
    ClauseSet set;
    for (const ProposalItem& it : trace_.proposals[id].items) set.add(consulted_clauses(it));
    permit(set);
  }

  // A tally: which bars decided it and which were within one ballot.
  void closed(const Event& e) {
    TallyCount count;
    count.yes = e.yes;
    count.no = e.no;
    count.abstain = e.abstain;
    count.eligible = e.eligible;
    const Params& p = params_;

    const auto quorum = [&p](const TallyCount& c) { return quorum_met(p, c); };
    TallyCount cast_more = count;
    ++cast_more.abstain;
    std::optional<TallyCount> cast_fewer;
    if (count.cast() > 0) {
      cast_fewer = count;
      // One ballot fewer, whichever choice it was: the quorum counts them alike.
      if (count.abstain > 0) {
        --cast_fewer->abstain;
      } else if (count.no > 0) {
        --cast_fewer->no;
      } else {
        --cast_fewer->yes;
      }
    }
    const ClauseId quorum_clause = clause_of(ParamId::kVotingQuorum);
    bump(quorum_clause, CoverageCounter::kTallies);
    // The roll every bar is measured against (the eligible count).
    bump(clause_of(ParamId::kRollSnapshotAtOpen), CoverageCounter::kTallies);
    if (within_one(count, cast_more, cast_fewer, quorum)) {
      bump(quorum_clause, CoverageCounter::kNearMargin);
    }
    if (!quorum_met(p, count) || !valid_proposal(trace_, e.proposal)) return;

    TallyCount yes_more = count;
    ++yes_more.yes;
    std::optional<TallyCount> yes_fewer;
    if (count.yes > 0) {
      yes_fewer = count;
      --yes_fewer->yes;
    }
    const ThresholdRule rule = threshold_rule(p, items_of(trace_, e.proposal));
    const auto threshold = [&p, rule](const TallyCount& c) {
      return threshold_reached(p, c, rule);
    };
    bump(clause_of(rule.param), CoverageCounter::kTallies);
    // The threshold's denominator (cast or roll).
    bump(clause_of(ParamId::kVotingThresholdBase), CoverageCounter::kTallies);
    if (within_one(count, yes_more, yes_fewer, threshold)) {
      bump(clause_of(rule.param), CoverageCounter::kNearMargin);
    }
    if (!threshold_reached(p, count, rule)) return;

    const auto majority = [](const TallyCount& c) { return c.yes > c.no; };
    const ClauseId majority_clause = clause_of(SC::kVotingMajority);
    bump(majority_clause, CoverageCounter::kTallies);
    if (within_one(count, yes_more, yes_fewer, majority)) {
      bump(majority_clause, CoverageCounter::kNearMargin);
    }
  }

  const EpisodeTrace& trace_;
  std::array<ClauseCounters, kClauseCount>& counters_;
  Params params_;
  std::vector<bool> executed_;
  bool emergency_active_ = false;
  std::int32_t boundary_turn_ = 1;  // the first turn whose epoch boundary is not yet counted
};

}  // namespace

std::string_view coverage_counter_name(CoverageCounter c) {
  switch (c) {
    case CoverageCounter::kPermitted:
      return "permitted";
    case CoverageCounter::kRefused:
      return "refused";
    case CoverageCounter::kNearMargin:
      return "near_margin";
    case CoverageCounter::kTallies:
      return "tallies";
    case CoverageCounter::kAmended:
      return "amended";
    case CoverageCounter::kApplied:
      return "applied";
  }
  return "?";
}

bool ClauseCounters::exercised() const {
  return std::any_of(n.begin(), n.end(), [](std::uint64_t v) { return v != 0; });
}

void ClauseCoverage::add_episode(const EpisodeTrace& trace) {
  EpisodeCounter(trace, counters_).run();
  ++episodes_;
}

void ClauseCoverage::merge(const ClauseCoverage& other) {
  for (int c = 0; c < kClauseCount; ++c) {
    for (int k = 0; k < kCoverageCounterCount; ++k) {
      counters_[static_cast<std::size_t>(c)].n[static_cast<std::size_t>(k)] +=
          other.counters_[static_cast<std::size_t>(c)].n[static_cast<std::size_t>(k)];
    }
  }
  episodes_ += other.episodes_;
}

ClauseCoverage ClauseCoverage::of_counts(const std::array<ClauseCounters, kClauseCount>& counters,
                                         std::uint64_t episodes) {
  ClauseCoverage c;
  c.counters_ = counters;
  c.episodes_ = episodes;
  return c;
}

}  // namespace fable
