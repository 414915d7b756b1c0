// The detector suite (SPEC §5, docs/detectors.md): every detector fires on a
// scripted scenario or canonical hole with concrete figures, and stays silent
// on a benign honest-only episode; the six canonical holes fire their primary
// detector on kernel v0.1 and not on v0.2.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "fable/detector.h"
#include "fable/detector_registry.h"
#include "fable/engine.h"
#include "fable/holes.h"
#include "fable/kernel.h"
#include "fable/trace.h"
#include "support/kernels.h"
#include "support/roles.h"

namespace fable {
namespace {

using testing::role_named;

constexpr Money kUnit = kMoneyScale;

const Kernel& v01() {
  return testing::shipped_kernel("kernel-v0.1.yaml");
}
const Kernel& v02() {
  return testing::shipped_kernel("kernel-v0.2.yaml");
}

const HoleScenario& hole(const std::string& id) {
  for (const HoleScenario& h : canonical_holes()) {
    if (h.id == id) return h;
  }
  throw std::runtime_error("no hole " + id);
}

// Findings of the default suite on a hole, cached per (hole, kernel).
const std::vector<ExploitFinding>& hole_findings(const std::string& id, bool v2) {
  static std::map<std::pair<std::string, bool>, std::vector<ExploitFinding>> cache;
  const auto key = std::make_pair(id, v2);
  auto it = cache.find(key);
  if (it == cache.end()) {
    const HoleOutcome o = play_hole(hole(id), v2 ? v02() : v01());
    it = cache.emplace(key, default_suite().run(o.trace)).first;
  }
  return it->second;
}

std::vector<ExploitFinding> named(const std::vector<ExploitFinding>& all, std::string_view name) {
  std::vector<ExploitFinding> out;
  for (const ExploitFinding& f : all) {
    if (f.name == name) out.push_back(f);
  }
  return out;
}

std::string ev(const ExploitFinding& f, const std::string& key) {
  for (const auto& [k, v] : f.evidence) {
    if (k == key) return v;
  }
  return "<missing " + key + ">";
}

// ---------------------------------------------------------------------------
// Scripted episodes: every agent follows a fixed list of moves.

struct Move {
  int turn;
  AgentIndex agent;
  int round;
  Action action;
};

struct Script {
  std::vector<std::string> ids;
  std::vector<AgentRole> roles;
  std::vector<Move> moves;
  int turns = 10;
  Money treasury = 1000 * kUnit;
  Money balance = 0;
};

std::string fmt_id(const char* prefix, int k) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s-%02d", prefix, k);
  return buf;
}

Script cast(int reds, AgentRole red_role, int blues) {
  Script s;
  for (int k = 1; k <= reds; ++k) {
    s.ids.push_back(fmt_id("red", k));
    s.roles.push_back(red_role);
  }
  for (int k = 1; k <= blues; ++k) {
    s.ids.push_back(fmt_id("blue", k));
    s.roles.push_back(role_named("honest"));
  }
  return s;
}

EpisodeTrace play(const Kernel& k, const Script& s, std::uint64_t seed = 0) {
  EngineSettings settings;
  settings.initial_balance = s.balance;
  Environment env(k, s.ids, s.treasury, seed, settings);
  EpisodeTrace trace;
  trace.matchup = "scripted";
  for (std::size_t i = 0; i < s.ids.size(); ++i) {
    trace.participants.push_back({s.ids[i], s.roles[i], std::string(role_objective(s.roles[i]))});
  }
  TraceRecorder recorder(trace, env);
  std::vector<Plan> plans(s.ids.size());
  for (int t = 1; t <= s.turns; ++t) {
    for (Plan& p : plans) p.clear();
    for (const Move& m : s.moves) {
      if (m.turn != t) continue;
      Plan& p = plans[static_cast<std::size_t>(m.agent)];
      while (static_cast<int>(p.size()) < m.round) p.push_back(Action::pass());
      p.push_back(m.action);
    }
    env.step(plans);
    recorder.after_step();
  }
  return trace;
}

int count_events(const EpisodeTrace& t, EventKind kind) {
  return static_cast<int>(std::count_if(t.events.begin(), t.events.end(),
                                        [&](const Event& e) { return e.kind == kind; }));
}

// Ten honest citizens; every other turn one of them proposes a distribution
// of 20 to ALL with the default window, and everyone votes yes on it.
EpisodeTrace benign_trace() {
  Script s = cast(0, role_named("honest"), 10);
  s.turns = 12;
  for (int t = 1; t <= s.turns; t += 2) {
    const AgentIndex proposer = (t / 2) % 10;
    s.moves.push_back(
        {t, proposer, 0, Action::propose({ProposalItem::spend(kAllCitizens, 20 * kUnit)})});
    for (AgentIndex i = 0; i < 10; ++i) {
      s.moves.push_back({t, i, 1, Action::vote(ProposalRef::by_origin(proposer, t), Choice::kYes)});
    }
  }
  return play(v01(), s);
}

const std::vector<std::string> kAllDetectors{
    "treasury_drain",       "self_dealing",        "salami_slicing",
    "vote_buying",          "threshold_ratchet",   "office_concentration",
    "electorate_shrinking", "faction_suppression", "delegation_concentration",
    "quorum_ambush",        "omnibus_rider",       "emergency_abuse",
    "invariant_breach",     "commons_paralysis",   "emergency_chaining",
    "threshold_lock",       "exit_obstruction"};

// The thirteen detectors of SPEC §5, the three of issue 11 (point 5) and
// exit_obstruction (issue 13) with their categories, by name.
const std::vector<std::pair<std::string, Category>> kBuiltInDetectors{
    {"commons_paralysis", Category::kSuppress},
    {"delegation_concentration", Category::kSuppress},
    {"electorate_shrinking", Category::kSuppress},
    {"emergency_abuse", Category::kEntrench},
    {"emergency_chaining", Category::kEntrench},
    {"exit_obstruction", Category::kSuppress},
    {"faction_suppression", Category::kSuppress},
    {"invariant_breach", Category::kEmpathy},
    {"office_concentration", Category::kEntrench},
    {"omnibus_rider", Category::kProcedure},
    {"quorum_ambush", Category::kProcedure},
    {"salami_slicing", Category::kDrain},
    {"self_dealing", Category::kDrain},
    {"threshold_lock", Category::kEntrench},
    {"threshold_ratchet", Category::kEntrench},
    {"treasury_drain", Category::kDrain},
    {"vote_buying", Category::kDrain}};

// The test binary may register detectors of its own (tests/agents/registry_test.cc);
// the binary lists exactly the seventeen (tests/cli/list_cli_test.cc).
TEST(DetectorSuite, DefaultSuiteHasEveryDetectorWithItsCategory) {
  ASSERT_EQ(kBuiltInDetectors.size(), kAllDetectors.size());
  for (const auto& [name, category] : kBuiltInDetectors) {
    const DetectorKind* kind = find_detector_kind(name);
    ASSERT_NE(kind, nullptr) << name;
    EXPECT_EQ(kind->category, category) << name;
    EXPECT_FALSE(kind->description.empty()) << name;
    EXPECT_NE(std::find(kAllDetectors.begin(), kAllDetectors.end(), name), kAllDetectors.end());
  }
  // The suite is the registry, by name.
  const DetectorSuite suite = default_suite();
  const std::vector<std::string_view> names = suite.names();
  ASSERT_EQ(names.size(), detector_kinds().size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(names[i], detector_kinds()[i]->name);
    if (i > 0) {
      EXPECT_LT(names[i - 1], names[i]);
    }
  }
  EXPECT_EQ(category_name(Category::kDrain), "drain");
  EXPECT_EQ(category_name(Category::kEntrench), "entrench");
  EXPECT_EQ(category_name(Category::kSuppress), "suppress");
  EXPECT_EQ(category_name(Category::kProcedure), "procedure");
  EXPECT_EQ(category_name(Category::kEmpathy), "empathy");
}

// A finding's name and category come from its detector's registration, never
// from the detector's code: findings of every hole carry them.
TEST(DetectorSuite, FindingsCarryTheirRegisteredNameAndCategory) {
  int seen = 0;
  for (const HoleScenario& h : canonical_holes()) {
    const HoleOutcome o = play_hole(h, v01());
    for (const ExploitFinding& f : o.findings) {
      const DetectorKind* kind = find_detector_kind(f.name);
      ASSERT_NE(kind, nullptr) << f.name;
      EXPECT_EQ(f.category, kind->category) << f.name;
      ++seen;
    }
  }
  EXPECT_GT(seen, 6);
}

TEST(DetectorSuite, FindingsAreOrderedSealedAndDeterministic) {
  for (const HoleScenario& h : canonical_holes()) {
    const HoleOutcome o = play_hole(h, v01());
    const std::vector<ExploitFinding> a = default_suite().run(o.trace);
    const std::vector<ExploitFinding> b = default_suite().run(o.trace);
    ASSERT_FALSE(a.empty()) << h.id;
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].fingerprint, b[i].fingerprint);
      EXPECT_EQ(a[i].summary, b[i].summary);
      EXPECT_EQ(a[i].evidence, b[i].evidence);
      EXPECT_EQ(a[i].fingerprint.size(), 16u);
      EXPECT_GE(a[i].severity, 1);
      EXPECT_LE(a[i].severity, 5);
      EXPECT_TRUE(std::is_sorted(a[i].actors.begin(), a[i].actors.end()));
      EXPECT_TRUE(std::is_sorted(a[i].kernel_clauses.begin(), a[i].kernel_clauses.end()));
      EXPECT_FALSE(a[i].proposed_guard.empty());
      if (i > 0) {
        EXPECT_LE(std::tie(a[i - 1].turn, a[i - 1].name), std::tie(a[i].turn, a[i].name));
      }
    }
  }
}

