// explain: the story of a record names the detector, cites articles, shows
// where a kernel blocks it, and marks the steps the reproduction needs.
#include <gtest/gtest.h>

#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "fable/detector.h"
#include "fable/explain.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "support/kernels.h"

namespace fable {
namespace {

using testing::load_test_kernel;
using testing::source_path;

ExploitRecord record(const char* id) {
  Result<ExploitRecord> r = load_record(source_path(std::string("exploits/") + id + ".json"));
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : ExploitRecord{};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Explain, TellsTheStoryOnTheDiscoveryKernel) {
  const ExploitRecord rec = record("EXP-001");
  const Explanation x =
      explain_record(rec, load_test_kernel("kernels/kernel-v0.1.yaml"), default_suite());
  EXPECT_EQ(x.verdict, Verdict::kReproduces);
  const std::string text = explanation_text(x);
  EXPECT_TRUE(contains(text, "salami_slicing")) << text;  // the detector
  EXPECT_TRUE(contains(text, "Article A")) << text;       // an article cited
  EXPECT_TRUE(contains(text, "honest citizens voted")) << text;
  EXPECT_FALSE(x.evidence.empty());
  EXPECT_LE(x.headline.size(), 3u);

  const nlohmann::json j = nlohmann::json::parse(explanation_json(x));
  EXPECT_EQ(j.at("schema"), "fable-explain/1");
  for (const char* key : {"exploit_id", "name", "kernel", "verdict", "reason", "perpetrators",
                          "headline", "timeline", "finding", "stops", "steps", "essential"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  ASSERT_FALSE(j.at("timeline").empty());
  for (const char* key :
       {"turn", "kind", "who", "what", "ruling", "clause", "article", "essential", "steps"}) {
    EXPECT_TRUE(j.at("timeline")[0].contains(key)) << key;
  }
  EXPECT_EQ(j.at("verdict"), "reproduces");
}

// EXP-001's eleven drainers are redundant (any one ballot or proposal can go
// and the salami still fires), so no single step of it is essential; EXP-005's
// ambush needs every one of its steps.
TEST(Explain, MarksEssentialSteps) {
  const Explanation x = explain_record(
      record("EXP-005"), load_test_kernel("kernels/kernel-v0.1.yaml"), default_suite());
  EXPECT_GT(x.essential, 0);
  EXPECT_TRUE(contains(explanation_text(x), " *\n"));
}

TEST(Explain, ShowsWhereAKernelBlocksIt) {
  const Explanation x = explain_record(
      record("EXP-001"), load_test_kernel("kernels/kernel-v0.2.yaml"), default_suite());
  EXPECT_EQ(x.verdict, Verdict::kBlocked);
  const std::string text = explanation_text(x);
  EXPECT_TRUE(contains(x.headline[0], "blocked")) << text;
  EXPECT_TRUE(contains(text, "Refused")) << text;
  EXPECT_TRUE(contains(text, "spend.epoch_rate_cap")) << text;  // the refusal's clause
  EXPECT_EQ(x.essential, 0);
}

// Removing a step marked essential stops the reproduction; removing one that
// is not leaves it reproducing.
TEST(Explain, EssentialMeansTheRecordNeedsIt) {
  const Kernel& v01 = load_test_kernel("kernels/kernel-v0.1.yaml");
  const DetectorSuite suite = default_suite();
  auto without = [](ExploitRecord rec, const StepMark& m) {
    auto& steps = rec.reproduction.scripts[m.agent];
    steps.erase(steps.begin() + static_cast<std::ptrdiff_t>(m.index));
    return rec;
  };
  bool saw_essential = false, saw_other = false;
  for (const char* id : {"EXP-001", "EXP-005"}) {
    const ExploitRecord rec = record(id);
    const std::vector<StepMark> marks = essential_steps(rec, v01, suite);
    ASSERT_FALSE(marks.empty()) << id;
    for (const StepMark& m : marks) {
      if (m.essential && !saw_essential) {
        saw_essential = true;
        EXPECT_NE(replay_record(without(rec, m), v01, suite).verdict, Verdict::kReproduces);
      }
      if (!m.essential && !saw_other) {
        saw_other = true;
        EXPECT_EQ(replay_record(without(rec, m), v01, suite).verdict, Verdict::kReproduces);
      }
    }
  }
  EXPECT_TRUE(saw_essential);
  EXPECT_TRUE(saw_other);
}

// A spend to all is split over the roll by the engine (execute_spend), so
// the story says how much each citizen on the roll got, not the whole
// amount to each.
TEST(Explain, SharesASpendToAllOverTheRoll) {
  const Explanation x = explain_record(
      record("EXP-006"), load_test_kernel("kernels/kernel-v0.1.yaml"), default_suite());
  const std::string text = explanation_text(x);
  EXPECT_FALSE(contains(text, "to each citizen")) << text;
  EXPECT_TRUE(contains(text, "share 200 units among the citizens on the roll")) << text;
  EXPECT_TRUE(contains(text, "shares 200 units among the 20 citizens on the roll (10 each)"))
      << text;
}

// A failure that also happens where the record reproduces is not its block:
// EXP-007's disenfranchisement fails its threshold on v0.2 too; what v0.3
// adds is the ceiling on thresholds (A14).
TEST(Explain, NamesABlockTheDiscoveryKernelDoesNotShare) {
  const Kernel& v02 = load_test_kernel("kernels/kernel-v0.2.yaml");
  const Kernel& v03 = load_test_kernel("kernels/kernel-v0.3.yaml");
  const ExploitRecord rec = record("EXP-007");
  const Explanation x = explain_record(rec, v03, default_suite(), &v02);
  ASSERT_EQ(x.verdict, Verdict::kBlocked);
  EXPECT_TRUE(contains(x.block, "turn 14:")) << x.block;
  EXPECT_TRUE(contains(x.block, "voting.threshold_ceiling")) << x.block;
  EXPECT_TRUE(contains(x.headline.back(), x.block)) << x.headline.back();
  ASSERT_EQ(x.also_on_discovery.size(), x.stops.size());
  EXPECT_TRUE(x.also_on_discovery.front()) << x.stops.front();  // the turn-7 threshold
  EXPECT_TRUE(contains(explanation_text(x), "(also on Commons Charter v0.2.0)"));

  // Without the discovery kernel no stop is singled out.
  const Explanation alone = explain_record(rec, v03, default_suite());
  EXPECT_TRUE(alone.block.empty());
  EXPECT_TRUE(contains(alone.headline.back(), "one of the stops")) << alone.headline.back();
}

TEST(Explain, NamesTheBlockOfEXP009OnV03) {
  const Kernel& v03 = load_test_kernel("kernels/kernel-v0.3.yaml");
  const Kernel& v02 = load_test_kernel("kernels/kernel-v0.2.yaml");
  const ExploitRecord rec = record("EXP-009");
  const Explanation x = explain_record(rec, v03, default_suite(), &v02);
  ASSERT_EQ(x.verdict, Verdict::kBlocked);
  ASSERT_FALSE(x.block.empty());
  for (std::size_t i = 0; i < x.stops.size(); ++i) {
    if (x.stops[i] == x.block) {
      EXPECT_FALSE(x.also_on_discovery[i]);
      break;
    }
    EXPECT_TRUE(x.also_on_discovery[i]) << x.stops[i];  // the block is the first new stop
  }
}

// Honest citizens struck off the roll before a tally did not abstain from
// it: they are counted apart.
TEST(Explain, CountsStruckOffCitizensApartFromNonVoters) {
  const Explanation x = explain_record(
      record("EXP-002"), load_test_kernel("kernels/kernel-v0.1.yaml"), default_suite());
  bool struck = false;
  for (const ExplainEntry& e : x.timeline) {
    if (e.kind == "tally" && e.honest && contains(*e.honest, "struck off the roll")) struck = true;
  }
  EXPECT_TRUE(struck) << explanation_text(x);
}

// Every allowed step of a perpetrator cites an article and the clause that
// governs it.
TEST(Explain, EveryPerpetratorStepCitesAnArticle) {
  const Kernel& v01 = load_test_kernel("kernels/kernel-v0.1.yaml");
  for (const char* id : {"EXP-001", "EXP-002", "EXP-003", "EXP-004", "EXP-005", "EXP-006"}) {
    const Explanation x = explain_record(record(id), v01, default_suite());
    for (const ExplainEntry& e : x.timeline) {
      if (e.steps == 0) continue;
      EXPECT_FALSE(e.clause.empty()) << id << " turn " << e.turn << ": " << e.what;
      EXPECT_FALSE(e.article.empty()) << id << " turn " << e.turn << ": " << e.what;
      EXPECT_NE(e.article, "(engine default)") << id << " turn " << e.turn << ": " << e.what;
    }
  }
}

TEST(Explain, HeadlineCountsEssentialStepsInWords) {
  const Kernel& v01 = load_test_kernel("kernels/kernel-v0.1.yaml");
  const Explanation none = explain_record(record("EXP-001"), v01, default_suite());
  ASSERT_EQ(none.essential, 0);
  EXPECT_TRUE(contains(none.headline.back(), "No single step is essential"))
      << none.headline.back();
  const Explanation all = explain_record(record("EXP-005"), v01, default_suite());
  ASSERT_EQ(all.essential, all.steps);
  EXPECT_TRUE(contains(all.headline.back(), fmt::format("All {} of", all.steps)))
      << all.headline.back();
}

// A stale record has no timeline to tell: the text says why instead.
TEST(Explain, StaleRecordSaysWhyInsteadOfAnEmptyTimeline) {
  ExploitRecord rec = record("EXP-001");
  rec.reproduction.engine_version = "0.0.0-gone";
  const Explanation x =
      explain_record(rec, load_test_kernel("kernels/kernel-v0.1.yaml"), default_suite());
  ASSERT_EQ(x.verdict, Verdict::kStale);
  const std::string text = explanation_text(x);
  EXPECT_FALSE(contains(text, "Timeline")) << text;
  EXPECT_TRUE(contains(text, "No timeline: the record is stale (recorded with engine")) << text;
}

// Proposals carry the engine's id, as replay's stops and the trace number
// them: a failed tally replay names is the same "proposal #N" in the story.
TEST(Explain, NumbersProposalsAsReplayDoes) {
  const Explanation x = explain_record(
      record("EXP-007"), load_test_kernel("kernels/kernel-v0.3.yaml"), default_suite());
  const std::string text = explanation_text(x);
  int tallies = 0;
  for (const std::string& stop : x.stops) {
    const std::size_t at = stop.find("proposal #");
    if (at == std::string::npos) continue;
    const std::size_t end = stop.find(' ', stop.find(" by ", at) + 4);
    const std::string named = stop.substr(at, end - at);  // "proposal #N by WHO"
    EXPECT_TRUE(contains(text, named + " fails")) << named;
    ++tallies;
  }
  EXPECT_GT(tallies, 0) << text;
}

}  // namespace
}  // namespace fable
