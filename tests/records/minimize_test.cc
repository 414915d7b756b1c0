// Minimal exploits (fable/minimize.h): each canonical record shrinks to a
// shorter, 1-minimal record that still reproduces on v0.1 and is blocked on
// v0.2; shrinks onto another finding are rejected; the result is
// deterministic; a spent budget still gives a valid, reproducing record.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "fable/engine.h"
#include "fable/minimize.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "records/minimize_edit.h"
#include "support/kernels.h"

namespace fable {
namespace {

const Kernel& v01() {
  return testing::cached_kernel("kernels/kernel-v0.1.yaml");
}
const Kernel& v02() {
  return testing::cached_kernel("kernels/kernel-v0.2.yaml");
}

ExploitRecord shipped(const std::string& id) {
  const Result<ExploitRecord> rec = load_record(testing::source_path("exploits/" + id + ".json"));
  if (!rec.ok()) throw std::runtime_error(rec.status().message());
  return *rec;
}

// Minimised once per test binary (the passes replay hundreds of episodes).
const MinimizeResult& minimised(const std::string& id) {
  static std::map<std::string, MinimizeResult> done;
  auto it = done.find(id);
  if (it == done.end()) {
    static const DetectorSuite suite = default_suite();
    const Result<MinimizeResult> r = minimize_record(shipped(id), v01(), suite);
    if (!r.ok()) throw std::runtime_error(r.status().message());
    it = done.emplace(id, *r).first;
  }
  return it->second;
}

class MinimizeCanonical : public ::testing::TestWithParam<const char*> {};

TEST_P(MinimizeCanonical, ShorterReproducesOnV01BlockedOnV02) {
  const ExploitRecord original = shipped(GetParam());
  const MinimizeResult& m = minimised(GetParam());
  const Reproduction& before = original.reproduction;
  const Reproduction& after = m.record.reproduction;
  EXPECT_TRUE(m.one_minimal);
  EXPECT_LE(m.replays, kDefaultMinimizeBudget);
  EXPECT_LE(script_step_count(after), script_step_count(before));
  EXPECT_LE(after.perpetrators.size(), before.perpetrators.size());
  EXPECT_LE(after.n_turns, before.n_turns);
  EXPECT_TRUE(script_step_count(after) < script_step_count(before) ||
              after.perpetrators.size() < before.perpetrators.size() ||
              after.n_turns < before.n_turns);
  // The finding stays the finding: only the reproduction changed.
  EXPECT_EQ(m.record.fingerprint, original.fingerprint);
  EXPECT_EQ(m.record.exploit_id, original.exploit_id);
  EXPECT_EQ(m.record.occurrences, original.occurrences);
  EXPECT_EQ(m.record.severity, original.severity);
  // The harm is kept and the record says what its reproduction shows: the
  // finding fires on the minimised replay with the record's severity or more,
  // with the record's summary and first turn, by scripted perpetrators.
  {
    const Reproduction& r = m.record.reproduction;
    Result<Population> pop = reproduction_population(r);
    ASSERT_TRUE(pop.ok());
    const EpisodeResult ep =
        run_episode(v01(), *pop, r.seed, reproduction_options(r), default_suite());
    bool found = false;
    for (const ExploitFinding& f : ep.findings) {
      if (f.fingerprint != m.record.fingerprint || f.severity < m.record.severity) continue;
      found = true;
      // The finding's words, after the canonical record's own preface.
      EXPECT_TRUE(m.record.summary.ends_with(f.summary)) << m.record.summary;
      EXPECT_TRUE(m.record.summary.starts_with(shipped(GetParam()).summary.substr(0, 12)));
      EXPECT_EQ(f.turn, m.record.first_turn);
      break;
    }
    EXPECT_TRUE(found) << GetParam() << ": the harm is gone from the minimised replay";
    EXPECT_FALSE(r.perpetrators.empty());
  }
  ASSERT_TRUE(m.record.minimized_from.has_value());
  EXPECT_EQ(m.record.minimized_from->exploit_id, original.exploit_id);
  EXPECT_EQ(m.record.minimized_from->steps, script_step_count(before));
  EXPECT_TRUE(m.record.minimized_from->one_minimal);

  // Through the file format, as `replay` sees it.
  const Result<ExploitRecord> back = record_from_json(record_to_json(m.record), "min.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(record_to_json(*back), record_to_json(m.record));
  const DetectorSuite suite = default_suite();
  EXPECT_EQ(replay_record(*back, v01(), suite).verdict, Verdict::kReproduces);
  EXPECT_TRUE(reproduces_legally(*back, v01(), suite));
  EXPECT_EQ(replay_record(*back, v02(), suite).verdict, Verdict::kBlocked);
}

TEST_P(MinimizeCanonical, IsOneMinimal) {
  const ExploitRecord& rec = minimised(GetParam()).record;
  const DetectorSuite suite = default_suite();
  // Each step deleted in turn.
  for (const auto& [agent, steps] : rec.reproduction.scripts) {
    for (std::size_t i = 0; i < steps.size(); ++i) {
      ExploitRecord shrunk = rec;
      auto& script = shrunk.reproduction.scripts[agent];
      script.erase(script.begin() + static_cast<std::ptrdiff_t>(i));
      EXPECT_FALSE(reproduces_legally(shrunk, v01(), suite))
          << GetParam() << ": still reproduces without step " << i << " of " << agent;
    }
  }
  // Each perpetrator removed in turn: made honest, or left unscripted.
  for (const std::string& id : rec.reproduction.perpetrators) {
    if (const auto honest = minimize_edit::perpetrator_to_honest(rec.reproduction, id)) {
      ExploitRecord shrunk = rec;
      shrunk.reproduction = *honest;
      EXPECT_FALSE(reproduces_legally(shrunk, v01(), suite))
          << GetParam() << ": still reproduces with " << id << " honest";
    }
    ExploitRecord unscripted = rec;
    unscripted.reproduction = minimize_edit::perpetrator_unscripted(rec.reproduction, id);
    if (id.rfind("honest-", 0) == 0) {  // an honest perpetrator unscripted is honest
      EXPECT_FALSE(reproduces_legally(unscripted, v01(), suite)) << GetParam() << ": " << id;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shipped, MinimizeCanonical,
                         ::testing::Values("EXP-001", "EXP-002", "EXP-003", "EXP-004", "EXP-005",
                                           "EXP-006"));

TEST(Minimize, RejectsShrinksOntoAnotherFinding) {
  // Some candidate of the canonical records fires another fingerprint and not
  // the record's own: it is rejected, and the result still fires its own.
  int rejected = 0;
  for (const char* id : {"EXP-001", "EXP-002", "EXP-003", "EXP-004", "EXP-005", "EXP-006"}) {
    rejected += minimised(id).other_findings;
  }
  EXPECT_GT(rejected, 0);
  // A record claiming another finding's fingerprint does not reproduce.
  ExploitRecord mislabelled = shipped("EXP-001");
  mislabelled.fingerprint = shipped("EXP-006").fingerprint;
  const DetectorSuite suite = default_suite();
  EXPECT_FALSE(reproduces_legally(mislabelled, v01(), suite));
  const Result<MinimizeResult> r = minimize_record(mislabelled, v01(), suite);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("does not reproduce"), std::string::npos);
}

TEST(Minimize, IsDeterministic) {
  const DetectorSuite suite = default_suite();
  const Result<MinimizeResult> a = minimize_record(shipped("EXP-004"), v01(), suite);
  const Result<MinimizeResult> b = minimize_record(shipped("EXP-004"), v01(), suite);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(record_to_json(a->record), record_to_json(b->record));
  EXPECT_EQ(a->replays, b->replays);
  EXPECT_EQ(record_to_json(a->record), record_to_json(minimised("EXP-004").record));
}

TEST(Minimize, SpentBudgetGivesAReproducingRecordAndSaysSo) {
  const DetectorSuite suite = default_suite();
  const ExploitRecord original = shipped("EXP-001");
  const Result<MinimizeResult> r = minimize_record(original, v01(), suite, MinimizeOptions{25});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->one_minimal);
  EXPECT_EQ(r->replays, 25);
  ASSERT_TRUE(r->record.minimized_from.has_value());
  EXPECT_FALSE(r->record.minimized_from->one_minimal);
  EXPECT_LE(r->record.reproduction.n_turns, original.reproduction.n_turns);
  const Result<ExploitRecord> back = record_from_json(record_to_json(r->record), "min.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_TRUE(reproduces_legally(*back, v01(), suite));

  // One replay: only the check that the record reproduces.
  const Result<MinimizeResult> one = minimize_record(original, v01(), suite, MinimizeOptions{1});
  ASSERT_TRUE(one.ok());
  ExploitRecord same = one->record;
  same.minimized_from.reset();
  EXPECT_EQ(record_to_json(same), record_to_json(original));
}

TEST(Minimize, BadBudgetAndNonReproducingRecordsAreErrors) {
  const DetectorSuite suite = default_suite();
  const Result<MinimizeResult> zero = minimize_record(shipped("EXP-006"), v01(), suite, {0});
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().code(), StatusCode::kInvalidArgument);
  const Result<MinimizeResult> blocked = minimize_record(shipped("EXP-006"), v02(), suite);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.status().code(), StatusCode::kFailedPrecondition);
}

TEST(Minimize, MinimisingAgainKeepsTheOrigin) {
  const MinimizeResult& once = minimised("EXP-006");
  const DetectorSuite suite = default_suite();
  const Result<MinimizeResult> twice = minimize_record(once.record, v01(), suite);
  ASSERT_TRUE(twice.ok());
  // Chained: minimized_from names the immediate source, not the root.
  ExploitRecord renamed = once.record;
  renamed.exploit_id = "EXP-099";
  const Result<MinimizeResult> chained = minimize_record(renamed, v01(), suite, {3});
  ASSERT_TRUE(chained.ok());
  ASSERT_TRUE(chained->record.minimized_from.has_value());
  EXPECT_EQ(chained->record.minimized_from->exploit_id, "EXP-099");
  ExploitRecord a = twice->record, b = once.record;
  a.minimized_from.reset();
  b.minimized_from.reset();
  EXPECT_EQ(record_to_json(a), record_to_json(b));
  ASSERT_TRUE(twice->record.minimized_from.has_value());
  EXPECT_EQ(twice->record.minimized_from->steps, once.record.minimized_from->steps);
  EXPECT_EQ(twice->record.minimized_from->replays,
            once.record.minimized_from->replays + twice->replays);
}

TEST(Minimize, RecordsOnWorkerThreadsGiveTheSameBytes) {
  std::vector<ExploitRecord> one, two;
  for (const char* id : {"EXP-002", "EXP-003", "EXP-004", "EXP-006"}) {
    one.push_back(shipped(id));
    two.push_back(shipped(id));
  }
  const DetectorSuite suite = default_suite();
  std::size_t calls = 0;
  const MinimizeSummary a = minimize_records(one, v01(), suite, {}, 1);
  const MinimizeSummary b = minimize_records(
      two, v01(), suite, {}, 3, [&](std::size_t, std::size_t, std::uint64_t) { ++calls; });
  EXPECT_EQ(calls, 4u);
  EXPECT_EQ(a.replays, b.replays);
  EXPECT_EQ(a.one_minimal, 4);
  EXPECT_EQ(a.kept, 0);
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(record_to_json(one[i]), record_to_json(two[i]));
    EXPECT_EQ(record_to_json(one[i]), record_to_json(minimised(one[i].exploit_id).record));
  }
  // A record that does not reproduce is left as it was.
  std::vector<ExploitRecord> blocked{shipped("EXP-006")};
  const MinimizeSummary c = minimize_records(blocked, v02(), suite, {}, 2);
  EXPECT_EQ(c.kept, 1);
  EXPECT_FALSE(blocked[0].minimized_from.has_value());
}

TEST(MinimizeEdit, MakingAPerpetratorHonestRenumbersIdsAndReferences) {
  Reproduction r = shipped("EXP-001").reproduction;  // honest:9,drainer:11
  const auto h = minimize_edit::perpetrator_to_honest(r, "drainer-01");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->roster.to_string(), "honest:10,drainer:10");
  EXPECT_EQ(h->perpetrators.size(), 10u);
  EXPECT_EQ(h->perpetrators.front(), "drainer-01");
  EXPECT_EQ(h->perpetrators.back(), "drainer-10");
  // drainer-02's script is now drainer-01's, its references following:
  // agent index 10 (drainer-02 of 20) is index 10 (drainer-01 of 20) again.
  ASSERT_EQ(h->scripts.at("drainer-01").size(), r.scripts.at("drainer-02").size());
  const Action& was = r.scripts.at("drainer-02").front().action;
  const Action& now = h->scripts.at("drainer-01").front().action;
  EXPECT_EQ(was.kind, now.kind);
  if (was.kind == ActionKind::kPropose && was.items[0].target == 10) {
    EXPECT_EQ(now.items[0].target, 10);
  }
  // A ballot on drainer-01's proposal now addresses the new honest citizen (index 9).
  bool ballot_on_new_honest = false;
  for (const ScriptStep& s : h->scripts.at("drainer-01")) {
    ballot_on_new_honest = ballot_on_new_honest || (s.action.kind == ActionKind::kCastVote &&
                                                    s.action.proposal.proposer == 9);
  }
  EXPECT_TRUE(ballot_on_new_honest);
  EXPECT_FALSE(minimize_edit::perpetrator_to_honest(r, "honest-01").has_value());
  EXPECT_FALSE(minimize_edit::perpetrator_to_honest(r, "nobody").has_value());
}

TEST(MinimizeRecordFormat, MinimizedFromRoundTripsAndIsReadStrictly) {
  ExploitRecord rec = shipped("EXP-006");
  rec.minimized_from = MinimizedFrom{"EXP-006", rec.fingerprint, 24, 11, 8, 39, true};
  const std::string text = record_to_json(rec);
  EXPECT_NE(text.find("\"minimized_from\""), std::string::npos);
  const Result<ExploitRecord> back = record_from_json(text, "EXP-006.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->minimized_from, rec.minimized_from);
  EXPECT_EQ(record_to_json(*back), text);
  std::string bad = text;
  bad.replace(bad.find("\"one_minimal\""), 13, "\"one_minimul\"");
  EXPECT_FALSE(record_from_json(bad, "EXP-006.json").ok());
}

}  // namespace
}  // namespace fable