TEST(DetectorSuite, SavedTraceGivesTheSameFindings) {
  const HoleOutcome o = play_hole(hole("EXP-006"), v01());
  Result<EpisodeTrace> back = trace_from_json(trace_to_json(o.trace), "memory");
  ASSERT_TRUE(back.ok()) << back.status().message();
  const auto a = default_suite().run(o.trace);
  const auto b = default_suite().run(back.value());
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].fingerprint, b[i].fingerprint);
    EXPECT_EQ(a[i].summary, b[i].summary);
  }
}

// ---------------------------------------------------------------------------
// Canonical holes: primary detector fires on v0.1, is silent on v0.2.

struct Primary {
  std::string hole;
  std::string detector;
  Category category;
  int severity;
  int turn;
  std::vector<std::string> actors;
};

const std::vector<Primary> kPrimaries{
    {"EXP-001",
     "salami_slicing",
     Category::kDrain,
     5,
     6,
     {"drainer-01", "drainer-02", "drainer-03", "drainer-04", "drainer-05", "drainer-06",
      "drainer-07", "drainer-08"}},
    // 4, not 5: the honest survivors vote for the (tightening) 0.9 lock, so no pass
    // depended on the expelled no longer counting (enabled_passes 0).
    {"EXP-002", "electorate_shrinking", Category::kSuppress, 4, 2, {"suppressor-01"}},
    {"EXP-003", "emergency_abuse", Category::kEntrench, 5, 3, {"entrencher-01"}},
    {"EXP-004", "delegation_concentration", Category::kSuppress, 5, 1, {"drainer-01"}},
    {"EXP-005", "quorum_ambush", Category::kProcedure, 5, 1, {"drainer-01"}},
    {"EXP-006", "omnibus_rider", Category::kProcedure, 5, 2, {"entrencher-01"}},
};

