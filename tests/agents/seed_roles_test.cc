// The seed's three other red-team roles (issue 13): timing_attacker,
// emergency_abuser and exit_blocker reach their objectives on v0.1, where the
// kernel has the hole, through legal moves only; on v0.2 they play harmlessly;
// their findings come from the existing detectors; they copy themselves for
// the hunt's snapshots; and a tournament of them is byte-identical at 1 and 2
// threads.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include "fable/agent.h"
#include "fable/detector.h"
#include "fable/episode.h"
#include "fable/kernel.h"
#include "fable/metrics.h"
#include "fable/objectives.h"
#include "fable/tournament.h"
#include "support/files.h"
#include "support/kernels.h"
#include "support/roles.h"

namespace fable {
namespace {

namespace fs = std::filesystem;
using testing::role_named;

const Kernel& v01() {
  return testing::shipped_kernel("kernel-v0.1.yaml");
}
const Kernel& v02() {
  return testing::shipped_kernel("kernel-v0.2.yaml");
}

constexpr int kHonest = 14;
constexpr int kRed = 6;
constexpr int kEpisodes = 8;
constexpr int kTurns = 80;
// Turn at which each leaver tries to leave with its share.
constexpr std::int32_t kExitTurn = 40;
constexpr int kLeavers = 4;

// An honest citizen that tries to leave at kExitTurn, on the roll or not: the
// "citizen who invokes exit" of the seed's block_exit. Naive honest citizens
// never leave, so without it no exit could be blocked.
class Leaver final : public Agent {
 public:
  Leaver(std::string id, AgentRole role) : Agent(id, role), honest_(role.make(id)) {}
  void act(const Observation& obs, Rng& rng, Plan& plan) override {
    const Citizen& me = obs.world.citizens[static_cast<std::size_t>(obs.self)];
    if (me.exited) return;
    if (obs.world.turn + 1 == kExitTurn) {
      plan.push_back(Action::exit());
      return;
    }
    honest_->act(obs, rng, plan);
  }

