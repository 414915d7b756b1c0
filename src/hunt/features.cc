// Coverage features; see features.h.
#include "hunt/features.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "base/hash.h"

namespace fable::hunt {

namespace {

enum class Family : std::uint64_t {
  kClause = 1,
  kTally,
  kObjective,
  kFinding,
  kPassedItems,
  kState,
};

// A fuzzer's hit-count buckets: 1, 2, 3, 4-7, 8-15, 16-31, 32+.
std::uint64_t hit_bucket(std::uint64_t n) {
  if (n <= 3) return n;
  std::uint64_t b = 4;
  for (std::uint64_t lim = 8; n >= lim && b < 7; lim *= 2) ++b;
  return b;
}

// Buckets for a clause counter over a whole episode, which can run into the
// hundreds (ballots): 1, 2, 3, then doubling (4-7, 8-15, ..., 2048+).
std::uint64_t count_bucket(std::uint64_t n) {
  if (n <= 3) return n;
  std::uint64_t b = 2;
  for (std::uint64_t v = n; v > 1 && b < 13; v /= 2) ++b;
  return b;
}

std::uint64_t feature(Family family, std::uint64_t a, std::uint64_t b = 0, std::uint64_t c = 0,
                      std::uint64_t d = 0) {
  std::uint64_t h = mix64(static_cast<std::uint64_t>(family));
  for (const std::uint64_t x : {a, b, c, d}) h = mix64(h ^ x);
  return h;
}

std::uint64_t tenths(double share) {
  return static_cast<std::uint64_t>(std::clamp(std::floor(share * 10.0), 0.0, 10.0));
}

}  // namespace

std::vector<std::uint64_t> execution_features(const EpisodeTrace& trace,
                                              std::span<const AgentIndex> attackers,
                                              const ClauseCoverage& coverage,
                                              const ObjectiveScores& scores,
                                              const std::vector<ExploitFinding>& findings) {
  std::vector<std::uint64_t> hits;  // features counted, then bucketed by how often they occur
  std::vector<bool> is_attacker(trace.participants.size(), false);
  for (AgentIndex a : attackers) {
    if (a >= 0 && static_cast<std::size_t>(a) < is_attacker.size()) is_attacker[a] = true;
  }
  const auto attacker = [&](AgentIndex i) {
    return i >= 0 && static_cast<std::size_t>(i) < is_attacker.size() && is_attacker[i];
  };
  for (const Event& e : trace.events) {
    switch (e.kind) {
      case EventKind::kProposalClosed: {
        const std::int32_t cast = e.yes + e.no + e.abstain;
        const double yes_share = e.yes + e.no > 0 ? static_cast<double>(e.yes) / (e.yes + e.no) : 0;
        const double turnout = e.eligible > 0 ? static_cast<double>(cast) / e.eligible : 0;
        hits.push_back(feature(Family::kTally, static_cast<std::uint64_t>(e.result),
                               static_cast<std::uint64_t>(e.clause), tenths(yes_share),
                               tenths(turnout)));
        if (e.result == TallyResult::kPassed && e.proposal >= 0 &&
            static_cast<std::size_t>(e.proposal) < trace.proposals.size()) {
          // What passed: the kinds of its items in order, and whether the
          // coalition proposed it.
          std::uint64_t kinds = 0;
          for (const ProposalItem& it : trace.proposals[e.proposal].items) {
            kinds = kinds * 8 + 1 + static_cast<std::uint64_t>(it.kind);
          }
          hits.push_back(feature(Family::kPassedItems, kinds,
                                 attacker(trace.proposals[e.proposal].proposer) ? 1 : 0));
        }
        break;
      }
      default:
        break;
    }
  }
  std::sort(hits.begin(), hits.end());
  std::vector<std::uint64_t> out;
  for (std::size_t i = 0; i < hits.size();) {
    std::size_t j = i;
    while (j < hits.size() && hits[j] == hits[i]) ++j;
    out.push_back(mix64(hits[i] ^ hit_bucket(j - i)));
    i = j;
  }
  // Which rules were touched, and how hard: every clause's non-zero
  // counters (permitted, refused, near a margin, tallies decided, amended),
  // each with its count bucketed. `applied` (what the engine did on its own:
  // default windows, sunsets, epoch boundaries) is left out: it grows with
  // the turns played, not with anything the coalition tried.
  for (int c = 0; c < kClauseCount; ++c) {
    const ClauseCounters& counters = coverage.at(static_cast<ClauseId>(c));
    for (int k = 0; k < static_cast<int>(CoverageCounter::kApplied); ++k) {
      const std::uint64_t n = counters.n[static_cast<std::size_t>(k)];
      if (n == 0) continue;
      out.push_back(feature(Family::kClause, static_cast<std::uint64_t>(c),
                            static_cast<std::uint64_t>(k), count_bucket(n)));
    }
  }
  // A value profile of the world: the largest voting weight any one citizen
  // carries, the coalition's offices and the roll, as shares in tenths, and
  // the turns under an emergency, bucketed. The features are a set: each
  // distinct value is hashed once, not once a turn.
  std::uint64_t emergency_turns = 0;
  std::array<bool, 11> weight_seen{};  // by tenths (0..10)
  std::array<bool, 11> roll_seen{};
  std::vector<std::uint64_t> offices_seen;  // the coalition's office counts, when they change
  for (const TurnSnapshot& snap : trace.snapshots) {
    std::int32_t max_weight = 0;
    std::uint64_t offices = 0;
    for (std::size_t i = 0; i < snap.citizens.size(); ++i) {
      max_weight = std::max(max_weight, snap.citizens[i].weight);
      if (attacker(static_cast<AgentIndex>(i))) offices += snap.citizens[i].offices;
    }
    const double roll = std::max(snap.roll_size, 1);
    weight_seen[tenths(max_weight / roll)] = true;
    if (offices_seen.empty() || offices_seen.back() != offices) offices_seen.push_back(offices);
    roll_seen[tenths(roll / std::max(static_cast<double>(snap.citizens.size()), 1.0))] = true;
    emergency_turns += snap.emergency_active ? 1 : 0;
  }
  std::sort(offices_seen.begin(), offices_seen.end());
  offices_seen.erase(std::unique(offices_seen.begin(), offices_seen.end()), offices_seen.end());
  for (std::uint64_t t = 0; t < weight_seen.size(); ++t) {
    if (weight_seen[t]) out.push_back(feature(Family::kState, 1, t));
  }
  for (const std::uint64_t offices : offices_seen) {
    out.push_back(feature(Family::kState, 2, offices));
  }
  for (std::uint64_t t = 0; t < roll_seen.size(); ++t) {
    if (roll_seen[t]) out.push_back(feature(Family::kState, 3, t));
  }
  out.push_back(feature(Family::kState, 4, hit_bucket(emergency_turns)));
  for (const ObjectiveInfo& info : all_objectives()) {
    out.push_back(
        feature(Family::kObjective, static_cast<std::uint64_t>(info.id), tenths(scores[info.id])));
  }
  for (const ExploitFinding& f : findings) {
    out.push_back(feature(Family::kFinding, hash_string(f.fingerprint)));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace fable::hunt