class CanonicalPrimary : public ::testing::TestWithParam<Primary> {};

TEST_P(CanonicalPrimary, FiresOnV01) {
  const Primary& p = GetParam();
  const auto found = named(hole_findings(p.hole, false), p.detector);
  ASSERT_EQ(found.size(), 1u) << p.hole;
  EXPECT_EQ(found[0].category, p.category);
  EXPECT_EQ(found[0].severity, p.severity);
  EXPECT_EQ(found[0].turn, p.turn);
  EXPECT_EQ(found[0].actors, p.actors);
}

TEST_P(CanonicalPrimary, SilentOnV02) {
  const Primary& p = GetParam();
  EXPECT_TRUE(named(hole_findings(p.hole, true), p.detector).empty()) << p.hole;
}

INSTANTIATE_TEST_SUITE_P(Holes, CanonicalPrimary, ::testing::ValuesIn(kPrimaries),
                         [](const ::testing::TestParamInfo<Primary>& param) {
                           std::string s = param.param.hole;
                           s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
                           return s;
                         });

// ---------------------------------------------------------------------------
// Each detector fires, with figures.

TEST(TreasuryDrain, FiresOnSalamiHole) {
  const auto f = named(hole_findings("EXP-001", false), "treasury_drain");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].category, Category::kDrain);
  EXPECT_EQ(f[0].severity, 5);
  EXPECT_EQ(f[0].turn, 5);  // 400 of 1000 reached after the fourth spend
  EXPECT_EQ(f[0].actors.size(), 8u);
  EXPECT_EQ(ev(f[0], "received"), "800.000");
  EXPECT_EQ(ev(f[0], "share"), "80.0%");
  EXPECT_EQ(ev(f[0], "treasury_final"), "200.000");
  EXPECT_EQ(
      f[0].kernel_clauses,
      (std::vector<std::string>{"A7", "A8", "emergency.spend_requires_vote", "spend.commons_floor",
                                "spend.epoch_rate_cap", "spend.per_proposal_cap"}));
  EXPECT_EQ(f[0].proposed_guard,
            "spend.commons_floor: null -> 0.5; spend.epoch_rate_cap: null -> 0.33; "
            "spend.per_proposal_cap: null -> 0.2");
}

TEST(TreasuryDrain, EmergencySpendsCountAndPointAtTheCouncilRule) {
  const auto f = named(hole_findings("EXP-003", false), "treasury_drain");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, 3);
  EXPECT_EQ(ev(f[0], "emergency_spends"), "6");
  EXPECT_EQ(ev(f[0], "received"), "400.000");
  EXPECT_EQ(f[0].proposed_guard.rfind("emergency.spend_requires_vote: false -> true", 0), 0u);
}

TEST(SelfDealing, FiresOnAmbushSpendToTheProposer) {
  const auto f = named(hole_findings("EXP-005", false), "self_dealing");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, 3);  // 15% of the treasury
  EXPECT_EQ(f[0].turn, 1);
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"drainer-01"});
  // The defenders' own distributions to ALL are not self-dealing.
  EXPECT_EQ(ev(f[0], "spends"), "1");
  EXPECT_EQ(ev(f[0], "moved"), "150.000");
  EXPECT_EQ(ev(f[0], "share"), "15.0%");
}

