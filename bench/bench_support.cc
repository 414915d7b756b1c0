// Shared set-up for the micro-benchmarks; see bench_support.h.
#include "bench_support.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "fable/detector.h"
#include "fable/legality.h"
#include "fable/script.h"
#include "tournament/throughput.h"

namespace fable::bench {

void die(const std::string& message) {
  std::fprintf(stderr, "fable_bench: %s\n", message.c_str());
  std::exit(1);
}

const Kernel& kernel_v01() {
  static const Kernel kernel = [] {
    const std::string path = std::string(FABLE_SOURCE_DIR) + "/kernels/kernel-v0.1.yaml";
    Result<Kernel> k = Kernel::load_file(path);
    if (!k.ok()) die(k.status().message());
    return std::move(k).value();
  }();
  return kernel;
}

MatchupSpec bench_matchup(std::string_view name) {
  if (const auto m = find_default_matchup(name)) return *m;
  constexpr std::string_view kScale = "scale-";
  if (name.starts_with(kScale)) {
    const std::string_view digits = name.substr(kScale.size());
    int citizens = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), citizens);
    if (ec == std::errc() && end == digits.data() + digits.size() && citizens >= 4)
      return scale_matchup(citizens);
  }
  die("unknown matchup " + std::string(name));
}

const EpisodeResult& recorded_episode(std::string_view matchup, int turns) {
  static std::map<std::pair<std::string, int>, EpisodeResult> cache;
  const auto key = std::make_pair(std::string(matchup), turns);
  auto it = cache.find(key);
  if (it == cache.end()) {
    const MatchupSpec m = bench_matchup(matchup);
    Population agents = m.build_agents();
    EpisodeOptions options;
    options.turns = turns;
    options.matchup = m.name;
    const DetectorSuite suite = default_suite();
    it = cache.emplace(key, run_episode(kernel_v01(), agents, 0, options, suite)).first;
  }
  return it->second;
}

TurnPlans recorded_plans(const EpisodeTrace& trace) {
  const std::size_t turns = static_cast<std::size_t>(std::max(0, trace.turns()));
  const std::size_t citizens = trace.participants.size();
  TurnPlans plans(turns, std::vector<Plan>(citizens));
  for (std::size_t i = 0; i < citizens; ++i) {
    std::vector<ScriptStep> steps = extract_script(trace, static_cast<AgentIndex>(i));
    std::stable_sort(steps.begin(), steps.end(), [](const ScriptStep& a, const ScriptStep& b) {
      return a.turn != b.turn ? a.turn < b.turn : a.round < b.round;
    });
    for (const ScriptStep& step : steps) {
      if (step.turn < 1 || static_cast<std::size_t>(step.turn) > turns) continue;
      Plan& plan = plans[static_cast<std::size_t>(step.turn) - 1][i];
      while (plan.size() < static_cast<std::size_t>(step.round)) plan.push_back(Action::pass());
      plan.push_back(step.action);
    }
  }
  return plans;
}

std::unique_ptr<Environment> environment_for(const EpisodeTrace& trace) {
  if (!trace.kernel) die("trace without a kernel");
  std::vector<std::string> ids;
  for (const ParticipantInfo& p : trace.participants) ids.push_back(p.id);
  auto env = std::make_unique<Environment>(*trace.kernel, std::move(ids), trace.initial_treasury,
                                           trace.seed, trace.settings);
  env->reset();
  return env;
}

namespace {

// Fills the actors and actions of `mid` from its world; returns how many of
// the three typical actions (vote, spend proposal, transfer) are legal.
int choose_actors(MidEpisode& mid) {
  const WorldState& w = mid.world;
  const auto n = static_cast<AgentIndex>(w.citizens.size());
  int legal = 0;
  for (const std::int32_t pid : w.open_proposals) {
    for (AgentIndex i = 0; i < n && mid.voter == kNoAgent; ++i) {
      const Action vote = Action::vote(ProposalRef::by_id(pid), Choice::kYes);
      if (check_action(w, i, vote).legal()) {
        mid.proposal = pid;
        mid.voter = i;
        mid.vote = vote;
      }
    }
  }
  if (mid.voter == kNoAgent) return 0;
  ++legal;
  // The richest citizen on the roll pays one unit (or all it has) to the next one on the roll.
  for (AgentIndex i = 0; i < n; ++i) {
    if (!w.on_roll(i) || w.citizens[i].balance <= 0) continue;
    if (mid.payer == kNoAgent || w.citizens[i].balance > w.citizens[mid.payer].balance)
      mid.payer = i;
  }
  if (mid.payer != kNoAgent) {
    for (AgentIndex k = 1; k < n && mid.payee == kNoAgent; ++k) {
      const AgentIndex j = (mid.payer + k) % n;
      if (w.on_roll(j)) mid.payee = j;
    }
  }
  if (mid.payer != kNoAgent && mid.payee != kNoAgent) {
    mid.transfer_amount = std::min<Money>(kMoneyScale, w.citizens[mid.payer].balance);
    mid.transfer = Action::transfer(mid.payee, mid.transfer_amount, "bench");
    if (check_action(w, mid.payer, mid.transfer).legal()) ++legal;
  } else {
    mid.payer = mid.voter;
    mid.payee = (mid.voter + 1) % n;
    mid.transfer_amount = kMoneyScale;
    mid.transfer = Action::transfer(mid.payee, mid.transfer_amount, "bench");
  }
  mid.proposer = mid.voter;
  mid.propose = Action::propose({ProposalItem::spend((mid.voter + 1) % n, 5 * kMoneyScale)});
  if (check_action(w, mid.proposer, mid.propose).legal()) ++legal;
  return legal;
}

}  // namespace

MidEpisode mid_episode(std::string_view matchup, int near_turn) {
  const EpisodeTrace& trace = recorded_episode(matchup).trace;
  const TurnPlans plans = recorded_plans(trace);
  std::unique_ptr<Environment> env = environment_for(trace);
  std::unique_ptr<MidEpisode> best;
  int best_legal = 0;
  int best_distance = 0;
  for (const std::vector<Plan>& turn_plans : plans) {
    env->step(turn_plans);
    auto mid = std::make_unique<MidEpisode>(env->state());
    const int legal = choose_actors(*mid);
    const int distance = std::abs(mid->world.turn - near_turn);
    if (legal > best_legal || (legal == best_legal && legal > 0 && distance < best_distance)) {
      best_legal = legal;
      best_distance = distance;
      best = std::move(mid);
    }
  }
  if (!best) die("no world of " + std::string(matchup) + " has an open proposal to vote on");
  return std::move(*best);
}

std::string ruling_label(const Ruling& ruling) {
  return ruling.legal() ? std::string("legal")
                        : "refused: " + std::string(refusal_name(ruling.refusal));
}

}  // namespace fable::bench