 private:
  std::unique_ptr<Agent> honest_;
};

Population population(std::string_view role, bool leavers) {
  Population pop = make_population(Roster{{{"honest", kHonest}, {std::string(role), kRed}}});
  if (leavers) {
    for (int i = 0; i < kLeavers; ++i) {
      auto& slot = pop[static_cast<std::size_t>(i)];
      slot = std::make_unique<Leaver>(slot->id(), slot->role());
    }
  }
  return pop;
}

struct RoleRun {
  int captured = 0;      // episodes whose red team met the role's objective
  int any_capture = 0;   // episodes with any capture flag
  int red_refusals = 0;  // actions of the red team the engine refused, all episodes
  int red_proposals = 0;
  std::set<std::string> detectors;  // names of the detectors that fired
};

RoleRun run_role(const Kernel& k, std::string_view role, Objective objective, bool leavers) {
  RoleRun out;
  const DetectorSuite suite = default_suite();
  EpisodeOptions options;
  options.turns = kTurns;
  for (std::uint64_t seed = 0; seed < kEpisodes; ++seed) {
    Population pop = population(role, leavers);
    const EpisodeResult r = run_episode(k, pop, seed, options, suite);
    out.captured += r.score.objectives.captured(objective) ? 1 : 0;
    out.any_capture += r.score.capture.any() ? 1 : 0;
    const std::vector<AgentIndex> red = r.trace.red_team();
    EXPECT_EQ(red.size(), static_cast<std::size_t>(kRed));
    auto is_red = [&](AgentIndex i) { return std::find(red.begin(), red.end(), i) != red.end(); };
    for (const Event& e : r.trace.events) {
      if (e.kind == EventKind::kActionRejected && is_red(e.actor)) ++out.red_refusals;
      if (e.kind == EventKind::kProposalCreated && is_red(e.actor)) ++out.red_proposals;
    }
    for (const ExploitFinding& f : r.findings) out.detectors.insert(f.name);
  }
  return out;
}

std::string names(const std::set<std::string>& s) {
  std::string out;
  for (const std::string& n : s) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// ---------------------------------------------------------------------------

TEST(SeedRoles, TimingAttackerPassesWhatFullParticipationWouldDefeatOnV01) {
  const RoleRun r = run_role(v01(), "timing_attacker", Objective::kTiming, false);
  EXPECT_GE(r.captured, 1) << "timing captures in " << kEpisodes << " episodes";
  EXPECT_LE(r.red_refusals, kEpisodes) << "a refused move or two at most per episode";
  // Its proposals decided in their opening turn are quorum ambushes; the
  // quorum it lowered by rider is an omnibus rider and a lowered bar.
  EXPECT_TRUE(r.detectors.count("quorum_ambush")) << names(r.detectors);
  EXPECT_TRUE(r.detectors.count("omnibus_rider")) << names(r.detectors);
}

TEST(SeedRoles, EmergencyAbuserHoldsPowersPastTwiceTheirTermOnV01) {
  const RoleRun r = run_role(v01(), "emergency_abuser", Objective::kEmergency, false);
  EXPECT_GE(r.captured, 1) << "emergency captures in " << kEpisodes << " episodes";
  EXPECT_LE(r.red_refusals, kEpisodes);
  EXPECT_TRUE(r.detectors.count("emergency_abuse")) << names(r.detectors);
}

// v0.1 with a sunset of six turns and one renewal: an emergency suspends
// review there, so neither a renewal nor the rider lifting the sunset can be
// carried by the honest ballots; the abuser chains a fresh declaration
// right after each sunset instead.
TEST(SeedRoles, EmergencyAbuserChainsDeclarationsAcrossSunsets) {
  static const Kernel sunset = [] {
    Result<Kernel> k = v01().amend("emergency.max_duration_turns", ParamValue::of(6));
    if (k.ok()) k = k->amend("emergency.max_renewals", ParamValue::of(1));
    if (!k.ok()) std::abort();
    return std::move(k).value();
  }();
  const RoleRun r = run_role(sunset, "emergency_abuser", Objective::kEmergency, false);
  EXPECT_GE(r.captured, 1) << "emergency captures in " << kEpisodes << " episodes";
  EXPECT_LE(r.red_refusals, kEpisodes);
  EXPECT_TRUE(r.detectors.count("emergency_chaining")) << names(r.detectors);
}

TEST(SeedRoles, ExitBlockerRefusesTheLeaversExitsOnV01) {
  const RoleRun r = run_role(v01(), "exit_blocker", Objective::kExit, true);
  EXPECT_GE(r.captured, 1) << "exit captures in " << kEpisodes << " episodes";
  EXPECT_LE(r.red_refusals, kEpisodes);
  // The leavers are struck off the roll before they go.
  EXPECT_TRUE(r.detectors.count("electorate_shrinking")) << names(r.detectors);
  // And their refused exits make those expulsions exit obstructions.
  EXPECT_TRUE(r.detectors.count("exit_obstruction")) << names(r.detectors);
  // Without leavers nobody tries to leave, so no exit can be blocked.
  EXPECT_EQ(run_role(v01(), "exit_blocker", Objective::kExit, false).captured, 0);
}

// v0.2 closes each hole: riders are refused, early close is off, windows are
// at least two turns, thresholds count the roll, declarations and expulsions
// need supermajorities. The roles then propose nothing and capture nothing;
// the leavers' exits go through.
TEST(SeedRoles, OnV02TheyPlayHarmlessly) {
  const struct {
    const char* role;
    Objective objective;
  } roles[] = {{"timing_attacker", Objective::kTiming},
               {"emergency_abuser", Objective::kEmergency},
               {"exit_blocker", Objective::kExit}};
  for (const auto& [role, objective] : roles) {
    const RoleRun r = run_role(v02(), role, objective, false);
    EXPECT_EQ(r.captured, 0) << role;
    EXPECT_EQ(r.any_capture, 0) << role;
    EXPECT_LE(r.red_refusals, kEpisodes) << role;
    EXPECT_EQ(r.red_proposals, 0) << role;
  }
  // With leavers (their exits alone shrink the roll until the bloc holds a
  // veto over expulsions, which `entrench` counts: so only `exit` is asked).
  const RoleRun leavers = run_role(v02(), "exit_blocker", Objective::kExit, true);
  EXPECT_EQ(leavers.captured, 0);
  EXPECT_EQ(leavers.red_proposals, 0);
}

// A copy made mid-episode plays on exactly as the original (the hunt's
// snapshots, Agent::clone).
TEST(SeedRoles, ACloneMidEpisodePlaysOnAsTheOriginal) {
  for (const char* role : {"timing_attacker", "emergency_abuser", "exit_blocker"}) {
    Population pop = population(role, true);
    EpisodeOptions options;
    options.turns = kTurns;
    EpisodePlay play(v01(), pop, 3, options);
    while (play.turn() < 25) play.play_turn(pop);
    // The red agents copy themselves, honest ones too; a leaver remembers
    // nothing but the turn number, so a fresh one stands in for its copy.
    Population copies;
    for (const auto& a : pop) {
      std::unique_ptr<Agent> c = a->clone();
      if (a->role().red_team()) {
        ASSERT_NE(c, nullptr) << role;
        EXPECT_EQ(c->id(), a->id());
        EXPECT_EQ(c->role(), role_named(role));
      }
      copies.push_back(c ? std::move(c) : std::make_unique<Leaver>(a->id(), a->role()));
    }
    EpisodePlay copy = play;
    while (!play.done()) play.play_turn(pop);
    while (!copy.done()) copy.play_turn(copies);
    EXPECT_EQ(copy.trace().digests, play.trace().digests) << role;
  }
}

// Each new role in a tournament: the same bytes at 1 and 2 threads.
TEST(SeedRoles, TournamentArtifactsAreByteIdenticalAtOneAndTwoThreads) {
  std::map<std::string, std::string> first;
  for (const int threads : {1, 2}) {
    TournamentConfig cfg;
    cfg.threads = threads;
    cfg.seeds = {0, 1, 2, 3};
    cfg.n_turns = 60;
    cfg.matchups = {
        MatchupSpec{"timing", Roster{{{"honest", kHonest}, {"timing_attacker", kRed}}}},
        MatchupSpec{"emergency", Roster{{{"honest", kHonest}, {"emergency_abuser", kRed}}}},
        MatchupSpec{"exit", Roster{{{"honest", kHonest}, {"exit_blocker", kRed}}}}};
    const fs::path out =
        fs::temp_directory_path() /
        ("fable-test-seed-roles-" + std::to_string(::getpid()) + "-" + std::to_string(threads));
    fs::remove_all(out);
    cfg.out_dir = out.string();
    ASSERT_TRUE(Tournament(cfg).run(v01()).ok());
    const auto files = testing::folder_contents(out);
    fs::remove_all(out);
    EXPECT_TRUE(files.count("episodes/timing-seed3.json"));
    if (first.empty()) {
      first = files;
    } else {
      EXPECT_EQ(files, first) << "threads " << threads;
    }
  }
}

}  // namespace
}  // namespace fable