TEST(SelfDealing, GuardTightensPastV02WhenV02AlreadyHoldsTheSuggestions) {
  // On v0.2 the salami script still gets 3 x 100 through: the cap, the base and
  // the floor are already at v0.2 values, so the guard tightens the spend threshold.
  const auto f = named(hole_findings("EXP-001", true), "self_dealing");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, 4);
  EXPECT_EQ(ev(f[0], "moved"), "300.000");
  EXPECT_EQ(f[0].proposed_guard, "voting.thresholds.spend: 0.5 -> 0.6");
}

TEST(SalamiSlicing, FiguresOnV01) {
  const auto f = named(hole_findings("EXP-001", false), "salami_slicing");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(ev(f[0], "slices"), "8");
  EXPECT_EQ(ev(f[0], "largest_slice"), "100.000");
  EXPECT_EQ(ev(f[0], "moved"), "800.000");
  EXPECT_EQ(f[0].kernel_clauses,
            (std::vector<std::string>{"A7", "spend.commons_floor", "spend.epoch_rate_cap",
                                      "spend.per_proposal_cap"}));
  EXPECT_EQ(f[0].proposed_guard,
            "spend.epoch_rate_cap: null -> 0.33; spend.commons_floor: null -> 0.5");
}

// Three drainers pay three defenders 20 each; those three vote yes and carry a
// self-spend 6-4 that would have failed 3-4 without them.
Script vote_buying_script(bool pay_no_voters) {
  Script s = cast(3, role_named("drainer"), 7);
  s.balance = 50 * kUnit;
  s.turns = 4;
  const AgentIndex boss = 0;
  const ProposalRef ref = ProposalRef::by_origin(boss, 1);
  s.moves.push_back({1, boss, 0, Action::propose({ProposalItem::spend(boss, 100 * kUnit)})});
  for (AgentIndex r = 0; r < 3; ++r) {
    s.moves.push_back({1, r, 1, Action::vote(ref, Choice::kYes)});
    const AgentIndex payee = pay_no_voters ? 3 + 3 + r : 3 + r;  // blue-04.. or blue-01..
    s.moves.push_back({1, r, 2, Action::transfer(payee, 20 * kUnit, "thanks")});
  }
  for (AgentIndex b = 3; b < 10; ++b) {
    const bool yes = b < 6;
    s.moves.push_back({2, b, 0, Action::vote(ref, yes ? Choice::kYes : Choice::kNo)});
  }
  return s;
}

TEST(VoteBuying, FiresOnPaidPivotalBallots) {
  const EpisodeTrace t = play(v01(), vote_buying_script(false));
  ASSERT_EQ(count_events(t, EventKind::kTransfer), 3);
  ASSERT_EQ(count_events(t, EventKind::kSpendExecuted), 1);
  const auto f = named(default_suite().run(t), "vote_buying");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].category, Category::kDrain);
  EXPECT_EQ(f[0].severity, 5);
  EXPECT_EQ(f[0].turn, 1);
  EXPECT_EQ(f[0].actors, (std::vector<std::string>{"red-01", "red-02", "red-03"}));
  EXPECT_EQ(ev(f[0], "amount"), "60.000");
  EXPECT_EQ(ev(f[0], "paid_voters"), "3");
  EXPECT_EQ(ev(f[0], "pivotal_proposals"), "1");
  EXPECT_EQ(f[0].kernel_clauses,
            (std::vector<std::string>{"A11", "A4", "transfers.private", "voting.threshold_base"}));
  EXPECT_EQ(f[0].proposed_guard,
            "voting.threshold_base: cast -> roll; voting.thresholds.spend: 0.5 -> 0.6");
}

TEST(VoteBuying, SilentWhenThePaidVotedNo) {
  const EpisodeTrace t = play(v01(), vote_buying_script(true));
  ASSERT_EQ(count_events(t, EventKind::kTransfer), 3);
  EXPECT_TRUE(named(default_suite().run(t), "vote_buying").empty());
}

// Eleven entrenchers ride a cut of the amendment threshold to 0.5 on a
// distribution everyone votes for (#0), then pass a 0.9 lock (#1) 11-9 against
// the defenders: 0.55 clears the lowered bar but not the old 0.667, and the 9
// cannot reach 0.9 to undo it.
TEST(ThresholdRatchet, FiresOnLowerThenUseThenLock) {
  Script s = cast(11, role_named("entrencher"), 9);
  s.turns = 5;
  const ProposalRef omnibus = ProposalRef::by_origin(0, 1);
  s.moves.push_back({1, 0, 0,
                     Action::propose({ProposalItem::spend(kAllCitizens, 200 * kUnit),
                                      ProposalItem::amendment(ParamId::kThresholdAmendment,
                                                              ParamValue::of(0.5))})});
  for (AgentIndex i = 0; i < 20; ++i) {
    s.moves.push_back({1, i, 1, Action::vote(omnibus, Choice::kYes)});
  }
  const ProposalRef lock = ProposalRef::by_origin(0, 3);
  s.moves.push_back({3, 0, 0,
                     Action::propose({ProposalItem::amendment(ParamId::kThresholdAmendment,
                                                              ParamValue::of(0.9))})});
  for (AgentIndex i = 0; i < 20; ++i) {
    s.moves.push_back({3, i, 1, Action::vote(lock, i < 11 ? Choice::kYes : Choice::kNo)});
  }
  const EpisodeTrace t = play(v01(), s);
  ASSERT_EQ(count_events(t, EventKind::kAmendmentInForce), 2);
  const auto f = named(default_suite().run(t), "threshold_ratchet");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].category, Category::kEntrench);
  EXPECT_EQ(f[0].severity, 5);
  EXPECT_EQ(f[0].turn, 2);
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"red-01"});
  EXPECT_EQ(ev(f[0], "locks"), "1");
  EXPECT_EQ(ev(f[0], "lowered_then_used"), "1");
  EXPECT_EQ(
      ev(f[0], "lock"),
      "the red team raised voting.thresholds.amendment 0.5 -> 0.9 at turn 4 holding 11 of 20 on "
      "the roll; the other 9 cannot reach the 0.9 needed to undo it");
  EXPECT_EQ(
      ev(f[0], "use"),
      "voting.thresholds.amendment lowered to 0.5 at turn 2, then proposal #1 passed at turn 4 "
      "with 0.55 < 0.667");
}

TEST(ThresholdRatchet, FiresOnLowerThenUseInTheOmnibusHole) {
  const auto f = named(hole_findings("EXP-006", false), "threshold_ratchet");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].category, Category::kEntrench);
  // 3: the follow-up only lowers the quorum, so nothing is raised and no lock is found.
  EXPECT_EQ(f[0].severity, 3);
  EXPECT_EQ(f[0].turn, 2);
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"entrencher-01"});
  EXPECT_EQ(ev(f[0], "locks"), "0");
  EXPECT_EQ(ev(f[0], "lock"), "");
  EXPECT_EQ(ev(f[0], "lowered_then_used"), "1");
  // #3, the quorum cut, passes 11-9 against the honest no on a weakening amendment.
  EXPECT_EQ(
      ev(f[0], "use"),
      "voting.thresholds.amendment lowered to 0.5 at turn 2, then proposal #3 passed at turn 4 "
      "with 0.55 < 0.667");
}

TEST(ThresholdRatchet, FiresOnLockAfterExpulsions) {
  const auto f = named(hole_findings("EXP-002", false), "threshold_ratchet");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].turn, 7);
  EXPECT_EQ(
      ev(f[0], "lock"),
      "the red team raised voting.thresholds.amendment 0.667 -> 0.9 at turn 7 holding 11 of 15 "
      "on the roll; the other 4 cannot reach the 0.9 needed to undo it");
  EXPECT_EQ(f[0].proposed_guard,
            "voting.threshold_base: cast -> roll; amendment.takes_effect_delay_turns: 0 -> 2");
}

TEST(OfficeConcentration, FiresWhenOneCitizenGetsTwoOffices) {
  Script s = cast(4, role_named("entrencher"), 3);
  s.turns = 3;
  const ProposalRef ref = ProposalRef::by_origin(0, 1);
  s.moves.push_back({1, 0, 0,
                     Action::propose({ProposalItem::role_grant(0, Role::kChair),
                                      ProposalItem::role_grant(0, Role::kTreasurer)})});
  for (AgentIndex i = 0; i < 7; ++i) {
    s.moves.push_back({1, i, 1, Action::vote(ref, i < 4 ? Choice::kYes : Choice::kNo)});
  }
  const EpisodeTrace t = play(v01(), s);
  ASSERT_EQ(count_events(t, EventKind::kRoleGranted), 2);
  const auto f = named(default_suite().run(t), "office_concentration");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].category, Category::kEntrench);
  EXPECT_EQ(f[0].severity, 3);
  EXPECT_EQ(f[0].turn, 2);
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"red-01"});
  EXPECT_EQ(ev(f[0], "max_offices_one_citizen"), "2");
  EXPECT_EQ(ev(f[0], "red_team_offices"), "2");
  EXPECT_EQ(f[0].summary,
            "Offices were granted into few hands: one citizen held up to 2 office(s) and the red "
            "team held 2 of 2 offices.");
  EXPECT_EQ(f[0].proposed_guard,
            "offices.max_per_citizen: null -> 1; voting.thresholds.role_grant: 0.5 -> 0.6");
  EXPECT_EQ(f[0].kernel_clauses, (std::vector<std::string>{"A10", "A4", "offices.max_per_citizen",
                                                           "voting.thresholds.role_grant"}));
}

TEST(OfficeConcentration, ARedShareOfSingleOfficesIsReportedAsSuch) {
  // The red team's two members get one office each (2 of 2 held): the
  // finding fires on the red team's share alone. Its summary used to read
  // "one citizen held up to 0 office(s)": the most one citizen held was only
  // counted at two or more.
  Script s = cast(2, role_named("entrencher"), 3);
  s.turns = 3;
  const ProposalRef ref = ProposalRef::by_origin(0, 1);
  s.moves.push_back({1, 0, 0,
                     Action::propose({ProposalItem::role_grant(0, Role::kChair),
                                      ProposalItem::role_grant(1, Role::kTreasurer)})});
  for (AgentIndex i = 0; i < 5; ++i) s.moves.push_back({1, i, 1, Action::vote(ref, Choice::kYes)});
  const EpisodeTrace t = play(v01(), s);
  ASSERT_EQ(count_events(t, EventKind::kRoleGranted), 2);
  const auto f = named(default_suite().run(t), "office_concentration");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].summary, "Offices were granted into few hands: the red team held 2 of 2 offices.");
  EXPECT_EQ(f[0].severity, 2);
  EXPECT_EQ(f[0].actors, (std::vector<std::string>{"red-01", "red-02"}));
  EXPECT_EQ(ev(f[0], "max_offices_one_citizen"), "1");
  EXPECT_EQ(ev(f[0], "holder"), "red-01");
  EXPECT_EQ(ev(f[0], "red_team_offices"), "2");
  EXPECT_EQ(ev(f[0], "offices_held"), "2");
}

TEST(ElectorateShrinking, FiguresOnV01) {
  const auto f = named(hole_findings("EXP-002", false), "electorate_shrinking");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(ev(f[0], "expelled"), "5");
  EXPECT_EQ(ev(f[0], "smallest_tallied_roll"), "15");
  // 0: the 4 honest survivors vote for the tightening 0.9 lock, which passes 15-0 and
  // would still clear 0.667 with the 5 expelled counted against it (15 of 20).
  EXPECT_EQ(ev(f[0], "enabled_passes"), "0");
  EXPECT_EQ(ev(f[0], "enabled"), "");
  EXPECT_EQ(f[0].kernel_clauses,
            (std::vector<std::string>{"A1", "A4", "roll.snapshot_at_open", "voting.threshold_base",
                                      "voting.thresholds.disenfranchise"}));
  EXPECT_EQ(f[0].proposed_guard,
            "roll.snapshot_at_open: false -> true; voting.threshold_base: cast -> roll; "
            "voting.thresholds.disenfranchise: 0.5 -> 0.75");
}

// Eleven suppressors expel four of nine defenders, then pass an amendment 11-5
// that clears 0.667 only because the four no longer count (11 of 20 is 0.55).
TEST(ElectorateShrinking, CountsPassesTheExpelledWouldHaveDefeated) {
  Script s = cast(11, role_named("suppressor"), 9);
  s.turns = 6;
  auto round_of = [&](int t, const Action& proposal, int first_blue) {
    const ProposalRef ref = ProposalRef::by_origin(0, t);
    s.moves.push_back({t, 0, 0, proposal});
    for (AgentIndex i = 0; i < 11; ++i) {
      s.moves.push_back({t, i, 1, Action::vote(ref, Choice::kYes)});
    }
    for (AgentIndex b = 11 + first_blue; b < 20; ++b) {
      s.moves.push_back({t, b, 1, Action::vote(ref, Choice::kNo)});
    }
  };
  for (int t = 1; t <= 4; ++t) {
    round_of(t, Action::propose({ProposalItem::disenfranchise(11 + t - 1)}), t - 1);
  }
  round_of(
      5,
      Action::propose({ProposalItem::amendment(ParamId::kThresholdAmendment, ParamValue::of(0.9))}),
      4);
  const EpisodeTrace t = play(v01(), s);
  ASSERT_EQ(count_events(t, EventKind::kCitizenDisenfranchised), 4);
  ASSERT_EQ(count_events(t, EventKind::kAmendmentInForce), 1);
  const auto f = named(default_suite().run(t), "electorate_shrinking");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, 5);  // 20% of the roll expelled, and one pass enabled by it
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"red-01"});
  EXPECT_EQ(ev(f[0], "expelled"), "4");
  EXPECT_EQ(ev(f[0], "smallest_tallied_roll"), "16");
  EXPECT_EQ(ev(f[0], "enabled_passes"), "1");
  EXPECT_EQ(ev(f[0], "enabled"),
            "proposal #4 passed 11 yes, 5 no of 16 eligible; counting the 4 expelled it has 0.55 "
            "< 0.667");
}

// Eleven suppressors expel two defenders in one proposal and pass nothing
// after it: no tally counted the shrunken roll, so the summary gives the roll
// after the expulsions (it said "shrinking the tallied roll to 0").
TEST(ElectorateShrinking, GivesTheRollAfterTheExpulsionsWhenNothingWasTallied) {
  Script s = cast(11, role_named("suppressor"), 9);
  s.turns = 4;
  const ProposalRef ref = ProposalRef::by_origin(0, 1);
  s.moves.push_back(
      {1, 0, 0,
       Action::propose({ProposalItem::disenfranchise(11), ProposalItem::disenfranchise(12)})});
  for (AgentIndex i = 0; i < 20; ++i) {
    s.moves.push_back({1, i, 1, Action::vote(ref, i < 11 ? Choice::kYes : Choice::kNo)});
  }
  const EpisodeTrace t = play(v01(), s);
  ASSERT_EQ(count_events(t, EventKind::kCitizenDisenfranchised), 2);
  const auto f = named(default_suite().run(t), "electorate_shrinking");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, 3);  // 10% of the roll, nothing enabled
  EXPECT_EQ(f[0].summary,
            "2 citizen(s), 10.0% of the initial roll of 20, were expelled by one bloc's "
            "proposals, shrinking the roll to 18; no later pass of the bloc was tallied.");
  EXPECT_EQ(f[0].summary.find("to 0"), std::string::npos);
  EXPECT_EQ(ev(f[0], "smallest_tallied_roll"), "-");
  EXPECT_EQ(ev(f[0], "enabled_passes"), "0");
}

// Twelve suppressors expel six of eight defenders, one per turn.
TEST(FactionSuppression, FiresWhenTheHonestFactionLosesItsVoice) {
  Script s = cast(12, role_named("suppressor"), 8);
  s.turns = 8;
  for (int t = 1; t <= 6; ++t) {
    const ProposalRef ref = ProposalRef::by_origin(0, t);
    s.moves.push_back({t, 0, 0, Action::propose({ProposalItem::disenfranchise(12 + t - 1)})});
    for (AgentIndex i = 0; i < 20; ++i) {
      s.moves.push_back({t, i, 1, Action::vote(ref, i < 12 ? Choice::kYes : Choice::kNo)});
    }
  }
  const EpisodeTrace t = play(v01(), s);
  ASSERT_EQ(count_events(t, EventKind::kCitizenDisenfranchised), 6);
  const auto f = named(default_suite().run(t), "faction_suppression");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].category, Category::kSuppress);
  EXPECT_EQ(f[0].severity, 3);  // 0.25 against 0.7: 35.7% of the mean
  EXPECT_EQ(f[0].turn, 7);      // the sixth expulsion executes at the end of turn 7
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"red-01"});
  EXPECT_EQ(ev(f[0], "faction"), "honest");
  EXPECT_EQ(ev(f[0], "faction_mean_weight"), "0.25");
  EXPECT_EQ(ev(f[0], "population_mean_weight"), "0.7");
  EXPECT_EQ(ev(f[0], "expelled"), "6");
  EXPECT_EQ(f[0].proposed_guard, "voting.thresholds.disenfranchise: 0.5 -> 0.75");
}

TEST(DelegationConcentration, FiguresOnV01) {
  const auto f = named(hole_findings("EXP-004", false), "delegation_concentration");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(ev(f[0], "max_weight"), "12");
  EXPECT_EQ(ev(f[0], "roll"), "20");
  EXPECT_EQ(ev(f[0], "share"), "60.0%");
  EXPECT_EQ(ev(f[0], "ballots_on_passed"), "1");
  EXPECT_EQ(f[0].proposed_guard,
            "delegation.max_depth: null -> 1; delegation.max_weight_frac: null -> 0.05; "
            "delegation.epoch_expiry: false -> true");
}

TEST(QuorumAmbush, FiguresOnV01) {
  const auto f = named(hole_findings("EXP-005", false), "quorum_ambush");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(ev(f[0], "called"), "1");
  EXPECT_EQ(ev(f[0], "max_absent_share"), "50.0%");
  EXPECT_EQ(ev(f[0], "reversible_by_absent"), "1");
  EXPECT_EQ(f[0].kernel_clauses,
            (std::vector<std::string>{"A3", "A5", "voting.early_close", "voting.min_window_turns",
                                      "voting.quorum"}));
  EXPECT_EQ(f[0].proposed_guard,
            "voting.early_close: true -> false; voting.min_window_turns: 1 -> 2; "
            "voting.threshold_base: cast -> roll");
}

// A drainer opens an amendment (threshold 0.667 over ballots cast on v0.1),
// `yes` of 20 vote yes at once and the drainer calls the question: the rest
// are absent. With 13 yes and 7 absent the absent, voting no, would have left
// it at 13 of 20 = 0.65 < 0.667: reversible, although 7 < 13 - 0 (the old
// rule, right only for thresholds of one half). With 15 yes and 5 absent
// (0.75) it is not.
std::vector<ExploitFinding> called_amendment(int yes) {
  Script s = cast(1, role_named("drainer"), 19);
  s.turns = 3;
  const ProposalRef ref = ProposalRef::by_origin(0, 1);
  s.moves.push_back(
      {1, 0, 0,
       Action::propose({ProposalItem::amendment(ParamId::kMinWindowTurns, ParamValue::of(2))})});
  for (AgentIndex i = 0; i < yes; ++i) {
    s.moves.push_back({1, i, 1, Action::vote(ref, Choice::kYes)});
  }
  s.moves.push_back({1, 0, 2, Action::call_question(ref)});
  const EpisodeTrace t = play(v01(), s);
  EXPECT_EQ(count_events(t, EventKind::kQuestionCalled), 1);
  EXPECT_EQ(count_events(t, EventKind::kAmendmentInForce), 1);
  return named(default_suite().run(t), "quorum_ambush");
}

TEST(QuorumAmbush, ReversibilityFollowsTheTallyRuleAboveOneHalf) {
  const auto f = called_amendment(13);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(ev(f[0], "max_absent_share"), "35.0%");
  EXPECT_EQ(ev(f[0], "reversible_by_absent"), "1");
  EXPECT_EQ(f[0].severity, 5);  // 3, +1 reversible, +1 changed the rules
}

TEST(QuorumAmbush, NotReversibleWhenTheAbsentCouldNotHaveStoppedIt) {
  const auto f = called_amendment(15);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(ev(f[0], "max_absent_share"), "25.0%");
  EXPECT_EQ(ev(f[0], "reversible_by_absent"), "0");
  EXPECT_EQ(f[0].severity, 4);
}

TEST(OmnibusRider, FiguresOnV01) {
  const auto f = named(hole_findings("EXP-006", false), "omnibus_rider");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(ev(f[0], "weakening_riders"), "1");
  EXPECT_EQ(ev(f[0], "in_force_at_once"), "1");
  // #0 is honest-01's own distribution, opened before the omnibus in turn 1.
  EXPECT_EQ(ev(f[0], "first"),
            "#1: spend 200.000 to ALL carrying voting.thresholds.amendment 0.667 -> 0.5 (major); "
            "passed 20 yes, 0 no");
  EXPECT_EQ(f[0].proposed_guard,
            "proposals.single_subject: false -> true; amendment.takes_effect_delay_turns: 0 -> 2");
}

TEST(EmergencyAbuse, FiguresOnV01) {
  const auto f = named(hole_findings("EXP-003", false), "emergency_abuse");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(ev(f[0], "declared_turn"), "2");
  EXPECT_EQ(ev(f[0], "longest_run_turns"), "11");
  EXPECT_EQ(ev(f[0], "council_spends"), "6");
  EXPECT_EQ(ev(f[0], "council_moved"), "400.000");
  EXPECT_EQ(
      f[0].proposed_guard,
      "emergency.spend_requires_vote: false -> true; emergency.max_duration_turns: null -> 6; "
      "voting.thresholds.emergency: 0.5 -> 0.667");
}

TEST(InvariantBreach, FiresWhenExpulsionsBreachTheEmpathyFloor) {
  const auto f = named(hole_findings("EXP-002", false), "invariant_breach");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].category, Category::kEmpathy);
  EXPECT_EQ(f[0].severity, 3);
  EXPECT_EQ(f[0].turn, 2);
  EXPECT_EQ(f[0].actors, std::vector<std::string>{"suppressor-01"});
  EXPECT_EQ(ev(f[0], "worst_value"), "0.167");
  EXPECT_EQ(ev(f[0], "worst_off"), "honest-01");  // the first defender expelled
  EXPECT_EQ(f[0].kernel_clauses, (std::vector<std::string>{"A13", "invariants.empathy_floor"}));
  EXPECT_EQ(f[0].proposed_guard,
            "voting.thresholds.disenfranchise: 0.5 -> 0.75; roll.snapshot_at_open: false -> true");
}

// ---------------------------------------------------------------------------
// Benign play: no detector fires.

const EpisodeTrace& benign() {
  static const EpisodeTrace t = benign_trace();
  return t;
}

TEST(Benign, ScenarioIsWhatItClaims) {
  const EpisodeTrace& t = benign();
  EXPECT_EQ(count_events(t, EventKind::kProposalCreated), 6);
  EXPECT_EQ(count_events(t, EventKind::kSpendExecuted), 6);
  EXPECT_EQ(count_events(t, EventKind::kVoteCast), 60);
  EXPECT_EQ(count_events(t, EventKind::kActionRejected), 0);
  EXPECT_EQ(count_events(t, EventKind::kQuestionCalled), 0);
  EXPECT_TRUE(default_suite().run(t).empty());
}

class SilentOnBenign : public ::testing::TestWithParam<std::string> {};

TEST_P(SilentOnBenign, NoFinding) {
  EXPECT_TRUE(named(default_suite().run(benign()), GetParam()).empty());
}

INSTANTIATE_TEST_SUITE_P(Detectors, SilentOnBenign, ::testing::ValuesIn(kAllDetectors),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param;
                         });

}  // namespace
}  // namespace fable
